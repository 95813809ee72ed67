package traces

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// A Chart is the view model of a trace: the trace laid out as a sequence
// chart, the way a networking textbook draws TCP, as plain data. It has a
// lane per endpoint, time going down one row per step (runs of quiet ticks
// share a row), an arrow per segment from the row that sent it to the row
// that ended its flight, what each endpoint notes at each row (calls,
// timers, state changes, why a segment was answered as it was), the
// verdict, a lasso's loop and the legend of the marks it uses.
//
// Every drawing of a trace's chart draws a Chart and adds no rule of its
// own: WriteSequenceDOT (and so SVG and PNG) places it on a page
// (Chart.Layout) and writes it as DOT; tcpcheck explore sends it and its
// Layout as JSON to the browser, which draws the same rows, arrows and
// notes in SVG.
type Chart struct {
	Title    string        `json:"title"`     // what the trace shows and the settings that differ from the defaults
	Rows     []Row         `json:"rows"`      // row 0 is the initial state; each other row is a step or a run of quiet ticks
	Arrows   []Arrow       `json:"arrows"`    // the segments, and the replies lost for want of room
	Ends     []ArrowEnd    `json:"ends"`      // crosses and open ends, each on a row
	EndNotes [2]string     `json:"end_notes"` // per endpoint, below its lane's last row: why it is stuck (no-deadlock)
	Footer   string        `json:"footer"`    // the verdict, below the last row
	Bad      bool          `json:"bad"`       // the trace is a violation: the last row and the footer in red
	Loop     *Loop         `json:"loop"`      // a lasso's loop-back, drawn left of the step column; nil otherwise
	Legend   []LegendEntry `json:"legend"`    // what the marks the chart uses mean
}

// A Loop is the arrow back from a lasso's last row to the row its cycle
// starts from.
type Loop struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// A Row is one step, or a run of quiet ticks: what it is, and what each
// endpoint notes.
type Row struct {
	Step  string    `json:"step"`  // the step column: its number, and the time for a tick
	First int       `json:"first"` // the first step the row shows (0 for the initial state)
	Last  int       `json:"last"`  // the last step it shows: First, or the end of a run of quiet ticks
	Notes [2]string `json:"notes"` // per endpoint, lines joined by "\n"
	Event [2]bool   `json:"event"` // an arrow starts or ends on this endpoint's lane here
	Hot   bool      `json:"hot"`   // the last step of a violation
}

// An Arrow is one segment's flight, from its sender's lane to the
// receiver's lane (delivered) or to an end mark in the middle.
type Arrow struct {
	From  int       `json:"from"` // rows; To is len(Rows), the end row, for a segment still in flight
	To    int       `json:"to"`
	Dir   model.Dir `json:"dir"`   // the sender: 0 is A, 1 is B
	Label string    `json:"label"` // the segment, whom it is from and to, and why it is old; lines joined by "\n"
	End   int       `json:"end"`   // index in Chart.Ends, or -1 when it ends on the receiver's lane
	Old   string    `json:"old"`   // why it is old for its receiver (OldSegment), or "": old ones are dashed and grey
	Hot   bool      `json:"hot"`   // part of the violating step
	Lost  bool      `json:"lost"`  // a reply lost for want of room: starts and ends on one row
}

// An ArrowEnd is where an arrow stops short of a lane: a cross for a
// dropped, expired or lost segment, an open end for one still in flight.
type ArrowEnd struct {
	Row   int    `json:"row"`
	Mark  Mark   `json:"mark"`  // MarkDropped, MarkExpired, MarkLost or MarkOpen
	Label string `json:"label"` // "dropped", "expired (MSL)", "in flight"; "" for a lost reply, whose arrow says it
}

// Cross reports whether e is drawn as a cross: every end but an open one.
func (e ArrowEnd) Cross() bool { return e.Mark != MarkOpen }

// A Mark is a kind of line or mark on a chart, as its legend names it.
type Mark string

// The marks of a chart.
const (
	MarkSegment Mark = "segment" // a segment's arrow
	MarkOld     Mark = "old"     // a segment old for its receiver: dashed and grey
	MarkHot     Mark = "hot"     // the violating step: red
	MarkDropped Mark = "dropped" // a cross: the network lost the segment
	MarkExpired Mark = "expired" // a grey cross: the segment was in flight for MSL ticks
	MarkLost    Mark = "lost"    // a dotted arrow to a cross: a reply with no room in the network
	MarkOpen    Mark = "open"    // an open head: still in flight after the last step
	MarkLoop    Mark = "loop"    // a lasso's loop-back: purple
)

// A LegendEntry is one line of a chart's legend: a mark, and what it
// means.
type LegendEntry struct {
	Mark Mark   `json:"mark"`
	Text string `json:"text"`
}

