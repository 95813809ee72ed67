package model_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

// liveOutcome checks every liveness property of the catalog on m and
// returns, per catalog name, the length of the shortest lasso of its
// violation (0: it holds).
func liveOutcome(t testing.TB, m *model.Model) (int64, map[string]int) {
	t.Helper()
	var checks []checker.Liveness[model.State, model.Action]
	var owner []string
	for _, l := range properties.LivenessCatalog() {
		for _, c := range l.Checks() {
			checks = append(checks, c)
			owner = append(owner, l.Name)
		}
	}
	r, err := checker.CheckLiveness(context.Background(), m, checks, properties.Fair, checker.Options{MaxStates: 3_000_000, StrongFairness: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Complete {
		return -r.States, nil
	}
	out := map[string]int{}
	for i, v := range r.Verdicts {
		if v.Status == checker.Violated && (out[owner[i]] == 0 || len(v.Trace.Steps) < out[owner[i]]) {
			out[owner[i]] = len(v.Trace.Steps)
		}
	}
	return r.States, out
}

func TestLivenessMutantSurvey(t *testing.T) {
	if os.Getenv("SURVEY") == "" {
		t.Skip()
	}
	for _, set := range []string{
		"seq-space 4 window 1 capacity 1 opens 1 loss unbounded data 0 msl 1 horizon 0",
		"seq-space 4 window 1 capacity 1 opens 2 loss unbounded data 0 msl 1 horizon 0",
		"seq-space 4 window 1 capacity 1 opens 1 loss unbounded data 1 msl 1 horizon 0",
	} {
		m, _ := model.New(settingsFrom(t, set))
		n, base := liveOutcome(t, m)
		t.Logf("%s: unmodified %d states %v", set, n, base)
		for _, name := range model.MutantNames() {
			mm, _ := model.NewMutant(settingsFrom(t, set), name)
			n, got := liveOutcome(t, mm)
			var caught []string
			for k, d := range got {
				if base[k] == 0 {
					caught = append(caught, fmt.Sprintf("%s@%d", k, d))
				}
			}
			t.Logf("  %-26s %8d states, caught: %s", name, n, strings.Join(caught, " "))
		}
	}
}
