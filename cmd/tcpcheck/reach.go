package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

func cmdReach(args []string, stdout, stderr io.Writer) (int, error) {
	f := newSearchFlags("reach")
	var names listFlag
	f.fs.Var(&names, "goal", "only the goal `NAME`, and print its witness (repeatable or comma-separated; see 'tcpcheck list')")
	traceDir := f.fs.String("trace-dir", "", "write each witness as `DIR`/GOAL.json")
	asJSON := f.fs.Bool("json", false, "print the result as JSON")
	if err := f.parse(args, stdout, "Usage: tcpcheck reach [settings] [--goal NAME]... [--trace-dir DIR] [--json]"); err != nil {
		return parseStatus(err)
	}
	goals, err := properties.SelectGoals(names)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	warnSettings(stderr, *f.settings)
	ctx, stop := stopContext()
	defer stop()
	r, err := search(ctx, *f.settings, nil, goals, f.lim, stderr)
	if err != nil {
		return 0, err
	}
	if err := writeTraceDir(*traceDir, r, stderr); err != nil {
		return 0, err
	}
	if *asJSON {
		err = writeJSON(stdout, r)
	} else {
		err = writeReach(stdout, r, len(names) > 0)
	}
	if err != nil {
		return 0, err
	}
	if !r.Complete && !r.Decided {
		return exitLimit, nil
	}
	return exitHolds, nil
}

func writeReach(w io.Writer, r *report, witnesses bool) error {
	var b strings.Builder
	writeSummary(&b, r)
	width := len("goal")
	for _, v := range r.Goals {
		width = max(width, len(v.Name))
	}
	fmt.Fprintf(&b, "%-*s  %s\n", width, "goal", "answer")
	for _, v := range r.Goals {
		fmt.Fprintf(&b, "%-*s  %s\n", width, v.Name, verdictText(r, v))
		if witnesses && v.Trace != nil {
			if err := traces.WriteText(&b, v.Trace, "    "); err != nil {
				return err
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeJSONTo is json.Encoder with indentation.
func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
