package checker

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unsafe"
)

// A Liveness property says that something good eventually happens: "P
// leads to Q", whenever P holds, Q holds then or later, on every fair run
// (see CheckLiveness for fairness). Its counterexample is a lasso: a path
// to a state where P holds, then a cycle, reached and run without Q ever
// holding, that repeats forever.
type Liveness[S comparable, A any] struct {
	// Name identifies the property in the Result; names must be unique.
	Name string
	// P and Q are the two state predicates; both must be set.
	P, Q func(S) bool
	// Progress, if set, marks the transitions that count as Q happening
	// although no state satisfies Q (a property about what a run does, such
	// as "no run exchanges segments forever without progress"): a
	// counterexample never takes one after P.
	Progress func(from S, a A, to S) bool
	// Must, if set, must hold of some action of the cycle: only cycles that
	// take such an action are counterexamples.
	Must func(a A) bool
}

// maxLiveness is the number of Liveness properties one CheckLiveness
// checks: each has two bits of every state's label and two of every
// transition's, below the bit that fairness takes (bit 31).
const maxLiveness = 15

// maxLiveStates is the number of states CheckLiveness stores at most:
// Tarjan's algorithm numbers them with int32.
const maxLiveStates = 1<<31 - 1

// CheckLiveness explores every state of m reachable from its initial
// states and checks each Liveness property on the graph of states and
// transitions, under weak fairness of the actions for which fair returns
// true, taken as one group: a cycle along which one of them is enabled in
// every state but none is ever taken is not a run, so it is no
// counterexample (with one fair action, such as a clock's tick, that is
// weak fairness of that action). A state without
// successors ends its runs there; such a finite run is no counterexample
// either (the model chooses what a state without successors means).
//
// The algorithm is the one of TLC's liveness checking: the search stores
// the whole graph compactly (successor numbers and action indices, a few
// bits per state and per transition, states themselves only while they are
// in the breadth-first queue); then, for each property, Tarjan's algorithm
// finds the strongly connected components of the part of the graph where Q
// does not hold. A component with a cycle that takes a fair action or
// passes a state where none is enabled, and takes a Must action if one is
// asked for, is a run that never reaches Q; if a state where P holds can
// reach it without Q, that is a counterexample. It is deterministic: one
// goroutine numbers the states in breadth-first order, and every choice
// takes the smallest number. The lasso's path to the P state is a shortest
// one, its cycle is a shortest fair cycle through the first state of the
// component that it enters, and the Verdict's Trace has Lasso set.
//
// Options.MaxStates, MaxMemory, MaxTime and the context stop the search
// while it builds the graph (at most MaxStates states are stored); MaxTime
// and the context also while it searches a property's cycles. The
// verdicts not yet decided are then Unknown. MaxMemory bounds an estimate of the
// search's own structures: the stored graph, the fingerprint index (about
// 48 bytes a state) and the queue. Workers and Progress are not
// used.
func CheckLiveness[S comparable, A any](ctx context.Context, m Model[S, A], props []Liveness[S, A], fair func(A) bool, opt Options) (*Result[S, A], error) {
	if err := validateLiveness(props); err != nil {
		return nil, err
	}
	start := time.Now()
	stop := &stopper{ctx: ctx}
	if opt.MaxTime > 0 {
		stop.deadline = start.Add(opt.MaxTime)
	}
	g, l, err := explore(m, props, fair, opt, stop)
	if err != nil {
		return nil, err
	}
	res := &Result[S, A]{
		States:      int64(len(g.label)),
		Transitions: int64(len(g.succ)),
		Depth:       g.depth,
		Memory:      g.bytes(),
	}
	res.BytesPerState = float64(res.Memory) / float64(max(res.States, 1))
	for k, p := range props {
		v := Verdict[S, A]{Property: p.Name, Kind: KindLeadsTo, Status: Unknown}
		if l == NoLimit && !stop.check() {
			lasso := g.counterexample(k)
			if stop.l == NoLimit {
				v.Status = Holds
				if lasso != nil {
					t, err := lassoTrace(m, lasso)
					if err != nil {
						return nil, err
					}
					v.Status, v.Trace = Violated, t
				}
			}
		}
		if l == NoLimit {
			// A stop in the search of k's cycles leaves k and the
			// properties after it unknown.
			l = stop.l
		}
		res.Verdicts = append(res.Verdicts, v)
	}
	res.Complete, res.Limit = l == NoLimit, l
	res.Elapsed = time.Since(start)
	return res, nil
}

