package properties

import (
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
)

// TestLivenessVerdict combines the verdicts of a liveness property's two
// parts (one per endpoint): the shorter of two lassos; unknown if a part is
// unknown and none is violated; and, when one part is violated and the
// other unknown, violated with a note that a shorter lasso may exist.
func TestLivenessVerdict(t *testing.T) {
	l := LivenessCatalog()[0] // syn-sent-resolves
	lasso := func(e model.Endpoint, n int) checker.Verdict[model.State, model.Action] {
		tr := &checker.Trace[model.State, model.Action]{Lasso: true}
		for range n {
			var s model.State
			s.TCB[e].State = model.SynSent
			tr.Steps = append(tr.Steps, checker.Step[model.State, model.Action]{State: s})
		}
		return checker.Verdict[model.State, model.Action]{Status: checker.Violated, Trace: tr}
	}
	holds := checker.Verdict[model.State, model.Action]{Status: checker.Holds}
	unknown := checker.Verdict[model.State, model.Action]{Status: checker.Unknown}
	for _, tc := range []struct {
		name  string
		parts []checker.Verdict[model.State, model.Action]
		want  Status
		steps int    // of the trace, when violated
		note  string // in the note, when violated
		maybe bool   // the note says a shorter lasso may exist
	}{
		{"both hold", []checker.Verdict[model.State, model.Action]{holds, holds}, Holds, 0, "", false},
		{"one unknown", []checker.Verdict[model.State, model.Action]{holds, unknown}, Unknown, 0, "", false},
		{"the shorter lasso", []checker.Verdict[model.State, model.Action]{lasso(model.A, 7), lasso(model.B, 4)}, Violated, 4, "B", false},
		{"violated, then unknown", []checker.Verdict[model.State, model.Action]{lasso(model.A, 7), unknown}, Violated, 7, "A", true},
		{"unknown, then violated", []checker.Verdict[model.State, model.Action]{unknown, lasso(model.B, 3)}, Violated, 3, "B", true},
	} {
		got := l.verdict(tc.parts)
		if got.Status != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got.Status, tc.want)
			continue
		}
		if tc.want != Violated {
			if got.Trace != nil || got.Note != "" {
				t.Errorf("%s: trace %v, note %q; want none", tc.name, got.Trace, got.Note)
			}
			continue
		}
		if len(got.Trace.Steps) != tc.steps || !strings.HasPrefix(got.Note, tc.note) || strings.Contains(got.Note, "shorter counterexample may exist") != tc.maybe {
			t.Errorf("%s: %d steps, note %q; want %d steps, a note from %s, shorter-may-exist %v", tc.name, len(got.Trace.Steps), got.Note, tc.steps, tc.note, tc.maybe)
		}
	}
}
