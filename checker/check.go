package checker

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// The engine explores level by level. Level d+1 is built from level d (the
// frontier) in three phases, each run by a pool of workers:
//
//  1. Expand: the frontier is cut into chunks that workers take in turn.
//     Each successor is counted, AlwaysStep properties are evaluated on the
//     transition, and it becomes a candidate in its chunk's buffer, with
//     its fingerprint in a separate array, unless a small cache shows it is
//     a duplicate of an earlier candidate of the same chunk. The table is
//     not read here: a successor is looked up once, in the insert phase.
//  2. Insert: each worker owns the table shards s with s%workers == w, walks
//     the fingerprints of all candidates in chunk order and inserts those of
//     its shards, listing the fresh ones (the first occurrence of a
//     fingerprint not yet in the table). It works in batches: it first
//     reads the home slot of every fingerprint of a batch, so that their
//     cache misses overlap, then inserts them in order.
//  3. Collect: the fresh candidates, in chunk order, become the next
//     frontier; they get their numbers and parent links, and Always and
//     Sometimes properties are evaluated on them.
//
// Chunk order is the order in which a sequential breadth-first search would
// discover the states, so state numbers, counts, verdicts and traces do not
// depend on the number of workers or on timing.

const (
	// defaultChunkSize is the number of frontier states in a chunk.
	defaultChunkSize = 512
	// maxActions is the number of successors a state may have: action
	// indices are stored in 8 bits.
	maxActions = 256
	// deadlockName is the name of the built-in deadlock property.
	deadlockName = "deadlock"
	// noStep marks a chunk that found no AlwaysStep violation.
	noStep = math.MaxUint64
)

// A stopReason says why a search ended before exploring everything.
type stopReason int32

const (
	running stopReason = iota
	stopMaxStates
	stopMaxMemory
	stopMaxTime
	stopInterrupted
)

var stopNames = [...]string{
	stopMaxStates:   "max-states",
	stopMaxMemory:   "max-memory",
	stopMaxTime:     "max-time",
	stopInterrupted: "interrupted",
}

// errTooManyStates is returned when state numbers would not fit in 32 bits.
var errTooManyStates = fmt.Errorf("checker: more than %d states; state numbers and parent links are 32 bits", uint32(math.MaxUint32))

// seed is the maphash seed of fingerprints, one per process.
var seed = maphash.MakeSeed()

// fingerprinter returns the fingerprint function of m, never returning 0.
// A model's own fingerprints are mixed (a bijection, so no new collisions)
// because the table needs their high bits to be random.
func fingerprinter[S comparable, A any](m Model[S, A]) func(S) uint64 {
	if f, ok := m.(Fingerprinter[S]); ok {
		return func(s S) uint64 { return nonzero(mix64(f.Fingerprint(s))) }
	}
	return func(s S) uint64 { return nonzero(maphash.Comparable(seed, s)) }
}

// mix64 is the finalizer of splitmix64: a bijection of uint64 in which every
// output bit depends on every input bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// A cand is a successor, a candidate for the next level; its fingerprint is
// kept apart, in chunk.fps, for the insert phase.
type cand[S comparable] struct {
	state  S
	parent uint32 // number of the state it was reached from
	index  uint8  // action index from the parent
}

// A stepHit is the first AlwaysStep violation found in a chunk.
type stepHit[S comparable] struct {
	key uint64 // parent<<8 | action index, or noStep
	to  S
}

// A chunk is a slice of the frontier and what expanding it produced.
type chunk[S comparable] struct {
	cands       []cand[S]
	fps         []uint64 // fps[j] is the fingerprint of cands[j].state
	transitions int64
	steps       []stepHit[S] // per active AlwaysStep property
	states      []int64      // per active Always/Sometimes property: first matching state number, or -1
	deadlock    int64        // first state without successors, or -1
	tooMany     int64        // first state with more than maxActions successors, or -1
}

