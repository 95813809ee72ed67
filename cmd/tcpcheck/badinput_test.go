package main

// Bad input everywhere: each case must exit 2 with nothing on stdout and
// exactly one line on stderr, "tcpcheck: ...", that names the culprit and
// says what is allowed; a command that was to write a file leaves no file,
// partial or temporary, behind. `go test -v -run TestBadInput ./cmd/tcpcheck/`
// logs every message.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpcheck/tcpcheck/model"
)

type badCase struct {
	args []string
	// want are substrings of the message: the culprit and what is allowed.
	want []string
	// gap, when set, says which part of the requirement the message does
	// not meet yet (what is allowed is missing); want then holds only the
	// culprit.
	gap string
}

func expectBad(t *testing.T, tc badCase) {
	t.Helper()
	status, out, errs := runCmd(t, tc.args...)
	line := strings.TrimSuffix(errs, "\n")
	switch {
	case status != exitUsage:
		t.Errorf("%q: status %d, want %d (stderr %q)", tc.args, status, exitUsage, errs)
	case out != "":
		t.Errorf("%q: wrote to stdout: %.200q", tc.args, out)
	case !strings.HasPrefix(errs, "tcpcheck: ") || strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n"):
		t.Errorf("%q: stderr is not one line starting \"tcpcheck: \": %q", tc.args, errs)
	}
	for _, w := range tc.want {
		if !strings.Contains(line, w) {
			t.Errorf("%q: message %q lacks %q", tc.args, line, w)
		}
	}
	if tc.gap != "" {
		t.Logf("%q -> %s   [GAP: %s]", tc.args, line, tc.gap)
	} else {
		t.Logf("%q -> %s", tc.args, line)
	}
}

// outOfRange lists, per setting, values outside what it allows, with the
// words of the message that say what is allowed.
var outOfRange = map[string][]struct{ value, allowed string }{
	"handshake":          {{"four-way", "want one of three-way, two-way"}, {"", "want one of three-way, two-way"}},
	"time-wait":          {{"-1", "want an integer from 0 to 60"}, {"61", "want an integer from 0 to 60"}, {"x", "want an integer from 0 to 60"}},
	"msl":                {{"0", "want an integer from 1 to 30"}, {"31", "want an integer from 1 to 30"}, {"x", "want an integer from 1 to 30"}},
	"rto":                {{"0", "want an integer from 1 to 30"}, {"31", "want an integer from 1 to 30"}},
	"retries":            {{"-1", "want an integer from 0 to 15"}, {"16", "want an integer from 0 to 15"}},
	"horizon":            {{"-1", "want an integer from 0 to 255"}, {"256", "want an integer from 0 to 255"}},
	"seq-space":          {{"2", "want an integer from 4 to 256"}, {"258", "want an integer from 4 to 256"}, {"7", "want an even integer from 4 to 256"}, {"1e3", "want an integer from 4 to 256"}},
	"window":             {{"0", "want an integer from 1 to seq-space/2 = 8"}, {"9", "want an integer from 1 to seq-space/2 = 8"}},
	"isn":                {{"random", "want one of clock, any, zero"}},
	"capacity":           {{"0", "want an integer from 1 to 4"}, {"5", "want an integer from 1 to 4"}},
	"reorder":            {{"maybe", "want on or off"}},
	"loss":               {{"-1", "want an integer from 0 to 255, or unbounded"}, {"256", "want an integer from 0 to 255, or unbounded"}, {"infinite", "want an integer from 0 to 255, or unbounded"}},
	"dup":                {{"-2", "want an integer from 0 to 255, or unbounded"}, {"256", "want an integer from 0 to 255, or unbounded"}},
	"opens":              {{"0", "want an integer from 1 to 8"}, {"9", "want an integer from 1 to 8"}},
	"data":               {{"-1", "want an integer from 0 to 8"}, {"9", "want an integer from 0 to 8"}},
	"retransmit":         {{"sometimes", "want on or off"}},
	"rst-in-time-wait":   {{"rfc9293", "want one of rfc793, rfc1337"}},
	"open":               {{"both", "want one of client-server, simultaneous, any"}},
	"abort":              {{"yes", "want on or off"}},
	"rfc5961":            {{"5961", "want on or off"}},
	"time-wait-reopen":   {{"linux", "want on or off"}},
	"time-wait-ack":      {{"rfc793", "want one of rfc9293, bsd"}},
	"fin-wait-2-timeout": {{"-1", "want an integer from 0 to 60"}, {"61", "want an integer from 0 to 60"}, {"x", "want an integer from 0 to 60"}},
}

