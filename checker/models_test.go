package checker

import "sync/atomic"

// incDouble counts from 0 up to max by "inc" (n+1) and "double" (2n), each
// enabled while its result is at most max; inc comes first.
//
// The depth of n > 0 is bitlen(n)+popcount(n)-1 (build n's binary digits
// from the top: a double per digit after the first, an inc per 1 digit). With
// max = 20 the levels, in discovery order, are:
//
//	0: 0
//	1: 1
//	2: 2          (inc from 1; double from 1 finds 2 again)
//	3: 3 4
//	4: 6 5 8
//	5: 7 12 10 9 16
//	6: 14 13 11 20 18 17
//	7: 15 19
//
// 21 states; transitions: 20 incs (from 0..19) and 11 doubles (from 0..10).
type incDouble struct{ max int }

func (incDouble) Init(yield func(int)) { yield(0) }

func (m incDouble) Next(n int, yield func(string, int)) {
	if n+1 <= m.max {
		yield("inc", n+1)
	}
	if 2*n <= m.max {
		yield("double", 2*n)
	}
}

// ring counts 0, 1, ..., n-1, 0, ... by "inc".
type ring struct{ n int }

func (ring) Init(yield func(int)) { yield(0) }

func (m ring) Next(s int, yield func(string, int)) { yield("inc", (s+1)%m.n) }

// line counts up without end (until int64 wraps), one state per level.
type line struct{}

func (line) Init(yield func(int64)) { yield(0) }

func (line) Next(n int64, yield func(string, int64)) { yield("inc", n+1) }

// Process states of the mutex models.
const (
	idle uint8 = iota
	trying
	critical
)

// mutex is two processes that each go idle -> trying -> critical -> idle;
// process 0's move is yielded before process 1's. With locked set, a
// process enters only while the other is not critical (a test-and-set lock);
// without it, nothing stops both from entering.
//
// Reachable with the lock: every pair but (critical, critical): 8 states.
// Each state has two moves except (trying, critical) and (critical, trying),
// where the trying process waits: 14 transitions. Depth 3: (trying,
// critical) and (critical, trying).
type mutex struct{ locked bool }

func (mutex) Init(yield func([2]uint8)) { yield([2]uint8{idle, idle}) }

var moveNames = [2][3]string{
	{"p0 try", "p0 enter", "p0 exit"},
	{"p1 try", "p1 enter", "p1 exit"},
}

func (m mutex) Next(s [2]uint8, yield func(string, [2]uint8)) {
	for p := range 2 {
		t := s
		switch s[p] {
		case idle:
			t[p] = trying
		case trying:
			if m.locked && s[1-p] == critical {
				continue
			}
			t[p] = critical
		case critical:
			t[p] = idle
		}
		yield(moveNames[p][s[p]], t)
	}
}

// bothCritical is the violation of mutual exclusion.
func bothCritical(s [2]uint8) bool { return s[0] == critical && s[1] == critical }

// twoLocks is two processes taking two locks in opposite orders: process 0
// takes A then B, process 1 takes B then A, and each releases both at once.
// A process state is how many locks it holds (0, 1, 2).
//
// BFS numbering: #0 (0,0); #1 (1,0) #2 (0,1); #3 (2,0) #4 (1,1) #5 (0,2).
// In (1,1) each waits for the lock the other holds: a deadlock at depth 2,
// reached by "p0 takes A" (index 0) then "p1 takes B" (index 1).
// Transitions: 2+2+2+1+0+1 = 8.
type twoLocks struct{}

func (twoLocks) Init(yield func([2]uint8)) { yield([2]uint8{}) }

