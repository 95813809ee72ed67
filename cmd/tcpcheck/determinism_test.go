package main

import (
	"context"
	"flag"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tcpcheck/tcpcheck/properties"
)

// TestDeterminism checks the TCP model with every property and every goal
// on 1, 2, 4 and 8 workers: the state and transition counts, the depth, every
// verdict and every counterexample and witness, step by step, must be the
// same.
func TestDeterminism(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		states     int64
		violations int
	}{
		{[]string{"--seq-space", "8", "--opens", "1", "--data", "0", "--horizon", "6", "--loss", "unbounded"}, 68_155, 3},
		{[]string{"--seq-space", "8", "--opens", "2", "--data", "1", "--horizon", "4"}, 516_235, 2},
	} {
		if testing.Short() && tc.states > 100_000 {
			continue
		}
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		settings := settingFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		props, err := properties.Select(nil)
		if err != nil {
			t.Fatal(err)
		}
		goals, err := properties.SelectGoals(nil)
		if err != nil {
			t.Fatal(err)
		}
		var first *report
		for _, workers := range []int{1, 2, 4, 8} {
			r, err := search(context.Background(), *settings, props, goals, limitFlags{workers: workers}, io.Discard)
			if err != nil {
				t.Fatalf("%v, %d workers: %v", tc.args, workers, err)
			}
			if first == nil {
				first = r
				traces, violations := 0, 0
				for _, v := range append(append([]verdict(nil), r.Properties...), r.Goals...) {
					if v.Trace != nil {
						traces++
					}
				}
				for _, v := range r.Properties {
					if v.Status == properties.Violated {
						violations++
					}
				}
				if r.States != tc.states || !r.Complete || violations != tc.violations || traces == 0 {
					t.Fatalf("%v: %d states, complete %v, %d violations, %d traces; want %d states, complete, %d violations, some traces",
						tc.args, r.States, r.Complete, violations, traces, tc.states, tc.violations)
				}
				t.Logf("%v: %d states, %d transitions, depth %d, %d traces", tc.args, r.States, r.Transitions, r.Depth, traces)
				continue
			}
			// Everything but the times and the memory, every trace in full.
			if diff := cmp.Diff(first, r, cmp.AllowUnexported(report{}), cmpopts.IgnoreFields(report{}, "Seconds", "PeakMemory")); diff != "" {
				t.Errorf("%v: %d workers differ from 1 worker (-1 worker +%d workers):\n%s", tc.args, workers, workers, diff)
			}
		}
	}
}
