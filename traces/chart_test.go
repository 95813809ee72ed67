package traces

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/tcpcheck/tcpcheck/model"
)

// gracefulClose is the graceful-close counterexample of the defaults: B's
// ACK of A's FIN is lost for want of room, the ACK of A's data restarts
// A's retransmission timer, and A's FIN retransmission reaches B after
// its TIME-WAIT: CLOSED B resets A in LAST-ACK.
func gracefulClose(t testing.TB) *Trace {
	tr := walk(t, model.Defaults(),
		"connect A ISS=0", "listen B", "deliver A->B <SEQ=0><CTL=SYN>", "deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>",
		"close B", "deliver A->B <SEQ=1><ACK=2><CTL=ACK>", "deliver B->A <SEQ=2><ACK=1><CTL=FIN,ACK>",
		"deliver A->B <SEQ=1><ACK=3><CTL=ACK>", "send A", "deliver A->B <SEQ=1><ACK=3><CTL=ACK><DATA=1>", "close A",
		"deliver A->B <SEQ=2><ACK=3><CTL=FIN,ACK> (reply lost: no room)", "tick", "deliver B->A <SEQ=3><ACK=2><CTL=ACK>",
		"tick", "tick", "retransmit A", "tick", "expire B", "deliver A->B <SEQ=2><ACK=3><CTL=FIN,ACK>",
		"deliver B->A <SEQ=3><CTL=RST>")
	tr.Name = "graceful-close"
	return tr
}

// oldFIN is the no-old-segment counterexample of --time-wait 0: B1's
// retransmitted FIN outlives A1 and reaches A2 in SYN-SENT, whose reset
// reaches B2.
func oldFIN(t testing.TB) *Trace {
	s := model.Defaults()
	s.TimeWait = 0
	steps := []string{
		"connect A ISS=0", "listen B", "deliver A->B <SEQ=0><CTL=SYN>", "deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>",
		"deliver A->B <SEQ=1><ACK=2><CTL=ACK>", "close A", "deliver A->B <SEQ=1><ACK=2><CTL=FIN,ACK>",
		"deliver B->A <SEQ=2><ACK=2><CTL=ACK>",
	}
	for range 9 {
		steps = append(steps, "tick")
	}
	steps = append(steps, "close B", "tick", "deliver B->A <SEQ=2><ACK=2><CTL=FIN,ACK>", "expire A", "tick",
		"retransmit B", "deliver A->B <SEQ=2><ACK=3><CTL=ACK>", "listen B", "tick", "connect A ISS=0",
		"deliver A->B <SEQ=0><CTL=SYN> (reply lost: no room)", "deliver B->A <SEQ=2><ACK=2><CTL=FIN,ACK>",
		"deliver A->B <SEQ=2><CTL=RST>")
	tr := walk(t, s, steps...)
	tr.Name = "no-old-segment"
	return tr
}

// deadlock is a no-deadlock counterexample: A gives up in LAST-ACK, B
// waits in FIN-WAIT-2 for a FIN that never comes.
func deadlock(t testing.TB) *Trace {
	s := settings(t, "seq-space", "8", "opens", "1", "loss", "unbounded", "data", "0", "horizon", "6")
	tr := walk(t, s,
		"connect A ISS=0", "listen B", "deliver A->B <SEQ=0><CTL=SYN>", "deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>",
		"close B", "deliver A->B <SEQ=1><ACK=2><CTL=ACK>", "deliver B->A <SEQ=2><ACK=1><CTL=FIN,ACK>",
		"deliver A->B <SEQ=1><ACK=3><CTL=ACK>", "close A", "tick", "tick", "retransmit A", "tick", "tick",
		"retransmit A", "tick", "tick", "give-up A")
	m, err := model.New(s)
	if err != nil {
		t.Fatal(err)
	}
	tr.Name, tr.Note = "no-deadlock", m.WhyStuck(tr.Last())
	return tr
}

// notesAt returns endpoint e's notes at the row of step i (rows are not
// merged here: the traces below have no two quiet ticks in a row there).
func notesAt(c *Chart, step int, e model.Endpoint) string {
	for _, r := range c.Rows {
		if strings.SplitN(r.Step, "\n", 2)[0] == strconv.Itoa(step) {
			return r.Notes[e]
		}
	}
	return "(no row)"
}

