package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// staleSynTrace writes the two-way stale-SYN counterexample with
// --trace-dir and returns its path.
func staleSynTrace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	status, out, errs := runCmd(t, append([]string{"check", "--handshake", "two-way", "--property", "no-stale-syn", "--trace-dir", dir}, small...)...)
	if status != exitViolated {
		t.Fatalf("status %d\n%s%s", status, out, errs)
	}
	path := filepath.Join(dir, "no-stale-syn.json")
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRenderFormats(t *testing.T) {
	path := staleSynTrace(t)
	status, out, errs := runCmd(t, "render", path)
	if status != 0 || !strings.Contains(out, "deliver A->B <SEQ=0><CTL=SYN>") || strings.Count(out, "\n") != 5 {
		t.Errorf("text: status %d, %q %q", status, out, errs)
	}
	status, out, _ = runCmd(t, "render", path, "--format", "dot")
	if status != 0 || !strings.HasPrefix(out, "digraph") || !strings.Contains(out, "no-stale-syn") {
		t.Errorf("dot: status %d, %.200q", status, out)
	}
	status, out, _ = runCmd(t, "render", "--format", "dot", "--view", "path", path)
	if status != 0 || !strings.Contains(out, "digraph") {
		t.Errorf("path: status %d, %.200q", status, out)
	}
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("Graphviz is not installed")
	}
	svg := filepath.Join(t.TempDir(), "chart.svg")
	status, _, errs = runCmd(t, "render", path, "--format", "svg", "-o", svg)
	data, err := os.ReadFile(svg)
	if status != 0 || err != nil || !strings.Contains(string(data), "<svg") {
		t.Errorf("svg: status %d, %v, %s", status, err, errs)
	}
}

func TestRenderBadInput(t *testing.T) {
	path := staleSynTrace(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"render"}, "render needs one trace file"},
		{[]string{"render", filepath.Join(dir, "missing.json")}, "cannot read"},
		{[]string{"render", bad}, "version 3 is not supported"},
		{[]string{"render", path, "--format", "gif"}, `--format: "gif" is not allowed`},
		{[]string{"render", path, "--view", "side"}, `--view: "side" is not allowed`},
		{[]string{"render", path, "--format", "dot", "-o", filepath.Join(dir, "no", "such", "dir.dot")}, "cannot write"},
	} {
		status, out, errs := runCmd(t, tc.args...)
		if status != exitUsage || out != "" || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q; want 2 and %q", tc.args, status, errs, tc.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("partial files left behind: %v", entries)
	}
}

func TestReach(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"reach"}, small...)...)
	if status != 0 {
		t.Fatalf("status %d\n%s", status, out)
	}
	for _, want := range []string{
		"A-SYN-SENT             reached at depth 1",
		"B-LISTEN               reached at depth 1",
		// Goals the settings rule out are reported as such, not searched.
		"B-SYN-SENT             impossible under open=client-server: B never opens actively",
		"simultaneous-open      impossible under open=client-server: only A opens actively",
		"established-with-data  impossible under data=0: no data is sent",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("reach lacks %q:\n%s", want, out)
		}
	}
	status, out, _ = runCmd(t, append([]string{"reach", "--goal", "B-ESTABLISHED"}, small...)...)
	if status != 0 || !strings.Contains(out, "B-ESTABLISHED  reached at depth 5") || !strings.Contains(out, "SYN-RECEIVED -> ESTABLISHED") {
		t.Errorf("witness: status %d\n%s", status, out)
	}
	status, _, errs := runCmd(t, "reach", "--goal", "nowhere")
	if status != exitUsage || !strings.Contains(errs, `unknown goal "nowhere"`) {
		t.Errorf("unknown goal: %d %q", status, errs)
	}
}
