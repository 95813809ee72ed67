// Command tcpcheck is an explicit-state model checker for TCP connection
// management: it enumerates every interleaving of two TCP endpoints over a
// lossy, reordering network (MODEL.md) and checks safety properties on every
// reachable state, printing a shortest counterexample for each violation.
//
// Usage:
//
//	tcpcheck check [settings] [--property NAME]... [--json]
//	tcpcheck list
//
// Exit status: 0 every selected property holds, 1 one is violated, 2 bad
// usage or input, 3 a limit or an internal error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/tcpcheck/tcpcheck/traces"
)

// Exit statuses.
const (
	exitHolds    = 0
	exitViolated = 1
	exitUsage    = 2
	exitLimit    = 3
)

// usageError is bad usage or input: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

var usage = `tcpcheck: a model checker for TCP connection management

Usage:
  tcpcheck check [settings] [options]   check the properties; print shortest counterexamples
  tcpcheck compare [--vary S=V1,V2]...  compare variants side by side (default: 2-way vs 3-way handshake)
  tcpcheck reach [settings] [options]   prove each goal reachable with a shortest witness, or unreachable
  tcpcheck hazards [options]            TCP's classic hazards from the RFCs and papers, each with its fix
  tcpcheck render TRACE.json [options]  draw a trace: ` + strings.Join(traces.Formats, ", ") + `
  tcpcheck list                         the catalog of settings, properties and goals
  tcpcheck bench [--size S] [options]   speed and memory of the search on named settings (see bench -h)
  tcpcheck explore [TRACE.json] [opts]  step through a trace and explore freely, in the browser
  tcpcheck version                      which tcpcheck this is (also --version)
  tcpcheck completion bash              shell completion: eval "$(tcpcheck completion bash)"

Run 'tcpcheck check -h' for the settings and options.
`

// version says which tcpcheck this is, from the build information Go
// records: the module version ("(devel)" for a build from a checkout), and
// the commit and its time when the build knows them.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "tcpcheck (version unknown)"
	}
	v := "tcpcheck " + info.Main.Version
	var rev, when, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	if rev != "" {
		v += fmt.Sprintf(" (commit %.12s, %s%s)", rev, when, dirty)
	}
	return v + ", " + info.GoVersion
}

// stopContext is done on Ctrl-C (SIGINT) or SIGTERM, which CI jobs and
// timeout(1) send: a search then ends with its partial result.
func stopContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var (
		status int
		err    error
	)
	switch args[0] {
	case "check":
		status, err = cmdCheck(args[1:], stdout, stderr)
	case "list":
		status, err = cmdList(args[1:], stdout)
	case "bench":
		status, err = cmdBench(args[1:], stdout, stderr)
	case "explore":
		status, err = cmdExplore(args[1:], stdout, stderr)
	case "reach":
		status, err = cmdReach(args[1:], stdout, stderr)
	case "compare":
		status, err = cmdCompare(args[1:], stdout, stderr)
	case "hazards":
		status, err = cmdHazards(args[1:], stdout, stderr)
	case "render":
		status, err = cmdRender(args[1:], stdout)
	case "completion":
		status, err = cmdCompletion(args[1:], stdout)
	case "version", "--version":
		fmt.Fprintln(stdout, version())
		return exitHolds
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitHolds
	default:
		guess := ""
		if g := closest(args[0], commands); g != "" {
			guess = fmt.Sprintf("; did you mean %s?", g)
		}
		err = usagef("unknown command %q%s (want one of %s; see tcpcheck help)", args[0], guess, strings.Join(commands, ", "))
	}
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitLimit
	}
	return status
}
