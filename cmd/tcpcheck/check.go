package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

func cmdCheck(args []string, stdout, stderr io.Writer) (int, error) {
	f := newSearchFlags("check")
	var names listFlag
	f.fs.Var(&names, "property", "check only the property `NAME` (repeatable or comma-separated; see 'tcpcheck list')")
	asJSON := f.fs.Bool("json", false, "print the result as JSON")
	traceDir := f.fs.String("trace-dir", "", "write each counterexample as `DIR`/PROPERTY.json")
	full := f.fs.Bool("full", false, "print the whole state after each step of a counterexample, not only what changed")
	fairness := f.fs.String("fairness", "weak", "liveness: the fairness of tick, `weak|strong`; weak as MODEL.md says, strong also excludes runs in which time could pass again and again and never does")
	if err := f.parse(args, stdout, "Usage: tcpcheck check [settings] [options]"); err != nil {
		return parseStatus(err)
	}
	if *fairness != "weak" && *fairness != "strong" {
		return 0, usagef("--fairness: %q is not allowed (want weak or strong)", *fairness)
	}
	props, live, err := properties.SelectAll(names)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	if why := properties.LivenessNotChecked(*f.settings); why != "" && len(props) == 0 {
		return 0, usagef("--property: %s", why)
	}
	warnSettings(stderr, *f.settings)
	ctx, stop := stopContext()
	defer stop()
	r, err := checkTCP(ctx, *f.settings, props, live, nil, f.lim, *fairness == "strong", stderr)
	if err != nil {
		return 0, err
	}
	if err := writeTraceDir(*traceDir, r, stderr); err != nil {
		return 0, err
	}
	if *asJSON {
		err = writeJSON(stdout, r)
	} else {
		err = writeCheck(stdout, r, *full)
	}
	if err != nil {
		return 0, err
	}
	return checkStatus(r), nil
}

// checkStatus: 1 when a property is violated, 3 when the search stopped at
// a limit with no violation, 0 when every property holds.
func checkStatus(r *report) int {
	switch {
	case r.violated():
		return exitViolated
	case !r.Complete && len(r.Properties) > 0, r.LiveRun != nil && r.LiveRun.Checked && !r.LiveRun.Complete:
		return exitLimit
	}
	return exitHolds
}

// within says how far in time a verdict reaches.
func within(s model.Settings) string {
	if s.Horizon == 0 {
		return ""
	}
	return fmt.Sprintf(" within %d ticks", s.Horizon)
}

// writeSummary writes the settings and the search's figures.
func writeSummary(b *strings.Builder, r *report) {
	fmt.Fprintf(b, "settings: %s\n", r.Settings)
	fmt.Fprintf(b, "states %s, transitions %s, depth %d, %.2fs, peak memory %s",
		count(r.States), count(r.Transitions), r.Depth, r.Seconds, byteCount(r.PeakMemory))
	if r.Disk >= 1<<20 {
		fmt.Fprintf(b, ", disk %s", byteCount(r.Disk))
	}
	b.WriteString("\n")
	switch {
	case r.Complete:
		fmt.Fprintf(b, "search complete%s; fingerprint collision probability %.1g\n", within(r.Settings), r.Collision)
	case r.Decided:
		fmt.Fprintf(b, "search stopped at depth %d: every question is answered\n", r.Depth)
	default:
		fmt.Fprintf(b, "search incomplete: limit %s after %s states\n", r.Limit, count(r.States))
	}
	b.WriteString("\n")
}

