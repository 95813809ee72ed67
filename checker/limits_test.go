package checker

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMaxStates(t *testing.T) {
	props := []Property[int, string]{
		Always[int, string]("not 5", func(n *int) bool { return *n != 5 }),
		Sometimes[int, string]("twelve", func(n *int) bool { return *n == 12 }),
		Sometimes[int, string]("sixteen", func(n *int) bool { return *n == 16 }),
	}
	for _, workers := range []int{1, 2} {
		res, err := check(context.Background(), incDouble{20}, props, Options{MaxStates: 10, Workers: workers}, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Levels 0..4 hold 8 states; level 5 is 7 12 10 9 16, of which the
		// first two are kept. Levels 0..4 = {0,1,2,3,4,6,5,8} were expanded:
		// 8 incs and 8 doubles.
		if diff := cmp.Diff(stats{States: 10, Transitions: 16, Depth: 5, Limit: MaxStates}, statsOf(res)); diff != "" {
			t.Errorf("stats (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"not 5 violated", "twelve reached", "sixteen unknown"}, statuses(res)); diff != "" {
			t.Errorf("statuses (-want +got):\n%s", diff)
		}
		want := &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
			{"inc", 0, 1}, {"inc", 0, 2}, {"double", 1, 4}, {"inc", 0, 5},
		}}
		if diff := cmp.Diff(want, res.Verdict("not 5").Trace); diff != "" {
			t.Errorf("counterexample (-want +got):\n%s", diff)
		}
		want = &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
			{"inc", 0, 1}, {"inc", 0, 2}, {"inc", 0, 3}, {"double", 1, 6}, {"double", 1, 12},
		}}
		if diff := cmp.Diff(want, res.Verdict("twelve").Trace); diff != "" {
			t.Errorf("witness (-want +got):\n%s", diff)
		}
	}

	// A limit the search does not need is no limit.
	res := mustCheck(t, incDouble{20}, nil, Options{MaxStates: 21})
	if diff := cmp.Diff(stats{States: 21, Transitions: 31, Depth: 7, Complete: true}, statsOf(res)); diff != "" {
		t.Errorf("MaxStates 21: stats (-want +got):\n%s", diff)
	}
	// Two initial states, room for one.
	two := mustCheck(t, graph{n: 10, seed: 1}, nil, Options{MaxStates: 1})
	if diff := cmp.Diff(stats{States: 1, Limit: MaxStates}, statsOf(two)); diff != "" {
		t.Errorf("MaxStates 1: stats (-want +got):\n%s", diff)
	}
}

// lineProps are an Always property of line violated at 3 and a Sometimes
// goal it never reaches.
var lineProps = []Property[int64, string]{
	Always[int64, string]("not 3", func(n *int64) bool { return *n != 3 }),
	Sometimes[int64, string]("negative", func(n *int64) bool { return *n < 0 }),
}