// A hit is the end of a counterexample or witness.
type hit[S comparable] struct {
	found bool
	num   uint32 // the last state's number, or for AlwaysStep the source's
	index int    // for AlwaysStep, the action index of the violating step; else -1
	last  S      // the last state of the trace
}

// A stateCheck is an active Always or Sometimes property: it is hit by a
// state s with State(s) == want.
type stateCheck[S comparable] struct {
	verdict int
	pred    func(S) bool
	want    bool
}

// An engine is the state of one run of Check.
type engine[S comparable, A any] struct {
	m           Model[S, A]
	fingerprint func(S) uint64
	props       []Property[S, A]
	opt         Options
	workers     int
	chunkSize   int
	start       time.Time
	done        <-chan struct{} // ctx.Done()
	nverdicts   int             // len(props), +1 with Options.Deadlock

	table *table
	links links // state n's parent and the action index that led to it
	roots []int // roots[n] is the Init yield index of initial state n

	cur, next []S
	curBase   uint32 // number of cur[0]
	chunks    []*chunk[S]
	offsets   []int            // offsets[c]: position in next of chunk c's first fresh candidate
	owner     [numShards]uint8 // owner[s] is the worker that inserts into shard s
	ws        []*worker[S, A]

	hits        []hit[S] // per verdict
	activeStep  []int    // verdict indices of AlwaysStep properties not yet violated
	activeState []stateCheck[S]
	deadlockOn  bool // looking for deadlocks in this level

	depth   int
	partial bool // the last level was cut short: some states were not stored

	// Counters written while workers run, padded away from the fields the
	// workers read for every successor.
	_        [64]byte
	reason   atomic.Int32
	grab     atomic.Int64 // next chunk to take
	states   atomic.Int64 // for Progress
	trans    atomic.Int64
	frontier atomic.Int64
	level    atomic.Int64 // depth of the frontier being expanded
	fixed    atomic.Int64 // bytes of table, parent links and frontiers
	candMem  atomic.Int64 // bytes of candidate buffers
	_        [64]byte

	peak     int64
	sizeS    int64
	sizeCand int64
}

// A worker is one goroutine's state; its yield function is made once so that
// expanding a state allocates nothing. While it expands a chunk, the chunk's
// candidates and transition count live here, and the padding keeps the
// fields written for every successor off other workers' cache lines.
type worker[S comparable, A any] struct {
	e           *engine[S, A]
	ch          *chunk[S]
	cands       []cand[S]
	fps         []uint64
	transitions int64
	from        S
	parent      uint32
	k           int
	yield       func(A, S)
	// seen caches fingerprints of this chunk's candidates: a successor
	// found here is a duplicate of an earlier candidate of the same chunk,
	// so it need not be a candidate. Cleared for each chunk, it does not
	// depend on which chunks a worker expands.
	seen [seenSize]uint64

	// The insert phase's results: fresh[freshAt[c]:freshAt[c+1]] are the
	// indices, in increasing order, of chunk c's fresh candidates in this
	// worker's shards.
	fresh   []int32
	freshAt []int
	batch   [insertBatch]pending
	sink    uint64 // keeps the reads of touch
	mark    []bool // collect's scratch: the fresh candidates of a chunk
	_       [128]byte
}

// A pending is a fingerprint waiting in an insert batch, with its index in
// its chunk.
type pending struct {
	fp uint64
	j  int32
}

// seenSize is the number of entries of a worker's cache of fingerprints.
const seenSize = 1 << 12

// insertBatch is the number of fingerprints whose home slots the insert
// phase reads before it inserts them.
const insertBatch = 32

// Check explores every state of m reachable from its initial states, breadth
// first, and checks props on them. It stops when everything is explored,
// when every property is Violated or Reached (at the end of that level), or
// at a limit of opt or when ctx is done; a search stopped early still
// returns a Result, with the limit in Result.Limit.
//
// Every trace is a shortest one, and the result (except times and the
// Progress calls) does not depend on the number of workers. Check returns an
// error if props or opt are invalid, if a state has more than 256
// successors, if there are more than 2^32-1 states, or if replaying a trace
// shows that the model is not deterministic.
func Check[S comparable, A any](ctx context.Context, m Model[S, A], props []Property[S, A], opt Options) (*Result[S, A], error) {
	return check(ctx, m, props, opt, defaultChunkSize)
}

