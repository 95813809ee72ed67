package model_test

// Seeded bugs: each mutant of model.go (export_test.go names them) is a
// mistake a TCP implementer could make. The table says which property of
// the catalog catches it, on which small settings, with the length of its
// shortest counterexample, and the unmodified model holds that property on
// the same settings; it is the first property in catalog order with both.
// Mutants that no property catches are listed too, with
// settings on which the mistake is reachable (the state count differs) and
// yet every verdict is the unmodified model's: blind spots of the catalog.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

// Small settings of the table (every setting not named is the default).
const (
	// One connection, one loss: 35,201 states; the unmodified model
	// violates nothing. (Two FINs in flight with capacity 1 and the loss
	// budget spent, each delivery needing room for its reply, is the
	// bounded network's limit, not a deadlock: MODEL.md version 2.)
	setOneLoss = "seq-space 8 opens 1 loss 1 data 0 horizon 8"
	// Two incarnations each, no loss, data: 204,311 states.
	setReopen = "seq-space 8 opens 2 loss 0 data 1 horizon 6"
	// Two incarnations, one loss, a clock that does not wrap: 212,949 states.
	setReopenLoss = "seq-space 16 opens 2 loss 1 data 0 horizon 6"
	// Any loss, and more retries than the horizon lets happen, so that
	// no-deadlock holds: 69,687 states.
	setLive = "seq-space 8 opens 1 loss unbounded data 0 horizon 6 retries 4"
	// One connection with data and one loss: 146,940 states.
	setData = "seq-space 8 opens 1 loss 1 data 1 horizon 6"
	// Two incarnations, one loss, and a sequence space (12) whose ISN clock
	// wraps within the horizon: the old segments that TIME-WAIT keeps out
	// are in the window again. 416,908 states.
	setWrap = "seq-space 12 opens 2 loss 1 data 0 horizon 8"
)

var mutantTable = []struct {
	mutant   string
	settings string
	property string // the first property of the catalog the mutant violates and the unmodified model holds; "" if none
	depth    int    // its shortest counterexample
	also     string // another property that catches it, as "name@depth", for the note
}{
	{"no-third-segment", setOneLoss, "no-stale-syn", 4, "no-half-open@4"},
	{"no-retransmit", setOneLoss, "graceful-close", 18, ""},
	{"no-acceptability", setOneLoss, "no-half-open", 8, "graceful-close@13"},
	{"syn-sent-no-irs", setOneLoss, "isn-agreement", 5, ""},
	{"syn-sent-no-ack-check", setReopen, "no-half-open", 7, "no-old-segment@5"},
	{"any-rst", setReopenLoss, "no-half-open", 16, "no-old-segment@12"},
	{"fin-no-seq", setLive, "no-deadlock", 13, ""},
	// RCV.NXT stays, so the data is never acknowledged: the sender gives
	// up and leaves the receiver in FIN-WAIT-2 for ever (no-deadlock); and
	// the retransmitted unit is delivered again (stream-integrity).
	{"data-rcv-nxt-stays", setData, "no-deadlock", 22, "stream-integrity@11"},
	// With the ISN clock wrapping (seq-space 8), LISTEN accepts a stale SYN
	// (its sender is already bound to B's earlier incarnation); the ACK the
	// sender answers B's SYN-ACK with acknowledges that earlier incarnation,
	// and the mistake takes it as acceptable: the stale SYN is established.
	{"syn-received-any-ack", "seq-space 8 opens 2 loss 1 data 0 horizon 6", "no-stale-syn", 22, ""},
	// Caught by nothing (see the report): reachable, same verdicts.
	{"no-time-wait-restart", setWrap, "", 0, ""},
	{"no-give-up", setOneLoss, "", 0, ""},
	{"rst-in-syn-received-closes", setOneLoss, "", 0, ""},
	{"in-window-syn-ignored", setReopenLoss, "", 0, ""},
}

// Mutants whose mistake no small setting reaches: the model never presents
// the situation the rule is for (see the report).
var unreachableMutants = map[string]string{
	"out-of-order-data":      "the sender sends a data unit only when nothing is unacknowledged, so within an incarnation no data arrives ahead of RCV.NXT; an older incarnation's data ahead of RCV.NXT needs settings beyond small ones",
	"listen-accepts-syn-ack": "a SYN,ACK reaches LISTEN only after a simultaneous open and a second passive open: open=any, opens=2, capacity 2",
}