// checkStopped checks a search of line stopped by limit.
func checkStopped(t *testing.T, res *Result[int64, string], limit Limit) {
	t.Helper()
	if res.Complete || res.Decided || res.Limit != limit {
		t.Errorf("complete %v, decided %v, limit %q; want an incomplete search stopped by %q", res.Complete, res.Decided, res.Limit, limit)
	}
	if diff := cmp.Diff([]string{"not 3 violated", "negative unknown"}, statuses(res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if tr := res.Verdict("not 3").Trace; tr == nil || len(tr.Steps) != 3 || tr.Steps[2].State != 3 {
		t.Errorf("counterexample = %+v, want 0 1 2 3", tr)
	}
	// One state per level: n states, depth n-1, n-1 transitions (n if the
	// last level was expanded but not stored).
	if res.Depth != int(res.States-1) || res.Transitions < res.States-1 || res.Transitions > res.States {
		t.Errorf("states %d, depth %d, transitions %d: not a line", res.States, res.Depth, res.Transitions)
	}
}

func TestMaxTime(t *testing.T) {
	start := time.Now()
	res := mustCheck(t, line{}, lineProps, Options{MaxTime: 20 * time.Millisecond})
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v to stop after 20ms", el)
	}
	checkStopped(t, res, MaxTime)
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	res, err := Check(ctx, line{}, lineProps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkStopped(t, res, Interrupted)

	// Cancelled before it starts: the initial states are stored and checked,
	// nothing is expanded.
	early, err := Check(ctx, incDouble{20}, []Property[int, string]{Always[int, string]("p", func(_ *int) bool { return true })}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stats{States: 1, Limit: Interrupted}, statsOf(early)); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if got := early.Verdicts[0].Status; got != Unknown {
		t.Errorf("status %v, want unknown", got)
	}
}

func TestMaxMemory(t *testing.T) {
	const limit = 1 << 20
	res := mustCheck(t, line{}, lineProps, Options{MaxMemory: limit})
	checkStopped(t, res, MaxMemory)
	if res.Memory > limit*11/10 || res.Memory < limit/2 {
		t.Errorf("Memory = %d, want about %d", res.Memory, limit)
	}

	// A wide model: the limit is passed by the candidate buffers of a batch.
	w := int8(60)
	if raceEnabled {
		w = 30
	}
	g, err := Check(context.Background(), grid{w}, nil, Options{MaxMemory: 200_000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if g.Complete || g.Limit != MaxMemory {
		t.Errorf("grid: complete %v, limit %q; want max-memory", g.Complete, g.Limit)
	}
}

// TestMaxMemoryDeterministic stops a search by its memory limit in the
// middle, and checks that where it stops and what it found there do not
// depend on the number of workers or on timing: the limit is checked
// between phases, once every chunk of the batch is expanded.
func TestMaxMemoryDeterministic(t *testing.T) {
	w := int8(20)
	props := []Property[[3]int8, string]{
		AlwaysStep[[3]int8, string]("no -y above z", func(f *[3]int8, a *string, _ *[3]int8) bool { return !(*a == "-y" && (*f)[2] > (*f)[1]+3) }),
		Always[[3]int8, string]("in bounds", func(s *[3]int8) bool { return max((*s)[0], (*s)[1], (*s)[2]) < w }),
	}
	full := checkWith(t, grid{w}, props, Options{}, 7)
	for k := int64(1); k < 16; k++ {
		limit := full.Memory * k / 16
		var first *Result[[3]int8, string]
		for round := range 3 {
			for _, workers := range []int{1, 2, 4} {
				res := checkWith(t, grid{w}, props, Options{Workers: workers, MaxMemory: limit}, 7)
				if res.Limit != MaxMemory || res.States >= full.States {
					t.Fatalf("limit %d, %d workers: %d of %d states, limit %q; want a max-memory stop", limit, workers, res.States, full.States, res.Limit)
				}
				if first == nil {
					first = res
					continue
				}
				if diff := cmp.Diff(first, res); diff != "" {
					t.Fatalf("limit %d, round %d, %d workers: result differs from the first run's (-first +got):\n%s", limit, round, workers, diff)
				}
			}
		}
	}
}

func TestProgress(t *testing.T) {
	var (
		mu    sync.Mutex
		calls []Progress
	)
	opt := Options{
		MaxTime:       50 * time.Millisecond,
		ProgressEvery: time.Millisecond,
		Progress: func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, p)
		},
	}
	res := mustCheck(t, line{}, nil, opt)
	mu.Lock()
	n := len(calls)
	mu.Unlock()
	time.Sleep(5 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != n {
		t.Errorf("Progress called %d times after Check returned", len(calls)-n)
	}
	if n == 0 {
		t.Fatal("Progress never called")
	}
	for i, p := range calls {
		if p.States < 1 || p.States > res.States || p.Memory <= 0 || p.Frontier != 1 {
			t.Errorf("call %d: %+v (result has %d states)", i, p, res.States)
		}
		if i > 0 && (p.States < calls[i-1].States || p.Elapsed < calls[i-1].Elapsed) {
			t.Errorf("call %d: %+v goes back from %+v", i, p, calls[i-1])
		}
	}
}
