package checker

import (
	"sync"
	"time"
)

// startProgress starts calling Options.Progress and returns a function that
// stops it.
func (e *engine[S, A]) startProgress() (stop func()) {
	if e.opt.Progress == nil {
		return func() {}
	}
	every := e.opt.ProgressEvery
	if every == 0 {
		every = time.Second
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				e.opt.Progress(e.progress())
			}
		}
	})
	return func() {
		close(quit)
		wg.Wait()
	}
}

// progress is a snapshot of the search, read from the counters the workers
// update.
func (e *engine[S, A]) progress() Progress {
	return Progress{
		States:      e.states.Load(),
		Transitions: e.trans.Load(),
		Depth:       int(e.level.Load()),
		Frontier:    int(e.frontier.Load()),
		Elapsed:     time.Since(e.start),
		Memory:      e.fixed.Load() + e.candMem.Load(),
	}
}