// check is Check with a given chunk size, so tests can make small levels
// parallel.
func check[S comparable, A any](ctx context.Context, m Model[S, A], props []Property[S, A], opt Options, chunkSize int) (*Result[S, A], error) {
	if err := validate(props, opt); err != nil {
		return nil, err
	}
	e := &engine[S, A]{
		m:           m,
		fingerprint: fingerprinter(m),
		props:       props,
		opt:         opt,
		workers:     opt.Workers,
		chunkSize:   chunkSize,
		start:       time.Now(),
		done:        ctx.Done(),
		nverdicts:   len(props),
		table:       newTable(),
		sizeS:       int64(unsafe.Sizeof(*new(S))),
		sizeCand:    int64(unsafe.Sizeof(cand[S]{})),
	}
	if e.workers == 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	e.workers = min(e.workers, numShards)
	if opt.Deadlock {
		e.nverdicts++
	}
	e.hits = make([]hit[S], e.nverdicts)
	e.ws = make([]*worker[S, A], e.workers)
	for w := range e.ws {
		wk := &worker[S, A]{e: e}
		wk.yield = wk.successor
		e.ws[w] = wk
	}
	defer limitHeap(opt.MaxMemory)()
	stopProgress := e.startProgress()
	res, err := e.run()
	stopProgress()
	return res, err
}

// limitHeap lowers the Go runtime's soft memory limit to an eighth above
// max bytes, if that is lower than the limit in force, and returns a
// function that restores the limit. The engine keeps its own structures
// within max; the soft limit makes the garbage collector run before the
// garbage of the levels already explored (old frontiers, old table arrays)
// doubles the heap, as it would by default (GOGC=100). max <= 0 changes
// nothing.
func limitHeap(max int64) (restore func()) {
	want := max + max/8
	prev := debug.SetMemoryLimit(-1)
	if max <= 0 || want >= prev {
		return func() {}
	}
	debug.SetMemoryLimit(want)
	return func() { debug.SetMemoryLimit(prev) }
}

// run performs the search and builds the result.
func (e *engine[S, A]) run() (*Result[S, A], error) {
	if err := e.initial(); err != nil {
		return nil, err
	}
	res := &Result[S, A]{}
	for {
		if !e.partial && len(e.cur) == 0 {
			res.Complete = true
			break
		}
		if e.allDecided() {
			res.Decided = true
			break
		}
		if r := e.poll(); e.partial || r != running {
			res.Limit = stopNames[r]
			break
		}
		if e.opt.MaxDepth > 0 && e.depth >= e.opt.MaxDepth {
			res.Limit = "max-depth"
			break
		}
		if err := e.expandLevel(); err != nil {
			return nil, err
		}
	}
	return e.result(res)
}

// setReason records why the search stops, unless a reason is already set.
func (e *engine[S, A]) setReason(r stopReason) {
	e.reason.CompareAndSwap(int32(running), int32(r))
}

// poll checks the time limit and the context and returns the stop reason.
func (e *engine[S, A]) poll() stopReason {
	if r := stopReason(e.reason.Load()); r != running {
		return r
	}
	select {
	case <-e.done:
		e.setReason(stopInterrupted)
	default:
		if e.opt.MaxTime > 0 && time.Since(e.start) >= e.opt.MaxTime {
			e.setReason(stopMaxTime)
		}
	}
	return stopReason(e.reason.Load())
}

// allDecided reports whether there is at least one property and every one
// is Violated or Reached.
func (e *engine[S, A]) allDecided() bool {
	if len(e.hits) == 0 {
		return false
	}
	for _, h := range e.hits {
		if !h.found {
			return false
		}
	}
	return true
}

