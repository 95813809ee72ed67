package checker

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustCheck runs Check and fails the test on error.
func mustCheck[S comparable, A any](t *testing.T, m Model[S, A], props []Property[S, A], opt Options) *Result[S, A] {
	t.Helper()
	res, err := Check(context.Background(), m, props, opt)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return res
}

// stats is the part of a Result that tests compare exactly.
type stats struct {
	States, Transitions int64
	Depth               int
	Complete, Decided   bool
	Limit               Limit
}

func statsOf[S comparable, A any](r *Result[S, A]) stats {
	return stats{r.States, r.Transitions, r.Depth, r.Complete, r.Decided, r.Limit}
}

// statuses lists each verdict as "name status".
func statuses[S comparable, A any](r *Result[S, A]) []string {
	var out []string
	for _, v := range r.Verdicts {
		out = append(out, v.Property+" "+v.Status.String())
	}
	return out
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    Model[int, string]
		want stats
	}{
		// See incDouble: 21 states, 20 incs + 11 doubles, 15 and 19 at depth 7.
		{"incDouble(20)", incDouble{20}, stats{States: 21, Transitions: 31, Depth: 7, Complete: true}},
		// 0 -> 1 -> ... -> 9 -> 0: one transition per state, 9 at depth 9.
		{"ring(10)", ring{10}, stats{States: 10, Transitions: 10, Depth: 9, Complete: true}},
		// inc only: 0..10, 10 transitions, 10 at depth 10.
		{"incDouble(10) without double", incOnly{10}, stats{States: 11, Transitions: 10, Depth: 10, Complete: true}},
		{"ring(1)", ring{1}, stats{States: 1, Transitions: 1, Depth: 0, Complete: true}},
	} {
		for _, workers := range []int{1, 3} {
			res := mustCheck(t, tc.m, nil, Options{Workers: workers})
			if diff := cmp.Diff(tc.want, statsOf(res)); diff != "" {
				t.Errorf("%s, %d workers: stats (-want +got):\n%s", tc.name, workers, diff)
			}
			if len(res.Verdicts) != 0 {
				t.Errorf("%s: %d verdicts, want none", tc.name, len(res.Verdicts))
			}
		}
	}
}

// incOnly counts 0..max by inc.
type incOnly struct{ max int }

func (incOnly) Init(yield func(int)) { yield(0) }

func (m incOnly) Next(n int, yield func(string, int)) {
	if n < m.max {
		yield("inc", n+1)
	}
}

func TestCounterAlwaysViolated(t *testing.T) {
	props := []Property[int, string]{Always[int, string]("not 13", func(n *int) bool { return *n != 13 })}
	res := mustCheck(t, incDouble{20}, props, Options{})
	// 13 is first found at level 6, so the search stops after building
	// level 6: all states but 15 and 19 (19 states), after expanding levels
	// 0..5 = {0,1,2,3,4,6,5,8,7,12,10,9,16}: 13 incs + 11 doubles (0..10).
	want := stats{States: 19, Transitions: 24, Depth: 6, Decided: true}
	if diff := cmp.Diff(want, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	// 13 comes only from 12 (inc); 12 was first reached from 6 (double),
	// 6 from 3 (double), 3 from 2, 2 from 1 by inc (index 0, before double).
	wantTrace := &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
		{"inc", 0, 1}, {"inc", 0, 2}, {"inc", 0, 3}, {"double", 1, 6}, {"double", 1, 12}, {"inc", 0, 13},
	}}
	v := res.Verdict("not 13")
	if v == nil || v.Status != Violated || v.Kind != KindAlways {
		t.Fatalf("verdict = %+v, want violated always", v)
	}
	if diff := cmp.Diff(wantTrace, v.Trace); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if res.Verdict("absent") != nil {
		t.Errorf("Verdict(absent) is not nil")
	}
}

func TestCounterSometimes(t *testing.T) {
	props := []Property[int, string]{
		Sometimes[int, string]("sixteen", func(n *int) bool { return *n == 16 }),
		Sometimes[int, string]("twenty-one", func(n *int) bool { return *n == 21 }),
		Always[int, string]("at most 20", func(n *int) bool { return *n <= 20 }),
	}
	res := mustCheck(t, incDouble{20}, props, Options{Workers: 2})
	if diff := cmp.Diff(stats{States: 21, Transitions: 31, Depth: 7, Complete: true}, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"sixteen reached", "twenty-one unreachable", "at most 20 holds"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	// 16 = 10000b: 0 inc 1 inc 2 double 4 double 8 double 16 (2 is first
	// reached from 1 by inc, index 0).
	want := &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
		{"inc", 0, 1}, {"inc", 0, 2}, {"double", 1, 4}, {"double", 1, 8}, {"double", 1, 16},
	}}
	if diff := cmp.Diff(want, res.Verdict("sixteen").Trace); diff != "" {
		t.Errorf("witness (-want +got):\n%s", diff)
	}
	for _, name := range []string{"twenty-one", "at most 20"} {
		if tr := res.Verdict(name).Trace; tr != nil {
			t.Errorf("%s has a trace: %+v", name, tr)
		}
	}
}

