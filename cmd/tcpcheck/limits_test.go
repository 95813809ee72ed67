package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// holding are the properties that hold under the MODEL.md defaults, so that
// a run of the defaults stopped at a limit has nothing to report but the
// limit. (graceful-close is violated at depth 21.)
var holding = []string{"--property", "no-stale-syn,no-half-open,isn-agreement,no-old-segment,stream-integrity"}

// partial matches the verdict of a property that a search stopped at a
// limit did not decide.
func partial(limit string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^no-old-segment +unknown: no violation in [0-9,]+ states, search incomplete: limit ` + limit + `$`)
}

func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		limit string
	}{
		{[]string{"--max-states", "100000"}, "max-states"},
		{[]string{"--max-memory", "24MiB"}, "max-memory"},
		{[]string{"--max-time", "500ms"}, "max-time"},
	} {
		start := time.Now()
		status, out, errs := runCmd(t, append(append([]string{"check"}, tc.flags...), holding...)...)
		if status != exitLimit || !partial(tc.limit).MatchString(out) || !strings.Contains(out, "search incomplete: limit "+tc.limit+" after ") {
			t.Errorf("%v: status %d, want %d and the partial result\nstdout:\n%s\nstderr:\n%s", tc.flags, status, exitLimit, out, errs)
		}
		t.Logf("%v: %v\n%s", tc.flags, time.Since(start).Round(time.Millisecond), out)
	}
	// Exactly the states asked for.
	if _, out, _ := runCmd(t, append([]string{"check", "--max-states", "100000"}, holding...)...); !strings.Contains(out, "no violation in 100,000 states") {
		t.Errorf("--max-states 100000:\n%s", out)
	}
}

// TestLimitKeepsTraces checks that a search stopped at a limit still prints
// the counterexamples it found: the status is then 1, the violation's.
func TestLimitKeepsTraces(t *testing.T) {
	status, out, _ := runCmd(t, "check", "--handshake", "two-way", "--max-states", "200000")
	if status != exitViolated || !strings.Contains(out, "no-stale-syn      violated at depth 4\n      0  initial") ||
		!partial("max-states").MatchString(out) {
		t.Errorf("status %d, want %d with the no-stale-syn trace and the others unknown:\n%s", status, exitViolated, out)
	}
}

// TestInterrupt builds tcpcheck, starts a check of the defaults and sends
// it an interrupt (Ctrl-C), then SIGTERM (what CI jobs and timeout(1)
// send), after a second: it must stop with the partial result and status 3.
// The same for a compare of two rows, stopped in the first.
func TestInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no os.Interrupt for another process on Windows")
	}
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "tcpcheck")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		cmd := exec.Command(bin, append([]string{"check"}, holding...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		sent := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitLimit || !partial("interrupted").MatchString(stdout.String()) {
			t.Fatalf("after %v: %v, want exit status %d and the partial result\nstdout:\n%s\nstderr:\n%s", sig, err, exitLimit, stdout.String(), stderr.String())
		}
		t.Logf("stopped %v after %v:\n%s", time.Since(sent).Round(time.Millisecond), sig, stdout.String())
	}
	// compare: the row being searched is incomplete, the rows after it are
	// not run, and both are in the table.
	cmd := exec.Command(bin, "compare", "--vary", "loss=2,1", "--property", "no-old-segment") // loss=2: 3x10^7 states
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitLimit ||
		!regexp.MustCompile(`(?m)^loss=2 +[0-9,]+ \(incomplete: interrupted\)`).MatchString(stdout.String()) ||
		!regexp.MustCompile(`(?m)^loss=1 +not run \(interrupted\) +0\.0 +unknown$`).MatchString(stdout.String()) {
		t.Errorf("compare after SIGTERM: %v, want exit status %d and both rows\n%s", err, exitLimit, stdout.String())
	}
}