// TestBadSettings: every setting, out of its range, on every command that
// takes settings.
func TestBadSettings(t *testing.T) {
	for _, name := range model.SettingNames() {
		cases, ok := outOfRange[name]
		if !ok || len(cases) == 0 {
			t.Errorf("no bad value listed for setting %q", name)
			continue
		}
		for _, c := range cases {
			for _, cmd := range []string{"check", "reach", "compare"} {
				tc := badCase{args: []string{cmd, "--" + name, c.value}, want: []string{name + ": ", c.allowed}}
				if cmd != "check" {
					// Log each message once, for check.
					status, out, errs := runCmd(t, tc.args...)
					if status != exitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, name+": ") {
						t.Errorf("%q: status %d, stderr %q", tc.args, status, errs)
					}
					continue
				}
				expectBad(t, tc)
			}
		}
	}
}

// TestBadCombinations: values each in range that MODEL.md forbids together.
func TestBadCombinations(t *testing.T) {
	for _, tc := range []badCase{
		{args: []string{"check", "--window", "9"}, want: []string{"window: 9", "seq-space/2 = 8"}},
		{args: []string{"check", "--seq-space", "8", "--window", "5"}, want: []string{"window: 5", "seq-space/2 = 4"}},
		{args: []string{"check", "--window", "3", "--seq-space", "4"}, want: []string{"window: 3", "seq-space/2 = 2"}},
		{args: []string{"check", "--seq-space", "15"}, want: []string{"seq-space: 15 is odd", "even integer from 4 to 256"}},
		{args: []string{"check", "--capacity", "0"}, want: []string{"capacity: 0", "from 1 to 4"}},
		{args: []string{"check", "--isn", "any", "--seq-space", "128"}, want: []string{"isn: any", "seq-space at most 64", "128"}},
		{args: []string{"check", "--msl", "30", "--time-wait", "61"}, want: []string{"time-wait: 61", "from 0 to 60"}},
		// time-wait follows 2*msl: msl 30 alone is fine (60), but the
		// message for an msl that pushes it past 60 must name msl.
		{args: []string{"check", "--msl", "31"}, want: []string{"msl: 31", "from 1 to 30"}},
	} {
		expectBad(t, tc)
	}
}

// TestBadNames: unknown settings, properties, goals, commands, options.
func TestBadNames(t *testing.T) {
	for _, tc := range []badCase{
		{args: []string{"check", "--no-such-setting", "3"}, want: []string{"unknown option --no-such-setting", "see 'tcpcheck check -h'"}},
		{args: []string{"check", "--MSL", "2"}, want: []string{"unknown option --MSL", "see 'tcpcheck check -h'"}},
		{args: []string{"check", "--property", "no-such"}, want: []string{`unknown property "no-such"`, "known: no-stale-syn, no-half-open"}},
		{args: []string{"check", "--property", "no-stale-syn,No-Deadlock"}, want: []string{`unknown property "No-Deadlock"`, "known:"}},
		{args: []string{"reach", "--goal", "A-NOWHERE"}, want: []string{`unknown goal "A-NOWHERE"`, "known:"}},
		{args: []string{"compare", "--vary", "no-such=1,2"}, want: []string{"no-such", "known:"}},
		{args: []string{"compare", "--vary", "msl=1,99"}, want: []string{"msl", "99"}},
		{args: []string{"frobnicate"}, want: []string{`unknown command "frobnicate"`, "want one of check"}},
		{args: []string{"check", "stray"}, want: []string{`unexpected argument "stray"`}},
		{args: []string{"check", "--workers", "-1"}, want: []string{"--workers: -1 is out of range", "want 0 for every CPU, or 1 to 256"}},
		{args: []string{"check", "--max-states", "-5"}, want: []string{"--max-states: -5 is out of range", "want 0 for no limit"}},
		{args: []string{"check", "--max-time", "-1s"}, want: []string{"--max-time", "-1s", "want a duration such as 30s"}},
		{args: []string{"compare", "--vary", "msl"}, want: []string{"msl", "want SETTING=V1,V2,..."}},
		{args: []string{"check", "--max-memory", "lots"}, want: []string{"max-memory", "512MiB"}},
		{args: []string{"check", "--max-time", "soon"}, want: []string{"--max-time", "soon", "want a duration such as 30s"}},
	} {
		expectBad(t, tc)
	}
}

