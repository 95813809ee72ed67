package model_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/scenarios")

// TestScenarios runs the RFC scenarios of testdata/scenarios, in the style
// of etcd raft's data-driven tests: one file per RFC section or topic. A
// file holds cases separated by blank lines. A case is: comment lines (#),
// a line "run name=value ..." with the settings (on top of the defaults),
// then the actions one a line as traces write them, a line "----", and the
// expected text trace. Among the actions, two directives show more of the
// state the actions so far lead to, after that step's line:
//
//	show     every field of the state, each segment with its ghosts
//	enabled  every action enabled there, in the model's order
//
// With -update the expected output is rewritten from what the model does;
// read the diff against the RFC before keeping it.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			for i, block := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
				head, _, _ := strings.Cut(block+"\n", "\n----\n") // a new case may end at "----"
				got := runScenario(t, file, i+1, head)
				if i > 0 {
					out.WriteString("\n")
				}
				out.WriteString(head + "\n----\n" + got + "\n")
				if _, want, ok := strings.Cut(block, "\n----\n"); !*update && (!ok || want != got) {
					t.Errorf("case %d (-want +got):\n%s", i+1, cmp.Diff(want, got))
				}
			}
			if *update {
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// runScenario walks one case's actions and returns its text trace, with
// what its directives show and a line for each property a step violates.
func runScenario(t *testing.T, file string, n int, head string) string {
	t.Helper()
	var settings string
	var actions []string
	shows := map[int][]string{} // step -> directives after it
	for _, line := range strings.Split(head, "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "run"):
			settings = strings.TrimSpace(strings.TrimPrefix(line, "run"))
		case line == "show" || line == "enabled":
			shows[len(actions)] = append(shows[len(actions)], line)
		default:
			actions = append(actions, line)
		}
	}
	s, err := properties.SettingsOf(model.Defaults(), settings)
	if err != nil {
		t.Fatalf("%s case %d: %v", file, n, err)
	}
	m, err := model.New(s)
	if err != nil {
		t.Fatalf("%s case %d: %v", file, n, err)
	}
	tr, err := traces.Walk(m, actions...)
	if err != nil {
		t.Fatalf("%s case %d: %v", file, n, err)
	}
	var text bytes.Buffer
	if err := traces.WriteText(&text, tr, ""); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(text.String(), "\n"), "\n")
	if len(lines) != len(tr.Steps)+1 {
		t.Fatalf("%s case %d: %d lines for %d steps", file, n, len(lines), len(tr.Steps))
	}
	var b strings.Builder
	for k, line := range lines {
		b.WriteString(line + "\n")
		state := tr.Init
		if k > 0 {
			state = tr.Steps[k-1].State
		}
		for _, d := range shows[k] {
			b.WriteString(directive(t, m, d, state))
		}
	}
	for i, st := range tr.Steps {
		for _, p := range properties.All() {
			if !p.HoldsOn(m, tr.Before(i), st.Action, st.State) {
				fmt.Fprintf(&b, "step %d violates %s\n", i+1, p.Name)
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// directive renders "show" (every field of s, as traces.WriteFullText
// writes a state) or "enabled" (the actions enabled in s), indented under
// the step's line.
func directive(t *testing.T, m *model.Model, d string, s model.State) string {
	const indent = "       "
	if d == "enabled" {
		var names []string
		m.Next(s, func(a model.Action, _ model.State) { names = append(names, a.String()) })
		if len(names) == 0 {
			return indent + "enabled: nothing\n"
		}
		return indent + "enabled: " + strings.Join(names, "; ") + "\n"
	}
	var full bytes.Buffer
	if err := traces.WriteFullText(&full, &traces.Trace{Settings: m.Settings(), Init: s}, ""); err != nil {
		t.Fatal(err)
	}
	_, state, _ := strings.Cut(full.String(), "\n") // the state's lines, without the "initial" line
	return state
}
