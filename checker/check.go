package checker

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"
)

// The engine explores level by level. The frontier (the level being
// expanded) and the next level are queues of packed states (queue.go),
// in memory up to a budget and in temporary files beyond; the visited set
// is a table of fingerprints, compact once it is large (table.go); the
// parent links go to a temporary file (links.go). So the memory a search
// needs is the table, a few bytes a state, and buffers of a fixed size.
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
// The phases are in level.go, expand.go, insert.go and collect.go; limits
// and stopping in stop.go; progress in progress.go; the verdicts and the
// traces rebuilt from the parent links in verdicts.go.
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
	// defaultFrontierMemory is Options.FrontierMemory's default.
	defaultFrontierMemory = 32 << 20
)

// A stateCheck is an Always or Sometimes property without a hit yet: it is
// hit by a state s with pred(&s) == want.
type stateCheck[S comparable] struct {
	verdict int // its index in the properties
	pred    func(*S) bool
	want    bool
}

// A stepCheck is an AlwaysStep property without a hit yet.
type stepCheck[S comparable, A any] struct {
	verdict int // its index in the properties
	holds   func(from *S, a *A, to *S) bool
}

// An engine is the state of one run of Check.
type engine[S comparable, A any] struct {
	m             Model[S, A]
	into          NexterInto[S, A] // m, if it builds successors in place
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
	offsets     []int // offsets[c]: position in the batch's output of chunk c's first fresh candidate
	ws          []*worker[S, A]
	crew        *crew   // runs the phases on the workers
	out         []byte  // where collect packs the batch's fresh states
	outStates   []S     // or puts them, without a codec
	hits        hits[S] // the first hit of each property
	activeStep  []stepCheck[S, A]
	activeState []stateCheck[S]

	depth int

	// Counters written while workers run, padded away from the fields the
	// workers read for every successor.
	_        [64]byte
	stop     atomic.Int32 // the limit that stops the search, or NoLimit
	grab     atomic.Int64 // next chunk to take
	grabG    atomic.Int64 // next insert group to take
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
	groups      [insertGroups][]pending
	transitions int64
	from        S
	parent      int32 // index in the batch of from
	base        int64 // number of the batch's first state
	k           int
	yield       func(A, S)
	yieldInto   func()
	to          S // the successor being handled
	act         A // the action that leads to it
	// step lists the AlwaysStep properties with no hit in this chunk yet,
	// in the order of e.activeStep.
	step []stepCheck[S, A]
	// seen caches fingerprints of this chunk's candidates: a successor
	// found here is a duplicate of an earlier candidate of the same chunk,
	// so it need not be a candidate. Cleared for each chunk, it does not
	// depend on which chunks a worker expands.
	seen [seenSize]uint64

	sink uint64 // keeps the reads of touch
	_    [128]byte
}

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
	e.into, _ = m.(NexterInto[S, A])
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
	e.hits = make(hits[S], len(props))
	e.crew = newCrew(e.workers)
	e.ws = make([]*worker[S, A], e.workers)
	for w := range e.ws {
		wk := &worker[S, A]{e: e}
		wk.yield = wk.successor
		wk.yieldInto = wk.successorAt
		e.ws[w] = wk
	}
	defer limitHeap(opt.MaxMemory)()
	return e.run()
}

// close returns the memory held outside the Go heap and removes the
// temporary files.
func (e *engine[S, A]) close() {
	if e.crew != nil {
		e.crew.stop()
	}
	e.table.free()
	e.cur.free()
	e.next.free()
	e.sp.close()
}

// run performs the search and builds the result. It expands level after
// level until the frontier is empty, every property has a hit, or a limit
// stops it.
func (e *engine[S, A]) run() (*Result[S, A], error) {
	if err := e.initial(); err != nil {
		return nil, err
	}
	// Progress starts once the initial states are stored, so that every
	// call reports a search under way.
	defer e.startProgress()()
	res := &Result[S, A]{}
	for {
		// A limit recorded during a level cut it short; one that fires
		// after the last level was whole does not undo the search.
		switch {
		case Limit(e.stop.Load()) == NoLimit && e.cur.len() == 0:
			res.Complete = true
		case e.hits.allFound():
			res.Decided = true
		case e.stopped() != NoLimit:
			res.Limit = e.stopped()
		default:
			if err := e.expandLevel(); err != nil {
				return nil, err
			}
			continue
		}
		return e.result(res)
	}
}

// initial stores the initial states as level 0.
func (e *engine[S, A]) initial() error {
	e.activate()
	yielded := 0
	var init []S
	e.m.Init(func(s S) {
		k := yielded
		yielded++
		if e.stop.Load() != int32(NoLimit) || !e.table.insert(e.fingerprintAt(&s)) {
			return
		}
		if e.opt.MaxStates > 0 && int64(len(init)) >= e.opt.MaxStates {
			e.halt(MaxStates)
			return
		}
		n := int64(len(init))
		init = append(init, s)
		e.roots = append(e.roots, k)
		for _, sc := range e.activeState {
			if !e.hits[sc.verdict].found && sc.pred(&s) == sc.want {
				e.hits.record(sc.verdict, n, -1, &s)
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
		if p.kind == KindAlwaysStep {
			e.activeStep = append(e.activeStep, stepCheck[S, A]{verdict: i, holds: p.step})
		} else {
			e.activeState = append(e.activeState, stateCheck[S]{verdict: i, pred: p.state, want: p.kind == KindSometimes})
		}
	}
}