// TestChartSaysWhy: the steps that matter say what they do on the lanes:
// the ACK that restarts A's retransmission timer, the reset from CLOSED,
// the old FIN that SYN-SENT answers with a reset, the old SYN that a
// synchronized state answers with an ACK; a lost reply shows the segment
// that was lost.
func TestChartSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		trace func(testing.TB) *Trace
		step  int
		e     model.Endpoint
		want  string
	}{
		{gracefulClose, 6, model.B, "ACK of SYN"},
		{gracefulClose, 14, model.A, "ACK of DATA=1\nretransmission timer restarts: 2 ticks"},
		{gracefulClose, 20, model.B, "CLOSED: reset"},
		{gracefulClose, 21, model.A, "RST in window\nLAST-ACK -> CLOSED"},
		{oldFIN, 29, model.A, "unacceptable ACK: reset"},
		{oldFIN, 30, model.B, "RST in window\nSYN-RECEIVED -> LISTEN"},
		{oldFIN, 18, model.A, ""},
	} {
		c := NewChart(tc.trace(t))
		if got := notesAt(c, tc.step, tc.e); got != tc.want {
			t.Errorf("%s step %d, %s's notes %q, want %q", c.Title, tc.step, tc.e, got, tc.want)
		}
	}
	c := NewChart(gracefulClose(t))
	found := false
	for _, a := range c.Arrows {
		if a.Lost {
			found = true
			if want := "<SEQ=3><ACK=3><CTL=ACK>\nfrom B1 to A1, lost: no room"; a.Label != want {
				t.Errorf("lost reply labelled %q, want %q", a.Label, want)
			}
		}
	}
	if !found {
		t.Error("no lost reply in the graceful-close chart")
	}
}

// TestChartNoUnexplainedArrival: on random traces, every lane that
// receives a segment has a note at that row.
func TestChartNoUnexplainedArrival(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := randomTrace(rt)
		c := NewChart(tr)
		for _, a := range c.Arrows {
			if a.End < 0 && c.Rows[a.To].Notes[a.Dir.Peer()] == "" {
				rt.Fatalf("row %q: %s receives %q and says nothing", c.Rows[a.To].Step, a.Dir.Peer(), a.Label)
			}
		}
	})
}

// TestChartStuck: a no-deadlock chart says below each lane why that
// endpoint can never act again, and its verdict says to look there.
func TestChartStuck(t *testing.T) {
	c := NewChart(deadlock(t))
	if want := "stuck in CLOSED:\nno connect or listen: opens spent (1 of 1)"; c.EndNotes[model.A] != want {
		t.Errorf("A's stuck note %q, want %q", c.EndNotes[model.A], want)
	}
	if !strings.HasPrefix(c.EndNotes[model.B], "stuck in FIN-WAIT-2:\nclose already called\n") ||
		!strings.Contains(c.EndNotes[model.B], "no expiry (RFC 9293 has no FIN-WAIT-2 timer)") {
		t.Errorf("B's stuck note %q", c.EndNotes[model.B])
	}
	if !strings.Contains(c.Footer, "why: below each lane") {
		t.Errorf("footer %q", c.Footer)
	}
	// A Note in another form stays in the footer.
	tr := deadlock(t)
	tr.Note = "something else"
	if c := NewChart(tr); c.EndNotes != [2]string{} || !strings.Contains(c.Footer, "something else") {
		t.Errorf("unsplittable note: %q, footer %q", c.EndNotes, c.Footer)
	}
}

// TestChartLegend: the legend explains the marks a chart uses, and only
// those.
func TestChartLegend(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSequenceDOT(&b, oldFIN(t)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dashed grey: old for its receiver", "red: the violating step", "dotted to ✕: a reply that found no room"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("legend lacks %q", want)
		}
	}
	for _, absent := range []string{"purple:", "open head:", "expired: it was"} {
		if strings.Contains(b.String(), absent) {
			t.Errorf("legend has %q, which the chart does not use", absent)
		}
	}
}