func (twoLocks) Next(s [2]uint8, yield func(string, [2]uint8)) {
	heldA := s[0] >= 1 || s[1] == 2
	heldB := s[0] == 2 || s[1] >= 1
	// free[p][i]: the i-th lock process p takes is free.
	free := [2][2]bool{{!heldA, !heldB}, {!heldB, !heldA}}
	names := [2][3]string{{"p0 takes A", "p0 takes B", "p0 releases"}, {"p1 takes B", "p1 takes A", "p1 releases"}}
	for p := range 2 {
		t := s
		switch s[p] {
		case 0, 1:
			if !free[p][s[p]] {
				continue
			}
			t[p]++
		case 2:
			t[p] = 0
		}
		yield(names[p][s[p]], t)
	}
}

// grid is a w x w x w lattice: from (x, y, z) a step +1 or -1 along each
// axis while inside, then a jump to (y, z, x). Many shortest paths lead to
// most states.
type grid struct{ w int8 }

func (grid) Init(yield func([3]int8)) { yield([3]int8{}) }

var gridMoves = [...]string{"+x", "-x", "+y", "-y", "+z", "-z"}

func (g grid) Next(s [3]int8, yield func(string, [3]int8)) {
	for i, name := range gridMoves {
		t := s
		if i%2 == 0 {
			t[i/2]++
		} else {
			t[i/2]--
		}
		if t[i/2] >= 0 && t[i/2] < g.w {
			yield(name, t)
		}
	}
	yield("rotate", [3]int8{s[1], s[2], s[0]})
}

// graph is a random graph of n nodes, seeded: node v has 1 to 4 successors
// (0 to 3 for every seventh node, so some are dead ends), chosen by a hash of
// (seed, v, k). Nodes 0 and 1 are initial.
type graph struct {
	n    uint64
	seed uint64
}

func (graph) Init(yield func(uint64)) {
	yield(0)
	yield(1)
}

func (g graph) Next(v uint64, yield func(uint64, uint64)) {
	deg := 1 + mix64(g.seed^v)%4
	if v%7 == 3 {
		deg--
	}
	for k := range deg {
		w := mix64(g.seed+v*8+k+1) % g.n
		yield(w, w)
	}
}

// adjacency is a graph given by successor lists, with a list of initial
// states (which may repeat).
type adjacency struct {
	init []int
	succ [][]int
}

func (g adjacency) Init(yield func(int)) {
	for _, v := range g.init {
		yield(v)
	}
}

func (g adjacency) Next(v int, yield func(int, int)) {
	for _, w := range g.succ[v] {
		yield(w, w)
	}
}

// fickle is line with a twist: after its first limit calls to Next, it moves
// by 100 instead of 1. It is deterministic for any two calls in a row, so
// only a check against the search notices.
type fickle struct {
	limit int64
	calls *atomic.Int64
}

func (fickle) Init(yield func(int64)) { yield(0) }

func (m fickle) Next(n int64, yield func(string, int64)) {
	if n >= 5 {
		return
	}
	if m.calls.Add(1) > m.limit {
		yield("inc", n+100)
		return
	}
	yield("inc", n+1)
}

// flipper yields a different successor on every call: plainly
// nondeterministic.
type flipper struct{ calls *atomic.Int64 }

func (flipper) Init(yield func(int)) { yield(0) }

func (m flipper) Next(n int, yield func(string, int)) {
	yield("step", n+1+int(m.calls.Add(1)%2))
}

// wide has 300 successors from its initial state.
type wide struct{}

func (wide) Init(yield func(int)) { yield(0) }

func (wide) Next(n int, yield func(int, int)) {
	if n == 0 {
		for i := 1; i <= 300; i++ {
			yield(i, i)
		}
	}
}

// collide fingerprints every state as 0, which mixes to 0, so all states
// look the same.
type collide struct{ line }

func (collide) Fingerprint(int64) uint64 { return 0 }

// deadlockName is the name of the property noDeadlock returns.
const deadlockName = "deadlock"

// noDeadlock is the Always property of m that every state has a successor;
// its counterexample ends in a shortest-reached state without one.
func noDeadlock[S comparable, A any](m Model[S, A]) Property[S, A] {
	return Always[S, A](deadlockName, func(s *S) bool {
		moves := false
		m.Next(*s, func(A, S) { moves = true })
		return moves
	})
}
