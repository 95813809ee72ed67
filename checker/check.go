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

// The engine explores level by level. The frontier (the level being
// expanded) and the next level are queues of packed states (queue.go),
// in memory up to a budget and in temporary files beyond; the visited set
// is a compact table of fingerprints (table.go); the parent links go to a
// temporary file (links.go). So the memory a search needs is the table, a
// few bytes a state, and buffers of a fixed size.
//
// A level is expanded in batches of batchChunks chunks, each in three
// phases run by a pool of workers:
//
//  1. Expand: the batch is cut into chunks that workers take in turn.
//     Each state is unpacked and its successors are counted, AlwaysStep
//     properties are evaluated on the transitions, and each successor
//     becomes a candidate in its chunk's buffer, with its fingerprint in a
//     separate array, unless a small cache shows it is a duplicate of an
//     earlier candidate of the same chunk. The table is not read here: a
//     successor is looked up once, in the insert phase.
//  2. Insert: each worker owns the table shards s with s%workers == w, walks
//     the fingerprints of all candidates in chunk order and inserts those of
//     its shards, listing the fresh ones (the first occurrence of a
//     fingerprint not yet in the table). It works in batches: it first
//     reads the home slot of every fingerprint of a batch, so that their
//     cache misses overlap, then inserts them in order.
//  3. Collect: the fresh candidates, in chunk order, are packed onto the
//     next level; they get their numbers, and Always and Sometimes
//     properties are evaluated on them. Their parent links are then
//     written in order.
//
// Chunk order is the order in which a sequential breadth-first search would
// discover the states, so state numbers, counts, verdicts and traces do not
// depend on the number of workers or on timing.

