package properties_test

import (
	"context"
	"testing"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

// TestImpossibleGoalsAreUnreachable searches every goal that Impossible
// rules out, under each open and handshake setting, over a whole small
// state space (unbounded loss): none may be reached. And a goal it rules
// out under one setting must be reachable under another, so that the
// reasons are not vacuous.
func TestImpossibleGoalsAreUnreachable(t *testing.T) {
	reachedSomewhere := map[string]bool{}
	ruledOut := map[string]bool{}
	for _, open := range []model.OpenMode{model.ClientServer, model.Simultaneous, model.AnyOpen} {
		for _, hs := range []model.Handshake{model.ThreeWay, model.TwoWay} {
			s := model.Defaults()
			for _, kv := range [][2]string{{"seq-space", "4"}, {"window", "1"}, {"opens", "1"}, {"loss", "unbounded"}, {"msl", "1"}, {"horizon", "5"}, {"open", open.String()}, {"handshake", hs.String()}} {
				if err := s.Set(kv[0], kv[1]); err != nil {
					t.Fatal(err)
				}
			}
			m, err := model.New(s)
			if err != nil {
				t.Fatal(err)
			}
			var goals []checker.Property[model.State, model.Action]
			impossible := map[string]string{}
			for _, g := range properties.Goals() {
				goals = append(goals, g.Checked())
				if g.Impossible != nil {
					if why := g.Impossible(s); why != "" {
						impossible[g.Name] = why
						ruledOut[g.Name] = true
					}
				}
			}
			r, err := checker.Check(context.Background(), m, goals, checker.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Complete && !r.Decided {
				t.Fatalf("open=%s handshake=%s: search incomplete", open, hs)
			}
			for _, v := range r.Verdicts {
				if v.Status == checker.Reached {
					reachedSomewhere[v.Property] = true
					if why, ok := impossible[v.Property]; ok {
						t.Errorf("open=%s handshake=%s: %s is reached at depth %d, but Impossible says %q", open, hs, v.Property, len(v.Trace.Steps), why)
					}
				}
			}
		}
	}
	for name := range ruledOut {
		if !reachedSomewhere[name] && name != "established-with-data" {
			t.Errorf("%s is ruled out somewhere and reached nowhere", name)
		}
	}
	if len(ruledOut) < 6 {
		t.Errorf("only %d goals ruled out anywhere: %v", len(ruledOut), ruledOut)
	}
}
