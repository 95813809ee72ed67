package properties

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
)

// Status is the answer to one question of a check: the checker's answers,
// and two that are given without a search.
type Status int

// The answers. The first five are checker.Status's, in its order.
const (
	Holds       = Status(checker.Holds)
	Violated    = Status(checker.Violated)
	Reached     = Status(checker.Reached)
	Unreachable = Status(checker.Unreachable)
	Unknown     = Status(checker.Unknown)
)

// The answers given without a search.
const (
	// Impossible: a goal that the settings rule out (Goal.Impossible); it
	// is not searched.
	Impossible = Unknown + 1 + iota
	// NotChecked: a liveness property under a horizon, where every run is
	// finite.
	NotChecked
)

// String returns "holds", "violated", "reached", "unreachable", "unknown",
// "impossible" or "not checked".
func (s Status) String() string {
	switch s {
	case Impossible:
		return "impossible"
	case NotChecked:
		return "not checked"
	}
	return checker.Status(s).String()
}

// A Verdict is the answer about one property, liveness property or goal.
type Verdict struct {
	Name   string
	Status Status
	Reason string // why it is Impossible or NotChecked
	// Trace is a shortest counterexample (a lasso for a liveness property)
	// or witness; nil for the other answers.
	Trace *checker.Trace[model.State, model.Action]
	Note  string // what the trace's end means: why no-deadlock's state is stuck, who stays forever in a lasso
}

// Options bound a check and choose the fairness of liveness.
type Options struct {
	Workers        int           // for the safety search; 0: one per CPU
	MaxStates      int64         // 0: no limit
	MaxMemory      int64         // bytes; 0: no limit
	MaxTime        time.Duration // 0: no limit
	StrongFairness bool          // liveness: strong instead of weak fairness of tick
	TempDir        string        // where the safety search's temporary files go; "": the system's
	Progress       func(checker.Progress)
	ProgressEvery  time.Duration
}

// A Report is what Check found.
type Report struct {
	Settings model.Settings
	// Search is the safety and goal search; nil when no safety property or
	// searchable goal was asked.
	Search *checker.Result[model.State, model.Action]
	// Live is the liveness search; nil when none was asked, when it was not
	// checked (LiveWhy says why) or when the safety search stopped at a
	// limit.
	Live    *checker.Result[model.State, model.Action]
	LiveWhy string
	// The verdicts, each list in the order asked.
	Safety, Liveness, Goals []Verdict
}

// Violated reports whether some safety or liveness property is violated.
func (r *Report) Violated() bool {
	return slices.ContainsFunc(slices.Concat(r.Safety, r.Liveness), func(v Verdict) bool { return v.Status == Violated })
}

// Complete reports whether every question asked was answered: no search
// stopped at a limit before deciding.
func (r *Report) Complete() bool {
	return (r.Search == nil || r.Search.Complete || r.Search.Decided) && (r.Live == nil || r.Live.Complete)
}

// Check checks the TCP model under s: the safety properties and goals in
// one breadth-first search, then, on unbounded time (horizon 0), the
// liveness properties under weak fairness of tick (MODEL.md "Liveness").
// Goals that s rules out are answered Impossible without a search; under a
// horizon the liveness properties are NotChecked. Check returns an error
// for invalid settings or options, or when the checker reports one.
//
//	s := model.Defaults()
//	r, err := properties.Check(ctx, s, properties.All(), nil, nil, properties.Options{})
//	for _, v := range r.Safety {
//		fmt.Println(v.Name, v.Status)
//	}
func Check(ctx context.Context, s model.Settings, safety []Property, live []Liveness, goals []Goal, opt Options) (*Report, error) {
	m, err := model.New(s)
	if err != nil {
		return nil, err
	}
	return CheckModel(ctx, m, safety, live, goals, opt)
}

