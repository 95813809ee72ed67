package traces

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// A chart is a trace laid out as a sequence chart, the way a networking
// textbook draws TCP: a lane per endpoint, time going down one row per
// step, an arrow per segment. It is plain data; writeSequenceDOT pours it
// into DOT.
type chart struct {
	Title  string
	Rows   []chartRow // row 0 is the initial state, row i the state after step i
	Arrows []arrow
	Ends   []arrowEnd // crosses and open ends, each on a row
	Footer string     // the verdict, below the last row
	Bad    bool       // the trace is a violation: the last row and the footer in red
	Loop   *loopMark  // a lasso's loop-back, drawn left of the step column; nil otherwise
}

// A loopMark is the arrow back from a lasso's last row to the row its
// cycle starts from.
type loopMark struct{ From, To int }

// A chartRow is one step: what it is, and what each endpoint notes.
type chartRow struct {
	Step  string    // the step column: its number, and the time for a tick
	Notes [2]string // per endpoint, lines joined by "\n"
	Event [2]bool   // an arrow starts or ends on this endpoint's lane here
	Hot   bool      // the last step of a violation
}

// An arrow is one segment's flight, from its sender's lane to the
// receiver's lane (delivered) or to an end mark in the middle.
type arrow struct {
	From, To int       // rows
	Dir      model.Dir // the sender
	Label    string
	End      int  // index in chart.Ends, or -1 when it ends on the receiver's lane
	Old      bool // an older incarnation's segment: dashed and grey
	Hot      bool // part of the violating step
	Lost     bool // a reply lost for want of room: starts and ends on one row
}

// An arrowEnd is where an arrow stops short of a lane: a cross for a
// dropped, expired or lost segment, an open end for one still in flight.
type arrowEnd struct {
	Row   int
	Cross bool
	Label string
}

// layoutChart builds the chart of t.
func layoutChart(t *Trace) *chart {
	c := &chart{Bad: t.Kind == Violation}
	n := len(t.Steps)
	c.Title = fmt.Sprintf("%s: %s", t.Kind, t.Name)
	if d := t.Settings.Diff(model.Defaults()); len(d) > 0 {
		c.Title += "\nsettings: " + strings.Join(d, " ")
	} else {
		c.Title += "\nsettings: defaults"
	}
	c.Rows = make([]chartRow, n+1)
	c.Rows[0].Step = "step"
	for e := model.A; e <= model.B; e++ {
		c.Rows[0].Notes[e] = t.Init.TCB[e].State.String()
	}
	for i, st := range t.Steps {
		row := &c.Rows[i+1]
		row.Step = fmt.Sprint(i + 1)
		before := t.Before(i)
		if st.Action.Kind == model.Tick {
			row.Step += fmt.Sprintf("\ntick %d", tickNumber(t, i))
		}
		for e := model.A; e <= model.B; e++ {
			row.Notes[e] = strings.Join(laneNotes(st.Action, e, before.TCB[e], st.State.TCB[e]), "\n")
		}
		row.Hot = c.Bad && i == n-1
	}
	for _, f := range Flights(t) {
		a := arrow{From: f.From, To: f.To, Dir: f.Dir, End: -1, Old: f.Old != "", Label: f.Seg.String() + "\n" + f.Seg.Route(f.Dir)}
		switch f.By {
		case model.Dup:
			a.Label += "\nduplicate"
		case model.Retransmit:
			a.Label += "\nretransmission"
		}
		if f.Old != "" {
			a.Label += "\nold: " + f.Old
		}
		c.Rows[f.From].Event[f.Dir] = f.From > 0
		switch f.End {
		case Delivered:
			c.Rows[f.To].Event[f.Dir.Peer()] = true
		case Dropped:
			a.End = c.end(f.To, true, "dropped")
		case Expired:
			a.End = c.end(f.To, true, "expired (MSL)")
		case InFlight:
			a.To = n + 1
			a.End = c.end(n+1, false, "in flight")
		}
		a.Hot = c.Bad && (f.To == n || f.From == n)
		c.Arrows = append(c.Arrows, a)
	}
	for i, st := range t.Steps {
		if st.Action.Kind == model.Deliver && st.Action.Lost {
			r := st.Action.Who.Peer()
			c.Arrows = append(c.Arrows, arrow{
				From: i + 1, To: i + 1, Dir: r, Lost: true, Hot: c.Bad && i == n-1,
				Label: "reply", End: c.end(i+1, true, "lost: no room"),
			})
			c.Rows[i+1].Event[r] = true
		}
	}
	switch t.Kind {
	case Violation:
		c.Footer = fmt.Sprintf("step %d violates %s", n, t.Name)
		if t.Note != "" {
			c.Footer += "\n" + strings.ReplaceAll(t.Note, "; ", "\n")
		}
	case Witness:
		c.Footer = fmt.Sprintf("step %d reaches %s", n, t.Name)
	}
	for _, a := range c.Arrows {
		if a.Old {
			c.Footer += "\n(dashed: a segment that is old for its receiver)"
			break
		}
	}
	if t.Lasso {
		c.Loop = &loopMark{From: n, To: t.LoopAt}
		c.Rows[t.LoopAt].Step += "\n↻ cycle"
		c.Footer = fmt.Sprintf("%s is violated: after step %d the run repeats steps %d to %d forever", t.Name, t.LoopAt, t.LoopAt+1, n)
		if t.Note != "" {
			c.Footer += "\n" + t.Note
		}
	}
	c.mergeQuietTicks(t)
	return c
}

