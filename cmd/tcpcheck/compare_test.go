package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareRowsEqualCheck: each row of compare is what check gives for
// the same settings (states, and every property's verdict and depth).
func TestCompareRowsEqualCheck(t *testing.T) {
	status, out, errs := runCmd(t, append([]string{"compare", "--json", "--vary", "handshake=two-way,three-way", "--vary", "time-wait=0,4"}, small...)...)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var rows []struct {
		Variant    string `json:"variant"`
		States     int64  `json:"states"`
		Properties []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Depth  int    `json:"depth"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	wantVariants := []string{"handshake=two-way time-wait=0", "handshake=two-way time-wait=4", "handshake=three-way time-wait=0", "handshake=three-way time-wait=4"}
	if len(rows) != len(wantVariants) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantVariants))
	}
	for i, r := range rows {
		if r.Variant != wantVariants[i] {
			t.Errorf("row %d is %q, want %q", i, r.Variant, wantVariants[i])
		}
		args := append([]string{"check", "--json"}, small...)
		for _, kv := range strings.Fields(r.Variant) {
			name, value, _ := strings.Cut(kv, "=")
			args = append(args, "--"+name, value)
		}
		_, cout, _ := runCmd(t, args...)
		var c struct {
			States     int64 `json:"states"`
			Properties []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
				Depth  int    `json:"depth"`
			} `json:"properties"`
		}
		if err := json.Unmarshal([]byte(cout), &c); err != nil {
			t.Fatal(err)
		}
		if c.States != r.States || len(c.Properties) != len(r.Properties) {
			t.Errorf("%s: compare %d states, check %d", r.Variant, r.States, c.States)
			continue
		}
		for j := range c.Properties {
			if c.Properties[j] != r.Properties[j] {
				t.Errorf("%s: compare %+v, check %+v", r.Variant, r.Properties[j], c.Properties[j])
			}
		}
	}
	// The three-way handshake with 2*MSL: the known count of MODEL.md.
	if rows[3].States != 68155 {
		t.Errorf("three-way time-wait=4: %d states, want 68155", rows[3].States)
	}
}

func TestCompareDefaultIsHandshakes(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"compare", "--markdown", "--property", "no-stale-syn"}, small...)...)
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{
		"| variant | states | seconds | no-stale-syn |",
		"| handshake=two-way |",
		"| violated (4) |",
		"| handshake=three-way | 68,155 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestCompareReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	status, _, errs := runCmd(t, append([]string{"compare", "--property", "no-stale-syn", "--report", dir}, small...)...)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{`href="traces/row1-no-stale-syn.svg"`, `href="traces/row1-no-stale-syn.json"`, "violated (4)"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(html, "http://") || strings.Contains(html, "https://") {
		t.Error("report refers to the network")
	}
	if _, err := os.Stat(filepath.Join(dir, "traces", "row1-no-stale-syn.json")); err != nil {
		t.Error(err)
	}
}

func TestCompareBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "--vary", "handshake"}, "want SETTING=V1,V2,..."},
		{[]string{"compare", "--vary", "colour=red"}, `unknown setting "colour"`},
		{[]string{"compare", "--vary", "handshake=two-way,four-way"}, `handshake: "four-way" is not allowed`},
		{[]string{"compare", "--vary", "window=1,9"}, "variant window=9: window: 9 is out of range"},
		{[]string{"compare", "--json", "--markdown"}, "choose one"},
	} {
		status, out, errs := runCmd(t, tc.args...)
		if status != exitUsage || out != "" || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q; want 2 and %q", tc.args, status, errs, tc.want)
		}
	}
}
