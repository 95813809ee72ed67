package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/testscript"
)

// A transcript is a command of the README and the output the README shows
// for it.
type transcript struct {
	line    int // of the command in README.md
	command string
	output  string
}

// readmeTranscripts finds the transcripts of a README: a fenced block that
// starts with "$ tcpcheck ...". Its output is the rest of the block, or,
// for a command that prints Markdown and a block of the command alone, the
// README's text between the lines "<!-- output -->" and
// "<!-- end of output -->" that follow the block.
func readmeTranscripts(readme string) ([]transcript, error) {
	lines := strings.Split(readme, "\n")
	var out []transcript
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ tcpcheck ") {
			continue
		}
		tr := transcript{line: i + 2, command: strings.TrimPrefix(lines[i+1], "$ ")}
		end := i + 2
		for end < len(lines) && !strings.HasPrefix(lines[end], "```") {
			end++
		}
		tr.output = strings.Join(lines[i+2:end], "\n")
		if tr.output == "" {
			start := end + 1
			for start < len(lines) && strings.TrimSpace(lines[start]) == "" {
				start++
			}
			if start == len(lines) || lines[start] != "<!-- output -->" {
				return nil, fmt.Errorf("README.md:%d: %q shows no output, in its block or after it between <!-- output --> and <!-- end of output -->", tr.line, tr.command)
			}
			stop := start + 1
			for stop < len(lines) && lines[stop] != "<!-- end of output -->" {
				stop++
			}
			if stop == len(lines) {
				return nil, fmt.Errorf("README.md:%d: no <!-- end of output --> after the output of %q", start+1, tr.command)
			}
			tr.output = strings.Join(lines[start+1:stop], "\n")
			end = stop
		}
		if strings.ContainsAny(tr.command, `"'\`) {
			return nil, fmt.Errorf("README.md:%d: %q: a transcript's command must be plain words", tr.line, tr.command)
		}
		out = append(out, tr)
		i = end
	}
	return out, nil
}

// TestReadmeTranscripts runs every transcript of README.md as a test
// script and compares what tcpcheck prints with what the README shows,
// timings and memory figures masked: the README stays true.
func TestReadmeTranscripts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	trs, err := readmeTranscripts(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	if len(trs) < 5 {
		t.Fatalf("found %d transcripts in README.md; the README shows at least 5", len(trs))
	}
	dir := t.TempDir()
	for _, tr := range trs {
		// The README does not show the status (the exit-status script
		// tests it): what is compared is what was printed.
		script := fmt.Sprintf("# README.md:%d\nexits any %s\ncmpout stdout want\n-- want --\n%s\n", tr.line, tr.command, tr.output)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("readme-line-%d.txtar", tr.line)), []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testscript.Run(t, scriptParams(dir))
}

// TestReadmeTranscriptsParse: the parser finds commands with their output
// in the block or after it, and refuses a command without output.
func TestReadmeTranscriptsParse(t *testing.T) {
	readme := "text\n```\n$ tcpcheck list\nA\nB\n```\n\n```\n$ tcpcheck hazards --markdown\n```\n\n<!-- output -->\n| a |\n<!-- end of output -->\n```sh\ntcpcheck check\n```\n"
	trs, err := readmeTranscripts(readme)
	if err != nil {
		t.Fatal(err)
	}
	want := []transcript{{3, "tcpcheck list", "A\nB"}, {9, "tcpcheck hazards --markdown", "| a |"}}
	if d := cmp.Diff(want, trs, cmp.AllowUnexported(transcript{})); d != "" {
		t.Errorf("transcripts (-want +got):\n%s", d)
	}
	if _, err := readmeTranscripts("```\n$ tcpcheck reach\n```\nno output\n"); err == nil || !strings.Contains(err.Error(), "shows no output") {
		t.Errorf("a command without output: %v", err)
	}
}
