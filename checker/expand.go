package checker

import (
	"fmt"
	"slices"
	"sync/atomic"
	"unsafe"
)

// seenSize is the number of entries of a worker's cache of fingerprints.
const seenSize = 1 << 12

// A cand is a successor, a candidate for the next level; its fingerprint is
// kept apart, in one of chunk.groups, for the insert phase.
type cand[S comparable] struct {
	state  S
	parent int32 // index in the batch of the state it was reached from
	index  uint8 // action index from the parent
}

// A chunk is a slice of a batch of the frontier and what expanding and
// collecting it produced. One worker at a time writes it.
type chunk[S comparable] struct {
	cands []cand[S]
	// groups[g] lists the fingerprints of the candidates of insert group
	// g, with their indices in cands, in increasing order of index.
	groups      [insertGroups][]pending
	transitions int64
	// ready is set when the chunk is expanded: the insert phase may read
	// it then.
	ready atomic.Bool
	// The insert phase's results: fresh[j] says whether cands[j] is
	// fresh, and nfresh[g] counts the fresh candidates of group g.
	fresh  []bool
	nfresh [insertGroups]int32
	// hits are the first AlwaysStep violations the expand phase found in
	// the chunk, then the first states of its fresh candidates that the
	// collect phase found to violate an Always property or reach a
	// Sometimes goal.
	hits hits[S]
	// err is the first error found in the chunk: a state with more than
	// maxActions successors, or one the model's Packer refused.
	err error
	// The parent (index in the batch) and action index of each fresh
	// candidate collect stored, in order.
	linkParent []int32
	linkAction []uint8
}

// expandChunks is the expand phase for one worker: it expands chunks until
// there are none left or the search must stop.
func (w *worker[S, A]) expandChunks(nch int) {
	e := w.e
	for e.stopped() == NoLimit {
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
	oldBytes := ch.bytes(e.sizeCand)
	w.cands = ch.cands[:0]
	for g := range w.groups {
		w.groups[g] = ch.groups[g][:0]
	}
	w.transitions = 0
	ch.hits.reset(len(e.props))
	w.step = append(w.step[:0], e.activeStep...)
	ch.err = nil
	w.ch = ch
	clear(w.seen[:])
	// An empty entry must not match a fingerprint of its own slot: slot
	// 0's would match 0, so it holds one of slot 1's.
	w.seen[0] = 1 << shardBits
	lo := c * e.chunkSize
	hi := min(lo+e.chunkSize, e.batchN)
	w.base = e.curBase + e.batchLo
	size := e.codec.size
	for i := lo; i < hi; i++ {
		if e.viewStates != nil {
			w.from = e.viewStates[i]
		} else {
			e.codec.unpack(&w.from, e.view[i*size:])
		}
		w.parent = int32(i)
		w.k = 0
		if e.into != nil {
			e.into.NextInto(&w.from, &w.to, &w.act, w.yieldInto)
		} else {
			e.m.Next(w.from, w.yield)
		}
		if w.k > maxActions && ch.err == nil {
			ch.err = fmt.Errorf("checker: state %v has more than %d successors; action indices are stored in 8 bits", w.from, maxActions)
		}
	}
	ch.cands, ch.groups, ch.transitions = w.cands, w.groups, w.transitions
	ch.fresh = slices.Grow(ch.fresh[:0], len(ch.cands))[:len(ch.cands)]
	clear(ch.fresh)
	ch.nfresh = [insertGroups]int32{}
	ch.ready.Store(true)
	e.trans.Add(ch.transitions)
	// The memory limit is checked once the batch is expanded, not here:
	// which chunks are expanded when the limit is passed depends on timing,
	// and what the search found must not.
	e.candMem.Add(ch.bytes(e.sizeCand) - oldBytes)
}

// bytes returns the memory held by the chunk's candidates.
func (ch *chunk[S]) bytes(sizeCand int64) int64 {
	n := int64(cap(ch.cands))*sizeCand + int64(cap(ch.fresh))
	for _, g := range ch.groups {
		n += int64(cap(g)) * int64(unsafe.Sizeof(pending{}))
	}
	return n
}

// successor handles the k-th successor of w.from, passed by value.
func (w *worker[S, A]) successor(a A, s S) {
	w.to, w.act = s, a
	w.successorAt()
}

// successorAt handles the k-th successor of w.from, in w.to and w.act: it
// checks the AlwaysStep properties on the transition and makes it a
// candidate, unless the chunk has one with its fingerprint. Only a
// candidate is copied.
func (w *worker[S, A]) successorAt() {
	k := w.k
	w.k++
	if k >= maxActions {
		return
	}
	e := w.e
	w.transitions++
	to := &w.to
	for i := 0; i < len(w.step); i++ {
		if sc := w.step[i]; !sc.holds(&w.from, &w.act, to) {
			w.ch.hits.record(sc.verdict, w.base+int64(w.parent), k, to)
			w.step = slices.Delete(w.step, i, i+1)
			i--
		}
	}
	fp := e.fingerprintAt(to)
	seen := &w.seen[fp>>shardBits&(seenSize-1)]
	if *seen == fp {
		return
	}
	*seen = fp
	n := len(w.cands)
	g := &w.groups[fp&(insertGroups-1)]
	*g = append(*g, pending{fp, int32(n)})
	if n == cap(w.cands) {
		w.cands = slices.Grow(w.cands, 1)
	}
	w.cands = w.cands[:n+1]
	c := &w.cands[n]
	c.state = *to
	c.parent = w.parent
	c.index = uint8(k)
}
