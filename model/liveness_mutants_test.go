package model_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

// Seeded bugs against the liveness catalog, as mutants_test.go does for
// safety: which liveness property catches which mutant, on which small
// settings (unbounded time), with the length of its shortest lasso; the
// unmodified model holds that property there. Then the mutants that the
// liveness catalog does not catch although their mistake is reachable.
const (
	// One connection, any loss, no data: 240,640 states. The unmodified
	// model violates only fin-wait-2-ends (RFC 9293 has no FIN-WAIT-2
	// timer).
	liveOne = "seq-space 8 capacity 1 opens 1 loss unbounded data 0 msl 1 horizon 0"
	// Two incarnations on a window of 1: 704,640 states (1,433,616 with the
	// mutant syn-sent-no-ack-check). Under weak
	// fairness its ACK exchanges of unacceptable segments are Zeno runs
	// (see TestZenoCycle in cmd/tcpcheck); the table uses strong fairness.
	liveReopen = "seq-space 4 window 1 capacity 1 opens 2 loss unbounded data 0 msl 1 horizon 0"
)

var liveMutantTable = []struct {
	mutant, settings string
	strong           bool
	property         string // "" for a mutant no liveness property catches
	depth            int
}{
	// A FIN that takes no sequence number is never acknowledged as such:
	// the closing end stays in FIN-WAIT-1 while ACKs go back and forth.
	{"fin-no-seq", liveOne, false, "close-completes", 12},
	// SYN-SENT takes any ACK: an old SYN,ACK leaves the two ends in
	// disagreement, and one stays in SYN-RECEIVED.
	{"syn-sent-no-ack-check", liveReopen, true, "syn-received-resolves", 12},
	// Caught by no liveness property, though reachable here.
	{"no-time-wait-restart", liveOne, false, "", 0},
	{"rst-in-syn-received-closes", liveOne, false, "", 0},
}

// liveOutcome checks every liveness property of the catalog on m and
// returns the number of states and, per catalog name, the length of the
// shortest lasso of its violation (absent: it holds).
func liveOutcome(t testing.TB, m *model.Model, strong bool) (int64, map[string]int) {
	t.Helper()
	r, err := properties.CheckModel(context.Background(), m, nil, properties.LivenessCatalog(), nil, properties.Options{MaxStates: 1_500_000, StrongFairness: strong})
	if err != nil {
		t.Fatal(err)
	}
	if r.Live == nil || !r.Live.Complete {
		t.Fatalf("liveness search incomplete")
	}
	out := map[string]int{}
	for _, v := range r.Liveness {
		if v.Status == properties.Violated {
			out[v.Name] = len(v.Trace.Steps)
		}
	}
	return r.Live.States, out
}

func TestLivenessMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("searches about 3*10^6 states")
	}
	for _, tc := range liveMutantTable {
		t.Run(tc.mutant, func(t *testing.T) {
			base, err := model.New(settingsFrom(t, tc.settings))
			if err != nil {
				t.Fatal(err)
			}
			mut, err := model.NewMutant(settingsFrom(t, tc.settings), tc.mutant)
			if err != nil {
				t.Fatal(err)
			}
			nBase, vBase := liveOutcome(t, base, tc.strong)
			nMut, vMut := liveOutcome(t, mut, tc.strong)
			var caught []string
			for _, l := range properties.LivenessCatalog() {
				if _, bad := vMut[l.Name]; bad {
					if _, baseBad := vBase[l.Name]; !baseBad {
						caught = append(caught, fmt.Sprintf("%s@%d", l.Name, vMut[l.Name]))
					}
				}
			}
			t.Logf("%-26s %d states (unmodified %d), caught by %s", tc.mutant, nMut, nBase, strings.Join(caught, " "))
			if tc.property == "" {
				if nMut == nBase {
					t.Errorf("the mistake is not reachable here (%d states, as unmodified)", nMut)
				}
				if len(caught) > 0 {
					t.Errorf("caught by %v: move it to the table", caught)
				}
				return
			}
			if want := fmt.Sprintf("%s@%d", tc.property, tc.depth); len(caught) == 0 || caught[0] != want {
				t.Errorf("first caught by %v, want %s", caught, want)
			}
			if !slices.ContainsFunc(properties.LivenessCatalog(), func(l properties.Liveness) bool { return l.Name == tc.property }) {
				t.Errorf("%s is not in the liveness catalog", tc.property)
			}
		})
	}
}