// initial stores the initial states as level 0.
func (e *engine[S, A]) initial() error {
	e.activate()
	yielded := 0
	e.m.Init(func(s S) {
		k := yielded
		yielded++
		if e.partial || !e.table.insert(e.fingerprint(s)) {
			return
		}
		if e.opt.MaxStates > 0 && int64(len(e.cur)) >= e.opt.MaxStates {
			e.partial = true
			e.setReason(stopMaxStates)
			return
		}
		n := uint32(len(e.cur))
		e.cur = append(e.cur, s)
		e.roots = append(e.roots, k)
		e.links.resize(len(e.cur))
		for _, sc := range e.activeState {
			if h := &e.hits[sc.verdict]; !h.found && sc.pred(s) == sc.want {
				*h = hit[S]{found: true, num: n, index: -1, last: s}
			}
		}
	})
	if len(e.cur) > math.MaxUint32 {
		return errTooManyStates
	}
	e.states.Store(int64(len(e.cur)))
	e.frontier.Store(int64(len(e.cur)))
	e.account()
	return nil
}

// activate lists the properties still to be decided.
func (e *engine[S, A]) activate() {
	e.activeStep = e.activeStep[:0]
	e.activeState = e.activeState[:0]
	for i, p := range e.props {
		if e.hits[i].found {
			continue
		}
		if p.Kind == AlwaysStep {
			e.activeStep = append(e.activeStep, i)
		} else {
			e.activeState = append(e.activeState, stateCheck[S]{verdict: i, pred: p.State, want: p.Kind == Sometimes})
		}
	}
	e.deadlockOn = e.opt.Deadlock && !e.hits[len(e.props)].found
}

// account updates the memory estimate and its peak.
func (e *engine[S, A]) account() {
	fixed := e.table.bytes() + e.links.bytes() + int64(cap(e.cur)+cap(e.next))*e.sizeS
	e.fixed.Store(fixed)
	e.peak = max(e.peak, fixed+e.candMem.Load())
}

// overMemory reports whether n bytes pass the memory limit.
func (e *engine[S, A]) overMemory(n int64) bool {
	return e.opt.MaxMemory > 0 && n > e.opt.MaxMemory
}

// parallel runs f(w) for each of n workers and waits; with one worker it
// runs f in the calling goroutine.
func (e *engine[S, A]) parallel(n int, f func(w int)) {
	if n == 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { f(w) })
	}
	wg.Wait()
}

// expandLevel builds the next level from the frontier.
func (e *engine[S, A]) expandLevel() error {
	e.activate()
	e.level.Store(int64(e.depth))
	nch := (len(e.cur) + e.chunkSize - 1) / e.chunkSize
	nw := min(e.workers, nch)
	for len(e.chunks) < nch {
		e.chunks = append(e.chunks, &chunk[S]{})
	}

	// Expand.
	e.grab.Store(0)
	e.parallel(nw, func(w int) { e.ws[w].expandChunks(nch) })
	done := min(int(e.grab.Load()), nch)
	if err := e.reduceExpand(done); err != nil {
		return err
	}
	e.account()
	if done < nch {
		e.partial = true
		return nil
	}

	// Insert.
	for s := range e.owner {
		e.owner[s] = uint8(s % nw)
	}
	e.parallel(nw, func(w int) { e.insert(w, nch) })
	e.account()
	if e.overMemory(e.peak) {
		e.setReason(stopMaxMemory)
		e.partial = true
		return nil
	}
	return e.collect(nch, nw)
}

// expandChunks expands chunks until there are none left or the search must
// stop.
func (w *worker[S, A]) expandChunks(nch int) {
	e := w.e
	for e.poll() == running {
		c := int(e.grab.Add(1) - 1)
		if c >= nch {
			return
		}
		w.expand(c)
	}
}