// labelsApart checks a placed chart: no two labels overlap, no label
// overlaps a cross or the text of an end mark, every label is between the
// lanes and touches its own arrow.
func labelsApart(t interface{ Fatalf(string, ...any) }, c *Chart) {
	p := place(c)
	for k := range c.Arrows {
		r := p.label[k]
		if r.x0 < p.laneX[0] || r.x1 > p.laneX[1] {
			t.Fatalf("%s: label %d %q sticks out of the middle: %+v, lanes at %v", c.Title, k, c.Arrows[k].Label, r, p.laneX)
		}
		if !r.inset(-10).crosses(p.from[k], p.to[k]) {
			t.Fatalf("%s: label %q is away from its arrow", c.Title, c.Arrows[k].Label)
		}
		for j := k + 1; j < len(c.Arrows); j++ {
			if r.overlaps(p.label[j]) {
				t.Fatalf("%s: labels %q and %q overlap: %+v %+v", c.Title, c.Arrows[k].Label, c.Arrows[j].Label, r, p.label[j])
			}
		}
		for e := range c.Ends {
			if c.Ends[e].Label != "" && r.overlaps(p.endText[e]) {
				t.Fatalf("%s: label %q overlaps %q", c.Title, c.Arrows[k].Label, c.Ends[e].Label)
			}
		}
	}
}

func TestChartLabelsApart(t *testing.T) {
	for _, tr := range append(seedTraces(t), gracefulClose(t), oldFIN(t), deadlock(t)) {
		labelsApart(t, NewChart(tr))
	}
	rapid.Check(t, func(rt *rapid.T) {
		labelsApart(rt, NewChart(randomTrace(rt)))
	})
}

// TestTextEveryChange: a step's line says "(no change)" only when the
// state did not change; a tick that ages a segment in flight says so.
func TestTextEveryChange(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tr := randomTrace(rt)
		for i, st := range tr.Steps {
			before := tr.Before(i)
			got := stepChanges(before, st.State, st.Action.Kind == model.Tick)
			if (got == "(no change)") != (before == st.State) {
				rt.Fatalf("step %d %s: %q, but the states are equal: %v", i+1, st.Action, got, before == st.State)
			}
			if strings.Contains(got, "does not show") {
				rt.Fatalf("step %d %s: %q", i+1, st.Action, got)
			}
			if st.Action.Kind == model.Tick && before.Net[0].N+before.Net[1].N > 0 && !strings.Contains(got, " age ") && !strings.Contains(got, "expired") {
				rt.Fatalf("step %d tick: segments in flight, but %q says nothing of their ages", i+1, got)
			}
			if g := Changes(before, st.State); (g == "(no change)") != (before == st.State) {
				rt.Fatalf("step %d %s: Changes says %q", i+1, st.Action, g)
			}
		}
	})
}

// TestTextTicks: with isn=zero and no horizon, a tick moves neither the
// clock nor the tick count; the text says how the SYN in flight aged
// instead of "(no change)".
func TestTextTicks(t *testing.T) {
	s := settings(t, "isn", "zero", "horizon", "0", "retransmit", "off", "msl", "3")
	tr := walk(t, s, "connect A ISS=0", "tick", "tick", "tick")
	var b strings.Builder
	if err := WriteText(&b, tr, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A->B <SEQ=0><CTL=SYN> age 0->1", "A->B <SEQ=0><CTL=SYN> age 1->2", "A->B expired <SEQ=0><CTL=SYN>"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "no change") {
		t.Errorf("text says no change:\n%s", b.String())
	}
	b.Reset()
	if err := WriteText(&b, gracefulClose(t), ""); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%3d  %-60s %s\n", 13, "tick", "A1: rtx 2->1; B1: tw 4->3; B->A <SEQ=3><ACK=2><CTL=ACK> age 0->1; clock 5->6; ticks 0->1"); !strings.Contains(b.String(), want) {
		t.Errorf("text lacks %q:\n%s", want, b.String())
	}
}