func TestReachedAtInit(t *testing.T) {
	props := []Property[int, string]{
		Sometimes[int, string]("zero", func(n *int) bool { return *n == 0 }),
		Always[int, string]("positive", func(n *int) bool { return *n > 0 }),
	}
	res := mustCheck(t, incDouble{20}, props, Options{})
	if diff := cmp.Diff(stats{States: 1, Depth: 0, Decided: true}, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	for _, name := range []string{"zero", "positive"} {
		if diff := cmp.Diff(&Trace[int, string]{Init: 0, Steps: []Step[int, string]{}}, res.Verdict(name).Trace); diff != "" {
			t.Errorf("%s trace (-want +got):\n%s", name, diff)
		}
	}
}

func TestMutexBuggy(t *testing.T) {
	props := []Property[[2]uint8, string]{Always[[2]uint8, string]("mutual exclusion", func(s *[2]uint8) bool { return !bothCritical(*s) })}
	for _, workers := range []int{1, 2, 4} {
		res := mustCheck(t, mutex{}, props, Options{Workers: workers})
		// BFS: #0 (I,I); #1 (T,I) #2 (I,T); #3 (C,I) #4 (T,T) #5 (I,C);
		// #6 (C,T) #7 (T,C); #8 (C,C), first reached from #6 by p1 enter.
		// All 9 states, levels 0..3 (8 states, 2 moves each) expanded.
		if diff := cmp.Diff(stats{States: 9, Transitions: 16, Depth: 4, Decided: true}, statsOf(res)); diff != "" {
			t.Errorf("%d workers: stats (-want +got):\n%s", workers, diff)
		}
		want := &Trace[[2]uint8, string]{Init: [2]uint8{idle, idle}, Steps: []Step[[2]uint8, string]{
			{"p0 try", 0, [2]uint8{trying, idle}},
			{"p0 enter", 0, [2]uint8{critical, idle}},
			{"p1 try", 1, [2]uint8{critical, trying}},
			{"p1 enter", 1, [2]uint8{critical, critical}},
		}}
		if diff := cmp.Diff(want, res.Verdict("mutual exclusion").Trace); diff != "" {
			t.Errorf("%d workers: counterexample (-want +got):\n%s", workers, diff)
		}
	}
}

func TestMutexLocked(t *testing.T) {
	props := []Property[[2]uint8, string]{Always[[2]uint8, string]("mutual exclusion", func(s *[2]uint8) bool { return !bothCritical(*s) })}
	props = append(props, noDeadlock[[2]uint8, string](mutex{locked: true}))
	res := mustCheck(t, mutex{locked: true}, props, Options{})
	if diff := cmp.Diff(stats{States: 8, Transitions: 14, Depth: 3, Complete: true}, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"mutual exclusion holds", "deadlock holds"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if got := res.Verdict(deadlockName).Kind; got != KindAlways {
		t.Errorf("deadlock kind = %v, want always", got)
	}
}

func TestDeadlock(t *testing.T) {
	props := []Property[[2]uint8, string]{noDeadlock[[2]uint8, string](twoLocks{})}
	res := mustCheck(t, twoLocks{}, props, Options{Workers: 2})
	// The deadlock is found when level 2 is stored, which decides the only
	// property: level 2 is not expanded.
	if diff := cmp.Diff(stats{States: 6, Transitions: 6, Depth: 2, Decided: true}, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	want := []Verdict[[2]uint8, string]{{
		Property: "deadlock", Kind: KindAlways, Status: Violated,
		Trace: &Trace[[2]uint8, string]{Init: [2]uint8{0, 0}, Steps: []Step[[2]uint8, string]{
			{"p0 takes A", 0, [2]uint8{1, 0}},
			{"p1 takes B", 1, [2]uint8{1, 1}},
		}},
	}}
	if diff := cmp.Diff(want, res.Verdicts); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}

	// Without the property, a dead end is not an error.
	res = mustCheck(t, twoLocks{}, nil, Options{})
	if len(res.Verdicts) != 0 || !res.Complete {
		t.Errorf("without Deadlock: verdicts %v, complete %v", res.Verdicts, res.Complete)
	}
}

func TestAlwaysStep(t *testing.T) {
	props := []Property[int, string]{AlwaysStep[int, string]("no doubling a multiple of 3", func(from *int, a *string, to *int) bool {
		return !(*a == "double" && *from > 0 && *from%3 == 0)
	})}
	res := mustCheck(t, incDouble{20}, props, Options{})
	// 3 is the first positive multiple of 3 (depth 3); its double is found
	// expanding level 3, so the search stops after level 4 = {6, 5, 8}:
	// 8 states, levels 0..3 = {0,1,2,3,4} expanded: 5 incs + 5 doubles.
	if diff := cmp.Diff(stats{States: 8, Transitions: 10, Depth: 4, Decided: true}, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	want := &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
		{"inc", 0, 1}, {"inc", 0, 2}, {"inc", 0, 3}, {"double", 1, 6},
	}}
	if diff := cmp.Diff(want, res.Verdict("no doubling a multiple of 3").Trace); diff != "" {
		t.Errorf("counterexample (-want +got):\n%s", diff)
	}

	// The violating step may lead to a state already seen: 4 -> 0 in a
	// ring of 5, found expanding the last level.
	props = []Property[int, string]{AlwaysStep[int, string]("never decreases", func(from *int, _ *string, to *int) bool { return *to >= *from })}
	res = mustCheck(t, ring{5}, props, Options{Workers: 2})
	if diff := cmp.Diff(stats{States: 5, Transitions: 5, Depth: 4, Complete: true}, statsOf(res)); diff != "" {
		t.Errorf("ring: stats (-want +got):\n%s", diff)
	}
	want = &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
		{"inc", 0, 1}, {"inc", 0, 2}, {"inc", 0, 3}, {"inc", 0, 4}, {"inc", 0, 0},
	}}
	if diff := cmp.Diff(want, res.Verdict("never decreases").Trace); diff != "" {
		t.Errorf("ring: counterexample (-want +got):\n%s", diff)
	}
}

