package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/traces"
)

// tiny is MODEL.md's second known count, on unbounded time: 55,632 states.
var tiny = []string{"--seq-space", "4", "--window", "1", "--opens", "1", "--loss", "unbounded", "--data", "0", "--msl", "1", "--horizon", "0"}

// TestSynSentResolves: without retransmission a lost SYN leaves A in
// SYN-SENT for ever, a lasso of ticks; with it, the R2 give-up ends every
// attempt (RFC 9293 3.8.3).
func TestSynSentResolves(t *testing.T) {
	dir := t.TempDir()
	status, out, errs := runCmd(t, append([]string{"check", "--property", "syn-sent-resolves", "--retransmit", "off", "--trace-dir", dir}, tiny...)...)
	if want := "tcpcheck: wrote " + filepath.Join(dir, "syn-sent-resolves.json") + "\n"; errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
	for _, want := range []string{
		"syn-sent-resolves  violated at depth 6",
		"  2  drop A->B <SEQ=0><CTL=SYN> from A1 to B?",
		"loop: after step 2 the run repeats steps 3 to 6 forever (state 6 is state 2)",
		"why: A1 stays in SYN-SENT forever",
	} {
		if status != exitViolated || !strings.Contains(out, want) {
			t.Errorf("retransmit off: status %d, output lacks %q:\n%s", status, want, out)
		}
	}
	// The lasso round-trips through its JSON trace.
	f, err := os.Open(filepath.Join(dir, "syn-sent-resolves.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := traces.ReadJSON(f)
	if err != nil || !tr.Lasso || tr.LoopAt != 2 || len(tr.Steps) != 6 {
		t.Errorf("JSON trace: %v, lasso %v at %d, %d steps", err, tr != nil && tr.Lasso, tr.LoopAt, len(tr.Steps))
	}
	status, out, _ = runCmd(t, append([]string{"check", "--property", "syn-sent-resolves"}, tiny...)...)
	if status != exitHolds || !strings.Contains(out, "syn-sent-resolves  holds\n") {
		t.Errorf("retransmit on: status %d\n%s", status, out)
	}
}

// TestLivenessJSON: the lasso's cycle start is in --json.
func TestLivenessJSON(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check", "--property", "syn-sent-resolves", "--retransmit", "off", "--json"}, tiny...)...)
	var r struct {
		Liveness []struct {
			Name, Status, Note string
			LoopAt             *int `json:"loop_at"`
			Trace              []any
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if status != exitViolated || len(r.Liveness) != 1 || r.Liveness[0].LoopAt == nil || *r.Liveness[0].LoopAt != 2 ||
		len(r.Liveness[0].Trace) != 6 || r.Liveness[0].Note != "A1 stays in SYN-SENT forever" {
		t.Errorf("status %d: %+v", status, r.Liveness)
	}
}

// TestLivenessUnderAHorizon: liveness is not checked under a horizon, and
// the output says why; asked for alone it is a usage error.
func TestLivenessUnderAHorizon(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check"}, small...)...)
	if !strings.Contains(out, "liveness not checked: liveness needs unbounded time (--horizon 0): under a horizon of 6 ticks every run is finite") ||
		!strings.Contains(out, "no-ack-loop            not checked") || status != exitViolated {
		t.Errorf("status %d\n%s", status, out)
	}
	status, _, errs := runCmd(t, append([]string{"check", "--property", "time-wait-ends"}, small...)...)
	if status != exitUsage || !strings.Contains(errs, "liveness needs unbounded time") {
		t.Errorf("status %d, stderr %q", status, errs)
	}
	status, _, errs = runCmd(t, append([]string{"check", "--fairness", "fair"}, tiny...)...)
	if status != exitUsage || !strings.Contains(errs, `--fairness: "fair" is not allowed (want weak or strong)`) {
		t.Errorf("status %d, stderr %q", status, errs)
	}
	status, _, errs = runCmd(t, "compare", "--property", "time-wait-ends")
	if status != exitUsage || !strings.Contains(errs, `"time-wait-ends" is a liveness property: only check runs it, with --horizon 0`) {
		t.Errorf("compare: status %d, stderr %q", status, errs)
	}
}

// TestZenoCycle: on a window of 1 the two ends can exchange unacceptable
// ACKs for ever while A's retransmission is due: under weak fairness of
// tick (MODEL.md) that is a run, under strong fairness it is not, since
// time could pass again and again and never does.
func TestZenoCycle(t *testing.T) {
	for _, tc := range []struct {
		fairness string
		status   int
		want     string
	}{
		{"weak", exitViolated, "no-ack-loop      violated at depth 13"},
		{"strong", exitHolds, "no-ack-loop      holds"},
	} {
		status, out, _ := runCmd(t, append([]string{"check", "--property", "close-completes,no-ack-loop", "--fairness", tc.fairness}, tiny...)...)
		if status != tc.status || !strings.Contains(out, tc.want) {
			t.Errorf("%s: status %d, want %d and %q\n%s", tc.fairness, status, tc.status, tc.want, out)
		}
	}
}

// TestFinWait2Ends: RFC 9293's FIN-WAIT-2 has no timer, so once the peer
// has given up an endpoint waits there forever; Linux's tcp_fin_timeout
// (--fin-wait-2-timeout) ends the wait.
func TestFinWait2Ends(t *testing.T) {
	one := []string{"check", "--property", "fin-wait-2-ends", "--seq-space", "8", "--opens", "1", "--loss", "unbounded", "--data", "0", "--msl", "1", "--horizon", "0"}
	status, out, _ := runCmd(t, one...)
	if status != exitViolated || !strings.Contains(out, "fin-wait-2-ends  violated at depth 26") || !strings.Contains(out, "why: A1 stays in FIN-WAIT-2 forever") {
		t.Errorf("no timeout: status %d\n%s", status, out)
	}
	status, out, _ = runCmd(t, append(one, "--fin-wait-2-timeout", "2")...)
	if status != exitHolds || !strings.Contains(out, "fin-wait-2-ends  holds") {
		t.Errorf("--fin-wait-2-timeout 2: status %d\n%s", status, out)
	}
}

// TestLivenessAfterALimit: when the safety search stops at a limit, the
// liveness search does not run, and the output says so.
func TestLivenessAfterALimit(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check", "--max-states", "1000"}, tiny...)...)
	if status != exitLimit || !strings.Contains(out, "liveness not checked: the safety search stopped at a limit (max-states), so the liveness search did not run") ||
		!strings.Contains(out, "no-ack-loop            unknown\n") {
		t.Errorf("status %d:\n%s", status, out)
	}
}
