package main

import (
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets test scripts run tcpcheck as a command: testscript runs
// this test binary again under that name, and it calls main.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"tcpcheck": main})
}

// TestScripts runs the command-line scripts in testdata/script: each is a
// few tcpcheck command lines and what they must print and exit with.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/script"))
}

// scriptParams are the settings of every script run: tcpcheck only by
// "exec", and the two commands of scriptCmds.
func scriptParams(dir string) testscript.Params {
	return testscript.Params{Dir: dir, Cmds: scriptCmds, RequireExplicitExec: true, RequireUniqueNames: true}
}

// scriptCmds are the commands our scripts add to testscript's own:
//
//	exits N PROGRAM [ARGS...]   run PROGRAM and require exit status N
//	                            (N "any": take whatever it exits with)
//	cmpout stdout FILE          compare stdout with FILE, timings and memory
//	                            figures masked (see maskVarying)
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"exits": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 2 {
			ts.Fatalf("usage: exits N PROGRAM [ARGS...]")
		}
		want, err := strconv.Atoi(args[0])
		if err != nil && args[0] != "any" {
			ts.Fatalf("exits: %v", err)
		}
		got := 0
		if err := ts.Exec(args[1], args[2:]...); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				ts.Fatalf("exits: %v", err)
			}
			got = ee.ExitCode()
		}
		if args[0] != "any" && got != want {
			ts.Fatalf("exit status %d, want %d", got, want)
		}
	},
	"cmpout": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 || args[0] != "stdout" {
			ts.Fatalf("usage: cmpout stdout FILE")
		}
		got, want := maskVarying(ts.ReadFile("stdout")), maskVarying(ts.ReadFile(args[1]))
		if d := cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n")); d != "" {
			ts.Fatalf("stdout differs from %s (-want +got):\n%s", args[1], d)
		}
	},
}

// varying are the figures of an output that differ from run to run and
// machine to machine, each with what it is masked as.
var varying = []struct {
	re   *regexp.Regexp
	mask string
}{
	{regexp.MustCompile(`\b[0-9]+\.[0-9]+s\b`), "T.TTs"},                           // 0.30s
	{regexp.MustCompile(`\b[0-9]+(\.[0-9]+)? [KMG]iB\b`), "M MiB"},                 // peak memory 10 MiB
	{regexp.MustCompile(`^(\| [^|]+ \| [0-9,]+ \| )[0-9]+\.[0-9]+ \|`), "$1T.T |"}, // compare's seconds column
}

// maskVarying masks the figures of s that vary (varying) and the blank
// lines and spaces at its ends, so that two runs of one command compare
// equal.
func maskVarying(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		for _, v := range varying {
			l = v.re.ReplaceAllString(l, v.mask)
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}