// expand expands chunk c of the frontier.
func (w *worker[S, A]) expand(c int) {
	e := w.e
	ch := e.chunks[c]
	oldBytes := int64(cap(ch.cands))*e.sizeCand + int64(cap(ch.fps))*8
	w.cands = ch.cands[:0]
	w.fps = ch.fps[:0]
	w.transitions = 0
	ch.deadlock = -1
	ch.tooMany = -1
	ch.steps = slices.Grow(ch.steps[:0], len(e.activeStep))[:len(e.activeStep)]
	for i := range ch.steps {
		ch.steps[i].key = noStep
	}
	w.ch = ch
	clear(w.seen[:])
	lo := c * e.chunkSize
	hi := min(lo+e.chunkSize, len(e.cur))
	for i := lo; i < hi; i++ {
		w.from = e.cur[i]
		w.parent = e.curBase + uint32(i)
		w.k = 0
		e.m.Next(w.from, w.yield)
		if w.k == 0 && e.deadlockOn && ch.deadlock < 0 {
			ch.deadlock = int64(w.parent)
		}
		if w.k > maxActions && ch.tooMany < 0 {
			ch.tooMany = int64(w.parent)
		}
	}
	ch.cands, ch.fps, ch.transitions = w.cands, w.fps, w.transitions
	e.trans.Add(ch.transitions)
	if grown := int64(cap(ch.cands))*e.sizeCand + int64(cap(ch.fps))*8 - oldBytes; grown != 0 {
		if e.overMemory(e.fixed.Load() + e.candMem.Add(grown)) {
			e.setReason(stopMaxMemory)
		}
	}
}

// successor handles the k-th successor of w.from.
func (w *worker[S, A]) successor(a A, s S) {
	k := w.k
	w.k++
	if k >= maxActions {
		return
	}
	e := w.e
	w.transitions++
	for j, v := range e.activeStep {
		if h := &w.ch.steps[j]; h.key == noStep && !e.props[v].Step(w.from, a, s) {
			h.key = uint64(w.parent)<<8 | uint64(k)
			h.to = s
		}
	}
	fp := e.fingerprint(s)
	seen := &w.seen[fp>>shardBits&(seenSize-1)]
	if *seen == fp {
		return
	}
	*seen = fp
	w.fps = append(w.fps, fp)
	w.cands = append(w.cands, cand[S]{state: s, parent: w.parent, index: uint8(k)})
}

// reduceExpand takes the first AlwaysStep violation and deadlock, in
// chunk order, of the first done chunks.
func (e *engine[S, A]) reduceExpand(done int) error {
	for _, ch := range e.chunks[:done] {
		if ch.tooMany >= 0 {
			s := e.cur[ch.tooMany-int64(e.curBase)]
			return fmt.Errorf("checker: state %v has more than %d successors; action indices are stored in 8 bits", s, maxActions)
		}
		for j, v := range e.activeStep {
			if sh := ch.steps[j]; sh.key != noStep && !e.hits[v].found {
				e.hits[v] = hit[S]{found: true, num: uint32(sh.key >> 8), index: int(sh.key & 0xff), last: sh.to}
			}
		}
		if d := len(e.props); ch.deadlock >= 0 && !e.hits[d].found {
			e.hits[d] = hit[S]{found: true, num: uint32(ch.deadlock), index: -1, last: e.cur[ch.deadlock-int64(e.curBase)]}
		}
	}
	return nil
}

// insert inserts the candidates of worker w's shards, in chunk order, and
// lists the fresh ones per chunk.
func (e *engine[S, A]) insert(w, nch int) {
	wk := e.ws[w]
	wk.fresh = wk.fresh[:0]
	wk.freshAt = slices.Grow(wk.freshAt[:0], nch+1)[:nch+1]
	me := uint8(w)
	for c, ch := range e.chunks[:nch] {
		wk.freshAt[c] = len(wk.fresh)
		n := 0
		for j, fp := range ch.fps {
			if e.owner[fp&shardMask] != me {
				continue
			}
			wk.batch[n] = pending{fp, int32(j)}
			if n++; n == insertBatch {
				wk.insertBatch(wk.batch[:])
				n = 0
			}
		}
		wk.insertBatch(wk.batch[:n])
	}
	wk.freshAt[nch] = len(wk.fresh)
}

