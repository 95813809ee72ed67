package checker

import (
	"context"
	"testing"

	"pgregory.net/rapid"
)

// liveGraph is a random graph model for liveness: states 0..n-1 from 0,
// each transition an action "tick", "send" or "go" (its index in the
// state's list decides which), and P and Q as sets of states.
type liveGraph struct {
	next   [][]int
	action [][]string
	p, q   []bool
}

func (liveGraph) Init(yield func(int)) { yield(0) }

func (g liveGraph) Next(s int, yield func(string, int)) {
	for i, t := range g.next[s] {
		yield(g.action[s][i], t)
	}
}

// fairLassoExists decides, independently of CheckLiveness, whether the
// property (P leads to Q, Must = "send", fair = "tick") has a
// counterexample: a state c, reachable from a reachable P-state through
// states outside Q, that lies on a closed walk outside Q which is fair and
// takes a "send". A closed walk through c may be glued from closed walks
// through c, one for each condition, so each is a reachability question on
// the transitive closure.
func fairLassoExists(g liveGraph, strong bool) bool {
	n := len(g.next)
	reach := func(allowed func(int) bool) [][]bool { // reach[a][b]: a path of one or more steps inside allowed
		r := make([][]bool, n)
		for a := range n {
			r[a] = make([]bool, n)
			if !allowed(a) {
				continue
			}
			for _, b := range g.next[a] {
				if allowed(b) {
					r[a][b] = true
				}
			}
		}
		for k := range n {
			for a := range n {
				for b := range n {
					r[a][b] = r[a][b] || (r[a][k] && r[k][b])
				}
			}
		}
		return r
	}
	all := reach(func(int) bool { return true })
	outQ := func(s int) bool { return !g.q[s] }
	in := reach(outQ)
	enabled := func(s int) bool {
		for _, a := range g.action[s] {
			if a == "tick" {
				return true
			}
		}
		return false
	}
	disabled := func(s int) bool { return outQ(s) && !enabled(s) }
	inDisabled := reach(disabled)
	reachable := func(s int) bool { return s == 0 || all[0][s] }
	// through reports whether a closed walk through c inside r takes a
	// transition u->v with action a ("" for any).
	through := func(r [][]bool, c int, a string, ok func(int) bool) bool {
		for u := range n {
			for i, v := range g.next[u] {
				if (a == "" || g.action[u][i] == a) && ok(u) && ok(v) && (u == c || r[c][u]) && (v == c || r[v][c]) {
					return true
				}
			}
		}
		return false
	}
	for c := range n {
		if !outQ(c) || !reachable(c) {
			continue
		}
		fromP := false
		for s := range n {
			if g.p[s] && outQ(s) && reachable(s) && (s == c || in[s][c]) {
				fromP = true
			}
		}
		if !fromP || !through(in, c, "send", outQ) {
			continue
		}
		if through(in, c, "tick", outQ) {
			return true
		}
		// Without a tick: every state of the walk must have tick disabled
		// under strong fairness; under weak, one such state suffices.
		if strong {
			if disabled(c) && through(inDisabled, c, "send", disabled) {
				return true
			}
			continue
		}
		for x := range n {
			if disabled(x) && (x == c || (in[c][x] && in[x][c])) {
				return true
			}
		}
	}
	return false
}

// TestLivenessAgainstReference: on random graphs, CheckLiveness finds a
// counterexample exactly when the reference says one exists, under weak
// and strong fairness, and every lasso it returns is one: P holds on it,
// Q never from there on, its cycle closes, is fair and takes a "send".
func TestLivenessAgainstReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 9).Draw(t, "n")
		g := liveGraph{next: make([][]int, n), action: make([][]string, n), p: make([]bool, n), q: make([]bool, n)}
		for s := range n {
			k := rapid.IntRange(0, 3).Draw(t, "degree")
			for range k {
				g.next[s] = append(g.next[s], rapid.IntRange(0, n-1).Draw(t, "to"))
				g.action[s] = append(g.action[s], rapid.SampledFrom([]string{"tick", "send", "go"}).Draw(t, "action"))
			}
			g.p[s] = rapid.Bool().Draw(t, "p")
			g.q[s] = rapid.IntRange(0, 3).Draw(t, "q") == 0
		}
		prop := Liveness[int, string]{
			Name: "p", P: func(s int) bool { return g.p[s] }, Q: func(s int) bool { return g.q[s] },
			Must: func(a string) bool { return a == "send" },
		}
		for _, strong := range []bool{false, true} {
			r, err := CheckLiveness(context.Background(), Model[int, string](g), []Liveness[int, string]{prop}, func(a string) bool { return a == "tick" }, Options{StrongFairness: strong})
			if err != nil {
				t.Fatal(err)
			}
			v := r.Verdicts[0]
			want := fairLassoExists(g, strong)
			if (v.Status == Violated) != want {
				t.Fatalf("strong %v: %v, reference says a counterexample exists: %v", strong, v.Status, want)
			}
			if v.Status != Violated {
				continue
			}
			tr := v.Trace
			states := []int{tr.Init}
			for _, st := range tr.Steps {
				states = append(states, st.State)
			}
			if states[len(states)-1] != states[tr.LoopAt] || tr.LoopAt >= len(tr.Steps) {
				t.Fatalf("the cycle does not close: %v from %d", states, tr.LoopAt)
			}
			// From some state where P holds, at or before the loop, Q never
			// holds again.
			j := len(states) - 1
			for j > 0 && !g.q[states[j-1]] {
				j--
			}
			pAt := -1
			for i := j; i <= tr.LoopAt; i++ {
				if g.p[states[i]] && pAt < 0 {
					pAt = i
				}
			}
			if pAt < 0 || j > tr.LoopAt {
				t.Fatalf("no state where P holds and Q never follows: %v, loop at %d", states, tr.LoopAt)
			}
			fair, send := false, false
			for i := tr.LoopAt; i < len(tr.Steps); i++ {
				a := tr.Steps[i].Action
				fair = fair || a == "tick"
				send = send || a == "send"
				s := states[i]
				enabledHere := false
				for _, b := range g.action[s] {
					enabledHere = enabledHere || b == "tick"
				}
				if !strong && !enabledHere {
					fair = true
				}
			}
			if strong && !fair {
				fair = true
				for i := tr.LoopAt; i < len(tr.Steps); i++ {
					for _, b := range g.action[states[i]] {
						if b == "tick" {
							fair = false
						}
					}
				}
			}
			if !fair || !send {
				t.Fatalf("strong %v: the cycle is not fair (%v) or takes no send (%v): %v from %d", strong, fair, send, states, tr.LoopAt)
			}
		}
	})
}