func writeCheck(w io.Writer, r *report, full bool) error {
	var b strings.Builder
	if len(r.Properties) > 0 {
		writeSummary(&b, r)
	} else {
		fmt.Fprintf(&b, "settings: %s\n", r.Settings)
	}
	if err := writeVerdicts(&b, r, r.Properties, full); err != nil {
		return err
	}
	if lr := r.LiveRun; lr != nil {
		switch {
		case !lr.Checked:
			fmt.Fprintf(&b, "\nliveness not checked: %s\n", lr.Why)
		case lr.Complete:
			fmt.Fprintf(&b, "\nliveness, on unbounded time with tick %s fair: states %s, transitions %s, %.2fs, graph %s\n",
				map[bool]string{false: "weakly", true: "strongly"}[lr.Strong], count(lr.States), count(lr.Transitions), lr.Seconds, byteCount(lr.GraphBytes))
		default:
			fmt.Fprintf(&b, "\nliveness search incomplete: limit %s after %s states\n", lr.Limit, count(lr.States))
		}
		if err := writeVerdicts(&b, r, r.Liveness, full); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerdicts writes one verdict a line, each counterexample under it,
// with the whole state after each step if full.
func writeVerdicts(b *strings.Builder, r *report, vs []verdict, full bool) error {
	write := traces.WriteText
	if full {
		write = traces.WriteFullText
	}
	width := 0
	for _, v := range vs {
		width = max(width, len(v.Name))
	}
	for _, v := range vs {
		fmt.Fprintf(b, "%-*s  %s\n", width, v.Name, verdictText(r, v))
		if v.Trace != nil {
			if err := write(b, v.Trace, "    "); err != nil {
				return err
			}
		}
	}
	return nil
}

func verdictText(r *report, v verdict) string {
	switch v.Status {
	case properties.Holds:
		return "holds" + within(r.Settings)
	case properties.Violated:
		return fmt.Sprintf("violated at depth %d", v.Depth)
	case properties.Reached:
		return fmt.Sprintf("reached at depth %d", v.Depth)
	case properties.Unreachable:
		return "unreachable" + within(r.Settings)
	case properties.Impossible:
		return "impossible under " + v.Reason
	case properties.NotChecked:
		return v.Status.String()
	case properties.Unknown:
		switch {
		case v.Reason != "" && r.LiveRun != nil && v.Reason == r.LiveRun.Why:
			return "unknown" // the reason is said above the list
		case v.Reason != "":
			return "unknown: " + v.Reason
		}
	}
	if r.LiveRun != nil && slices.ContainsFunc(r.Liveness, func(l verdict) bool { return l.Name == v.Name }) {
		return fmt.Sprintf("unknown: no violation in %s states, search incomplete: limit %s", count(r.LiveRun.States), r.LiveRun.Limit)
	}
	return fmt.Sprintf("unknown: no violation in %s states, search incomplete: limit %s", count(r.States), r.Limit)
}

// jsonReport is the --json form of a report.
type jsonReport struct {
	Settings map[string]string `json:"settings"`
	*report
	Properties []jsonVerdict `json:"properties,omitempty"`
	Goals      []jsonVerdict `json:"goals,omitempty"`
	Liveness   []jsonVerdict `json:"liveness,omitempty"`
}

type jsonVerdict struct {
	verdict
	Steps  []jsonStep `json:"trace,omitempty"`
	LoopAt *int       `json:"loop_at,omitempty"` // a lasso's cycle starts after this step
	Note   string     `json:"note,omitempty"`    // why (no-deadlock), or what repeats (liveness)
}

type jsonStep struct {
	Action  string `json:"action"`
	Changes string `json:"changes"`
}

func settingsMap(s model.Settings) map[string]string {
	out := map[string]string{}
	for _, n := range model.SettingNames() {
		out[n], _ = s.Get(n)
	}
	return out
}

func jsonVerdicts(vs []verdict) []jsonVerdict {
	var out []jsonVerdict
	for _, v := range vs {
		jv := jsonVerdict{verdict: v}
		if t := v.Trace; t != nil {
			jv.Note = t.Note
			if t.Lasso {
				jv.LoopAt = &t.LoopAt
			}
			for i, st := range t.Steps {
				jv.Steps = append(jv.Steps, jsonStep{Action: st.Action.String(), Changes: traces.Changes(t.Before(i), st.State)})
			}
		}
		out = append(out, jv)
	}
	return out
}

func writeJSON(w io.Writer, r *report) error {
	return writeJSONTo(w, jsonReport{
		Settings:   settingsMap(r.Settings),
		report:     r,
		Properties: jsonVerdicts(r.Properties),
		Goals:      jsonVerdicts(r.Goals),
		Liveness:   jsonVerdicts(r.Liveness),
	})
}