// mergeQuietTicks draws each run of two or more ticks in which nothing
// happens on the lanes (no note, no segment sent, delivered or ended) as
// one row, "steps 9-17, ticks 1-9", so that waiting does not fill the page.
func (c *chart) mergeQuietTicks(t *Trace) {
	n := len(c.Rows)
	busy := make([]bool, n+1)
	for _, a := range c.Arrows {
		busy[a.From] = true
		if a.End < 0 {
			busy[a.To] = true
		}
	}
	for _, e := range c.Ends {
		busy[e.Row] = true
	}
	if c.Loop != nil {
		busy[c.Loop.From], busy[c.Loop.To] = true, true
	}
	quiet := func(i int) bool {
		r := c.Rows[i]
		return i > 0 && t.Steps[i-1].Action.Kind == model.Tick && !busy[i] && !r.Hot &&
			r.Notes[0] == "" && r.Notes[1] == "" && !r.Event[0] && !r.Event[1]
	}
	index := make([]int, n+1) // old row -> new row; row n is the end row
	var rows []chartRow
	for i := 0; i < n; {
		j := i + 1
		for quiet(i) && j < n && quiet(j) {
			j++
		}
		row := c.Rows[i]
		if j-i >= 2 {
			row.Step = fmt.Sprintf("%d-%d\nticks %d-%d", i, j-1, tickNumber(t, i-1), tickNumber(t, j-2))
		} else {
			j = i + 1
		}
		for k := i; k < j; k++ {
			index[k] = len(rows)
		}
		rows = append(rows, row)
		i = j
	}
	index[n] = len(rows)
	c.Rows = rows
	for k := range c.Arrows {
		c.Arrows[k].From, c.Arrows[k].To = index[c.Arrows[k].From], index[c.Arrows[k].To]
	}
	for k := range c.Ends {
		c.Ends[k].Row = index[c.Ends[k].Row]
	}
	if c.Loop != nil {
		c.Loop.From, c.Loop.To = index[c.Loop.From], index[c.Loop.To]
	}
}

func (c *chart) end(row int, cross bool, label string) int {
	c.Ends = append(c.Ends, arrowEnd{Row: row, Cross: cross, Label: label})
	return len(c.Ends) - 1
}

