package checker

import "runtime"

// insertBatch is the number of fingerprints whose home slots the insert
// phase reads before it inserts them.
const insertBatch = 64

// insertGroups is the number of groups of table shards that the insert
// phase inserts into as separate tasks: group g holds the shards s with
// s%insertGroups == g. It divides numShards.
const insertGroups = 32

// A pending is a fingerprint waiting to be inserted, with its index in its
// chunk.
type pending struct {
	fp uint64
	j  int32
}

// insertGroups is the insert phase for worker w: it takes groups of
// shards in turn and, for each, inserts the candidates of the group's
// shards in chunk order, marking the fresh ones. A chunk is inserted once
// it is expanded, so a worker that has no chunk left to expand starts
// inserting while others still expand. It reports false if the search
// stopped before a chunk it waited for was expanded.
func (e *engine[S, A]) insertGroups(w, nch int) bool {
	wk := e.ws[w]
	for {
		g := int(e.grabG.Add(1) - 1)
		if g >= insertGroups {
			return true
		}
		for _, ch := range e.chunks[:nch] {
			for !ch.ready.Load() {
				if e.stopped() != NoLimit {
					return false
				}
				runtime.Gosched()
			}
			list := ch.groups[g]
			fresh := int32(0)
			for len(list) > 0 {
				n := min(len(list), insertBatch)
				fresh += wk.insertBatch(list[:n], ch.fresh)
				list = list[n:]
			}
			ch.nfresh[g] = fresh
		}
	}
}

// insertBatch reads the home slots of a batch of fingerprints, then inserts
// them in order, marking the fresh ones in fresh; it returns their number.
func (w *worker[S, A]) insertBatch(batch []pending, fresh []bool) int32 {
	t := w.e.table
	var sink uint64
	for _, p := range batch {
		sink += t.touch(p.fp)
	}
	w.sink += sink
	n := int32(0)
	for _, p := range batch {
		if t.insert(p.fp) {
			fresh[p.j] = true
			n++
		}
	}
	return n
}