// insertBatch reads the home slots of a batch of fingerprints, then inserts
// them in order, listing the fresh ones.
func (w *worker[S, A]) insertBatch(batch []pending) {
	t := w.e.table
	var sink uint64
	for _, p := range batch {
		sink += t.touch(p.fp)
	}
	w.sink += sink
	for _, p := range batch {
		if t.insert(p.fp) {
			w.fresh = append(w.fresh, p.j)
		}
	}
}

// collect makes the fresh candidates the next frontier.
func (e *engine[S, A]) collect(nch, nw int) error {
	e.offsets = slices.Grow(e.offsets[:0], nch)[:nch]
	total := 0
	for c := range nch {
		e.offsets[c] = total
		for _, wk := range e.ws[:nw] {
			total += wk.freshAt[c+1] - wk.freshAt[c]
		}
	}
	stored := int64(e.links.len())
	keep := int64(total)
	if e.opt.MaxStates > 0 && stored+keep > e.opt.MaxStates {
		keep = e.opt.MaxStates - stored
	}
	if stored+keep > math.MaxUint32 {
		return errTooManyStates
	}
	n := int(stored + keep)
	linksCap, nextCap := e.links.capFor(n), growCap(cap(e.next), int(keep))
	grown := int64(linksCap-e.links.capacity())*linkBytes + int64(nextCap-cap(e.next))*e.sizeS
	if e.overMemory(e.fixed.Load() + e.candMem.Load() + grown) {
		e.setReason(stopMaxMemory)
		e.partial = true
		return nil
	}
	if keep < int64(total) {
		e.setReason(stopMaxStates)
		e.partial = true
	}
	e.links.resize(n)
	e.next = resize(e.next[:0], int(keep), nextCap)

	for _, ch := range e.chunks[:nch] {
		ch.states = slices.Grow(ch.states[:0], len(e.activeState))[:len(e.activeState)]
		for i := range ch.states {
			ch.states[i] = -1
		}
	}
	e.grab.Store(0)
	e.parallel(nw, func(w int) {
		for {
			c := int(e.grab.Add(1) - 1)
			if c >= nch {
				return
			}
			e.collectChunk(c, nw, stored, int(keep), e.ws[w])
		}
	})
	for _, ch := range e.chunks[:nch] {
		for i, sc := range e.activeState {
			if num := ch.states[i]; num >= 0 && !e.hits[sc.verdict].found {
				e.hits[sc.verdict] = hit[S]{found: true, num: uint32(num), index: -1, last: e.next[num-stored]}
			}
		}
	}

	e.cur, e.next = e.next, e.cur[:0]
	e.curBase = uint32(stored)
	if keep > 0 {
		e.depth++
	}
	e.states.Store(int64(n))
	e.frontier.Store(keep)
	e.account()
	return nil
}

// collectChunk stores chunk c's fresh candidates whose position in the next
// level is below keep; stored is the number of states of earlier levels,
// nw the number of workers that inserted, and wk the worker that collects.
func (e *engine[S, A]) collectChunk(c, nw int, stored int64, keep int, wk *worker[S, A]) {
	ch := e.chunks[c]
	pos := e.offsets[c]
	if pos >= keep {
		return
	}
	store := func(j int32) bool {
		if pos >= keep {
			return false
		}
		cd := &ch.cands[j]
		num := stored + int64(pos)
		e.next[pos] = cd.state
		e.links.set(uint32(num), cd.parent, cd.index)
		for i, sc := range e.activeState {
			if ch.states[i] < 0 && sc.pred(cd.state) == sc.want {
				ch.states[i] = num
			}
		}
		pos++
		return true
	}
	if nw == 1 {
		w := e.ws[0]
		for _, j := range w.fresh[w.freshAt[c]:w.freshAt[c+1]] {
			if !store(j) {
				return
			}
		}
		return
	}
	// Merge the workers' lists: mark, then scan in chunk order.
	mark := slices.Grow(wk.mark[:0], len(ch.cands))[:len(ch.cands)]
	wk.mark = mark
	clear(mark)
	for _, w := range e.ws[:nw] {
		for _, j := range w.fresh[w.freshAt[c]:w.freshAt[c+1]] {
			mark[j] = true
		}
	}
	for j, fresh := range mark {
		if fresh && !store(int32(j)) {
			return
		}
	}
}