func validateLiveness[S comparable, A any](props []Liveness[S, A]) error {
	if len(props) > maxLiveness {
		return fmt.Errorf("checker: %d liveness properties, at most %d at once", len(props), maxLiveness)
	}
	names := map[string]bool{}
	for i, p := range props {
		switch {
		case p.Name == "":
			return fmt.Errorf("checker: liveness property %d has no name", i)
		case names[p.Name]:
			return fmt.Errorf("checker: two properties are named %q", p.Name)
		case p.P == nil || p.Q == nil:
			return fmt.Errorf("checker: liveness property %q needs both P and Q", p.Name)
		}
		names[p.Name] = true
	}
	return nil
}

// A stateGraph is the reachable state graph as CheckLiveness stores it. States
// are numbered in breadth-first order; state i's transitions are
// succ[off[i]:off[i+1]], in the order Next yields them, so that the j-th is
// action index j.
type stateGraph struct {
	off    []uint32       // len = states+1
	succ   []uint32       // the successor of each transition
	edge   []uint32       // per transition: edgeFair, and per property k bits progress(k), must(k)
	label  []uint32       // per state: labelFairEnabled, and per property k bits p(k), q(k)
	parent []uint32       // breadth-first tree: the state each was first reached from; noParent for initial states
	via    []uint8        // the action index from parent (unused for an initial state)
	root   map[uint32]int // per initial state: its Init yield index
	must   []bool         // per property: whether it has a Must predicate
	strong bool           // strong fairness, not weak (Options.StrongFairness)
	depth  int
	stop   *stopper
}

const (
	noParent         = ^uint32(0)
	edgeFair         = 1 << 31
	labelFairEnabled = 1 << 31
)

// A stopper is the context and the time limit of a liveness search, which
// both of its phases poll: the graph's exploration and the search of each
// property's cycles.
type stopper struct {
	ctx      context.Context
	deadline time.Time // zero: no time limit
	polls    int
	l        Limit // the limit that stopped the search, or NoLimit
}

// stopped reports whether the search must stop, calling check once every
// 2^16 calls; once it reports true, it always does.
func (p *stopper) stopped() bool {
	p.polls++
	if p.polls&(1<<16-1) != 0 {
		return p.l != NoLimit
	}
	return p.check()
}

// check reports whether the search must stop: the context is done or the
// time is up.
func (p *stopper) check() bool {
	if p.l == NoLimit {
		switch {
		case p.ctx.Err() != nil:
			p.l = Interrupted
		case !p.deadline.IsZero() && time.Now().After(p.deadline):
			p.l = MaxTime
		}
	}
	return p.l != NoLimit
}

func pBit(k int) uint32        { return 1 << (2 * k) }
func qBit(k int) uint32        { return 1 << (2*k + 1) }
func progressBit(k int) uint32 { return 1 << (2 * k) }
func mustBit(k int) uint32     { return 1 << (2*k + 1) }

func (g *stateGraph) bytes() int64 {
	return int64(4*(len(g.off)+len(g.succ)+len(g.edge)+len(g.label)+len(g.parent)) + len(g.via))
}

