package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// small are the settings of the fourth known state count of MODEL.md
// (68,155 states).
var small = []string{"--seq-space", "8", "--opens", "1", "--data", "0", "--horizon", "6", "--loss", "unbounded"}

func runCmd(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestCheckTwoWayStaleSyn(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check", "--handshake", "two-way", "--property", "no-stale-syn"}, small...)...)
	if status != exitViolated {
		t.Fatalf("status %d, want %d\n%s", status, exitViolated, out)
	}
	// The shortest stale SYN: A opens and abandons, B listens, the old SYN
	// arrives and the two-way B is ESTABLISHED with A CLOSED.
	for _, want := range []string{
		"no-stale-syn  violated at depth 4",
		"connect A ISS=0",
		"close A",
		"listen B",
		"deliver A->B <SEQ=0><CTL=SYN>",
		"B1: LISTEN -> ESTABLISHED",
		"from A1 to B?",
		"bound to A1, stale SYN accepted",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckThreeWayHolds(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check", "--property", "no-stale-syn,isn-agreement"}, small...)...)
	if status != exitHolds {
		t.Fatalf("status %d, want 0\n%s", status, out)
	}
	if !strings.Contains(out, "no-stale-syn   holds within 6 ticks") || !strings.Contains(out, "states 68,155") {
		t.Errorf("unexpected output:\n%s", out)
	}
}

func TestCheckJSON(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check", "--json", "--handshake", "two-way", "--property", "no-stale-syn"}, small...)...)
	if status != exitViolated {
		t.Fatalf("status %d", status)
	}
	var got struct {
		Settings   map[string]string `json:"settings"`
		Properties []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Depth  int    `json:"depth"`
			Trace  []struct {
				Action string `json:"action"`
			} `json:"trace"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Settings["handshake"] != "two-way" || len(got.Properties) != 1 || got.Properties[0].Status != "violated" ||
		got.Properties[0].Depth != 4 || len(got.Properties[0].Trace) != 4 {
		t.Errorf("unexpected JSON: %+v", got)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--seq-space", "7"}, "seq-space: 7 is odd"},
		{[]string{"check", "--window", "9", "--seq-space", "16"}, "window: 9 is out of range (want an integer from 1 to seq-space/2 = 8)"},
		{[]string{"check", "--capacity", "0"}, "capacity: 0 is out of range"},
		{[]string{"check", "--handshake", "four-way"}, `handshake: "four-way" is not allowed (want one of three-way, two-way)`},
		{[]string{"check", "--loss", "-3"}, "loss"},
		{[]string{"check", "--property", "no-such"}, `unknown property "no-such"`},
		{[]string{"check", "--no-such-flag"}, "unknown option --no-such-flag (see 'tcpcheck check -h'"},
		{[]string{"check", "extra"}, `unexpected argument "extra"`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		status, out, errs := runCmd(t, tc.args...)
		if status != exitUsage || out != "" || !strings.Contains(errs, tc.want) || !strings.HasPrefix(errs, "tcpcheck: ") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q, stdout %q; want status 2 and one line with %q", tc.args, status, errs, out, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	status, out, _ := runCmd(t, "list")
	if status != 0 {
		t.Fatal(status)
	}
	for _, want := range []string{"no-stale-syn", "stream-integrity", "A-TIME-WAIT", "simultaneous-close", "--rst-in-time-wait"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

// TestHelpExitsZero: every command's -h prints its help and exits 0;
// version says which tcpcheck this is.
func TestHelpExitsZero(t *testing.T) {
	for _, c := range []string{"check", "compare", "reach", "hazards", "render", "list", "bench", "explore", "completion"} {
		if status, out, errs := runCmd(t, c, "-h"); status != exitHolds || !strings.Contains(out, "Usage: tcpcheck "+c) || errs != "" {
			t.Errorf("%s -h: status %d, stderr %q, stdout:\n%s", c, status, errs, out)
		}
	}
	for _, v := range []string{"version", "--version"} {
		if status, out, _ := runCmd(t, v); status != exitHolds || !strings.HasPrefix(out, "tcpcheck ") {
			t.Errorf("%s: status %d, %q", v, status, out)
		}
	}
}

// TestCheckFull: --full prints the whole state after each step.
func TestCheckFull(t *testing.T) {
	status, out, _ := runCmd(t, append([]string{"check", "--handshake", "two-way", "--property", "no-stale-syn", "--full"}, small...)...)
	for _, want := range []string{"A: A1 SYN-SENT ISS=0 SND.UNA=0 SND.NXT=1", "A->B: <SEQ=0><CTL=SYN> from A1 to B? age 0", "clock=1 ticks=0 lost=0 duped=0"} {
		if status != exitViolated || !strings.Contains(out, want) {
			t.Errorf("status %d, output lacks %q:\n%s", status, want, out)
		}
	}
}

// TestCompletion: the bash script completes the commands; another shell is
// refused.
func TestCompletion(t *testing.T) {
	status, out, _ := runCmd(t, "completion", "bash")
	if status != exitHolds || !strings.Contains(out, "complete -o default -F _tcpcheck tcpcheck") || !strings.Contains(out, "check compare reach hazards") {
		t.Errorf("status %d:\n%s", status, out)
	}
	if status, _, errs := runCmd(t, "completion", "fish"); status != exitUsage || !strings.Contains(errs, "bash is the shell supported") {
		t.Errorf("fish: status %d, %q", status, errs)
	}
}