// tickNumber counts the ticks up to and including step i.
func tickNumber(t *Trace, i int) int {
	n := 0
	for _, st := range t.Steps[:i+1] {
		if st.Action.Kind == model.Tick {
			n++
		}
	}
	return n
}

// laneNotes says what happened to endpoint e in one step: the call it
// made or the timer that fired, its state change, and the fields that
// matter to a reader (sequence numbers learnt, timers set).
func laneNotes(a model.Action, e model.Endpoint, from, to model.TCB) []string {
	var notes []string
	if a.Who == e {
		switch a.Kind {
		case model.Connect:
			notes = append(notes, fmt.Sprintf("connect: %s (ISS=%d)", model.Incarnation(e, to.Opens), a.ISS))
		case model.ListenCall:
			notes = append(notes, "listen: "+model.Incarnation(e, to.Opens))
		case model.Send:
			notes = append(notes, fmt.Sprintf("send DATA=%d", to.Sent))
		case model.CloseCall:
			notes = append(notes, "close")
		case model.Retransmit:
			notes = append(notes, fmt.Sprintf("retransmission timeout (try %d)", to.Tries))
		case model.GiveUp:
			notes = append(notes, "give up: no answer")
		case model.Expire:
			notes = append(notes, from.State.String()+" timer expires")
		case model.Abort:
			notes = append(notes, "abort")
		}
	}
	if from.State != to.State {
		notes = append(notes, fmt.Sprintf("%s -> %s", from.State, to.State))
	}
	if to.Peer != from.Peer && to.Peer != 0 {
		notes = append(notes, "bound to "+model.Incarnation(e.Peer(), to.Peer))
	}
	if to.Stale && !from.Stale {
		notes = append(notes, "accepted a stale SYN")
	}
	if to.Delivered > from.Delivered && from.State != model.Closed {
		notes = append(notes, fmt.Sprintf("delivers DATA=%d", to.Delivered))
	}
	if a.Kind == model.Tick {
		if to.Rtx.Due() && !from.Rtx.Due() {
			notes = append(notes, "retransmission timer runs out")
		}
		if to.TW.Running() && to.TW != from.TW {
			notes = append(notes, fmt.Sprintf("%s: %d ticks left", to.State, to.TW.Left()))
		}
	} else if to.State == model.TimeWait && to.TW.Running() && (from.State != model.TimeWait || to.TW.Left() > from.TW.Left()) {
		if from.State == model.TimeWait {
			notes = append(notes, fmt.Sprintf("TIME-WAIT restarts: %d ticks", to.TW.Left()))
		} else {
			notes = append(notes, fmt.Sprintf("TIME-WAIT for %d ticks", to.TW.Left()))
		}
	}
	return notes
}

// WriteSequenceDOT writes t as a sequence chart in Graphviz DOT, drawn the
// way networking textbooks draw TCP: A's lane on the left, B's on the
// right, time going down one row per step. Each segment is an arrow from
// the step that sent it to the step that delivered it, labelled as RFC
// 9293 writes segments (<SEQ=100><CTL=SYN>). A dropped segment ends in a
// cross mid-way, an expired one in a cross marked "expired (MSL)", a reply
// lost for want of room in a cross marked "lost: no room", one still in
// flight at the end in an open arrow. Every segment says whom it is from
// and to ("from A2 to B1"); duplicates and retransmissions say so; a
// segment that is old for its receiver is dashed and grey and says why
// ("old: addressed to A1, A is now A2"). Calls, timers and state changes are written beside the lanes. The
// last step of a violation is red and names the property; a witness names
// its goal. Render the output with Render or `dot -Tsvg`.
func WriteSequenceDOT(w io.Writer, t *Trace) error {
	_, err := io.WriteString(w, sequenceDOT(layoutChart(t)))
	return err
}

const (
	red       = "#c0392b"
	grey      = "#8a8a8a"
	laneColor = "#9aa5b1"
	loopColor = "#7d3c98"
)

