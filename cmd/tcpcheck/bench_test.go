package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/properties"
)

// BenchmarkTCP checks every property on the small benchmark size (1,010,981
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

// TestBench runs the small size once: it must reach its known count, say
// what its settings are, and give the peak RSS per state with the engine's
// accounting and the disk beside it, and leave no file behind.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("a million states")
	}
	dir := t.TempDir()
	status, out, errs := runCmd(t, "bench", "--size", "small", "--workers", "1", "--tmp", dir)
	if status != exitHolds {
		t.Fatalf("status %d, want %d\nstdout:\n%s\nstderr:\n%s", status, exitHolds, out, errs)
	}
	for _, want := range []string{
		"small  --data 0, the MODEL.md defaults otherwise: 1,010,981 states\n",
		"peak RSS RSS/state engine/state disk/state",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	row := regexp.MustCompile(`(?m)^small +1 +1,010,981 +[0-9.]+ +[0-9.]+ +[0-9,]+ +[0-9.]+ (MiB|GiB) +([0-9.]+) +([0-9.]+) +([0-9.]+) +[0-9.]+$`).FindStringSubmatch(out)
	if row == nil {
		t.Fatalf("no row for small, 1 worker:\n%s", out)
	}
	if rss, engine := atof(t, row[2]), atof(t, row[3]); engine <= 0 || rss < engine {
		t.Errorf("RSS/state %v, engine/state %v: want the engine's part of the RSS", rss, engine)
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("%d files left in --tmp", len(names))
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
