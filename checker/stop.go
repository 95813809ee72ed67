package checker

import (
	"runtime/debug"
	"time"
)

// A limit is what stopped a search before it explored everything: one of
// the limits of Options, or the context. It is the only record of a stop;
// Result.Limit is its String.
type limit int32

const (
	noLimit     limit = iota // the search runs on
	maxStates                // Options.MaxStates
	maxMemory                // Options.MaxMemory
	maxTime                  // Options.MaxTime
	interrupted              // the context is done
)

var limitNames = [...]string{
	noLimit:     "",
	maxStates:   "max-states",
	maxMemory:   "max-memory",
	maxTime:     "max-time",
	interrupted: "interrupted",
}

// String returns the name Result.Limit gives l: "max-states", "max-memory",
// "max-time", "interrupted", or "" for noLimit.
func (l limit) String() string { return limitNames[l] }

// halt records that l stops the search, unless a limit already did.
func (e *engine[S, A]) halt(l limit) {
	e.stop.CompareAndSwap(int32(noLimit), int32(l))
}

// stopped checks the time limit and the context, and returns the limit that
// stops the search, or noLimit. Once it returns a limit, it returns the same
// one ever after.
func (e *engine[S, A]) stopped() limit {
	if l := limit(e.stop.Load()); l != noLimit {
		return l
	}
	select {
	case <-e.done:
		e.halt(interrupted)
	default:
		if e.opt.MaxTime > 0 && time.Since(e.start) >= e.opt.MaxTime {
			e.halt(maxTime)
		}
	}
	return limit(e.stop.Load())
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
