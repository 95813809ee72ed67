package checker

import (
	"runtime"
	"sync/atomic"
	"time"
)

// spinFor is how long a crew's helper waits for the next run by polling
// before it parks. The work between two runs (merging a batch's hits,
// writing its parent links) takes tens of microseconds; so does waking a
// parked goroutine whose thread sleeps, on a virtual machine more.
const spinFor = 200 * time.Microsecond

// A crew runs a function on up to n workers at once, run after run. Worker
// 0 is the caller's goroutine; workers 1 to n-1 are helper goroutines that
// live as long as the crew. Between runs a helper polls for the next one
// for spinFor, then parks: a run then starts on every worker at once,
// where starting goroutines for it would leave workers idle while their
// threads wake.
type crew struct {
	n int
	// spin says whether helpers poll before they park: not when there are
	// more workers than the Go scheduler runs at once, since a polling
	// helper would then take the place of a working one.
	spin    bool
	k       int         // workers in the current run
	f       func(w int) // the current run's function
	run     atomic.Uint64
	running atomic.Int32 // helpers not done with the current run
	helpers []helper
	done    atomic.Bool // set by stop
}

// A helper is the parking place of one helper goroutine.
type helper struct {
	parked atomic.Bool
	wake   chan struct{}
	_      [48]byte // keep helpers' flags on separate cache lines
}

// newCrew starts the helpers of a crew of n workers.
func newCrew(n int) *crew {
	c := &crew{n: n, spin: n <= runtime.GOMAXPROCS(0), helpers: make([]helper, n)}
	for w := 1; w < n; w++ {
		c.helpers[w].wake = make(chan struct{}, 1)
		go c.help(w)
	}
	return c
}

// do runs f(w) for w from 0 to k-1, k at most n, and returns when all are
// done. If f(0) panics, the panic goes on only once the helpers are done,
// so that they do not run on after the caller has freed what they use.
func (c *crew) do(k int, f func(w int)) {
	if k == 1 || c.n == 1 {
		f(0)
		return
	}
	c.k, c.f = k, f
	c.running.Store(int32(c.n - 1))
	c.run.Add(1)
	c.wakeAll()
	defer c.wait()
	f(0)
}

// wait waits until the helpers are done with the current run.
func (c *crew) wait() {
	for i := 0; c.running.Load() != 0; i++ {
		if i%16 == 15 {
			runtime.Gosched()
		}
	}
	c.f = nil
}

// stop ends the helpers.
func (c *crew) stop() {
	c.done.Store(true)
	c.run.Add(1)
	c.wakeAll()
}

// wakeAll wakes the helpers that parked.
func (c *crew) wakeAll() {
	for w := 1; w < c.n; w++ {
		if h := &c.helpers[w]; h.parked.CompareAndSwap(true, false) {
			h.wake <- struct{}{}
		}
	}
}

// help is helper w's loop: wait for a run, take part in it, report.
func (c *crew) help(w int) {
	h := &c.helpers[w]
	seen := uint64(0) // the number before the first run, whenever the helper starts
	for {
		seen = c.await(h, seen)
		if c.done.Load() {
			return
		}
		if w < c.k {
			c.f(w)
		}
		c.running.Add(-1)
	}
}

// await waits until the run number differs from seen and returns it: it
// polls for spinFor (if the crew spins), then parks until do or stop wakes
// it. A wake-up is
// counted only if the run number changed.
func (c *crew) await(h *helper, seen uint64) uint64 {
	start := time.Now()
	for i := 0; c.spin; i++ {
		if r := c.run.Load(); r != seen {
			return r
		}
		if i%64 == 63 {
			if time.Since(start) > spinFor {
				break
			}
			runtime.Gosched()
		}
	}
	for {
		h.parked.Store(true)
		if r := c.run.Load(); r != seen && h.parked.CompareAndSwap(true, false) {
			return r // a run began before the waker could see the flag
		}
		<-h.wake
		if r := c.run.Load(); r != seen {
			return r
		}
		// The waker of the run before reached this helper late, after it
		// had taken part in that run and parked again.
	}
}