// TestBadTraceFiles: render refuses malformed, truncated, wrong-version and
// inconsistent trace files, naming the file and the problem.
func TestBadTraceFiles(t *testing.T) {
	good, err := os.ReadFile(staleSynTrace(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	g := string(good)
	cases := []struct {
		name, body string
		want       []string
	}{
		{"empty.json", "", []string{"empty.json", "unexpected end of input"}},
		{"truncated.json", g[:len(g)/2], []string{"truncated.json", "unexpected end of input"}},
		{"garbage.json", "not json at all", []string{"garbage.json", "invalid JSON at offset"}},
		{"array.json", "[1, 2, 3]", []string{"array.json", "invalid JSON"}},
		{"no-version.json", strings.Replace(g, `"version": 2,`, "", 1), []string{"no-version.json", "no version (want 2)"}},
		{"version1.json", strings.Replace(g, `"version": 2,`, `"version": 1,`, 1), []string{"version1.json", "version 1 is not supported: it was written by tcpcheck under MODEL.md version 1"}},
		{"version3.json", strings.Replace(g, `"version": 2,`, `"version": 3,`, 1), []string{"version3.json", "version 3 is not supported (want 2)"}},
		{"version-string.json", strings.Replace(g, `"version": 2,`, `"version": "2",`, 1), []string{"version-string.json", "version"}},
		{"bad-setting.json", strings.Replace(g, `"seq-space": "8"`, `"seq-space": "7"`, 1), []string{"bad-setting.json", "seq-space: 7 is odd"}},
		{"unknown-setting.json", strings.Replace(g, `"abort": "off"`, `"abort": "off", "colour": "blue"`, 1), []string{"unknown-setting.json", `unknown setting "colour"`}},
		{"unknown-field.json", strings.Replace(g, `"kind": "violation"`, `"kind": "violation", "extra": 1`, 1), []string{"unknown-field.json", "extra"}},
		{"bad-kind.json", strings.Replace(g, `"kind": "violation"`, `"kind": "proof"`, 1), []string{"bad-kind.json", `kind "proof" is not allowed (want violation or witness)`}},
		{"bad-state.json", strings.Replace(g, `"state": "SYN-SENT"`, `"state": "SYN-SEND"`, 1), []string{"bad-state.json", `unknown TCP state "SYN-SEND"`}},
		{"bad-flag.json", strings.Replace(g, `"SYN"`, `"PSH"`, 1), []string{"bad-flag.json", `unknown flag "PSH"`}},
		{"bad-number.json", strings.Replace(g, `"clock": 1`, `"clock": 300`, 1), []string{"bad-number.json", "clock"}},
		{"does-not-replay.json", strings.Replace(g, `"clock": 1`, `"clock": 5`, 1), []string{"does-not-replay.json", "does not replay"}},
		{"trailing.json", g + "{}", []string{"trailing.json", "invalid JSON at offset"}},
	}
	for _, c := range cases {
		if c.body != "" && c.body == g {
			t.Errorf("%s: the edit did not apply (the golden form of a trace changed?)", c.name)
			continue
		}
		expectBad(t, badCase{args: []string{"render", write(c.name, c.body)}, want: c.want})
	}
	expectBad(t, badCase{args: []string{"render", filepath.Join(dir, "missing.json")}, want: []string{"cannot read", "missing.json", "no such file"}})
	expectBad(t, badCase{args: []string{"render", dir}, want: []string{dir}})
	expectBad(t, badCase{args: []string{"render"}, want: []string{"render needs one trace file"}})
	expectBad(t, badCase{args: []string{"render", write("a.json", g), write("b.json", g)}, want: []string{"render needs one trace file", "got 2"}})
}

// TestBadOutputPaths: an output that cannot be written is a usage error
// that names the path, and leaves no file behind.
func TestBadOutputPaths(t *testing.T) {
	trace := staleSynTrace(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "subdir")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(dir, "read-only")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []badCase{
		{args: []string{"render", trace, "--format", "dot", "-o", filepath.Join(dir, "no", "such", "out.dot")}, want: []string{"cannot write", "out.dot"}},
		{args: []string{"render", trace, "--format", "dot", "-o", filepath.Join(file, "out.dot")}, want: []string{"cannot write", "out.dot"}},
		{args: []string{"render", trace, "--format", "text", "-o", sub}, want: []string{"cannot write", "subdir"}},
		{args: []string{"check", "--handshake", "two-way", "--property", "no-stale-syn", "--trace-dir", file, "--seq-space", "8", "--opens", "1", "--data", "0", "--horizon", "6", "--loss", "unbounded"}, want: []string{"--trace-dir", "a-file"}},
		{args: []string{"compare", "--report", filepath.Join(file, "report"), "--seq-space", "8", "--opens", "1", "--data", "0", "--horizon", "2", "--loss", "0"}, want: []string{"--report", "a-file"}},
	} {
		expectBad(t, tc)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		expectBad(t, badCase{args: []string{"render", trace, "--format", "dot", "-o", filepath.Join(ro, "out.dot")}, want: []string{"cannot write", "out.dot"}})
	}
	// Nothing was left behind: no output, no temporary file.
	var left []string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && p != file {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("files left behind: %v", left)
	}
}

// TestClosest: a likely typo gets its name; a far or ambiguous one gets
// none.
func TestClosest(t *testing.T) {
	names := []string{"horizon", "msl", "rto", "retries", "seq-space", "window"}
	for _, tc := range []struct{ in, want string }{
		{"horizn", "horizon"},
		{"MSL", "msl"},
		{"seqspace", "seq-space"},
		{"windows", "window"},
		{"rtx", "rto"}, // one edit: a short name allows one
		{"frobnicate", ""},
		{"mls", ""}, // two edits from msl: too far for three letters
	} {
		if got := closest(tc.in, names); got != tc.want {
			t.Errorf("closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := closest("rt", []string{"rto", "rtt"}); got != "" {
		t.Errorf("a tie: %q, want none", got)
	}
}