func sequenceDOT(c *chart) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	n := len(c.Rows) // rows 0..n-1; row n is the footer
	// Column widths, in inches, from the longest text they hold.
	noteW, midW := 1.2, 2.4
	for _, r := range c.Rows {
		for _, s := range r.Notes {
			noteW = max(noteW, textWidth(s))
		}
	}
	for _, a := range c.Arrows {
		midW = max(midW, textWidth(a.Label)+0.6)
	}

	p("digraph sequence {\n")
	p("\tgraph [rankdir=TB, splines=false, forcelabels=true, newrank=true, nodesep=0, ranksep=0.32, fontname=\"Helvetica\", fontsize=13, labelloc=t, labeljust=c, label=%s];\n", quote(c.Title+"\n "))
	p("\tnode [fontname=\"Helvetica\", fontsize=10, shape=plaintext, label=\"\", width=0, height=0.3, margin=0];\n")
	p("\tedge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.7];\n")

	// The grid: per row, the step column, A's notes, A's lane, the middle
	// (two halves, with any crosses between them), B's lane, B's notes.
	for i := 0; i <= n; i++ {
		var row chartRow
		if i < n {
			row = c.Rows[i]
		}
		color := "black"
		if row.Hot {
			color = red
		}
		p("\t// row %d\n", i)
		p("\ts%d [label=%s, fontcolor=%s, width=0.6];\n", i, quote(row.Step), quote(grey))
		if i == 0 {
			p("\tna0 [label=%s, width=%.2f];\n", quote(row.Notes[model.A]), noteW)
			p("\tnb0 [label=%s, width=%.2f];\n", quote(row.Notes[model.B]), noteW)
			for e, name := range []string{"a", "b"} {
				p("\t%s0 [label=\"%s\", shape=box, style=\"rounded,filled\", fillcolor=\"#e3ecf6\", color=%s, fontsize=14, width=0.5, height=0.35];\n", name, model.Endpoint(e), quote(laneColor))
			}
		} else {
			p("\tna%d [label=%s, width=%.2f, fontcolor=%s];\n", i, justified(row.Notes[model.A], `\r`), noteW, quote(color))
			p("\tnb%d [label=%s, width=%.2f, fontcolor=%s];\n", i, justified(row.Notes[model.B], `\l`), noteW, quote(color))
			for e, name := range []string{"a", "b"} {
				if row.Event[e] {
					p("\t%s%d [shape=point, width=0.07, color=%s];\n", name, i, quote(color))
				} else {
					p("\t%s%d [shape=point, width=0.01, color=%s];\n", name, i, quote(laneColor))
				}
			}
		}
		p("\tml%d [width=%.2f]; mr%d [width=%.2f];\n", i, midW/2, i, midW/2)
		order := []string{fmt.Sprintf("s%d", i), fmt.Sprintf("na%d", i), fmt.Sprintf("a%d", i), fmt.Sprintf("ml%d", i)}
		if c.Loop != nil {
			p("\tlp%d [width=0.3];\n", i)
			order = append([]string{fmt.Sprintf("lp%d", i)}, order...)
		}
		for k, e := range c.Ends {
			if e.Row != i {
				continue
			}
			id := fmt.Sprintf("x%d", k)
			order = append(order, id)
			ecolor := color
			if !e.Cross {
				p("\t%s [label=%s, fontcolor=%s, height=0.2];\n", id, quote(e.Label), quote(grey))
				continue
			}
			if ecolor == "black" {
				ecolor = red
				if e.Label == "expired (MSL)" {
					ecolor = grey
				}
			}
			p("\t%s [label=%s, fontcolor=%s, height=0.2];\n", id, quote("✕ "+e.Label), quote(ecolor))
		}
		order = append(order, fmt.Sprintf("mr%d", i), fmt.Sprintf("b%d", i), fmt.Sprintf("nb%d", i))
		p("\t{rank=same; %s;}\n", strings.Join(order, "; "))
		p("\t%s [style=invis];\n", strings.Join(order, " -> "))
	}
	// The verdict, below the middle of the last row.
	fcolor := "#1e6b3a"
	if c.Bad {
		fcolor = red
	}
	p("\tverdict [label=%s, fontcolor=%s, fontsize=12, shape=box, style=rounded, color=%s, margin=0.1];\n", quote(c.Footer), quote(fcolor), quote(fcolor))
	p("\t{rank=same; verdict;}\n")
	p("\tml%d -> verdict [style=invis];\n", n)

	// Columns and lanes: heavy vertical edges keep them straight.
	for i := 0; i < n; i++ {
		for _, col := range []string{"s", "na", "ml", "mr", "nb"} {
			p("\t%s%d -> %s%d [style=invis, weight=100];\n", col, i, col, i+1)
		}
		if c.Loop != nil {
			p("\tlp%d -> lp%d [style=invis, weight=100];\n", i, i+1)
		}
		for _, lane := range []string{"a", "b"} {
			p("\t%s%d -> %s%d [arrowhead=none, headclip=false, tailclip=false, color=%s, penwidth=2, weight=100];\n", lane, i, lane, i+1, quote(laneColor))
		}
	}

	// A lasso's loop-back: from its last row up to the row its cycle
	// starts from.
	if c.Loop != nil {
		p("\tlp%d -> lp%d [color=%s, penwidth=1.6, constraint=false, xlabel=%s];\n", c.Loop.From, c.Loop.To, quote(loopColor), htmlLabel("repeats\nforever", loopColor))
	}

	// The segments.
	for _, a := range c.Arrows {
		from := fmt.Sprintf("%s%d", lane(a.Dir), a.From)
		to := fmt.Sprintf("%s%d", lane(a.Dir.Peer()), a.To)
		if a.End >= 0 {
			to = fmt.Sprintf("x%d", a.End)
		}
		color := "black"
		switch {
		case a.Hot:
			color = red
		case a.Old:
			color = grey
		}
		attrs := []string{"xlabel=" + htmlLabel(a.Label, color), "constraint=false", "color=" + quote(color)}
		if a.Hot {
			attrs = append(attrs, "penwidth=1.6")
		}
		if a.Old || a.Lost {
			attrs = append(attrs, "style=dashed")
		}
		if a.End >= 0 && !c.Ends[a.End].Cross {
			attrs = append(attrs, "arrowhead=open")
		} else if a.End >= 0 {
			attrs = append(attrs, "arrowhead=none")
		}
		p("\t%s -> %s [%s];\n", from, to, strings.Join(attrs, ", "))
	}
	p("}\n")
	return b.String()
}

