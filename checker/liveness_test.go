package checker

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// explicit is a model given by its transitions: from state 0, each state's
// successors in order, as (action, state) pairs. A state with no entry has
// no successors.
type explicit map[int][]move

type move struct {
	action string
	to     int
}

func (explicit) Init(yield func(int)) { yield(0) }

func (m explicit) Next(s int, yield func(string, int)) {
	for _, mv := range m[s] {
		yield(mv.action, mv.to)
	}
}

func isTick(a string) bool { return a == "tick" }

// lassoOf is what a test expects of a lasso: the states along it and the
// state at which the cycle starts.
type lassoOf struct {
	States []int // Init, then the state after each step
	LoopAt int
}

func lassoStates(t *Trace[int, string]) lassoOf {
	l := lassoOf{States: []int{t.Init}, LoopAt: t.LoopAt}
	for _, st := range t.Steps {
		l.States = append(l.States, st.State)
	}
	return l
}

func TestLiveness(t *testing.T) {
	is := func(n int) func(int) bool { return func(s int) bool { return s == n } }
	never := func(int) bool { return false }
	always := func(int) bool { return true }
	for _, tc := range []struct {
		name   string
		m      explicit
		p      Liveness[int, string]
		fair   func(string) bool
		strong bool
		want   *lassoOf // nil: holds
	}{
		{
			name: "a ring passes Q",
			m:    explicit{0: {{"inc", 1}}, 1: {{"inc", 2}}, 2: {{"inc", 0}}},
			p:    Liveness[int, string]{P: is(0), Q: is(2)},
		},
		{
			name: "a ring never reaches Q",
			m:    explicit{0: {{"inc", 1}}, 1: {{"inc", 2}}, 2: {{"inc", 0}}},
			p:    Liveness[int, string]{P: is(0), Q: never},
			want: &lassoOf{States: []int{0, 1, 2, 0}, LoopAt: 0},
		},
		{
			// A run that stops is not a counterexample.
			name: "a path that ends",
			m:    explicit{0: {{"go", 1}}, 1: {{"go", 2}}},
			p:    Liveness[int, string]{P: is(0), Q: never},
		},
		{
			// 0 may stay for ever, but tick is enabled there all along:
			// under weak fairness of tick that is no run.
			name: "an unfair cycle",
			m:    explicit{0: {{"stay", 0}, {"tick", 1}}, 1: {{"stay", 1}}},
			p:    Liveness[int, string]{P: is(0), Q: is(1)},
			fair: isTick,
		},
		{
			name: "the same cycle without fairness",
			m:    explicit{0: {{"stay", 0}, {"tick", 1}}, 1: {{"stay", 1}}},
			p:    Liveness[int, string]{P: is(0), Q: is(1)},
			want: &lassoOf{States: []int{0, 0}, LoopAt: 0},
		},
		{
			// In 2 tick is not enabled: staying there is fair.
			name: "a cycle where the fair action is disabled",
			m:    explicit{0: {{"tick", 1}}, 1: {{"tick", 2}, {"done", 3}}, 2: {{"stay", 2}}},
			p:    Liveness[int, string]{P: is(1), Q: is(3)},
			fair: isTick,
			want: &lassoOf{States: []int{0, 1, 2, 2}, LoopAt: 2},
		},
		{
			// From 0 the self-loop is unfair; the shortest fair cycle
			// ticks through 1 and back.
			name: "the shortest fair cycle, not the shortest cycle",
			m:    explicit{0: {{"stay", 0}, {"tick", 1}}, 1: {{"tick", 0}}},
			p:    Liveness[int, string]{P: always, Q: never},
			fair: isTick,
			want: &lassoOf{States: []int{0, 1, 0}, LoopAt: 0},
		},
		{
			// P holds at 1; the path from there to the cycle 2, 3 is part of
			// the lasso before its loop.
			name: "a prefix, a path, a cycle",
			m:    explicit{0: {{"a", 1}}, 1: {{"b", 2}, {"q", 4}}, 2: {{"c", 3}}, 3: {{"d", 2}}},
			p:    Liveness[int, string]{P: is(1), Q: is(4)},
			want: &lassoOf{States: []int{0, 1, 2, 3, 2}, LoopAt: 2},
		},
		{
			// The cycle 1-2 passes Q (2); the cycle 1-3 does not.
			name: "one of two cycles avoids Q",
			m:    explicit{0: {{"a", 1}}, 1: {{"x", 2}, {"y", 3}}, 2: {{"z", 1}}, 3: {{"w", 1}}},
			p:    Liveness[int, string]{P: is(1), Q: is(2)},
			want: &lassoOf{States: []int{0, 1, 3, 1}, LoopAt: 1},
		},
		{
			// A progress transition counts as Q: the cycle takes one.
			name: "progress on the cycle",
			m:    explicit{0: {{"a", 1}}, 1: {{"work", 0}}},
			p:    Liveness[int, string]{P: always, Q: never, Progress: func(_ int, a string, _ int) bool { return a == "work" }},
		},
		{
			// Only cycles with a Must action count: the cycle 0-1 has none,
			// the cycle 2-3 has one.
			name: "must",
			m:    explicit{0: {{"idle", 1}, {"go", 2}}, 1: {{"idle", 0}}, 2: {{"send", 3}}, 3: {{"idle", 2}}},
			p:    Liveness[int, string]{P: always, Q: never, Must: func(a string) bool { return a == "send" }},
			want: &lassoOf{States: []int{0, 2, 3, 2}, LoopAt: 1},
		},
		{
			// 0 and 1 alternate for ever; tick is enabled in 0, not in 1.
			// Weak fairness lets the cycle be (tick is not enabled all
			// along); strong fairness does not (it is enabled again and
			// again): time would stand still, a Zeno run.
			name: "a Zeno cycle under weak fairness",
			m:    explicit{0: {{"a", 1}, {"tick", 2}}, 1: {{"b", 0}}},
			p:    Liveness[int, string]{P: is(0), Q: is(2)},
			fair: isTick,
			want: &lassoOf{States: []int{0, 1, 0}, LoopAt: 0},
		},
		{
			name:   "the Zeno cycle under strong fairness",
			m:      explicit{0: {{"a", 1}, {"tick", 2}}, 1: {{"b", 0}}},
			p:      Liveness[int, string]{P: is(0), Q: is(2)},
			fair:   isTick,
			strong: true,
		},
		{
			// Strong fairness still lets a cycle be where tick is never
			// enabled (1 and 2), and one that ticks (3 and 4).
			name:   "strong fairness, tick never enabled on the cycle",
			m:      explicit{0: {{"tick", 1}, {"a", 0}}, 1: {{"b", 2}}, 2: {{"c", 1}}},
			p:      Liveness[int, string]{P: always, Q: never},
			fair:   isTick,
			strong: true,
			want:   &lassoOf{States: []int{0, 1, 2, 1}, LoopAt: 1},
		},
		{
			name:   "strong fairness, a cycle that ticks",
			m:      explicit{0: {{"a", 0}, {"tick", 1}}, 1: {{"tick", 0}}},
			p:      Liveness[int, string]{P: always, Q: never},
			fair:   isTick,
			strong: true,
			want:   &lassoOf{States: []int{0, 1, 0}, LoopAt: 0},
		},
		{
			name: "must never taken",
			m:    explicit{0: {{"idle", 1}}, 1: {{"idle", 0}}},
			p:    Liveness[int, string]{P: always, Q: never, Must: func(a string) bool { return a == "send" }},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.Name = "p"
			r, err := CheckLiveness(context.Background(), Model[int, string](tc.m), []Liveness[int, string]{tc.p}, tc.fair, Options{StrongFairness: tc.strong})
			if err != nil {
				t.Fatal(err)
			}
			v := r.Verdicts[0]
			if !r.Complete || v.Kind != KindLeadsTo {
				t.Fatalf("complete %v, kind %v", r.Complete, v.Kind)
			}
			if tc.want == nil {
				if v.Status != Holds {
					t.Fatalf("%v with %+v, want holds", v.Status, lassoStates(v.Trace))
				}
				return
			}
			if v.Status != Violated || !v.Trace.Lasso {
				t.Fatalf("%v, want violated with a lasso", v.Status)
			}
			if diff := cmp.Diff(*tc.want, lassoStates(v.Trace)); diff != "" {
				t.Errorf("lasso (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLivenessOnRing: a ring of n states with P at 0 and Q nowhere: the
// counterexample is the whole ring; with Q anywhere on it, it holds.
func TestLivenessOnRing(t *testing.T) {
	for _, n := range []int{1, 2, 7, 100} {
		props := []Liveness[int, string]{
			{Name: "never", P: func(s int) bool { return s == 0 }, Q: func(int) bool { return false }},
			{Name: "last", P: func(s int) bool { return s == 0 }, Q: func(s int) bool { return s == n-1 }},
		}
		r, err := CheckLiveness(context.Background(), Model[int, string](ring{n}), props, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.States != int64(n) || r.Transitions != int64(n) {
			t.Errorf("ring %d: %d states, %d transitions", n, r.States, r.Transitions)
		}
		if v := r.Verdicts[0]; v.Status != Violated || len(v.Trace.Steps) != n || v.Trace.LoopAt != 0 {
			t.Errorf("ring %d: never: %v, %d steps", n, v.Status, len(v.Trace.Steps))
		}
		if v := r.Verdicts[1]; v.Status != Holds {
			t.Errorf("ring %d: last: %v", n, v.Status)
		}
	}
}

// TestLivenessLimits: a limit leaves every verdict unknown.
func TestLivenessLimits(t *testing.T) {
	props := []Liveness[int64, string]{{Name: "p", P: func(int64) bool { return true }, Q: func(int64) bool { return false }}}
	r, err := CheckLiveness(context.Background(), Model[int64, string](line{}), props, nil, Options{MaxStates: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete || r.Limit != MaxStates || r.Verdicts[0].Status != Unknown {
		t.Errorf("complete %v, limit %q, %v", r.Complete, r.Limit, r.Verdicts[0].Status)
	}
	r, err = CheckLiveness(context.Background(), Model[int64, string](line{}), props, nil, Options{MaxMemory: 1 << 20})
	if err != nil || r.Complete || r.Limit != MaxMemory || r.Verdicts[0].Status != Unknown {
		t.Errorf("max-memory: %v, complete %v, limit %q", err, r.Complete, r.Limit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err = CheckLiveness(ctx, Model[int64, string](line{}), props, nil, Options{})
	if err != nil || r.Limit != Interrupted || r.Verdicts[0].Status != Unknown {
		t.Errorf("cancelled: %v, limit %q", err, r.Limit)
	}
}

// fan is a tree in which every state has ten successors.
type fan struct{}

func (fan) Init(yield func(int64)) { yield(0) }

func (fan) Next(n int64, yield func(string, int64)) {
	for i := range int64(10) {
		yield("child", 10*n+1+i)
	}
}

// TestLivenessMaxStatesExact: the search stores exactly MaxStates states,
// not what the expansion of the last state brings on top.
func TestLivenessMaxStatesExact(t *testing.T) {
	props := []Liveness[int64, string]{{Name: "p", P: func(int64) bool { return true }, Q: func(int64) bool { return false }}}
	for _, max := range []int64{1, 5, 1005} {
		r, err := CheckLiveness(context.Background(), Model[int64, string](fan{}), props, nil, Options{MaxStates: max})
		if err != nil || r.States != max || r.Limit != MaxStates || r.Verdicts[0].Status != Unknown {
			t.Errorf("MaxStates %d: %v, states %d, limit %q, %v", max, err, r.States, r.Limit, r.Verdicts[0].Status)
		}
	}
}

// TestLivenessStopsInCycleSearch: a context cancelled while the graph is
// built, and seen only after it (a graph this small is not polled), stops
// the search before the cycles are searched: the verdict is unknown, not
// the violation the ring has. TestLivenessStopsInsideCycleSearch stops it
// in the middle of the cycle search.
func TestLivenessStopsInCycleSearch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	props := []Liveness[int, string]{{Name: "p", P: func(int) bool { return true }, Q: func(s int) bool {
		if s == 50 {
			cancel() // while the graph is built; it is seen when the cycles are searched
		}
		return false
	}}}
	r, err := CheckLiveness(ctx, Model[int, string](ring{100}), props, nil, Options{})
	if err != nil || r.Complete || r.Limit != Interrupted || r.States != 100 || r.Verdicts[0].Status != Unknown {
		t.Errorf("%v: complete %v, limit %q, states %d, %v", err, r.Complete, r.Limit, r.States, r.Verdicts[0].Status)
	}
	// Not cancelled, the same search finds the violation.
	props[0].Q = func(int) bool { return false }
	r, err = CheckLiveness(context.Background(), Model[int, string](ring{100}), props, nil, Options{})
	if err != nil || !r.Complete || r.Verdicts[0].Status != Violated {
		t.Errorf("%v: complete %v, %v", err, r.Complete, r.Verdicts[0].Status)
	}
}

// countdownCtx is a context that reports itself cancelled from the n-th
// call of Err on (never if n is 0), and counts the calls.
type countdownCtx struct {
	context.Context
	calls, n int
}

func (c *countdownCtx) Err() error {
	c.calls++
	if c.n > 0 && c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// TestLivenessStopsInsideCycleSearch cancels the context at the last time
// the search looks at it, which is inside the cycle search (a ring of
// 300,000 states takes it 600,000 steps, polled every 2^16): the graph is
// whole, but the verdict is unknown, not the violation the ring has, nor
// the "holds" that the cycles found before the stop would say.
func TestLivenessStopsInsideCycleSearch(t *testing.T) {
	const n = 300_000
	props := []Liveness[int, string]{{Name: "p", P: func(int) bool { return true }, Q: func(int) bool { return false }}}
	count := &countdownCtx{Context: context.Background()}
	r, err := CheckLiveness(count, Model[int, string](ring{n}), props, nil, Options{})
	if err != nil || !r.Complete || r.Verdicts[0].Status != Violated {
		t.Fatalf("%v: complete %v, %v; want the violation", err, r.Complete, r.Verdicts[0].Status)
	}
	last := &countdownCtx{Context: context.Background(), n: count.calls}
	r, err = CheckLiveness(last, Model[int, string](ring{n}), props, nil, Options{})
	if err != nil || r.Complete || r.Limit != Interrupted || r.States != n || r.Verdicts[0].Status != Unknown {
		t.Errorf("cancelled at call %d of %d: %v, complete %v, limit %q, states %d, %v", last.n, count.calls, err, r.Complete, r.Limit, r.States, r.Verdicts[0].Status)
	}
}

func TestLivenessRefuses(t *testing.T) {
	m := Model[int, string](ring{3})
	sixteen := make([]Liveness[int, string], 16)
	for i := range sixteen {
		sixteen[i] = Liveness[int, string]{Name: fmt.Sprint(i), P: func(int) bool { return true }, Q: func(int) bool { return false }}
	}
	for _, props := range [][]Liveness[int, string]{
		sixteen, // one more than the label bits hold beside fairness
		{{Name: "", P: func(int) bool { return true }, Q: func(int) bool { return true }}},
		{{Name: "p", P: func(int) bool { return true }}},
		{{Name: "p", P: func(int) bool { return true }, Q: func(int) bool { return true }}, {Name: "p", P: func(int) bool { return true }, Q: func(int) bool { return true }}},
	} {
		if _, err := CheckLiveness(context.Background(), m, props, nil, Options{}); err == nil {
			t.Errorf("%d properties accepted", len(props))
		}
	}
}

// TestLivenessManyInits: a lasso rooted at a late Init yield replays from
// that yield (its index is kept whole, not in a byte).
func TestLivenessManyInits(t *testing.T) {
	r, err := CheckLiveness(context.Background(), Model[int, string](manyInits{}), []Liveness[int, string]{
		{Name: "p", P: func(s int) bool { return s == 299 }, Q: func(int) bool { return false }},
	}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v := r.Verdicts[0]; v.Status != Violated || v.Trace.Init != 299 || len(v.Trace.Steps) != 1 {
		t.Fatalf("%v: %+v", v.Status, v.Trace)
	}
}

// manyInits starts in each of 0..299; state 299 loops, the others stop.
type manyInits struct{}

func (manyInits) Init(yield func(int)) {
	for s := range 300 {
		yield(s)
	}
}

func (manyInits) Next(s int, yield func(string, int)) {
	if s == 299 {
		yield("loop", 299)
	}
}

// TestLivenessCollision: a cycle that closes only on a shared fingerprint
// is reported as an error, not as a counterexample.
func TestLivenessCollision(t *testing.T) {
	props := []Liveness[int64, string]{{Name: "p", P: func(int64) bool { return true }, Q: func(int64) bool { return false }}}
	_, err := CheckLiveness(context.Background(), Model[int64, string](collide{}), props, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "share a fingerprint") {
		t.Errorf("got %v, want the cycle refused", err)
	}
}