// explore builds the graph breadth first, storing at most
// Options.MaxStates states. It returns the limit that stopped it, or
// NoLimit.
func explore[S comparable, A any](m Model[S, A], props []Liveness[S, A], fair func(A) bool, opt Options, stop *stopper) (*stateGraph, Limit, error) {
	fingerprint := fingerprinter(m)
	g := &stateGraph{off: []uint32{0}, strong: opt.StrongFairness, root: map[uint32]int{}, stop: stop}
	for _, p := range props {
		g.must = append(g.must, p.Must != nil)
	}
	index := map[uint64]uint32{}
	var queue []S
	sizeS := int64(unsafe.Sizeof(*new(S)))
	var depthEnd []int // depthEnd[d]: number of states of depth <= d
	labelOf := func(s S) uint32 {
		var l uint32
		for k, p := range props {
			if p.P(s) {
				l |= pBit(k)
			}
			if p.Q(s) {
				l |= qBit(k)
			}
		}
		return l
	}
	full := false // MaxStates states are stored and another is found
	add := func(s S, parent uint32, via int) (uint32, error) {
		fp := fingerprint(s)
		if n, ok := index[fp]; ok {
			return n, nil
		}
		if opt.MaxStates > 0 && int64(len(g.label)) >= opt.MaxStates {
			full = true
			return 0, nil
		}
		if len(g.label) == maxLiveStates {
			return 0, fmt.Errorf("checker: more than %d states for a liveness search", maxLiveStates)
		}
		n := uint32(len(g.label))
		index[fp] = n
		queue = append(queue, s)
		g.label = append(g.label, labelOf(s))
		g.parent = append(g.parent, parent)
		g.via = append(g.via, uint8(via))
		if parent == noParent {
			g.root[n] = via
		}
		return n, nil
	}
	var err error
	i := 0
	m.Init(func(s S) {
		if err == nil {
			_, err = add(s, noParent, i)
		}
		i++
	})
	if err != nil {
		return nil, NoLimit, err
	}
	depthEnd = append(depthEnd, len(g.label))
	for n := 0; n < len(g.label); n++ {
		switch {
		case full:
			return g, MaxStates, nil
		case n == 0 && stop.check(), stop.stopped():
			return g, stop.l, nil
		case n%4096 == 0 && opt.MaxMemory > 0 && g.bytes()+int64(len(index))*48+int64(len(queue))*sizeS > opt.MaxMemory:
			return g, MaxMemory, nil
		}
		if n == depthEnd[len(depthEnd)-1] {
			depthEnd = append(depthEnd, len(g.label))
		}
		from := queue[0]
		queue = queue[1:]
		j := 0
		m.Next(from, func(a A, to S) {
			if err != nil {
				return
			}
			if j >= maxActions {
				err = fmt.Errorf("checker: a state has more than %d successors", maxActions)
				return
			}
			var t uint32
			t, err = add(to, uint32(n), j)
			var e uint32
			if fair != nil && fair(a) {
				e |= edgeFair
				g.label[n] |= labelFairEnabled
			}
			for k, p := range props {
				if p.Progress != nil && p.Progress(from, a, to) {
					e |= progressBit(k)
				}
				if p.Must != nil && p.Must(a) {
					e |= mustBit(k)
				}
			}
			g.succ = append(g.succ, t)
			g.edge = append(g.edge, e)
			j++
		})
		if err != nil {
			return nil, NoLimit, err
		}
		if len(g.succ) >= int(noParent) {
			return nil, NoLimit, fmt.Errorf("checker: more than %d transitions", noParent)
		}
		g.off = append(g.off, uint32(len(g.succ)))
	}
	if full {
		return g, MaxStates, nil
	}
	g.depth = len(depthEnd) - 1
	if depthEnd[len(depthEnd)-1] < len(g.label) {
		g.depth++
	}
	return g, NoLimit, nil
}

// A lasso is a counterexample as transitions: the path from an initial
// state (root, its Init yield index) and the index in path at which the
// cycle starts.
type lasso struct {
	root int
	path []int // action indices
	loop int   // the cycle is path[loop:]
}