func TestFingerprinter(t *testing.T) {
	// Every state fingerprints to 0: all states look like the initial one,
	// and 0 is a fingerprint like any other.
	res := mustCheck(t, collide{}, nil, Options{})
	if diff := cmp.Diff(stats{States: 1, Transitions: 1, Depth: 0, Complete: true}, statsOf(res)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestStatistics(t *testing.T) {
	w := int8(60)
	if raceEnabled {
		w = 12
	}
	res := mustCheck(t, grid{w}, nil, Options{})
	n := int64(w) * int64(w) * int64(w)
	if res.States != n || !res.Complete {
		t.Fatalf("states = %d (complete %v), want %d", res.States, res.Complete, n)
	}
	// The table: 6-byte remainders and 3 bits a slot, 30% to 60% full
	// while it is small.
	if !raceEnabled && (res.BytesPerState < 6.375/0.6 || res.BytesPerState > 6.375/0.3+0.5) {
		t.Errorf("BytesPerState = %.2f, want 10.6..21.75", res.BytesPerState)
	}
	// The parent links, on disk: 2 bytes a state, but for the links still
	// in the buffer.
	if !raceEnabled && (float64(res.Disk) < 1.5*float64(res.States) || float64(res.Disk) > 2.1*float64(res.States)) {
		t.Errorf("Disk = %d, want about 2 bytes for each of %d states", res.Disk, res.States)
	}
	if res.Memory < int64(res.BytesPerState*float64(res.States)) {
		t.Errorf("Memory = %d, less than table and links (%.0f)", res.Memory, res.BytesPerState*float64(res.States))
	}
	// 1-exp(-x) for small x is x - x²/2: about n²/2^65.
	x := float64(n) * float64(n-1) / 0x1p65
	if want := x - x*x/2; res.CollisionProbability < want*(1-1e-9) || res.CollisionProbability > want*(1+1e-9) {
		t.Errorf("CollisionProbability = %g, want %g", res.CollisionProbability, want)
	}
}

func TestErrors(t *testing.T) {
	always := func(*int) bool { return true }
	for _, tc := range []struct {
		name  string
		m     Model[int, string]
		props []Property[int, string]
		opt   Options
		want  string
	}{
		{"no name", incDouble{3}, []Property[int, string]{Always[int, string]("", always)}, Options{}, "property 0 has no name"},
		{"same name", incDouble{3}, []Property[int, string]{Always[int, string]("p", always), Sometimes[int, string]("p", always)}, Options{}, `two properties are named "p"`},
		{"zero", incDouble{3}, []Property[int, string]{Always[int, string]("p", always), {}}, Options{}, "property 1 has no predicate: make it with Always, AlwaysStep or Sometimes"},
		{"negative", incDouble{3}, nil, Options{MaxStates: -1}, "MaxStates is negative"},
	} {
		res, err := Check(context.Background(), tc.m, tc.props, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || res != nil {
			t.Errorf("%s: got (%v, %v), want error containing %q", tc.name, res, err, tc.want)
		}
	}

	_, err := Check(context.Background(), wide{}, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "state 0 has more than 256 successors") {
		t.Errorf("wide model: err = %v, want one about 256 successors", err)
	}
}

// TestEnumNames checks the names of the kinds, statuses and limits, and
// the form of a value without one.
func TestEnumNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{KindAlwaysStep.String(), "always-step"},
		{Kind(9).String(), "Kind(9)"},
		{Unreachable.String(), "unreachable"},
		{Status(-1).String(), "Status(-1)"},
		{MaxTime.String(), "max-time"},
		{NoLimit.String(), ""},
		{Limit(7).String(), "Limit(7)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