// NewChart builds the chart of t: the view model every drawing of its
// sequence chart draws.
func NewChart(t *Trace) *Chart {
	c := &Chart{Bad: t.Kind == Violation, Arrows: []Arrow{}, Ends: []ArrowEnd{}} // [] in JSON, not null, for a chart without segments
	n := len(t.Steps)
	c.Title = fmt.Sprintf("%s: %s", t.Kind, t.Name)
	if d := t.Settings.Diff(model.Defaults()); len(d) > 0 {
		c.Title += "\nsettings: " + strings.Join(d, " ")
	} else {
		c.Title += "\nsettings: defaults"
	}
	c.Rows = make([]Row, n+1)
	c.Rows[0].Step = "step"
	for e := model.A; e <= model.B; e++ {
		c.Rows[0].Notes[e] = t.Init.TCB[e].State.String()
	}
	lost := map[int]arrival{} // step -> what its lost reply was
	for i, st := range t.Steps {
		row := &c.Rows[i+1]
		row.Step = fmt.Sprint(i + 1)
		row.First, row.Last = i+1, i+1
		switch st.Action.Kind {
		case model.Tick:
			row.Step += fmt.Sprintf("\ntick %d", tickNumber(t, i))
		case model.Dup:
			row.Step += "\nduplicate"
		}
		var arr *arrival
		if st.Action.Kind == model.Deliver {
			a := explainArrival(t.Settings, st.Action.Who, t.Before(i), st.State, st.Action.Seg)
			arr = &a
			if st.Action.Lost {
				lost[i+1] = a
			}
		}
		for e := model.A; e <= model.B; e++ {
			row.Notes[e] = strings.Join(laneNotes(t, i, e, arr), "\n")
		}
		row.Hot = c.Bad && i == n-1
	}
	for _, f := range Flights(t) {
		a := Arrow{From: f.From, To: f.To, Dir: f.Dir, End: -1, Old: f.Old, Label: f.Seg.String() + "\n" + f.Seg.Route(f.Dir)}
		switch f.By {
		case model.Dup:
			a.Label += ", duplicate"
		case model.Retransmit:
			a.Label += ", retransmission"
		}
		if f.Old != "" {
			a.Label += "\nold: " + f.Old
		}
		c.Rows[f.From].Event[f.Dir] = f.From > 0
		switch f.End {
		case Delivered:
			c.Rows[f.To].Event[f.Dir.Peer()] = true
		case Dropped:
			a.End = c.end(f.To, MarkDropped, "dropped")
		case Expired:
			a.End = c.end(f.To, MarkExpired, "expired (MSL)")
		case InFlight:
			a.To = n + 1
			a.End = c.end(n+1, MarkOpen, "in flight")
		}
		a.Hot = c.Bad && (f.To == n || f.From == n)
		c.Arrows = append(c.Arrows, a)
	}
	for i, st := range t.Steps {
		if st.Action.Kind == model.Deliver && st.Action.Lost {
			r := st.Action.Who.Peer()
			label := "reply lost: no room"
			if a := lost[i+1]; a.Replied {
				label = a.Reply.String() + "\n" + a.Reply.Route(r) + ", lost: no room"
			}
			c.Arrows = append(c.Arrows, Arrow{
				From: i + 1, To: i + 1, Dir: r, Lost: true, Hot: c.Bad && i == n-1,
				Label: label, End: c.end(i+1, MarkLost, ""),
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
		if stuck, ok := stuckNotes(t); ok {
			c.EndNotes = stuck
			c.Footer = fmt.Sprintf("step %d violates %s: nothing is in flight,\nand neither endpoint can ever act again (why: below each lane)", n, t.Name)
		}
	case Witness:
		c.Footer = fmt.Sprintf("step %d reaches %s", n, t.Name)
	}
	if t.Lasso {
		c.Loop = &Loop{From: n, To: t.LoopAt}
		c.Rows[t.LoopAt].Step += "\n↻ cycle"
		c.Footer = fmt.Sprintf("%s is violated: after step %d the run repeats steps %d to %d forever", t.Name, t.LoopAt, t.LoopAt+1, n)
		if t.Note != "" {
			c.Footer += "\n" + t.Note
		}
	}
	c.mergeQuietTicks(t)
	c.Legend = c.legend()
	return c
}

// stuckNotes splits a no-deadlock violation's Note, as model.WhyStuck
// writes it ("nothing in flight; A1 CLOSED: reason, reason; B1 ...: ..."),
// into one note per endpoint for the bottom of its lane, a reason a line.
// It reports false for any other trace, or a Note it cannot split.
func stuckNotes(t *Trace) (notes [2]string, ok bool) {
	if t.Kind != Violation || t.Name != "no-deadlock" || t.Lasso {
		return notes, false
	}
	parts := strings.Split(t.Note, "; ")
	if len(parts) != 3 || parts[0] != "nothing in flight" {
		return notes, false
	}
	last := t.Last()
	for e := model.A; e <= model.B; e++ {
		tcb := last.TCB[e]
		prefix := model.Incarnation(e, tcb.Opens) + " " + tcb.State.String() + ": "
		why, found := strings.CutPrefix(parts[1+int(e)], prefix)
		if !found {
			return [2]string{}, false
		}
		notes[e] = "stuck in " + tcb.State.String() + ":\n" + strings.Join(strings.Split(why, ", "), "\n")
	}
	return notes, true
}

// mergeQuietTicks draws each run of two or more ticks in which nothing
// happens on the lanes (no note, no segment sent, delivered or ended) as
// one row, "steps 9-17, ticks 1-9", so that waiting does not fill the page.
func (c *Chart) mergeQuietTicks(t *Trace) {
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
	var rows []Row
	for i := 0; i < n; {
		j := i + 1
		for quiet(i) && j < n && quiet(j) {
			j++
		}
		row := c.Rows[i]
		if j-i >= 2 {
			row.Step = fmt.Sprintf("%d-%d\nticks %d-%d", i, j-1, tickNumber(t, i-1), tickNumber(t, j-2))
			row.Last = j - 1
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

func (c *Chart) end(row int, mark Mark, label string) int {
	c.Ends = append(c.Ends, ArrowEnd{Row: row, Mark: mark, Label: label})
	return len(c.Ends) - 1
}

// legend lists what the chart's dashes, colours and marks mean, only
// those it uses.
func (c *Chart) legend() []LegendEntry {
	uses := map[Mark]bool{MarkSegment: true}
	for _, a := range c.Arrows {
		uses[MarkOld] = uses[MarkOld] || a.Old != ""
		uses[MarkHot] = uses[MarkHot] || a.Hot
		if a.End >= 0 {
			uses[c.Ends[a.End].Mark] = true
		}
	}
	last := c.Rows[len(c.Rows)-1]
	uses[MarkHot] = uses[MarkHot] || c.Bad && last.Hot && last.Notes != [2]string{}
	uses[MarkLoop] = c.Loop != nil
	var l []LegendEntry
	for _, e := range []LegendEntry{
		{MarkSegment, "a segment, from the step that sends it to the step that receives it"},
		{MarkOld, "dashed grey: old for its receiver (sent by or to an earlier incarnation)"},
		{MarkHot, "red: the violating step"},
		{MarkDropped, "dropped: the network lost it"},
		{MarkExpired, "expired: it was in flight for MSL ticks"},
		{MarkLost, "dotted to ✕: a reply that found no room in the network"},
		{MarkOpen, "open head: still in flight after the last step"},
		{MarkLoop, "purple: the run goes back to ↻ and repeats forever"},
	} {
		if uses[e.Mark] {
			l = append(l, e)
		}
	}
	return l
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

// laneNotes says what happened to endpoint e in step i: the call it made
// or the timer that fired, why a segment it received was answered as it
// was (arr, for a deliver), its state change, and the fields that matter
// to a reader (what an ACK acknowledged, sequence numbers learnt, timers
// set). A lane that receives a segment always says something, so that no
// arrow ends at an unexplained dot.
func laneNotes(t *Trace, i int, e model.Endpoint, arr *arrival) []string {
	a := t.Steps[i].Action
	from, to := t.Before(i).TCB[e], t.Steps[i].State.TCB[e]
	receiver := a.Kind == model.Deliver && a.Who.Peer() == e
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
	if receiver && arr != nil && arr.Why != "" {
		notes = append(notes, arr.Why)
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
	if receiver && from.State == to.State && from.State != model.Closed && to.SndUna != from.SndUna {
		// An ACK of new data that leaves the state as it is: say what it
		// acknowledged and what it did to the retransmission timer.
		notes = append(notes, "ACK of "+ackedItems(t.Settings, from, to))
		switch {
		case to.Rtx.Running() && to.Rtx != from.Rtx:
			notes = append(notes, fmt.Sprintf("retransmission timer restarts: %s", ticks(to.Rtx.Left())))
		case from.Rtx.Running() && !to.Rtx.Running():
			notes = append(notes, "retransmission timer stops")
		}
	}
	if a.Kind == model.Tick {
		if to.Rtx.Due() && !from.Rtx.Due() {
			notes = append(notes, "retransmission timer runs out")
		}
		if to.TW.Running() && to.TW != from.TW {
			notes = append(notes, fmt.Sprintf("%s: %s left", to.State, ticks(to.TW.Left())))
		}
	} else if to.State == model.TimeWait && to.TW.Running() && (from.State != model.TimeWait || to.TW.Left() > from.TW.Left()) {
		if from.State == model.TimeWait {
			notes = append(notes, fmt.Sprintf("TIME-WAIT restarts: %s", ticks(to.TW.Left())))
		} else {
			notes = append(notes, fmt.Sprintf("TIME-WAIT for %s", ticks(to.TW.Left())))
		}
	}
	if receiver && len(notes) == 0 {
		if c := tcbChanges(e, from, to); c != "" {
			notes = append(notes, c)
		} else {
			notes = append(notes, "no change")
		}
	}
	return notes
}

// ticks writes a number of ticks: "1 tick", "4 ticks".
func ticks(n int) string {
	if n == 1 {
		return "1 tick"
	}
	return fmt.Sprintf("%d ticks", n)
}
