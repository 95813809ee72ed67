package traces

import (
	"fmt"
	"html"
	"io"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/tcpcheck/tcpcheck/model"
)

// A pathNode is one state on a trace's path: row 0 is the initial state,
// row i the state after step i. A state the path visits twice has two
// nodes.
type pathNode struct {
	row   int
	state model.State
	hot   bool // the violating state
}

func (n pathNode) ID() int64     { return int64(n.row) }
func (n pathNode) DOTID() string { return fmt.Sprintf("s%d", n.row) }

func (n pathNode) Attributes() []encoding.Attribute {
	color := "#5b6b7b"
	if n.hot {
		color = red
	}
	return []encoding.Attribute{
		{Key: "label", Value: stateLabel(n.row, n.state, color)},
		{Key: "color", Value: color},
	}
}

// A pathEdge is one step: the action from the state before to the state
// after.
type pathEdge struct {
	from, to pathNode
	action   model.Action
	label    string // the action as a trace writes it, and why a delivered segment got its answer
	hot      bool   // the violating step
}

func (e pathEdge) From() graph.Node { return e.from }
func (e pathEdge) To() graph.Node   { return e.to }
func (e pathEdge) ReversedEdge() graph.Edge {
	return pathEdge{from: e.to, to: e.from, action: e.action, label: e.label, hot: e.hot}
}

func (e pathEdge) Attributes() []encoding.Attribute {
	color := "black"
	if e.hot {
		color = red
	}
	// An HTML label, its lines left-aligned.
	var b strings.Builder
	b.WriteString(`<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">`)
	for _, line := range strings.Split(e.label, "\n") {
		fmt.Fprintf(&b, `<tr><td align="left"><font color="%s"> %s</font></td></tr>`, color, html.EscapeString(line))
	}
	b.WriteString(`</table>>`)
	attrs := []encoding.Attribute{{Key: "label", Value: b.String()}}
	if e.hot {
		attrs = append(attrs,
			encoding.Attribute{Key: "color", Value: red},
			encoding.Attribute{Key: "penwidth", Value: "2"})
	}
	return attrs
}

// pathGraph is the path as a gonum graph with DOT's global attributes.
type pathGraph struct {
	*simple.DirectedGraph
	title string
}

func (g pathGraph) DOTAttributers() (gr, node, edge encoding.Attributer) {
	return attrs{
			{Key: "rankdir", Value: "TB"},
			{Key: "labelloc", Value: "t"},
			{Key: "fontname", Value: "Helvetica"},
			{Key: "label", Value: g.title},
		}, attrs{
			{Key: "shape", Value: "box"},
			{Key: "style", Value: "rounded"},
			{Key: "fontname", Value: "Helvetica"},
			{Key: "fontsize", Value: "10"},
		}, attrs{
			{Key: "fontname", Value: "Helvetica"},
			{Key: "fontsize", Value: "10"},
		}
}

type attrs []encoding.Attribute

func (a attrs) Attributes() []encoding.Attribute { return a }

// pathOf builds the gonum graph of t's path.
func pathOf(t *Trace) pathGraph {
	g := pathGraph{DirectedGraph: simple.NewDirectedGraph()}
	g.title = fmt.Sprintf("%s: %s (%d steps)", t.Kind, t.Name, len(t.Steps))
	if d := t.Settings.Diff(model.Defaults()); len(d) > 0 {
		g.title += "\nsettings: " + strings.Join(d, " ")
	}
	n := len(t.Steps)
	prev := pathNode{row: 0, state: t.Init, hot: t.Kind == Violation && n == 0}
	g.AddNode(prev)
	for i, st := range t.Steps {
		hot := t.Kind == Violation && i == n-1
		next := pathNode{row: i + 1, state: st.State, hot: hot}
		g.AddNode(next)
		label := ActionText(prev.state, st.Action)
		if st.Action.Kind == model.Deliver {
			if why := explainArrival(t.Settings, st.Action.Who, prev.state, st.State, st.Action.Seg).Why; why != "" {
				label += "\n" + why
			}
		}
		g.SetEdge(pathEdge{from: prev, to: next, action: st.Action, label: label, hot: hot})
		prev = next
	}
	return g
}

// WritePathDOT writes t as a path of states in Graphviz DOT: one node per
// state on the path (both endpoints' state and sequence variables, their
// timers, the segments in flight), one edge per step labelled with its
// action as the text trace writes it (whom a segment is from and to, and
// whether it is old) and, for a delivered segment, why it got the answer
// it got ("unacceptable ACK: reset"). The violating state and the step
// that reaches it are red. The graph is built with gonum's graph and
// written by its DOT encoder.
func WritePathDOT(w io.Writer, t *Trace) error {
	b, err := dot.Marshal(pathOf(t), "path", "", "\t")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// stateLabel is a node's label: an HTML table with the row number, a line
// per endpoint and per direction, and the globals.
func stateLabel(row int, s model.State, color string) string {
	var b strings.Builder
	cell := func(text string, attrs string) {
		fmt.Fprintf(&b, `<tr><td align="left"%s>%s</td></tr>`, attrs, html.EscapeString(text))
	}
	fmt.Fprintf(&b, `<<table border="0" cellborder="0" cellspacing="0" cellpadding="1"><tr><td align="left"><font color="%s"><b>%s</b></font></td></tr>`, color, html.EscapeString(fmt.Sprintf("state %d", row)))
	for e := model.A; e <= model.B; e++ {
		cell(tcbLine(e, s.TCB[e]), "")
	}
	for d := model.A; d <= model.B; d++ {
		var segs []string
		for _, g := range s.Net[d].Items() {
			segs = append(segs, fmt.Sprintf("%s age %d", g, g.Age))
		}
		if len(segs) == 0 {
			segs = []string{"(empty)"}
		}
		cell(model.DirString(d)+": "+strings.Join(segs, ", "), "")
	}
	cell(fmt.Sprintf("clock=%d ticks=%d lost=%d duped=%d", s.Clock, s.Ticks, s.Lost, s.Duped), "")
	b.WriteString(`</table>>`)
	return b.String()
}

// tcbLine is one endpoint on one line: its state and, unless CLOSED or
// LISTEN, its sequence variables, the peer it is bound to and running
// timers.
func tcbLine(e model.Endpoint, t model.TCB) string {
	line := fmt.Sprintf("%s %s", model.Incarnation(e, t.Opens), t.State)
	if t.State == model.Closed || t.State == model.Listen {
		return line
	}
	line += fmt.Sprintf("  ISS=%d SND.UNA=%d SND.NXT=%d IRS=%d RCV.NXT=%d peer=%s", t.ISS, t.SndUna, t.SndNxt, t.IRS, t.RcvNxt, model.Incarnation(e.Peer(), t.Peer))
	if t.Rtx.Running() {
		line += fmt.Sprintf(" rtx=%d", t.Rtx.Left())
	}
	if t.TW.Running() {
		line += fmt.Sprintf(" tw=%d", t.TW.Left())
	}
	if t.Stale {
		line += " stale"
	}
	return line
}
