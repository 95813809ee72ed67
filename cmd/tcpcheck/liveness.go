package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

// liveRun is what the liveness search of a check did.
type liveRun struct {
	Checked     bool    `json:"checked"`
	Strong      bool    `json:"strong_fairness"`
	Why         string  `json:"why,omitempty"` // why it was not checked
	States      int64   `json:"states,omitempty"`
	Transitions int64   `json:"transitions,omitempty"`
	Seconds     float64 `json:"seconds,omitempty"`
	GraphBytes  int64   `json:"graph_bytes,omitempty"` // the stored graph, internal accounting
	Complete    bool    `json:"complete"`
	Limit       string  `json:"limit,omitempty"`
}

// notChecked is the status of a liveness property under a horizon.
const notChecked = "not checked"

// liveNotChecked says why liveness is not checked under s, or "".
func liveNotChecked(s model.Settings) string {
	if s.Horizon == 0 {
		return ""
	}
	return fmt.Sprintf("liveness needs unbounded time (--horizon 0): under a horizon of %d ticks every run is finite", s.Horizon)
}

// searchLiveness checks the liveness properties live on the model of s
// under weak fairness of tick (MODEL.md "Liveness"), or strong if asked,
// and adds their
// verdicts to r. Under a horizon it checks nothing and says why.
func searchLiveness(ctx context.Context, s model.Settings, live []properties.Liveness, lim limitFlags, strong bool, r *report) error {
	if len(live) == 0 {
		return nil
	}
	r.LiveRun = &liveRun{}
	if why := liveNotChecked(s); why != "" {
		r.LiveRun.Why = why
		for _, l := range live {
			r.Liveness = append(r.Liveness, verdict{Name: l.Name, Status: notChecked})
		}
		return nil
	}
	m, err := model.New(s)
	if err != nil {
		return usageError{err.Error()}
	}
	var checks []checker.Liveness[model.State, model.Action]
	for _, l := range live {
		checks = append(checks, l.Checks()...)
	}
	res, err := checker.CheckLiveness(ctx, m, checks, properties.Fair, checker.Options{MaxStates: lim.maxStates, MaxTime: lim.maxTime, StrongFairness: strong})
	if err != nil {
		return err
	}
	*r.LiveRun = liveRun{Checked: true, Strong: strong, States: res.States, Transitions: res.Transitions, Seconds: res.Elapsed.Seconds(),
		GraphBytes: res.Memory, Complete: res.Complete, Limit: res.Limit}
	r.PeakMemory = peakRSS()
	k := 0
	for _, l := range live {
		n := len(l.Checks())
		r.Liveness = append(r.Liveness, liveVerdict(s, l, res.Verdicts[k:k+n]))
		k += n
	}
	return nil
}

// liveVerdict merges the checker's verdicts for one catalog property (one
// per endpoint for a Stays property): violated if any is, with the
// shortest lasso (A's on a tie).
func liveVerdict(s model.Settings, l properties.Liveness, vs []checker.Verdict[model.State, model.Action]) verdict {
	out := verdict{Name: l.Name, Status: checker.Holds.String()}
	best := -1
	for i, v := range vs {
		switch {
		case v.Status == checker.Violated && (best < 0 || len(v.Trace.Steps) < len(vs[best].Trace.Steps)):
			best = i
		case v.Status == checker.Unknown:
			out.Status = checker.Unknown.String()
		}
	}
	if best < 0 {
		return out
	}
	t := convert(s, traces.Violation, l.Name, vs[best].Trace)
	t.Lasso, t.LoopAt = true, vs[best].Trace.LoopAt
	if l.Stays != nil {
		e := model.Endpoint(best)
		var states []string
		for i := t.LoopAt; i <= len(t.Steps); i++ {
			if name := t.Before(i).TCB[e].State.String(); !slices.Contains(states, name) {
				states = append(states, name)
			}
		}
		t.Note = fmt.Sprintf("%s stays in %s forever", model.Incarnation(e, t.Last().TCB[e].Opens), strings.Join(states, ", "))
	} else {
		t.Note = "segments are delivered forever and no endpoint's state, SND.UNA, SND.NXT, RCV.NXT or delivered count changes"
	}
	out.Status, out.Trace, out.Depth = checker.Violated.String(), t, len(t.Steps)
	return out
}
