package checker

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// checkWith runs check with a chunk size, failing the test on error, and
// zeroes the elapsed time so results can be compared.
func checkWith[S comparable, A any](t testing.TB, m Model[S, A], props []Property[S, A], opt Options, chunkSize int) *Result[S, A] {
	t.Helper()
	res, err := check(context.Background(), m, props, opt, chunkSize)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	res.Elapsed = 0
	return res
}

func TestDeterminismGrid(t *testing.T) {
	w := int8(46) // 97336 states
	if raceEnabled {
		w = 10
	}
	far := [3]int8{w - 1, w - 1, w - 1}
	props := []Property[[3]int8, string]{
		Sometimes[[3]int8, string]("far corner", func(s *[3]int8) bool { return *s == far }),
		Always[[3]int8, string]("avoid", func(s *[3]int8) bool { return *s != [3]int8{w / 2, 1, w / 3} }),
		AlwaysStep[[3]int8, string]("no -y above z", func(f *[3]int8, a *string, _ *[3]int8) bool { return !(*a == "-y" && (*f)[2] > (*f)[1]+3) }),
		Always[[3]int8, string]("in bounds", func(s *[3]int8) bool { return max((*s)[0], (*s)[1], (*s)[2]) < w }),
	}
	// The memory estimate depends on the chunk size (candidate buffers),
	// nothing else does.
	var first *Result[[3]int8, string]
	firstMemory := map[int]int64{}
	for _, chunk := range []int{defaultChunkSize, 37} {
		for _, workers := range []int{1, 2, 3, 4, 8} {
			res := checkWith(t, grid{w}, props, Options{Workers: workers}, chunk)
			if m, ok := firstMemory[chunk]; ok && res.Memory != m {
				t.Errorf("%d workers, chunks of %d: Memory = %d, want %d as with 1 worker", workers, chunk, res.Memory, m)
			}
			firstMemory[chunk] = res.Memory
			res.Memory = 0
			if first == nil {
				first = res
				n := int64(w) * int64(w) * int64(w)
				// Each state has a rotation and a move per axis and
				// direction, except the 2w² faces per axis it would leave.
				if want := (stats{States: n, Transitions: 7*n - 6*int64(w)*int64(w), Depth: res.Depth, Complete: true}); statsOf(res) != want {
					t.Fatalf("stats = %+v, want %+v", statsOf(res), want)
				}
				ref := referenceBFS[[3]int8, string](grid{w}, props[0].state)
				if res.Depth != ref.depth {
					t.Errorf("depth = %d, reference BFS found %d", res.Depth, ref.depth)
				}
				if diff := cmp.Diff(ref.witness, res.Verdict("far corner").Trace); diff != "" {
					t.Errorf("witness differs from reference BFS (-ref +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"far corner reached", "avoid violated", "no -y above z violated", "in bounds holds"}, statuses(res)); diff != "" {
					t.Fatalf("statuses (-want +got):\n%s", diff)
				}
				continue
			}
			if diff := cmp.Diff(first, res); diff != "" {
				t.Errorf("%d workers, chunks of %d: result differs from 1 worker, chunks of %d (-first +got):\n%s", workers, chunk, defaultChunkSize, diff)
			}
		}
	}
}

func TestDeterminismRandomGraph(t *testing.T) {
	n := uint64(100_000)
	if raceEnabled {
		n = 3000
	}
	g := graph{n: n, seed: 42}
	props := []Property[uint64, uint64]{
		Sometimes[uint64, uint64]("reach", func(v *uint64) bool { return *v == n/2+1 }),
		Always[uint64, uint64]("avoid", func(v *uint64) bool { return *v%1000 != 999 }),
		AlwaysStep[uint64, uint64]("step", func(f *uint64, _ *uint64, t *uint64) bool { return (*f**t)%97 != 5 }),
		Sometimes[uint64, uint64]("never", func(v *uint64) bool { return *v >= n }),
		noDeadlock[uint64, uint64](g),
	}
	var first *Result[uint64, uint64]
	for _, workers := range []int{1, 2, 3, 4, 8} {
		res := checkWith(t, g, props, Options{Workers: workers}, 100)
		if first == nil {
			first = res
			ref := referenceBFS[uint64, uint64](g, props[0].state)
			if res.States != ref.states || res.Transitions != ref.transitions || res.Depth != ref.depth || !res.Complete {
				t.Fatalf("stats %+v, reference BFS found %+v", statsOf(res), ref)
			}
			if diff := cmp.Diff(ref.witness, res.Verdict("reach").Trace); diff != "" {
				t.Fatalf("witness differs from reference BFS (-ref +got):\n%s", diff)
			}
			if diff := cmp.Diff(ref.deadlock, res.Verdict(deadlockName).Trace); diff != "" {
				t.Fatalf("deadlock trace differs from reference BFS (-ref +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"reach reached", "avoid violated", "step violated", "never unreachable", "deadlock violated"}, statuses(res)); diff != "" {
				t.Fatalf("statuses (-want +got):\n%s", diff)
			}
			continue
		}
		if diff := cmp.Diff(first, res); diff != "" {
			t.Errorf("%d workers: result differs from 1 worker:\n%s", workers, diff)
		}
	}
}

// refResult is what referenceBFS finds.
type refResult[S comparable, A any] struct {
	states, transitions int64
	depth               int
	witness             *Trace[S, A] // first goal state in BFS order, nil if none
	deadlock            *Trace[S, A] // first state without successors in BFS order
}

// referenceBFS is a plain breadth-first search with a map and a queue.
func referenceBFS[S comparable, A any](m Model[S, A], goal func(*S) bool) refResult[S, A] {
	type link struct {
		parent S
		action A
		index  int
		depth  int
		root   bool
	}
	seen := map[S]link{}
	var queue []S
	m.Init(func(s S) {
		if _, ok := seen[s]; !ok {
			seen[s] = link{root: true}
			queue = append(queue, s)
		}
	})
	trace := func(s S) *Trace[S, A] {
		var steps []Step[S, A]
		for !seen[s].root {
			l := seen[s]
			steps = append(steps, Step[S, A]{l.action, l.index, s})
			s = l.parent
		}
		slices.Reverse(steps)
		return &Trace[S, A]{Init: s, Steps: append([]Step[S, A]{}, steps...)}
	}
	var r refResult[S, A]
	for i := 0; i < len(queue); i++ {
		s := queue[i]
		d := seen[s].depth
		r.depth = max(r.depth, d)
		if r.witness == nil && goal(&s) {
			r.witness = trace(s)
		}
		k := 0
		m.Next(s, func(a A, t S) {
			if _, ok := seen[t]; !ok {
				seen[t] = link{parent: s, action: a, index: k, depth: d + 1}
				queue = append(queue, t)
			}
			k++
		})
		r.transitions += int64(k)
		if k == 0 && r.deadlock == nil {
			r.deadlock = trace(s)
		}
	}
	r.states = int64(len(queue))
	return r
}

func TestRandomGraphsAgainstReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 400).Draw(t, "n")
		node := rapid.IntRange(0, n-1)
		g := adjacency{
			init: rapid.SliceOfN(node, 1, 3).Draw(t, "init"),
			succ: make([][]int, n),
		}
		for v := range g.succ {
			g.succ[v] = rapid.SliceOfN(node, 0, 5).Draw(t, fmt.Sprintf("succ[%d]", v))
		}
		goal := node.Draw(t, "goal")
		workers := rapid.IntRange(1, 4).Draw(t, "workers")
		chunk := rapid.IntRange(1, 8).Draw(t, "chunk")

		props := []Property[int, int]{
			Sometimes[int, int]("goal", func(v *int) bool { return *v == goal }),
			Always[int, int]("true", func(_ *int) bool { return true }),
			noDeadlock[int, int](g),
		}
		res, err := check(context.Background(), g, props, Options{Workers: workers}, chunk)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		ref := referenceBFS[int, int](g, props[0].state)
		if res.States != ref.states || res.Transitions != ref.transitions || res.Depth != ref.depth || !res.Complete {
			t.Fatalf("got %+v, reference BFS found %d states, %d transitions, depth %d", statsOf(res), ref.states, ref.transitions, ref.depth)
		}
		if diff := cmp.Diff(ref.witness, res.Verdict("goal").Trace); diff != "" {
			t.Fatalf("goal witness differs from reference BFS (-ref +got):\n%s", diff)
		}
		if diff := cmp.Diff(ref.deadlock, res.Verdict(deadlockName).Trace); diff != "" {
			t.Fatalf("deadlock trace differs from reference BFS (-ref +got):\n%s", diff)
		}
		if want := map[bool]Status{true: Reached, false: Unreachable}[ref.witness != nil]; res.Verdict("goal").Status != want {
			t.Fatalf("goal status %v, want %v", res.Verdict("goal").Status, want)
		}
	})
}
