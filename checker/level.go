package checker

import "sync/atomic"

// expandLevel builds the next level from the frontier, batch by batch, and
// makes it the frontier. A limit may stop it within a level: the states of
// the batches before are stored.
func (e *engine[S, A]) expandLevel() error {
	e.activate()
	e.level.Store(int64(e.depth))
	if err := e.next.reset(); err != nil {
		return err
	}
	nextBase := e.stored
	n := e.cur.len()
	step := int64(batchChunks * e.chunkSize)
	for lo := int64(0); lo < n && e.stopped() == NoLimit; lo += step {
		if err := e.expandBatch(lo, min(lo+step, n), min(lo+2*step, n)); err != nil {
			return err
		}
	}
	e.cur, e.next = e.next, e.cur
	e.curBase = nextBase
	if e.cur.len() > 0 {
		e.depth++
	}
	// A level cut short by a limit leaves Progress.Frontier at the level
	// it was expanding, not at the part of the next one it stored.
	if e.stopped() == NoLimit {
		e.frontier.Store(e.cur.len())
	}
	e.account()
	return nil
}

// expandBatch runs the three phases on states lo to hi-1 of the frontier:
// expand them, insert their successors' fingerprints, and store the fresh
// successors. It stops between phases if the search must stop. The next
// batch, states hi to nextHi-1, is read from the file meanwhile.
func (e *engine[S, A]) expandBatch(lo, hi, nextHi int64) error {
	view, viewStates, err := e.cur.view(lo, hi)
	if err != nil {
		return err
	}
	if err := e.cur.prefetch(hi, nextHi); err != nil {
		return err
	}
	e.batchLo, e.batchN, e.view, e.viewStates = lo, int(hi-lo), view, viewStates
	nch := (e.batchN + e.chunkSize - 1) / e.chunkSize
	nw := min(e.workers, nch)
	for len(e.chunks) < nch {
		e.chunks = append(e.chunks, &chunk[S]{})
	}

	// Expand, then insert: a worker with no chunk left to expand takes
	// groups of shards to insert into, chunk by chunk as they are
	// expanded. Every chunk a worker took is expanded whole, so the first
	// done chunks are. A batch whose insertion was cut short is not
	// stored, though some of its fingerprints may be in the table: the
	// search stops after it.
	var cut atomic.Bool
	e.grab.Store(0)
	e.grabG.Store(0)
	for _, ch := range e.chunks[:nch] {
		ch.ready.Store(false)
	}
	e.crew.do(nw, func(w int) {
		e.ws[w].expandChunks(nch)
		if !e.insertGroups(w, nch) {
			cut.Store(true)
		}
	})
	done := min(int(e.grab.Load()), nch)
	for _, ch := range e.chunks[:done] {
		if ch.err != nil {
			return ch.err
		}
		e.hits.merge(ch.hits)
	}
	e.account()
	if done < nch || cut.Load() {
		return nil
	}
	if e.overMemory(e.peak) {
		e.halt(MaxMemory)
		return nil
	}

	// Collect.
	return e.collect(nch, nw)
}
