package main

import (
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

// variation is one --vary SETTING=V1,V2,...
type variation struct {
	name   string
	values []string
}

type varyFlag []variation

func (v *varyFlag) String() string { return "" }

func (v *varyFlag) Set(s string) error {
	name, values, ok := strings.Cut(s, "=")
	if !ok || name == "" || values == "" {
		return fmt.Errorf("want SETTING=V1,V2,... (e.g. time-wait=0,2,4)")
	}
	if _, _, err := model.SettingDoc(name); err != nil {
		return err
	}
	var vs []string
	for _, x := range strings.Split(values, ",") {
		if x = strings.TrimSpace(x); x != "" {
			vs = append(vs, x)
		}
	}
	*v = append(*v, variation{name: name, values: vs})
	return nil
}

// variant is one row of a comparison: its settings and what varies.
type variant struct {
	settings model.Settings
	label    []string // name=value of each varied setting
}

// variants is the cross product of the variations over base, the first
// variation outermost. Every variant is validated before any runs.
func variants(base model.Settings, vary []variation) ([]variant, error) {
	rows := []variant{{settings: base}}
	for _, v := range vary {
		var next []variant
		for _, r := range rows {
			for _, val := range v.values {
				s := r.settings
				if err := s.Set(v.name, val); err != nil {
					return nil, fmt.Errorf("--vary %s", err)
				}
				label := append(append([]string(nil), r.label...), v.name+"="+val)
				next = append(next, variant{settings: s, label: label})
			}
		}
		rows = next
	}
	for _, r := range rows {
		if err := r.settings.Validate(); err != nil {
			return nil, fmt.Errorf("variant %s: %v", strings.Join(r.label, " "), err)
		}
	}
	return rows, nil
}

// sharedSettings lists the settings every variant shares, as name=value,
// with each varied one as name=V1|V2|... .
func sharedSettings(base model.Settings, vary []variation) string {
	varied := map[string]string{}
	for _, v := range vary {
		varied[v.name] = strings.Join(v.values, "|")
	}
	var parts []string
	for _, n := range model.SettingNames() {
		value, _ := base.Get(n)
		if vs, ok := varied[n]; ok {
			value = vs
		}
		parts = append(parts, n+"="+value)
	}
	return strings.Join(parts, " ")
}

// row is a variant and its search's result.
type row struct {
	Variant string  `json:"variant"`
	Report  *report `json:"result"`
}

func cmdCompare(args []string, stdout, stderr io.Writer) (int, error) {
	f := newSearchFlags("compare")
	var vary varyFlag
	f.fs.Var(&vary, "vary", "run every value of a setting: `SETTING=V1,V2,...` (repeatable: the cross product; default handshake=two-way,three-way)")
	var names listFlag
	f.fs.Var(&names, "property", "only the properties `NAMES` (repeatable or comma-separated)")
	asJSON := f.fs.Bool("json", false, "print the table as JSON")
	asMarkdown := f.fs.Bool("markdown", false, "print the table as Markdown")
	reportDir := f.fs.String("report", "", "write an HTML report to `DIR` (index.html, each counterexample's chart and JSON)")
	// The settings are validated per variant: only the varied values need
	// to make a valid combination.
	if err := parseFlags(f.fs, args); err != nil {
		if err == flag.ErrHelp {
			printDefaults(f.fs, stdout, "Usage: tcpcheck compare [settings] [--vary SETTING=V1,V2,...]... [--json|--markdown] [--report DIR]\n\nRuns one search per variant, the cross product of the --vary values;\nevery other setting, as given below, is shared by every variant.")
		}
		return parseStatus(err)
	}
	if err := f.lim.validate(); err != nil {
		return 0, err
	}
	if *asJSON && *asMarkdown {
		return 0, usagef("--json and --markdown: choose one")
	}
	if len(vary) == 0 {
		vary = varyFlag{{name: "handshake", values: []string{model.TwoWay.String(), model.ThreeWay.String()}}}
	}
	rows, err := variants(*f.settings, vary)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	props, err := properties.Select(names)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	warnSettings(stderr, *f.settings)
	ctx, stop := stopContext()
	defer stop()
	var results []row
	for _, v := range rows {
		if ctx.Err() != nil {
			// Interrupted: the rows not run are in the table as such.
			r := &report{Settings: v.settings, NotRun: true, Limit: checker.Interrupted}
			for _, p := range props {
				r.Properties = append(r.Properties, verdict{Name: p.Name, Status: properties.Unknown})
			}
			results = append(results, row{Variant: strings.Join(v.label, " "), Report: r})
			continue
		}
		r, err := search(ctx, v.settings, props, nil, f.lim, stderr)
		if err != nil {
			return 0, err
		}
		results = append(results, row{Variant: strings.Join(v.label, " "), Report: r})
	}
	if *reportDir != "" {
		if err := writeReport(*reportDir, sharedSettings(*f.settings, vary), props, results); err != nil {
			return 0, err
		}
	}
	switch {
	case *asJSON:
		err = writeCompareJSON(stdout, results)
	case *asMarkdown:
		err = writeTable(stdout, sharedSettings(*f.settings, vary), props, results, true)
	default:
		err = writeTable(stdout, sharedSettings(*f.settings, vary), props, results, false)
	}
	if err != nil {
		return 0, err
	}
	for _, r := range results {
		if !r.Report.Complete && !r.Report.Decided {
			return exitLimit, nil
		}
	}
	return exitHolds, nil
}

// cell is one property's answer in a row: "holds", "violated (n)" with n
// the length of the shortest counterexample, or "unknown".
func cell(r *report, name string) string {
	for _, v := range r.Properties {
		if v.Name != name {
			continue
		}
		switch v.Status {
		case properties.Violated:
			return fmt.Sprintf("violated (%d)", v.Depth)
		case properties.Holds:
			return "holds"
		}
		return "unknown"
	}
	return ""
}

// statesCell is the state count, marked when the search did not finish.
func statesCell(r *report) string {
	switch {
	case r.NotRun:
		return "not run (" + r.Limit.String() + ")"
	case r.Complete:
		return count(r.States)
	case r.Decided:
		return count(r.States) + " (all violated)"
	}
	return count(r.States) + " (incomplete: " + r.Limit.String() + ")"
}

func writeTable(w io.Writer, shared string, props []properties.Property, rows []row, markdown bool) error {
	head := []string{"variant", "states", "seconds"}
	for _, p := range props {
		head = append(head, p.Name)
	}
	table := [][]string{head}
	for _, r := range rows {
		line := []string{r.Variant, statesCell(r.Report), fmt.Sprintf("%.1f", r.Report.Seconds)}
		for _, p := range props {
			line = append(line, cell(r.Report, p.Name))
		}
		table = append(table, line)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "settings of every row (varied ones as V1|V2): %s\n\n", shared)
	if markdown {
		for i, line := range table {
			b.WriteString("| " + strings.Join(line, " | ") + " |\n")
			if i == 0 {
				b.WriteString(strings.Repeat("| --- ", len(line)) + "|\n")
			}
		}
	} else {
		width := make([]int, len(head))
		for _, line := range table {
			for i, c := range line {
				width[i] = max(width[i], len(c))
			}
		}
		for _, line := range table {
			for i, c := range line {
				if i > 0 {
					b.WriteString("  ")
				}
				if i < len(line)-1 {
					c = fmt.Sprintf("%-*s", width[i], c)
				}
				b.WriteString(c)
			}
			b.WriteString("\n")
		}
	}
	if len(rows) > 0 {
		if h := rows[0].Report.Settings.Horizon; h > 0 {
			fmt.Fprintf(&b, "\n\"holds\": holds within the horizon of %d ticks; \"violated (n)\": the shortest counterexample has n steps.\n", h)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCompareJSON(w io.Writer, rows []row) error {
	type jsonRow struct {
		Variant string `json:"variant"`
		jsonReport
	}
	var out []jsonRow
	for _, r := range rows {
		out = append(out, jsonRow{Variant: r.Variant, jsonReport: jsonReport{
			Settings:   settingsMap(r.Report.Settings),
			report:     r.Report,
			Properties: jsonVerdicts(r.Report.Properties),
		}})
	}
	return writeJSONTo(w, out)
}

// reportPage is the data of the HTML report.
type reportPage struct {
	Properties []properties.Property
	Rows       []reportRow
	Settings   string // the settings, with the varied ones as V1|V2|...
	Horizon    int
}

type reportRow struct {
	Variant, States, Seconds string
	Cells                    []reportCell
}

type reportCell struct {
	Text      string
	Violated  bool
	SVG, JSON string // links, relative to the report
}

// writeReport writes DIR/index.html with the table; each violated cell
// links to its counterexample's sequence chart (SVG) and JSON trace, kept
// beside it in DIR/traces/. The page has no outside references.
func writeReport(dir, settings string, props []properties.Property, rows []row) error {
	if err := os.MkdirAll(filepath.Join(dir, "traces"), 0o755); err != nil {
		return usagef("--report: cannot create %s: %v", dir, unwrapPathError(err))
	}
	page := reportPage{Properties: props, Settings: settings}
	if len(rows) > 0 {
		page.Horizon = rows[0].Report.Settings.Horizon
	}
	for i, r := range rows {
		rr := reportRow{Variant: r.Variant, States: statesCell(r.Report), Seconds: fmt.Sprintf("%.1f", r.Report.Seconds)}
		if rr.Variant == "" {
			rr.Variant = "(base)"
		}
		for _, p := range props {
			c := reportCell{Text: cell(r.Report, p.Name)}
			for _, v := range r.Report.Properties {
				if v.Name != p.Name || v.Trace == nil {
					continue
				}
				c.Violated = true
				stem := fmt.Sprintf("row%d-%s", i+1, p.Name)
				c.JSON, c.SVG = "traces/"+stem+".json", "traces/"+stem+".svg"
				t := v.Trace
				if err := writeFileAtomic(filepath.Join(dir, c.JSON), func(w io.Writer) error { return traces.WriteJSON(w, t) }); err != nil {
					return err
				}
				if err := writeFileAtomic(filepath.Join(dir, c.SVG), func(w io.Writer) error { return renderTrace(w, t, "svg", "sequence") }); err != nil {
					return err
				}
			}
			rr.Cells = append(rr.Cells, c)
		}
		page.Rows = append(page.Rows, rr)
	}
	return writeFileAtomic(filepath.Join(dir, "index.html"), func(w io.Writer) error {
		return reportTemplate.Execute(w, page)
	})
}

var reportTemplate = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tcpcheck compare</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .4em .7em; text-align: left; vertical-align: top; }
th { background: #f0f3f7; }
td.holds { background: #eaf7ea; color: #1b5e20; }
td.violated { background: #fdecea; color: #b71c1c; }
td.unknown { background: #fff8e1; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.links a { margin-right: .6em; font-size: .85em; }
dt { font-weight: bold; margin-top: .6em; }
code { background: #f5f5f5; padding: 0 .2em; }
td code { white-space: nowrap; }
</style>
</head>
<body>
<h1>tcpcheck compare</h1>
<p>Settings (varied ones as V1|V2): <code>{{.Settings}}</code></p>
<table>
<tr><th>variant</th><th>states</th><th>seconds</th>{{range .Properties}}<th title="{{.Statement}}">{{.Name}}</th>{{end}}</tr>
{{range .Rows}}<tr><td><code>{{.Variant}}</code></td><td class="num">{{.States}}</td><td class="num">{{.Seconds}}</td>
{{range .Cells}}<td class="{{if .Violated}}violated{{else if eq .Text "holds"}}holds{{else}}unknown{{end}}">{{.Text}}{{if .Violated}}<div class="links"><a href="{{.SVG}}">chart</a><a href="{{.JSON}}">trace</a></div>{{end}}</td>{{end}}</tr>
{{end}}</table>
<p>{{if .Horizon}}"holds": holds within the horizon of {{.Horizon}} ticks; {{end}}"violated (n)": the shortest counterexample has n steps; "chart" opens its sequence chart, "trace" its JSON (for <code>tcpcheck render</code>).</p>
<h2>Properties</h2>
<dl>{{range .Properties}}<dt>{{.Name}}</dt><dd>{{.Statement}}.<br><em>Why:</em> {{.Reason}}.</dd>{{end}}</dl>
</body>
</html>
`))
