package main

import (
	"context"
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

// hazardResult is one scenario of the catalog as run: what the model
// shows under its settings, and with its fix.
type hazardResult struct {
	properties.Hazard
	Shows    verdict  `json:"shows"`
	WithFix  *verdict `json:"with_fix,omitempty"`
	Expected bool     `json:"as_expected"` // both answers are the catalog's
	Seconds  float64  `json:"seconds"`
}

func cmdHazards(args []string, stdout, stderr io.Writer) (int, error) {
	// No settings flags: each scenario brings its own settings.
	fs := flag.NewFlagSet("hazards", flag.ContinueOnError)
	var lim limitFlags
	lim.register(fs)
	var only listFlag
	fs.Var(&only, "only", "run only the scenario `NAME` (repeatable or comma-separated; see 'tcpcheck list')")
	markdown := fs.Bool("markdown", false, "print the table as Markdown")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	reportDir := fs.String("report", "", "write an HTML report to `DIR` (index.html, each scenario's chart and JSON)")
	if err := parseFlags(fs, args); err != nil {
		if err == flag.ErrHelp {
			printDefaults(fs, stdout, "Usage: tcpcheck hazards [--only NAME]... [--markdown|--json] [--report DIR]\n\nRuns the catalog of TCP's classic hazards: each scenario under its own settings (on top of MODEL.md's defaults), then with its fix.")
		}
		return parseStatus(err)
	}
	if err := lim.validate(); err != nil {
		return 0, err
	}
	catalog, err := selectHazards(only)
	if err != nil {
		return 0, err
	}
	ctx, stop := stopContext()
	defer stop()
	var results []hazardResult
	for _, h := range catalog {
		r, err := runHazard(ctx, h, lim, stderr)
		if err != nil {
			return 0, err
		}
		results = append(results, r)
	}
	if *reportDir != "" {
		if err := writeHazardReport(*reportDir, results); err != nil {
			return 0, err
		}
	}
	switch {
	case *asJSON:
		err = writeJSONTo(stdout, results)
	default:
		err = writeHazards(stdout, results, *markdown)
	}
	if err != nil {
		return 0, err
	}
	return hazardsStatus(results), nil
}

// hazardsStatus is the exit status of a hazards run: 3 if a limit left a
// scenario undecided, else 1 if a scenario did not come out as its catalog
// entry says, else 0.
func hazardsStatus(results []hazardResult) int {
	for _, r := range results {
		if r.Shows.Status == properties.Unknown || (r.WithFix != nil && r.WithFix.Status == properties.Unknown) {
			return exitLimit
		}
	}
	for _, r := range results {
		if !r.Expected {
			return exitViolated
		}
	}
	return exitHolds
}

func selectHazards(names []string) ([]properties.Hazard, error) {
	all := properties.Hazards()
	if len(names) == 0 {
		return all, nil
	}
	var out []properties.Hazard
	for _, n := range names {
		found := false
		for _, h := range all {
			if h.Name == n {
				out, found = append(out, h), true
			}
		}
		if !found {
			var known []string
			for _, h := range all {
				known = append(known, h.Name)
			}
			return nil, usagef("--only: unknown scenario %q (known: %s)", n, strings.Join(known, ", "))
		}
	}
	return out, nil
}

// runHazard checks h under its settings and, if it has one, with its fix.
func runHazard(ctx context.Context, h properties.Hazard, lim limitFlags, stderr io.Writer) (hazardResult, error) {
	start := time.Now()
	out := hazardResult{Hazard: h}
	s, err := properties.SettingsOf(model.Defaults(), h.Settings)
	if err != nil {
		return out, fmt.Errorf("hazard %s: settings: %v", h.Name, err)
	}
	if out.Shows, err = checkNamed(ctx, s, h.Check, lim, stderr); err != nil {
		return out, fmt.Errorf("hazard %s: %v", h.Name, err)
	}
	out.Expected = out.Shows.Status == h.Expect
	if h.Fix != "" {
		fixed, err := properties.SettingsOf(s, h.Fix)
		if err != nil {
			return out, fmt.Errorf("hazard %s: fix: %v", h.Name, err)
		}
		v, err := checkNamed(ctx, fixed, h.Check, lim, stderr)
		if err != nil {
			return out, fmt.Errorf("hazard %s: fix: %v", h.Name, err)
		}
		out.WithFix = &v
		out.Expected = out.Expected && v.Status == h.FixExpect
	}
	out.Seconds = time.Since(start).Seconds()
	return out, nil
}

// checkNamed checks one property, liveness property, scenario property or
// goal, by name, under s.
func checkNamed(ctx context.Context, s model.Settings, name string, lim limitFlags, stderr io.Writer) (verdict, error) {
	live, _ := properties.SelectLiveness([]string{name})
	var props []properties.Property
	for _, p := range append(properties.All(), properties.ScenarioProperties()...) {
		if p.Name == name {
			props = append(props, p)
		}
	}
	var goals []properties.Goal
	if len(live)+len(props) == 0 {
		var err error
		if goals, err = properties.SelectGoals([]string{name}); err != nil {
			return verdict{}, err
		}
	}
	r, err := checkTCP(ctx, s, props, live, goals, lim, false, stderr)
	if err != nil {
		return verdict{}, err
	}
	return slices.Concat(r.Properties, r.Liveness, r.Goals)[0], nil
}

// answer writes a verdict in a few words: "violated (4)", "holds".
func answer(v verdict) string {
	if v.Depth > 0 {
		return fmt.Sprintf("%s (%d)", v.Status, v.Depth)
	}
	return v.Status.String()
}

func writeHazards(w io.Writer, results []hazardResult, markdown bool) error {
	var b strings.Builder
	if markdown {
		b.WriteString("| scenario | source | check | shows | fix | with the fix | as expected |\n| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range results {
			fix, with := "none", ""
			if r.WithFix != nil {
				fix, with = "`"+r.Fix+"`", answer(*r.WithFix)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Name, r.Source, r.Check, answer(r.Shows), fix, with, yesNo(r.Expected))
		}
	} else {
		for i, r := range results {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "%s  (%s)\n", r.Name, r.Source)
			fmt.Fprintf(&b, "  claim:     %s\n", r.Claim)
			fmt.Fprintf(&b, "  settings:  %s\n", orDefaults(r.Settings))
			fmt.Fprintf(&b, "  shows:     %s %s\n", r.Check, answer(r.Shows))
			if r.WithFix != nil {
				fmt.Fprintf(&b, "  fix:       %s: %s %s\n", r.Fix, r.Check, answer(*r.WithFix))
			}
			if !r.Expected {
				fmt.Fprintf(&b, "  NOT AS EXPECTED: the catalog says %s", r.Expect)
				if r.WithFix != nil {
					fmt.Fprintf(&b, ", and %s with the fix", r.FixExpect)
				}
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "  reading:   %s\n", r.Reading)
		}
		met := 0
		for _, r := range results {
			if r.Expected {
				met++
			}
		}
		fmt.Fprintf(&b, "\n%d of %d scenarios come out as the catalog says.\n", met, len(results))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func orDefaults(s string) string {
	if s == "" {
		return "defaults"
	}
	return s
}

// hazardCard is one scenario in the HTML report.
type hazardCard struct {
	hazardResult
	SVG, JSON       string // the chart and trace under the scenario's settings, if any
	FixSVG, FixJSON string // and with the fix
}

// writeHazardReport writes DIR/index.html with every scenario, its claim,
// reading and answers, and its charts embedded from DIR/traces/.
func writeHazardReport(dir string, results []hazardResult) error {
	if err := os.MkdirAll(filepath.Join(dir, "traces"), 0o755); err != nil {
		return usagef("--report: cannot create %s: %v", dir, unwrapPathError(err))
	}
	var cards []hazardCard
	for _, r := range results {
		c := hazardCard{hazardResult: r}
		write := func(t *traces.Trace, stem string) (svg, js string, err error) {
			if t == nil {
				return "", "", nil
			}
			js, svg = "traces/"+stem+".json", "traces/"+stem+".svg"
			if err := writeFileAtomic(filepath.Join(dir, js), func(w io.Writer) error { return traces.WriteJSON(w, t) }); err != nil {
				return "", "", err
			}
			return svg, js, writeFileAtomic(filepath.Join(dir, svg), func(w io.Writer) error { return renderTrace(w, t, "svg", "sequence") })
		}
		var err error
		if c.SVG, c.JSON, err = write(r.Shows.Trace, r.Name); err != nil {
			return err
		}
		if r.WithFix != nil {
			if c.FixSVG, c.FixJSON, err = write(r.WithFix.Trace, r.Name+"-fixed"); err != nil {
				return err
			}
		}
		cards = append(cards, c)
	}
	return writeFileAtomic(filepath.Join(dir, "index.html"), func(w io.Writer) error {
		return hazardTemplate.Execute(w, cards)
	})
}

var hazardTemplate = template.Must(template.New("hazards").Funcs(template.FuncMap{"answer": answer, "orDefaults": orDefaults}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tcpcheck hazards</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 70em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: .35em .6em; text-align: left; vertical-align: top; }
th { background: #f0f3f7; }
.violated { color: #b71c1c; } .holds, .unreachable { color: #1b5e20; } .reached { color: #0d47a1; }
.miss { background: #fff3cd; }
section { border-top: 1px solid #ddd; padding-top: 1em; margin-top: 1.5em; }
.meta { color: #555; }
code { background: #f5f5f5; padding: 0 .2em; }
img { max-width: 100%; border: 1px solid #eee; margin-top: .5em; }
</style>
</head>
<body>
<h1>TCP's hazards, reproduced</h1>
<p>Each scenario runs under its own settings (on top of the defaults of MODEL.md), then with its fix, in the same run. A count in parentheses is the length of the shortest counterexample.</p>
<table>
<tr><th>scenario</th><th>source</th><th>check</th><th>shows</th><th>fix</th><th>with the fix</th></tr>
{{range .}}<tr{{if not .Expected}} class="miss"{{end}}><td><a href="#{{.Name}}">{{.Name}}</a></td><td>{{.Source}}</td><td>{{.Check}}</td><td class="{{.Shows.Status}}">{{answer .Shows}}</td><td>{{if .WithFix}}<code>{{.Fix}}</code>{{else}}none{{end}}</td><td>{{if .WithFix}}<span class="{{.WithFix.Status}}">{{answer .WithFix}}</span>{{end}}</td></tr>
{{end}}</table>
{{range .}}<section id="{{.Name}}">
<h2>{{.Name}}</h2>
<p class="meta">{{.Source}}</p>
<p><b>Claim.</b> {{.Claim}}.</p>
<p><b>Settings:</b> <code>{{orDefaults .Settings}}</code>. <b>{{.Check}}:</b> <span class="{{.Shows.Status}}">{{answer .Shows}}</span>{{if .WithFix}}; with <code>{{.Fix}}</code>: <span class="{{.WithFix.Status}}">{{answer .WithFix}}</span>{{end}}.{{if not .Expected}} <b>Not as the catalog expects.</b>{{end}}</p>
<p><b>Reading.</b> {{.Reading}}</p>
{{if .SVG}}<img src="{{.SVG}}" alt="sequence chart of {{.Name}}"><p><a href="{{.JSON}}">trace (JSON)</a></p>{{end}}
{{if .FixSVG}}<p>With the fix:</p><img src="{{.FixSVG}}" alt="sequence chart of {{.Name}} with the fix"><p><a href="{{.FixJSON}}">trace (JSON)</a></p>{{end}}
</section>
{{end}}
</body>
</html>
`))
