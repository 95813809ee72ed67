package checker

import "slices"

// insertBatch is the number of fingerprints whose home slots the insert
// phase reads before it inserts them.
const insertBatch = 32

// A pending is a fingerprint waiting in an insert batch, with its index in
// its chunk.
type pending struct {
	fp uint64
	j  int32
}

// insert is the insert phase for worker w: it inserts the candidates of
// w's shards, in chunk order, and lists the fresh ones per chunk.
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