// growCap returns the capacity for a slice of capacity c that must hold n
// elements: it grows by at least an eighth, to keep the parent links
// compact while copying each element a bounded number of times.
func growCap(c, n int) int {
	if n <= c {
		return c
	}
	return max(n, c+c/8, 64)
}

// resize returns s with length n and capacity at least c, keeping its
// elements.
func resize[T any](s []T, n, c int) []T {
	if c > cap(s) {
		t := make([]T, n, c)
		copy(t, s)
		return t
	}
	return s[:n]
}

// result fills in res.
func (e *engine[S, A]) result(res *Result[S, A]) (*Result[S, A], error) {
	res.States = int64(e.links.len())
	res.Transitions = e.trans.Load()
	res.Depth = e.depth
	res.Elapsed = time.Since(e.start)
	res.Memory = e.peak
	if res.States > 0 {
		res.BytesPerState = float64(e.table.bytes()+e.links.bytes()) / float64(res.States)
	}
	n := float64(res.States)
	res.CollisionProbability = -math.Expm1(-n * (n - 1) / 0x1p65)
	res.Verdicts = make([]Verdict[S, A], e.nverdicts)
	for i := range res.Verdicts {
		v := &res.Verdicts[i]
		if i < len(e.props) {
			v.Property, v.Kind = e.props[i].Name, e.props[i].Kind
		} else {
			v.Property, v.Kind = deadlockName, Always
		}
		h := e.hits[i]
		switch {
		case h.found && v.Kind == Sometimes:
			v.Status = Reached
		case h.found:
			v.Status = Violated
		case !res.Complete:
			v.Status = Unknown
		case v.Kind == Sometimes:
			v.Status = Unreachable
		default:
			v.Status = Holds
		}
		if h.found {
			t, err := e.trace(v.Property, h)
			if err != nil {
				return nil, err
			}
			v.Trace = t
		}
	}
	return res, nil
}

// trace rebuilds the trace that ends at h by walking the parent links and
// replaying the action indices, checking that every state it passes was
// stored and that it ends where the search found it.
func (e *engine[S, A]) trace(name string, h hit[S]) (*Trace[S, A], error) {
	var indices []int
	n := h.num
	for n >= uint32(len(e.roots)) {
		parent, action := e.links.get(n)
		indices = append(indices, int(action))
		n = parent
	}
	slices.Reverse(indices)
	if h.index >= 0 {
		indices = append(indices, h.index)
	}
	want := e.fingerprint(h.last)
	return replay(e.m, e.fingerprint, e.roots[n], indices, func(step int, s S) error {
		fp := e.fingerprint(s)
		switch {
		case step == len(indices) && fp != want:
			return fmt.Errorf("checker: model is nondeterministic: replaying the trace of %q ended in a state with fingerprint %#x, but the search found %#x", name, fp, want)
		case step < len(indices) && !e.table.contains(fp):
			return fmt.Errorf("checker: model is nondeterministic: replaying the trace of %q, step %d reached a state (fingerprint %#x) the search never stored", name, step, fp)
		}
		return nil
	})
}

// startProgress starts calling Options.Progress and returns a function that
// stops it.
func (e *engine[S, A]) startProgress() (stop func()) {
	if e.opt.Progress == nil {
		return func() {}
	}
	every := e.opt.ProgressEvery
	if every == 0 {
		every = time.Second
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				e.opt.Progress(Progress{
					States:      e.states.Load(),
					Transitions: e.trans.Load(),
					Depth:       int(e.level.Load()),
					Frontier:    int(e.frontier.Load()),
					Elapsed:     time.Since(e.start),
					Memory:      e.fixed.Load() + e.candMem.Load(),
				})
			}
		}
	})
	return func() {
		close(quit)
		wg.Wait()
	}
}
