package main

import (
	"flag"
	"io"
	"os"

	"github.com/tcpcheck/tcpcheck/traces"
)

func cmdRender(args []string, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text, json, dot, svg or png")
	view := fs.String("view", "sequence", "chart: sequence (two lanes, segments as arrows) or path (the states on the path)")
	out := fs.String("o", "", "write to this file instead of standard output")
	pos, err := parseInterspersed(fs, args)
	if err == flag.ErrHelp {
		printDefaults(fs, stdout, "Usage: tcpcheck render TRACE.json [--format text|json|dot|svg|png] [--view sequence|path] [-o FILE]\n\nOptions:")
		return exitHolds, nil
	}
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usagef("render needs one trace file (tcpcheck render TRACE.json), got %d arguments", len(pos))
	}
	if err := checkFormat(*format); err != nil {
		return 0, usageError{err.Error()}
	}
	if *view != "sequence" && *view != "path" {
		return 0, usagef("--view: %q is not allowed (want sequence or path)", *view)
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
