package main

import (
	"flag"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/traces"
)

func cmdRender(args []string, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	format := fs.String("format", "text", "output `FORMAT`: "+strings.Join(traces.Formats, ", "))
	view := fs.String("view", "sequence", "the chart, a `VIEW`: "+strings.Join(traces.Views, " or ")+" (sequence: two lanes, segments as arrows; path: the states on the path)")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	pos, err := parseInterspersed(fs, args)
	if err == flag.ErrHelp {
		printDefaults(fs, stdout, "Usage: tcpcheck render TRACE.json [--format "+strings.Join(traces.Formats, "|")+"] [--view "+strings.Join(traces.Views, "|")+"] [-o FILE]")
		return exitHolds, nil
	}
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usagef("render needs one trace file (tcpcheck render TRACE.json), got %d arguments", len(pos))
	}
	if !slices.Contains(traces.Formats, *format) {
		return 0, usagef("--format: %q is not allowed (want %s)", *format, strings.Join(traces.Formats, ", "))
	}
	if !slices.Contains(traces.Views, *view) {
		return 0, usagef("--view: %q is not allowed (want %s)", *view, strings.Join(traces.Views, " or "))
	}
	if *format == "png" && *out == "" && isTerminal(stdout) {
		return 0, usagef("--format png writes binary data: give -o FILE.png, or redirect standard output")
	}
	t, err := readTrace(pos[0])
	if err != nil {
		return 0, err
	}
	return exitHolds, output(*out, stdout, func(w io.Writer) error { return renderTrace(w, t, *format, *view) })
}

// readTrace reads and checks a JSON trace file.
func readTrace(path string) (*traces.Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("cannot read %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	t, err := traces.ReadJSON(f)
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	return t, nil
}
