package checker

import (
	"context"
	"testing"
)

// BenchmarkCheck explores a 100x100x100 grid: 10^6 states, 6.94*10^6
// transitions, with one invariant that holds.
func BenchmarkCheck(b *testing.B) {
	m := grid{100}
	props := []Property[[3]int8, string]{Always[[3]int8, string]("in bounds", func(s *[3]int8) bool { return max((*s)[0], (*s)[1], (*s)[2]) < 100 })}
	b.ReportAllocs()
	var states int64
	for b.Loop() {
		res, err := Check(context.Background(), m, props, Options{})
		if err != nil || !res.Complete {
			b.Fatalf("err %v, complete %v", err, res.Complete)
		}
		states += res.States
		b.ReportMetric(res.BytesPerState, "bytes/state")
	}
	b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
}