func lane(e model.Endpoint) string { return [...]string{"a", "b"}[e] }

// textWidth estimates the width in inches of text at 10 points.
func textWidth(s string) float64 {
	w := 0
	for _, line := range strings.Split(s, "\n") {
		w = max(w, len([]rune(line)))
	}
	return float64(w)*0.075 + 0.2
}

// justified writes s as a DOT string whose every line ends with a
// justification escape (\l or \r).
func justified(s, esc string) string {
	if s == "" {
		return `""`
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escape(l)
	}
	return `"` + strings.Join(lines, esc) + esc + `"`
}

// htmlLabel writes s as a DOT HTML label: its lines in a table with a
// white background, so that a line drawn under it does not hide it.
func htmlLabel(s, color string) string {
	var b strings.Builder
	b.WriteString(`<<table border="0" cellborder="0" cellspacing="0" cellpadding="0" bgcolor="white">`)
	for _, line := range strings.Split(s, "\n") {
		fmt.Fprintf(&b, `<tr><td><font color="%s">%s</font></td></tr>`, color, html.EscapeString(line))
	}
	b.WriteString(`</table>>`)
	return b.String()
}

// quote writes s as a DOT string; newlines become \n.
func quote(s string) string {
	return `"` + strings.ReplaceAll(escape(s), "\n", `\n`) + `"`
}

// escape escapes the backslashes and quotes of s for a DOT string.
func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`)
}