const (
	// defaultChunkSize is the number of frontier states in a chunk.
	defaultChunkSize = 512
	// batchChunks is the number of chunks expanded at once: 16384 states,
	// whose candidates (about 5 MB for the TCP model) stay in the cache.
	batchChunks = 32
	// maxActions is the number of successors a state may have: action
	// indices are stored in 8 bits.
	maxActions = 256
	// noStep marks a chunk that found no AlwaysStep violation.
	noStep = math.MaxUint64
	// defaultFrontierMemory is Options.FrontierMemory's default.
	defaultFrontierMemory = 32 << 20
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

// seed is the maphash seed of fingerprints, one per process.
var seed = maphash.MakeSeed()

// fingerprinter returns the fingerprint function of m. A model's own
// fingerprints are mixed (a bijection, so no new collisions) because the
// table needs their high bits to be random.
func fingerprinter[S comparable, A any](m Model[S, A]) func(S) uint64 {
	if f, ok := m.(Fingerprinter[S]); ok {
		return func(s S) uint64 { return mix64(f.Fingerprint(s)) }
	}
	return func(s S) uint64 { return maphash.Comparable(seed, s) }
}

// fingerprinterAt is fingerprinter for states passed by address.
func fingerprinterAt[S comparable, A any](m Model[S, A]) func(*S) uint64 {
	switch f := m.(type) {
	case FingerprinterAt[S]:
		return func(s *S) uint64 { return mix64(f.FingerprintAt(s)) }
	case Fingerprinter[S]:
		return func(s *S) uint64 { return mix64(f.Fingerprint(*s)) }
	}
	return func(s *S) uint64 { return maphash.Comparable(seed, *s) }
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
	parent int32 // index in the batch of the state it was reached from
	index  uint8 // action index from the parent
}

// A stepHit is the first AlwaysStep violation found in a chunk.
type stepHit[S comparable] struct {
	key uint64 // parent<<8 | action index, or noStep
	to  S
}

// A stateHit is the first state of a chunk's fresh candidates to match an
// Always or Sometimes property.
type stateHit[S comparable] struct {
	num int64 // its number, or -1
	s   S
}

// A chunk is a slice of a batch of the frontier and what expanding it
// produced.
type chunk[S comparable] struct {
	cands       []cand[S]
	fps         []uint64 // fps[j] is the fingerprint of cands[j].state
	transitions int64
	steps       []stepHit[S] // per active AlwaysStep property
	states      []stateHit[S]
	tooMany     int64 // number of the first state with more than maxActions successors, or -1
	tooState    S
	// The parent (index in the batch) and action index of each fresh
	// candidate collect stored, in order.
	linkParent []int32
	linkAction []uint8
}

// A hit is the end of a counterexample or witness.
type hit[S comparable] struct {
	found bool
	num   int64 // the last state's number, or for AlwaysStep the source's
	index int   // for AlwaysStep, the action index of the violating step; else -1
	last  S     // the last state of the trace
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
	m             Model[S, A]
	fingerprint   func(S) uint64
	fingerprintAt func(*S) uint64 // the same, for the hot path
	props         []Property[S, A]
	opt           Options
	workers       int
	chunkSize     int
	start         time.Time
	done          <-chan struct{} // ctx.Done()
	codec         codec[S]

	table     *table
	sp        spill
	links     links // the parent link of each state that is not initial
	roots     []int // roots[n] is the Init yield index of initial state n
	cur, next *queue[S]
	curBase   int64 // number of cur's first state
	stored    int64 // states stored: the next state's number

	// The batch being expanded: states lo to lo+n-1 of cur.
	batchLo     int64
	batchN      int
	view        []byte // its packed states
	viewStates  []S    // or its states, without a codec
	chunks      []*chunk[S]
	offsets     []int            // offsets[c]: position in the batch's output of chunk c's first fresh candidate
	owner       [numShards]uint8 // owner[s] is the worker that inserts into shard s
	ws          []*worker[S, A]
	out         []byte // where collect packs the batch's fresh states
	outStates   []S    // or puts them, without a codec
	packFailed  atomic.Bool
	unpackable  S // a state pack refused
	unpackOnce  sync.Once
	hits        []hit[S] // per verdict
	activeStep  []int    // verdict indices of AlwaysStep properties not yet violated
	activeState []stateCheck[S]

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
	fixed    atomic.Int64 // bytes of table, frontiers and link buffers
	candMem  atomic.Int64 // bytes of candidate buffers
	_        [64]byte

	peak     int64
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
	to          S     // the successor being handled
	parent      int32 // index in the batch of from
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
// successors, if the model's Packer cannot pack a state, if a temporary file
// cannot be written or read, or if replaying a trace shows that the model is
// not deterministic. It removes its temporary files before it returns.
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
		m:             m,
		fingerprint:   fingerprinter(m),
		fingerprintAt: fingerprinterAt(m),
		props:         props,
		opt:           opt,
		workers:       opt.Workers,
		chunkSize:     chunkSize,
		start:         time.Now(),
		done:          ctx.Done(),
		codec:         codecOf(m),
		table:         newTable(),
		sp:            spill{dir: opt.TempDir},
		sizeCand:      int64(unsafe.Sizeof(cand[S]{})),
	}
	defer e.close()
	e.links.sp = &e.sp
	budget := opt.FrontierMemory
	if budget == 0 {
		budget = defaultFrontierMemory
		if opt.MaxMemory > 0 {
			budget = min(budget, opt.MaxMemory/8)
		}
	}
	// Half the budget for each level, which must hold a batch's output.
	half := int(max(budget/2, 1))
	e.cur = &queue[S]{c: &e.codec, sp: &e.sp, budget: half}
	e.next = &queue[S]{c: &e.codec, sp: &e.sp, budget: half}
	if e.workers == 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	e.workers = min(e.workers, numShards)
	e.hits = make([]hit[S], len(props))
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

// close returns the memory held outside the Go heap and removes the
// temporary files.
func (e *engine[S, A]) close() {
	e.table.free()
	e.cur.free()
	e.next.free()
	e.sp.close()
}

// limitHeap lowers the Go runtime's soft memory limit to an eighth above
// max bytes, if that is lower than the limit in force, and returns a
// function that restores the limit. The engine keeps its own structures
// within max; the soft limit makes the garbage collector run before
// garbage doubles the heap, as it would by default (GOGC=100). max <= 0
// changes nothing.
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
		if !e.partial && e.cur.len() == 0 {
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
	var init []S
	e.m.Init(func(s S) {
		k := yielded
		yielded++
		if e.partial || !e.table.insert(e.fingerprintAt(&s)) {
			return
		}
		if e.opt.MaxStates > 0 && int64(len(init)) >= e.opt.MaxStates {
			e.partial = true
			e.setReason(stopMaxStates)
			return
		}
		n := int64(len(init))
		init = append(init, s)
		e.roots = append(e.roots, k)
		for _, sc := range e.activeState {
			if h := &e.hits[sc.verdict]; !h.found && sc.pred(s) == sc.want {
				*h = hit[S]{found: true, num: n, index: -1, last: s}
			}
		}
	})
	b, st, err := e.cur.tail(len(init))
	if err != nil {
		return err
	}
	for i := range init {
		if st != nil {
			st[i] = init[i]
		} else if !e.codec.pack(b[i*e.codec.size:], &init[i]) {
			return e.packError(init[i])
		}
	}
	e.stored = int64(len(init))
	e.states.Store(e.stored)
	e.frontier.Store(e.stored)
	e.account()
	return nil
}

// packError is the error of a state the model's Packer refused.
func (e *engine[S, A]) packError(s S) error {
	return fmt.Errorf("checker: the model's Packer cannot pack state %v", s)
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
}

// account updates the memory estimate and its peak.
func (e *engine[S, A]) account() {
	fixed := e.table.bytes() + e.links.bytes() + e.cur.bytes() + e.next.bytes()
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

// expandLevel builds the next level from the frontier, batch by batch.
// A limit may stop it within a level: the states of the batches before
// are stored.
func (e *engine[S, A]) expandLevel() error {
	e.activate()
	e.level.Store(int64(e.depth))
	if err := e.next.reset(); err != nil {
		return err
	}
	nextBase := e.stored
	n := e.cur.len()
	var err error
	step := int64(batchChunks * e.chunkSize)
	for lo := int64(0); lo < n && !e.partial && err == nil; lo += step {
		err = e.expandBatch(lo, min(lo+step, n))
	}
	if err != nil {
		return err
	}
	e.cur, e.next = e.next, e.cur
	e.curBase = nextBase
	if e.cur.len() > 0 {
		e.depth++
	}
	e.frontier.Store(e.cur.len())
	e.account()
	return nil
}

// expandBatch expands states lo to hi-1 of the frontier and stores their
// fresh successors.
func (e *engine[S, A]) expandBatch(lo, hi int64) error {
	view, viewStates, err := e.cur.view(lo, hi)
	if err != nil {
		return err
	}
	e.batchLo, e.batchN, e.view, e.viewStates = lo, int(hi-lo), view, viewStates
	nch := (e.batchN + e.chunkSize - 1) / e.chunkSize
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

// expand expands chunk c of the batch.
func (w *worker[S, A]) expand(c int) {
	e := w.e
	ch := e.chunks[c]
	oldBytes := int64(cap(ch.cands))*e.sizeCand + int64(cap(ch.fps))*8
	w.cands = ch.cands[:0]
	w.fps = ch.fps[:0]
	w.transitions = 0
	ch.tooMany = -1
	ch.steps = slices.Grow(ch.steps[:0], len(e.activeStep))[:len(e.activeStep)]
	for i := range ch.steps {
		ch.steps[i].key = noStep
	}
	w.ch = ch
	clear(w.seen[:])
	lo := c * e.chunkSize
	hi := min(lo+e.chunkSize, e.batchN)
	base := e.curBase + e.batchLo
	size := e.codec.size
	for i := lo; i < hi; i++ {
		if e.viewStates != nil {
			w.from = e.viewStates[i]
		} else {
			e.codec.unpack(&w.from, e.view[i*size:])
		}
		w.parent = int32(i)
		w.k = 0
		e.m.Next(w.from, w.yield)
		if w.k > maxActions && ch.tooMany < 0 {
			ch.tooMany, ch.tooState = base+int64(i), w.from
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
			h.key = uint64(e.curBase+e.batchLo+int64(w.parent))<<8 | uint64(k)
			h.to = s
		}
	}
	// s is fingerprinted in place in the worker: its own address would make
	// it escape to the heap.
	w.to = s
	fp := e.fingerprintAt(&w.to)
	seen := &w.seen[fp>>shardBits&(seenSize-1)]
	if *seen == fp {
		return
	}
	*seen = fp
	w.fps = append(w.fps, fp)
	w.cands = append(w.cands, cand[S]{state: w.to, parent: w.parent, index: uint8(k)})
}

// reduceExpand takes the first AlwaysStep violation, in chunk order, of
// the first done chunks.
func (e *engine[S, A]) reduceExpand(done int) error {
	for _, ch := range e.chunks[:done] {
		if ch.tooMany >= 0 {
			return fmt.Errorf("checker: state %v has more than %d successors; action indices are stored in 8 bits", ch.tooState, maxActions)
		}
		for j, v := range e.activeStep {
			if sh := ch.steps[j]; sh.key != noStep && !e.hits[v].found {
				e.hits[v] = hit[S]{found: true, num: int64(sh.key >> 8), index: int(sh.key & 0xff), last: sh.to}
			}
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

// collect stores the fresh candidates of the batch on the next level.
func (e *engine[S, A]) collect(nch, nw int) error {
	e.offsets = slices.Grow(e.offsets[:0], nch)[:nch]
	total := 0
	for c := range nch {
		e.offsets[c] = total
		for _, wk := range e.ws[:nw] {
			total += wk.freshAt[c+1] - wk.freshAt[c]
		}
	}
	stored := e.stored
	keep := int64(total)
	if e.opt.MaxStates > 0 && stored+keep > e.opt.MaxStates {
		keep = e.opt.MaxStates - stored
	}
	if e.overMemory(e.fixed.Load() + e.candMem.Load() + e.next.growth(int(keep))) {
		e.setReason(stopMaxMemory)
		e.partial = true
		return nil
	}
	if keep < int64(total) {
		e.setReason(stopMaxStates)
		e.partial = true
	}
	out, outStates, err := e.next.tail(int(keep))
	if err != nil {
		return err
	}
	e.out, e.outStates = out, outStates
	// Numbers: the batch's first fresh state is the next level's
	// e.next.len()-keep-th, and state number stored.
	for _, ch := range e.chunks[:nch] {
		ch.states = slices.Grow(ch.states[:0], len(e.activeState))[:len(e.activeState)]
		for i := range ch.states {
			ch.states[i].num = -1
		}
		ch.linkParent = ch.linkParent[:0]
		ch.linkAction = ch.linkAction[:0]
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
	if e.packFailed.Load() {
		return e.packError(e.unpackable)
	}
	// Hits and parent links, in chunk order.
	parentBase := uint64(e.curBase + e.batchLo)
	for _, ch := range e.chunks[:nch] {
		for i, sc := range e.activeState {
			if sh := ch.states[i]; sh.num >= 0 && !e.hits[sc.verdict].found {
				e.hits[sc.verdict] = hit[S]{found: true, num: sh.num, index: -1, last: sh.s}
			}
		}
		for j, p := range ch.linkParent {
			if err := e.links.add(parentBase+uint64(p), ch.linkAction[j]); err != nil {
				return err
			}
		}
	}
	e.stored += keep
	e.states.Store(e.stored)
	e.account()
	return nil
}

// collectChunk stores chunk c's fresh candidates whose position in the
// batch's output is below keep; stored is the number of states stored
// before the batch, nw the number of workers that inserted, and wk the
// worker that collects.
func (e *engine[S, A]) collectChunk(c, nw int, stored int64, keep int, wk *worker[S, A]) {
	ch := e.chunks[c]
	pos := e.offsets[c]
	if pos >= keep {
		return
	}
	size := e.codec.size
	store := func(j int32) bool {
		if pos >= keep {
			return false
		}
		cd := &ch.cands[j]
		num := stored + int64(pos)
		if e.outStates != nil {
			e.outStates[pos] = cd.state
		} else if !e.codec.pack(e.out[pos*size:], &cd.state) {
			e.unpackOnce.Do(func() { e.unpackable = cd.state })
			e.packFailed.Store(true)
		}
		ch.linkParent = append(ch.linkParent, cd.parent)
		ch.linkAction = append(ch.linkAction, cd.index)
		for i, sc := range e.activeState {
			if ch.states[i].num < 0 && sc.pred(cd.state) == sc.want {
				ch.states[i] = stateHit[S]{num, cd.state}
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

// result fills in res.
func (e *engine[S, A]) result(res *Result[S, A]) (*Result[S, A], error) {
	if err := e.links.flush(); err != nil {
		return nil, err
	}
	res.States = e.stored
	res.Transitions = e.trans.Load()
	res.Depth = e.depth
	res.Elapsed = time.Since(e.start)
	res.Memory = e.peak
	res.Disk = e.sp.peak
	if res.States > 0 {
		res.BytesPerState = float64(e.table.bytes()+int64(cap(e.links.marks))*16) / float64(res.States)
	}
	n := float64(res.States)
	res.CollisionProbability = -math.Expm1(-n * (n - 1) / 0x1p65)
	res.Verdicts = make([]Verdict[S, A], len(e.props))
	for i := range res.Verdicts {
		v := &res.Verdicts[i]
		v.Property, v.Kind = e.props[i].Name, e.props[i].Kind
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
	roots := int64(len(e.roots))
	for n >= roots {
		parent, action, err := e.links.get(n - roots)
		if err != nil {
			return nil, err
		}
		indices = append(indices, int(action))
		n = int64(parent)
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
