package checker

import "slices"

// collect is the collect phase: it stores the fresh candidates of the
// batch on the next level, at most up to Options.MaxStates, and then, in
// chunk order, their hits and parent links.
func (e *engine[S, A]) collect(nch, nw int) error {
	e.offsets = slices.Grow(e.offsets[:0], nch)[:nch]
	total := 0
	for c := range nch {
		e.offsets[c] = total
		for _, n := range e.chunks[c].nfresh {
			total += int(n)
		}
	}
	stored := e.stored
	keep := int64(total)
	if e.opt.MaxStates > 0 && stored+keep > e.opt.MaxStates {
		keep = e.opt.MaxStates - stored
	}
	if e.overMemory(e.fixed.Load() + e.candMem.Load() + e.next.growth(int(keep))) {
		e.halt(MaxMemory)
		return nil
	}
	if keep < int64(total) {
		e.halt(MaxStates)
	}
	out, outStates, err := e.next.tail(int(keep))
	if err != nil {
		return err
	}
	e.out, e.outStates = out, outStates
	for _, ch := range e.chunks[:nch] {
		ch.linkParent = ch.linkParent[:0]
		ch.linkAction = ch.linkAction[:0]
	}
	e.grab.Store(0)
	e.crew.do(nw, func(int) {
		for {
			c := int(e.grab.Add(1) - 1)
			if c >= nch {
				return
			}
			e.collectChunk(c, stored, int(keep))
		}
	})
	parentBase := uint64(e.curBase + e.batchLo)
	for _, ch := range e.chunks[:nch] {
		if ch.err != nil {
			return ch.err
		}
		e.hits.merge(ch.hits)
		if err := e.links.addRun(parentBase, ch.linkParent, ch.linkAction); err != nil {
			return err
		}
	}
	e.stored += keep
	e.states.Store(e.stored)
	e.account()
	return nil
}

// collectChunk stores chunk c's fresh candidates whose position in the
// batch's output is below keep, and checks the Always and Sometimes
// properties on them; stored is the number of states stored before the
// batch.
func (e *engine[S, A]) collectChunk(c int, stored int64, keep int) {
	ch := e.chunks[c]
	size := e.codec.size
	pos := e.offsets[c]
	for j, fresh := range ch.fresh {
		if !fresh {
			continue
		}
		if pos >= keep {
			return
		}
		cd := &ch.cands[j]
		num := stored + int64(pos)
		if e.outStates != nil {
			e.outStates[pos] = cd.state
		} else if !e.codec.pack(e.out[pos*size:], &cd.state) && ch.err == nil {
			ch.err = e.packError(cd.state)
		}
		ch.linkParent = append(ch.linkParent, cd.parent)
		ch.linkAction = append(ch.linkAction, cd.index)
		for _, sc := range e.activeState {
			if !ch.hits[sc.verdict].found && sc.pred(&cd.state) == sc.want {
				ch.hits.record(sc.verdict, num, -1, &cd.state)
			}
		}
		pos++
	}
}