// CheckModel is Check on a model already made, such as one of the seeded
// mistakes of model's tests.
func CheckModel(ctx context.Context, m *model.Model, safety []Property, live []Liveness, goals []Goal, opt Options) (*Report, error) {
	start := time.Now()
	s := m.Settings()
	r := &Report{Settings: s}
	var cps []checker.Property[model.State, model.Action]
	for _, p := range safety {
		cps = append(cps, p.Checked(m))
	}
	searched := map[string]bool{}
	for _, g := range goals {
		if why := g.impossible(s); why == "" {
			cps = append(cps, g.Checked())
			searched[g.Name] = true
		}
	}
	if len(cps) > 0 {
		res, err := checker.Check(ctx, m, cps, checker.Options{
			Workers: opt.Workers, MaxStates: opt.MaxStates, MaxMemory: opt.MaxMemory, MaxTime: opt.MaxTime,
			TempDir: opt.TempDir, Progress: opt.Progress, ProgressEvery: opt.ProgressEvery,
		})
		if err != nil {
			return nil, err
		}
		r.Search = res
		for i, p := range safety {
			v := res.Verdicts[i]
			out := Verdict{Name: p.Name, Status: Status(v.Status), Trace: v.Trace}
			if v.Trace != nil && p.Explain != nil {
				out.Note = p.Explain(m, v.Trace.Last())
			}
			r.Safety = append(r.Safety, out)
		}
	}
	k := len(safety)
	for _, g := range goals {
		if !searched[g.Name] {
			r.Goals = append(r.Goals, Verdict{Name: g.Name, Status: Impossible, Reason: g.impossible(s)})
			continue
		}
		v := r.Search.Verdicts[k]
		r.Goals = append(r.Goals, Verdict{Name: g.Name, Status: Status(v.Status), Trace: v.Trace})
		k++
	}
	if len(live) == 0 {
		return r, nil
	}
	if why := LivenessNotChecked(s); why != "" {
		r.LiveWhy = why
		for _, l := range live {
			r.Liveness = append(r.Liveness, Verdict{Name: l.Name, Status: NotChecked, Reason: r.LiveWhy})
		}
		return r, nil
	}
	if r.Search != nil && !r.Search.Complete && !r.Search.Decided {
		r.LiveWhy = "the safety search stopped at a limit (" + r.Search.Limit.String() + "), so the liveness search did not run"
		for _, l := range live {
			r.Liveness = append(r.Liveness, Verdict{Name: l.Name, Status: Unknown, Reason: r.LiveWhy})
		}
		return r, nil
	}
	var checks []checker.Liveness[model.State, model.Action]
	for _, l := range live {
		checks = append(checks, l.Checks()...)
	}
	// MaxTime bounds the whole check: the liveness search gets what the
	// safety search left (a moment if nothing, so that it stops at once).
	maxTime := opt.MaxTime
	if maxTime > 0 {
		maxTime = max(maxTime-time.Since(start), time.Nanosecond)
	}
	res, err := checker.CheckLiveness(ctx, m, checks, Fair, checker.Options{MaxStates: opt.MaxStates, MaxMemory: opt.MaxMemory, MaxTime: maxTime, StrongFairness: opt.StrongFairness})
	if err != nil {
		return nil, err
	}
	r.Live = res
	k = 0
	for _, l := range live {
		n := len(l.Checks())
		r.Liveness = append(r.Liveness, l.verdict(res.Verdicts[k:k+n]))
		k += n
	}
	return r, nil
}

// LivenessNotChecked says why liveness cannot be checked under s (a
// horizon: every run is finite), or returns "" when it can.
func LivenessNotChecked(s model.Settings) string {
	if s.Horizon == 0 {
		return ""
	}
	return fmt.Sprintf("liveness needs unbounded time (--horizon 0): under a horizon of %d ticks every run is finite", s.Horizon)
}

// Checked is p as checker.Check checks it on the model m.
func (p Property) Checked(m *model.Model) checker.Property[model.State, model.Action] {
	if p.State != nil {
		return checker.Always[model.State, model.Action](p.Name, func(s *model.State) bool { return p.State(m, s) })
	}
	return checker.AlwaysStep(p.Name, p.Step)
}

// Checked is g as checker.Check searches for it.
func (g Goal) Checked() checker.Property[model.State, model.Action] {
	return checker.Sometimes[model.State, model.Action](g.Name, func(s *model.State) bool { return g.Reached(*s) })
}

// impossible is g.Impossible under s, or "" when g has none.
func (g Goal) impossible(s model.Settings) string {
	if g.Impossible == nil {
		return ""
	}
	return g.Impossible(s)
}

// verdict merges the checker's verdicts for l (one per endpoint for a
// Stays property): violated if any is, with the shortest lasso (A's on a
// tie) and a note that says who stays where forever.
func (l Liveness) verdict(vs []checker.Verdict[model.State, model.Action]) Verdict {
	out := Verdict{Name: l.Name, Status: Holds}
	best := -1
	for i, v := range vs {
		switch {
		case v.Status == checker.Violated && (best < 0 || len(v.Trace.Steps) < len(vs[best].Trace.Steps)):
			best = i
		case v.Status == checker.Unknown:
			out.Status = Unknown
		}
	}
	if best < 0 {
		return out
	}
	out.Note = l.why(model.Endpoint(best), vs[best].Trace)
	if out.Status == Unknown {
		// A part the search did not finish may have a shorter lasso.
		out.Note += "; the search stopped before it finished the other endpoint's part, so a shorter counterexample may exist"
	}
	out.Status, out.Trace = Violated, vs[best].Trace
	return out
}

// why says why lasso t, found for endpoint e's part, violates l.
func (l Liveness) why(e model.Endpoint, t *checker.Trace[model.State, model.Action]) string {
	if l.Stays == nil {
		return "segments are delivered forever and no endpoint's state, SND.UNA, SND.NXT, RCV.NXT or delivered count changes"
	}
	var states []string
	for i := t.LoopAt; i <= len(t.Steps); i++ {
		st := t.Init
		if i > 0 {
			st = t.Steps[i-1].State
		}
		if name := st.TCB[e].State.String(); !slices.Contains(states, name) {
			states = append(states, name)
		}
	}
	return fmt.Sprintf("%s stays in %s forever", model.Incarnation(e, t.Last().TCB[e].Opens), strings.Join(states, ", "))
}

// MarshalText writes the status as String does, for JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a status that MarshalText wrote.
func (s *Status) UnmarshalText(b []byte) error {
	for st := Holds; st <= NotChecked; st++ {
		if st.String() == string(b) {
			*s = st
			return nil
		}
	}
	return fmt.Errorf("unknown status %q", b)
}