// inside reports whether transition t from state u stays in property k's
// part of the graph: Q does not hold at its end and it is not a progress
// transition.
func (g *stateGraph) inside(k int, t uint32) bool {
	return g.label[g.succ[t]]&qBit(k) == 0 && g.edge[t]&progressBit(k) == 0
}

// counterexample returns a lasso for property k, or nil if it holds or
// the search was stopped (g.stop.l says which).
func (g *stateGraph) counterexample(k int) *lasso {
	cyc := g.cycles(k)
	if cyc == nil || g.stop.l != NoLimit {
		return nil
	}
	// The states, outside Q, from which an accepting component can be
	// reached without Q: backward search over the transitions inside.
	n := len(g.label)
	reach := make([]bool, n)
	rev := g.reverse(k)
	var stack []uint32
	for v := range n {
		if cyc.accepts(uint32(v)) {
			reach[v] = true
			stack = append(stack, uint32(v))
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range rev.into(v) {
			if !reach[u] {
				reach[u] = true
				stack = append(stack, u)
			}
		}
	}
	// The first state in breadth-first order where P holds and Q does not,
	// and from which such a run exists: its tree path is a shortest one.
	start := -1
	for v := range n {
		if reach[v] && g.label[v]&pBit(k) != 0 && g.label[v]&qBit(k) == 0 {
			start = v
			break
		}
	}
	if start < 0 {
		return nil
	}
	l := &lasso{}
	l.root, l.path = g.treePath(uint32(start))
	// A shortest path inside to the first accepting state it meets.
	into, entry := g.pathTo(k, uint32(start), cyc.accepts)
	l.path = append(l.path, into...)
	l.loop = len(l.path)
	l.path = append(l.path, g.fairCycle(k, entry, cyc.cycleSet(entry))...)
	return l
}

// A cycleSet is a partition of property k's part of the graph into
// components, and which of them are accepting: some cycle of transitions
// inside the component is a fair run that never reaches Q (and takes a
// Must action if asked). disabledOnly marks the partition of the states
// where no fair action is enabled, whose every cycle is fair.
type cycleSet struct {
	comp         []int32 // per state: its component, -1 outside the partition
	accepting    []bool  // per component
	disabledOnly bool
}

func (c *cycleSet) accepts(v uint32) bool { return c.comp[v] >= 0 && c.accepting[c.comp[v]] }

// cycles is where property k's accepting components are: one or two
// partitions (see stateGraph.cycles).
type cycles struct{ sets []*cycleSet }

func (c *cycles) accepts(v uint32) bool {
	for _, s := range c.sets {
		if s.accepts(v) {
			return true
		}
	}
	return false
}

// cycleSet returns the first partition in which v's component accepts.
func (c *cycles) cycleSet(v uint32) *cycleSet {
	for _, s := range c.sets {
		if s.accepts(v) {
			return s
		}
	}
	panic("checker: cycleSet of a state in no accepting component")
}

// cycles finds the accepting components of property k: under weak
// fairness, in one partition of the states where Q does not hold; under
// strong fairness, also in a second one of those where moreover no fair
// action is enabled (a cycle that takes no fair action is fair only
// there). It returns nil when none is accepting.
func (g *stateGraph) cycles(k int) *cycles {
	outsideQ := func(v uint32) bool { return g.label[v]&qBit(k) == 0 }
	c := &cycles{}
	c.sets = append(c.sets, g.components(k, outsideQ, false))
	if g.strong {
		c.sets = append(c.sets, g.components(k, func(v uint32) bool { return outsideQ(v) && g.label[v]&labelFairEnabled == 0 }, true))
	}
	for _, s := range c.sets {
		if slices.Contains(s.accepting, true) {
			return c
		}
	}
	return nil
}

// components runs Tarjan's algorithm on the states where in holds and the
// transitions inside property k's part of the graph between them, and
// returns each state's component and, per component, whether it is
// accepting: it has a cycle that is fair and takes a Must action if the
// property asks for one. A cycle is fair when it takes a fair action or,
// under weak fairness or when disabledOnly, passes a state where none is
// enabled.
func (g *stateGraph) components(k int, in func(uint32) bool, disabledOnly bool) *cycleSet {
	var accepting []bool
	n := len(g.label)
	comp := make([]int32, n)
	index := make([]int32, n) // 0: not visited; else visit order + 1
	low := make([]int32, n)
	onStack := make([]bool, n)
	for v := range comp {
		comp[v] = -1
	}
	var stack []uint32
	type frame struct {
		v uint32
		t uint32 // next transition of v to look at
	}
	var calls []frame
	next := int32(1)
	for root := range n {
		if index[root] != 0 || !in(uint32(root)) {
			continue
		}
		calls = append(calls, frame{uint32(root), g.off[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, uint32(root))
		onStack[root] = true
		for len(calls) > 0 {
			if g.stop.stopped() {
				return &cycleSet{comp: comp, accepting: accepting, disabledOnly: disabledOnly} // the caller sees g.stop.l
			}
			f := &calls[len(calls)-1]
			v := f.v
			if f.t < g.off[v+1] {
				t := f.t
				f.t++
				w := g.succ[t]
				if !g.inside(k, t) || !in(w) {
					continue
				}
				switch {
				case index[w] == 0:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, g.off[w]})
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			c := int32(len(accepting))
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = c
				if w == v {
					break
				}
			}
			accepting = append(accepting, false)
		}
	}
	// A component is accepting when, among the transitions inside it, one
	// exists at all (a cycle), and fairness and Must can be met by one
	// cycle through all of it.
	hasEdge := make([]bool, len(accepting))
	fairOK := make([]bool, len(accepting))
	mustOK := make([]bool, len(accepting))
	for v := range n {
		c := comp[v]
		if c < 0 {
			continue
		}
		if g.label[v]&labelFairEnabled == 0 && (!g.strong || disabledOnly) {
			fairOK[c] = true
		}
		for t := g.off[v]; t < g.off[v+1]; t++ {
			if !g.inside(k, t) || comp[g.succ[t]] != c {
				continue
			}
			hasEdge[c] = true
			if g.edge[t]&edgeFair != 0 {
				fairOK[c] = true
			}
			if g.edge[t]&mustBit(k) != 0 {
				mustOK[c] = true
			}
		}
	}
	for c := range accepting {
		accepting[c] = hasEdge[c] && fairOK[c] && (mustOK[c] || !g.must[k])
	}
	return &cycleSet{comp: comp, accepting: accepting, disabledOnly: disabledOnly}
}

// reverse is the reverse adjacency of property k's part of the graph.
type reverse struct {
	off  []uint32
	from []uint32
}

// into returns the states with a transition inside to v.
func (r *reverse) into(v uint32) []uint32 { return r.from[r.off[v]:r.off[v+1]] }

func (g *stateGraph) reverse(k int) *reverse {
	n := len(g.label)
	r := &reverse{off: make([]uint32, n+1)}
	for v := range n {
		if g.label[v]&qBit(k) != 0 {
			continue
		}
		for t := g.off[v]; t < g.off[v+1]; t++ {
			if g.inside(k, t) {
				r.off[g.succ[t]+1]++
			}
		}
	}
	for v := range n {
		r.off[v+1] += r.off[v]
	}
	r.from = make([]uint32, r.off[n])
	fill := slices.Clone(r.off[:n])
	for v := range n {
		if g.label[v]&qBit(k) != 0 {
			continue
		}
		for t := g.off[v]; t < g.off[v+1]; t++ {
			if g.inside(k, t) {
				w := g.succ[t]
				r.from[fill[w]] = uint32(v)
				fill[w]++
			}
		}
	}
	return r
}

// treePath returns the breadth-first tree path to v: the Init yield index
// of its root and the action indices from there.
func (g *stateGraph) treePath(v uint32) (root int, path []int) {
	for g.parent[v] != noParent {
		path = append(path, int(g.via[v]))
		v = g.parent[v]
	}
	slices.Reverse(path)
	return g.root[v], path
}

// pathTo returns a shortest path of transitions inside property k's part
// of the graph from s to a state where target holds (s itself if it
// holds there), as action indices, and that state.
func (g *stateGraph) pathTo(k int, s uint32, target func(uint32) bool) ([]int, uint32) {
	type step struct{ prev, t uint32 }
	seen := map[uint32]step{s: {noParent, 0}}
	queue := []uint32{s}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if target(v) {
			var path []int
			for w := v; seen[w].prev != noParent; w = seen[w].prev {
				st := seen[w]
				path = append(path, int(st.t-g.off[st.prev]))
			}
			slices.Reverse(path)
			return path, v
		}
		for t := g.off[v]; t < g.off[v+1]; t++ {
			if w := g.succ[t]; g.inside(k, t) {
				if _, ok := seen[w]; !ok {
					seen[w] = step{v, t}
					queue = append(queue, w)
				}
			}
		}
	}
	panic("checker: pathTo: no path to a target the caller knows is reachable")
}

// fairCycle returns a shortest cycle from c back to c inside c's component
// that meets property k's conditions: it takes a fair transition or passes
// a state where none is enabled, and, if the property has Must, takes a
// Must transition. It is a breadth-first search over (state, conditions met).
func (g *stateGraph) fairCycle(k int, c uint32, set *cycleSet) []int {
	comp := set.comp
	const (
		fairMet = 1
		mustMet = 2
	)
	full := uint64(fairMet)
	if g.must[k] {
		full |= mustMet
	}
	met := func(v uint32) uint64 {
		if g.label[v]&labelFairEnabled == 0 && (!g.strong || set.disabledOnly) {
			return fairMet
		}
		return 0
	}
	type node = uint64 // state<<2 | conditions met
	type step struct {
		prev node
		t    uint32
	}
	startNode := node(c)<<2 | met(c)
	seen := map[node]step{}
	queue := []node{startNode}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		v, have := uint32(x>>2), x&3
		for t := g.off[v]; t < g.off[v+1]; t++ {
			w := g.succ[t]
			if !g.inside(k, t) || comp[w] != comp[c] {
				continue
			}
			now := have | met(w)
			if g.edge[t]&edgeFair != 0 {
				now |= fairMet
			}
			if g.edge[t]&mustBit(k) != 0 {
				now |= mustMet
			}
			y := node(w)<<2 | now&full
			if _, ok := seen[y]; ok {
				continue
			}
			seen[y] = step{x, t}
			if w == c && now&full == full {
				var path []int
				for z := y; ; {
					st := seen[z]
					path = append(path, int(st.t-g.off[uint32(st.prev>>2)]))
					if st.prev == startNode {
						break
					}
					z = st.prev
				}
				slices.Reverse(path)
				return path
			}
			queue = append(queue, y)
		}
	}
	panic("checker: fairCycle: an accepting component has no accepting cycle")
}

// lassoTrace replays l through m into a Trace with Lasso set.
func lassoTrace[S comparable, A any](m Model[S, A], l *lasso) (*Trace[S, A], error) {
	t, err := Replay(m, l.root, l.path)
	if err != nil {
		return nil, err
	}
	t.Lasso, t.LoopAt = true, l.loop
	// The states themselves, not their fingerprints: a cycle that closes
	// only on a shared fingerprint is no cycle.
	if t.Last() != t.state(l.loop) {
		return nil, fmt.Errorf("checker: a cycle found by CheckLiveness does not close when replayed: the model is nondeterministic, or two of its states share a fingerprint")
	}
	return t, nil
}
