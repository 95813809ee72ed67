package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/properties"
)

// TestHazards is the catalog as a test suite: every scenario comes out as
// the catalog says, under its settings and with its fix, and each
// violation has a trace. Every scenario searches at most about 10^6
// states.
func TestHazards(t *testing.T) {
	for _, h := range properties.Hazards() {
		t.Run(h.Name, func(t *testing.T) {
			r, err := runHazard(context.Background(), h, limitFlags{}, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if r.Shows.Status != h.Expect {
				t.Errorf("%s shows %s, the catalog says %s", h.Check, answer(r.Shows), h.Expect)
			}
			if (r.Shows.Status == properties.Violated) != (r.Shows.Trace != nil) {
				t.Errorf("%s: trace %v", answer(r.Shows), r.Shows.Trace != nil)
			}
			if h.Fix != "" && (r.WithFix == nil || r.WithFix.Status != h.FixExpect) {
				t.Errorf("with %s: %+v, the catalog says %s", h.Fix, r.WithFix, h.FixExpect)
			}
			if h.Source == "" || h.Claim == "" || h.Reading == "" {
				t.Error("a scenario needs a source, a claim and a reading")
			}
		})
	}
}

// TestHazardsCommand: the table, the report with a chart per violation,
// and the errors.
func TestHazardsCommand(t *testing.T) {
	dir := t.TempDir()
	status, out, _ := runCmd(t, "hazards", "--only", "two-way-handshake,han-billington-deadlock", "--markdown", "--report", dir)
	for _, want := range []string{
		"| two-way-handshake | RFC 9293 3.5, Figure 8 (RFC 793 Figure 9) | no-stale-syn | violated (4) | `handshake=three-way` | holds | yes |",
		"| han-billington-deadlock |",
	} {
		if status != exitHolds || !strings.Contains(out, want) {
			t.Errorf("status %d, output lacks %q:\n%s", status, want, out)
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section id="two-way-handshake">`, `src="traces/two-way-handshake.svg"`, "Claim."} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "traces", "han-billington-deadlock.json")); err != nil {
		t.Error(err)
	}
	status, _, errs := runCmd(t, "hazards", "--only", "nothing")
	if status != exitUsage || !strings.Contains(errs, `unknown scenario "nothing"`) {
		t.Errorf("status %d, %q", status, errs)
	}
	// Each scenario brings its own settings: there are no settings flags.
	status, _, errs = runCmd(t, "hazards", "--seq-space", "8")
	if status != exitUsage || !strings.Contains(errs, "unknown option --seq-space") {
		t.Errorf("status %d, %q", status, errs)
	}
}

// TestHazardsStatus: the exit status of hazards, for each of its rows in
// the README's table (a scenario that does not come out as its catalog
// entry says cannot be had from the catalog itself).
func TestHazardsStatus(t *testing.T) {
	asSaid := hazardResult{Shows: verdict{Status: properties.Violated}, WithFix: &verdict{Status: properties.Holds}, Expected: true}
	notAsSaid := asSaid
	notAsSaid.Expected = false
	undecided := asSaid
	undecided.WithFix = &verdict{Status: properties.Unknown}
	for _, tc := range []struct {
		results []hazardResult
		want    int
	}{
		{[]hazardResult{asSaid, asSaid}, exitHolds},
		{[]hazardResult{asSaid, notAsSaid}, exitViolated},
		{[]hazardResult{notAsSaid, undecided}, exitLimit},
	} {
		if got := hazardsStatus(tc.results); got != tc.want {
			t.Errorf("%+v: status %d, want %d", tc.results, got, tc.want)
		}
	}
}
