package checker

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// A hit is the end of a counterexample or witness: the state a trace is
// rebuilt from.
type hit[S comparable] struct {
	found bool
	num   int64 // the last state's number, or for AlwaysStep the source's
	index int   // for AlwaysStep, the action index of the violating step; else -1
	last  S     // the last state of the trace
}

// hits holds the first hit of each property, indexed like the properties:
// the engine's for the whole search, a chunk's for what expanding and
// collecting it found. A search visits states in a fixed order, so "first"
// makes every verdict's trace independent of the number of workers.
type hits[S comparable] []hit[S]

// record keeps state number num (for an AlwaysStep property, the source of
// the violating step, taken by action index) as the hit of property v,
// unless v has one already; last is the trace's last state.
func (hs hits[S]) record(v int, num int64, index int, last *S) {
	if h := &hs[v]; !h.found {
		*h = hit[S]{found: true, num: num, index: index, last: *last}
	}
}

// merge records the hits of a chunk, which come after those of hs.
func (hs hits[S]) merge(chunk hits[S]) {
	for v := range chunk {
		if h := &chunk[v]; h.found {
			hs.record(v, h.num, h.index, &h.last)
		}
	}
}

// reset forgets every hit, keeping n entries.
func (hs *hits[S]) reset(n int) {
	*hs = slices.Grow((*hs)[:0], n)[:n]
	clear(*hs)
}

// allFound reports whether there is at least one property and every one
// has a hit: Violated or Reached.
func (hs hits[S]) allFound() bool {
	return len(hs) > 0 && !slices.ContainsFunc(hs, func(h hit[S]) bool { return !h.found })
}

// result fills in res: the statistics, and each property's verdict with the
// trace rebuilt from its hit.
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
		v.Property, v.Kind = e.props[i].name, e.props[i].kind
		h := e.hits[i]
		switch {
		case h.found && v.Kind == KindSometimes:
			v.Status = Reached
		case h.found:
			v.Status = Violated
		case !res.Complete:
			v.Status = Unknown
		case v.Kind == KindSometimes:
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