// TestFullText: WriteFullText writes each step's line as WriteText does,
// and after it the whole state: both endpoints, both directions, the
// globals.
func TestFullText(t *testing.T) {
	tr := gracefulClose(t)
	var short, full strings.Builder
	if err := WriteText(&short, tr, "  "); err != nil {
		t.Fatal(err)
	}
	if err := WriteFullText(&full, tr, "  "); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(full.String(), "\n"), "\n")
	if got, want := len(lines), 6*(tr.Depth()+1); got != want {
		t.Fatalf("%d lines, want %d (a step line and five state lines per state)", got, want)
	}
	var steps []string
	for i, l := range lines {
		if i%6 == 0 {
			steps = append(steps, l)
		}
	}
	if got := strings.Join(steps, "\n") + "\n"; got != short.String() {
		t.Errorf("step lines differ from WriteText:\n%s\n---\n%s", got, short.String())
	}
	for _, want := range []string{
		"         A: A1 LAST-ACK ISS=0 SND.UNA=2 SND.NXT=3 IRS=1 RCV.NXT=3 peer=B1 passive=no sent=1 delivered=0 tries=1 rtx=1 tw=off stale=no",
		"         B: B1 CLOSED ISS=0 SND.UNA=0 SND.NXT=0 IRS=0 RCV.NXT=0 peer=A? passive=no sent=0 delivered=0 tries=0 rtx=off tw=off stale=no",
		"         A->B: <SEQ=2><ACK=3><CTL=FIN,ACK> from A1 to B1 age 0",
		"         B->A: (empty)",
		"         clock=9 ticks=4 lost=1 duped=0",
	} {
		if !strings.Contains(full.String(), want+"\n") {
			t.Errorf("full text lacks %q", want)
		}
	}
}

// TestChartLayout: the exported placement is the one the DOT draws: one
// note anchor per row and one for the stuck notes, a place for every
// arrow and end mark, labels between the lanes, and the quiet-tick rows
// cover every step once.
func TestChartLayout(t *testing.T) {
	for _, tr := range []*Trace{gracefulClose(t), oldFIN(t), deadlock(t)} {
		c := NewChart(tr)
		l := c.Layout()
		if len(l.Notes) != len(c.Rows)+1 || len(l.RowY) != len(c.Rows)+1 || len(l.Arrows) != len(c.Arrows) || len(l.Ends) != len(c.Ends) {
			t.Fatalf("%s: %d notes, %d row ys, %d arrows, %d ends for %d rows, %d arrows, %d ends",
				c.Title, len(l.Notes), len(l.RowY), len(l.Arrows), len(l.Ends), len(c.Rows), len(c.Arrows), len(c.Ends))
		}
		for k, a := range l.Arrows {
			if a.Label[0] < l.LaneX[0] || a.Label[2] > l.LaneX[1] {
				t.Errorf("%s: label %q at %v, lanes at %v", c.Title, c.Arrows[k].Label, a.Label, l.LaneX)
			}
		}
		for e := range 2 {
			if strings.ReplaceAll(strings.ReplaceAll(l.EndNotes[e], "\n  ", " "), "\n", " ") != strings.ReplaceAll(c.EndNotes[e], "\n", " ") {
				t.Errorf("%s: stuck notes wrapped as %q from %q", c.Title, l.EndNotes[e], c.EndNotes[e])
			}
			for _, line := range strings.Split(l.EndNotes[e], "\n") {
				if w := textWidth(line, fontSize); w > l.NoteW[e] {
					t.Errorf("%s: stuck note line %q is %g wide, its column %g", c.Title, line, w, l.NoteW[e])
				}
			}
		}
		if l.Width <= l.LaneX[1] || l.Height < l.LaneEnd {
			t.Errorf("%s: page %gx%g, lanes at %v ending at %g", c.Title, l.Width, l.Height, l.LaneX, l.LaneEnd)
		}
		next := 0
		for _, r := range c.Rows {
			if r.First != next || r.Last < r.First {
				t.Errorf("%s: row %q covers steps %d-%d, want from %d", c.Title, r.Step, r.First, r.Last, next)
			}
			next = r.Last + 1
		}
		if next != tr.Depth()+1 {
			t.Errorf("%s: rows end at step %d, want %d", c.Title, next-1, tr.Depth())
		}
	}
}

// TestChartLabelsShowTheirArrows: a label does not hide most of its own
// arrow where the rows can open up to show it (the old SYN,ACK and the
// old reset of --time-wait 0 are tall labels on one-row arrows).
func TestChartLabelsShowTheirArrows(t *testing.T) {
	for _, tr := range []*Trace{gracefulClose(t), oldFIN(t), deadlock(t)} {
		c := NewChart(tr)
		p := place(c)
		for k, a := range c.Arrows {
			if a.From == a.To {
				continue
			}
			if t0, t1, ok := p.label[k].clip(p.from[k], p.to[k]); ok && t1-t0 > maxHidden {
				t.Errorf("%s: label %q hides %.0f%% of its arrow", c.Title, a.Label, 100*(t1-t0))
			}
		}
	}
}
