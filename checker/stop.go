package checker

import (
	"runtime/debug"
	"time"
)

// A Limit is what stopped a search before it explored everything: one of
// the limits of Options, or the context. Result.Limit holds it; inside the
// engine it is the only record of a stop.
type Limit int32

const (
	NoLimit     Limit = iota // the search was not stopped
	MaxStates                // Options.MaxStates
	MaxMemory                // Options.MaxMemory
	MaxTime                  // Options.MaxTime
	Interrupted              // the context is done (Ctrl-C, SIGTERM)
)

var limitNames = [...]string{
	NoLimit:     "",
	MaxStates:   "max-states",
	MaxMemory:   "max-memory",
	MaxTime:     "max-time",
	Interrupted: "interrupted",
}

// String returns "max-states", "max-memory", "max-time", "interrupted", or
// "" for NoLimit.
func (l Limit) String() string { return enumName(limitNames[:], l, "Limit") }

// MarshalText writes the limit as String does, for JSON.
func (l Limit) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// halt records that l stops the search, unless a limit already did.
func (e *engine[S, A]) halt(l Limit) {
	e.stop.CompareAndSwap(int32(NoLimit), int32(l))
}

// stopped checks the time limit and the context, and returns the limit that
// stops the search, or NoLimit. Once it returns a limit, it returns the same
// one ever after.
func (e *engine[S, A]) stopped() Limit {
	if l := Limit(e.stop.Load()); l != NoLimit {
		return l
	}
	select {
	case <-e.done:
		e.halt(Interrupted)
	default:
		if e.opt.MaxTime > 0 && time.Since(e.start) >= e.opt.MaxTime {
			e.halt(MaxTime)
		}
	}
	return Limit(e.stop.Load())
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
