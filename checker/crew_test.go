package checker

import (
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestCrew checks that every run of a crew runs f once on each of its k
// workers and on no other, whether the helpers are polling or parked when
// it starts.
func TestCrew(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		c := newCrew(n)
		defer c.stop()
		runs := rapid.IntRange(1, 40).Draw(t, "runs")
		for r := range runs {
			k := rapid.IntRange(1, n).Draw(t, "k")
			// A pause longer than spinFor lets the helpers park.
			if rapid.Bool().Draw(t, "pause") {
				time.Sleep(spinFor + spinFor/2)
			}
			counts := make([]atomic.Int32, n)
			c.do(k, func(w int) { counts[w].Add(1) })
			for w := range n {
				want := int32(0)
				if w < k {
					want = 1
				}
				if got := counts[w].Load(); got != want {
					t.Fatalf("run %d of a crew of %d on %d workers: worker %d ran %d times, want %d", r, n, k, w, got, want)
				}
			}
		}
	})
}

// TestCrewPanic checks that a panic of worker 0 reaches the caller only
// once the helpers are done: they must not run on after the caller has
// freed what they use.
func TestCrewPanic(t *testing.T) {
	c := newCrew(2)
	defer c.stop()
	started := make(chan struct{})
	var helperDone atomic.Bool
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("worker 0's panic did not reach the caller")
			}
			if !helperDone.Load() {
				t.Error("worker 0's panic reached the caller while worker 1 still ran")
			}
		}()
		c.do(2, func(w int) {
			if w == 1 {
				close(started)
				time.Sleep(20 * time.Millisecond)
				helperDone.Store(true)
				return
			}
			<-started
			panic("worker 0")
		})
	}()
}