func settingsFrom(t testing.TB, pairs string) model.Settings {
	t.Helper()
	s := model.Defaults()
	f := strings.Fields(pairs)
	for i := 0; i+1 < len(f); i += 2 {
		if err := s.Set(f[i], f[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

type outcome struct {
	states int64
	status map[string]properties.Status
	depth  map[string]int
}

// checkAll checks every property of the catalog on m with
// properties.CheckModel, as the command does.
func checkAll(t testing.TB, m *model.Model) outcome {
	t.Helper()
	r, err := properties.CheckModel(context.Background(), m, properties.All(), nil, nil, properties.Options{MaxStates: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Search.Complete {
		t.Fatalf("search incomplete after %d states (%s)", r.Search.States, r.Search.Limit)
	}
	o := outcome{states: r.Search.States, status: map[string]properties.Status{}, depth: map[string]int{}}
	for _, v := range r.Safety {
		o.status[v.Name] = v.Status
		if v.Trace != nil {
			o.depth[v.Name] = len(v.Trace.Steps)
		}
	}
	return o
}

// firstCaught is the first property in catalog order that o violates and
// base holds.
func (o outcome) firstCaught(base outcome) (string, int) {
	for _, n := range properties.Names() {
		if o.status[n] == properties.Violated && base.status[n] == properties.Holds {
			return n, o.depth[n]
		}
	}
	return "", 0
}

func (o outcome) String() string {
	var parts []string
	for _, n := range properties.Names() {
		if o.status[n] == properties.Violated {
			parts = append(parts, fmt.Sprintf("%s@%d", n, o.depth[n]))
		}
	}
	return fmt.Sprintf("%d states, violated: %s", o.states, strings.Join(parts, " "))
}

// unmodified caches the unmodified model's outcome per settings.
var unmodified sync.Map // settings string -> outcome

func baseline(t *testing.T, pairs string) outcome {
	if o, ok := unmodified.Load(pairs); ok {
		return o.(outcome)
	}
	m, err := model.New(settingsFrom(t, pairs))
	if err != nil {
		t.Fatal(err)
	}
	o := checkAll(t, m)
	unmodified.Store(pairs, o)
	return o
}

func TestMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("searches about 2*10^6 states")
	}
	listed := map[string]bool{}
	for _, tc := range mutantTable {
		listed[tc.mutant] = true
		t.Run(tc.mutant, func(t *testing.T) {
			m, err := model.NewMutant(settingsFrom(t, tc.settings), tc.mutant)
			if err != nil {
				t.Fatal(err)
			}
			got := checkAll(t, m)
			base := baseline(t, tc.settings)
			t.Logf("%-26s | %s | mutant: %s | unmodified: %s", tc.mutant, tc.settings, got, base)
			if tc.property == "" {
				if got.states == base.states {
					t.Errorf("the mistake is not reachable on these settings (%d states, as unmodified)", got.states)
				}
				for _, n := range properties.Names() {
					if got.status[n] != base.status[n] {
						t.Errorf("%s: %v, unmodified %v: the mutant is caught; move it to the table", n, got.status[n], base.status[n])
					}
				}
				return
			}
			if p, d := got.firstCaught(base); p != tc.property || d != tc.depth {
				t.Errorf("first property that catches it: %s at depth %d, want %s at depth %d (%s)", p, d, tc.property, tc.depth, got)
			}
			if base.status[tc.property] != properties.Holds {
				t.Errorf("the unmodified model does not hold %s on these settings: %v", tc.property, base.status[tc.property])
			}
			if tc.also != "" {
				name, depth, _ := strings.Cut(tc.also, "@")
				if fmt.Sprint(got.depth[name]) != depth || got.status[name] != properties.Violated || base.status[name] != properties.Holds {
					t.Errorf("%s: mutant %v at depth %d, unmodified %v; want violated at depth %s and holds", name, got.status[name], got.depth[name], base.status[name], depth)
				}
			}
		})
	}
	for _, name := range model.MutantNames() {
		if !listed[name] && unreachableMutants[name] == "" {
			t.Errorf("mutant %q is in neither table", name)
		}
	}
}

// TestUnreachableMutants: on small settings these mistakes change nothing
// the search can reach.
func TestUnreachableMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("searches")
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range unreachableMutants {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		for _, pairs := range []string{setOneLoss, setReopen} {
			m, err := model.NewMutant(settingsFrom(t, pairs), name)
			if err != nil {
				t.Fatal(err)
			}
			if got, base := checkAll(t, m), baseline(t, pairs); got.states != base.states {
				t.Errorf("%s on %s: %d states, unmodified %d: the mistake is reachable; find the property that catches it", name, pairs, got.states, base.states)
			}
		}
	}
}

// TestMutantNames: NewMutant refuses an unknown name, and there are at
// least the 12 mutants asked for. (New's model is the unmodified one: the
// known state counts of MODEL.md still hold.)
func TestMutantNames(t *testing.T) {
	if _, err := model.NewMutant(model.Defaults(), "no-such"); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("NewMutant(no-such): %v", err)
	}
	if n := len(model.MutantNames()); n < 12 {
		t.Errorf("%d mutants, want at least 12", n)
	}
}
