package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/tcpcheck/tcpcheck/properties"
)

// BenchmarkTCP checks every property on the small benchmark size (972,170
// states, as 'tcpcheck bench --size small') with 1 worker and with one per
// CPU. allocs/op is per search: it does not grow with the states.
func BenchmarkTCP(b *testing.B) {
	sz := benchSizes[indexSize("small")]
	s, err := benchSettings(sz)
	if err != nil {
		b.Fatal(err)
	}
	props, err := properties.Select(nil)
	if err != nil {
		b.Fatal(err)
	}
	counts := []int{1}
	if n := runtime.GOMAXPROCS(0); n > 1 {
		counts = append(counts, n)
	}
	for _, workers := range counts {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			var states int64
			var bytesPerState float64
			for b.Loop() {
				r, err := search(context.Background(), s, props, nil, limitFlags{workers: workers}, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				if !r.Complete || r.States != sz.states {
					b.Fatalf("%d states, complete %v; want %d, complete", r.States, r.Complete, sz.states)
				}
				states += r.States
				bytesPerState = r.BytesPerSt
			}
			b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(bytesPerState, "bytes/state")
		})
	}
}
