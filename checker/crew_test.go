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
