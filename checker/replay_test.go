package checker

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplay(t *testing.T) {
	got, err := Replay(incDouble{20}, 0, []int{0, 0, 1, 0, 1, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := &Trace[int, string]{Init: 0, Steps: []Step[int, string]{
		{"inc", 0, 1}, {"inc", 0, 2}, {"double", 1, 4}, {"inc", 0, 5}, {"double", 1, 10}, {"double", 1, 20},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}

	// The second initial state of graph is 1.
	tr, err := Replay(graph{n: 10, seed: 1}, 1, nil)
	if err != nil || tr.Init != 1 || len(tr.Steps) != 0 {
		t.Errorf("Replay(graph, 1, nil) = %+v, %v; want the initial state 1", tr, err)
	}
}

func TestReplayErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		m       Model[int, string]
		init    int
		indices []int
		want    string
	}{
		{"index out of range", incDouble{20}, 0, []int{0, 2}, "Next at step 2: index 2 is out of range: it yielded 2 states"},
		{"init out of range", incDouble{20}, 1, nil, "Init: index 1 is out of range: it yielded 1 states"},
		{"nondeterministic", flipper{new(atomic.Int64)}, 0, []int{0}, "model is nondeterministic: Next at step 1 yielded at index 0 a state with fingerprint"},
	} {
		_, err := Replay(tc.m, tc.init, tc.indices)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCheckDetectsNondeterminism(t *testing.T) {
	// The search calls Next on 0..4 (5 calls) and finds 5; afterwards the
	// model moves by 100, so the replayed trace leaves the stored states.
	props := []Property[int64, string]{Always[int64, string]("not 5", func(n *int64) bool { return *n != 5 })}
	res, err := Check(context.Background(), fickle{limit: 5, calls: new(atomic.Int64)}, props, Options{})
	const want = `checker: model is nondeterministic: replaying the trace of "not 5", step 1 reached a state`
	if err == nil || !strings.Contains(err.Error(), want) || res != nil {
		t.Errorf("got (%v, %v), want an error containing %q", res, err, want)
	}
}
