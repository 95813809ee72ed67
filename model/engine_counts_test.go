package model_test

import (
	"context"
	"testing"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
)

// TestKnownStateCountsThroughTheEngine checks MODEL.md's "Known state
// counts" through checker.Check, the engine every command uses, with one
// and with two workers. known_counts_test.go checks the same table with a
// plain map search that shares no code with the engine.
func TestKnownStateCountsThroughTheEngine(t *testing.T) {
	for _, tc := range model.KnownStateCounts() {
		s := model.Defaults()
		for i := 0; i < len(tc.Settings); i += 2 {
			if err := s.Set(tc.Settings[i], tc.Settings[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		m, err := model.New(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 2} {
			r, err := checker.Check[model.State, model.Action](context.Background(), m, nil, checker.Options{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if r.States != int64(tc.States) {
				t.Errorf("%v, %d workers: %d states, want %d", tc.Settings, workers, r.States, tc.States)
			}
		}
	}
}
