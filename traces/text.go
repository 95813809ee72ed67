package traces

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// WriteText writes the trace one step per line: the step number, the
// action with its segment, and every field that changed in both endpoints,
// the network (segments sent, removed, expired, aged) and the globals (the
// ISN clock, the tick count, the loss and duplicate budgets spent); then
// the trace's Note, if any ("why: ..."). indent starts every line.
func WriteText(w io.Writer, t *Trace, indent string) error {
	return writeText(w, t, indent, false)
}

// WriteFullText writes the trace as WriteText does, and after each step's
// line the whole state it leads to, as TLC prints a trace: each endpoint's
// every field, each direction's segments with their ages, and the globals.
// The initial state comes first, in full.
func WriteFullText(w io.Writer, t *Trace, indent string) error {
	return writeText(w, t, indent, true)
}

func writeText(w io.Writer, t *Trace, indent string, full bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%3d  %-60s %s\n", indent, 0, "initial", InitialText(t.Init))
	if full {
		writeState(&b, indent+"       ", t.Init)
	}
	for i, st := range t.Steps {
		before := t.Before(i)
		changes := stepChanges(before, st.State, st.Action.Kind == model.Tick)
		fmt.Fprintf(&b, "%s%3d  %-60s %s\n", indent, i+1, ActionText(before, st.Action), changes)
		if full {
			writeState(&b, indent+"       ", st.State)
		}
	}
	if t.Lasso {
		fmt.Fprintf(&b, "%s     loop: %s\n", indent, LoopText(t))
	}
	if t.Note != "" {
		fmt.Fprintf(&b, "%s     why: %s\n", indent, t.Note)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeState writes every field of s, a line per endpoint, per direction
// and for the globals.
func writeState(b *strings.Builder, indent string, s model.State) {
	for e := model.A; e <= model.B; e++ {
		t := s.TCB[e]
		fmt.Fprintf(b, "%s%s: %s %s ISS=%d SND.UNA=%d SND.NXT=%d IRS=%d RCV.NXT=%d peer=%s passive=%s sent=%d delivered=%d tries=%d rtx=%s tw=%s stale=%s\n",
			indent, e, model.Incarnation(e, t.Opens), t.State, t.ISS, t.SndUna, t.SndNxt, t.IRS, t.RcvNxt,
			model.Incarnation(e.Peer(), t.Peer), yesNo(t.Passive), t.Sent, t.Delivered, t.Tries, t.Rtx, t.TW, yesNo(t.Stale))
	}
	for d := model.A; d <= model.B; d++ {
		var segs []string
		for _, g := range s.Net[d].Items() {
			segs = append(segs, fmt.Sprintf("%s %s age %d", g, g.Route(d), g.Age))
		}
		if len(segs) == 0 {
			segs = []string{"(empty)"}
		}
		fmt.Fprintf(b, "%s%s: %s\n", indent, model.DirString(d), strings.Join(segs, "; "))
	}
	fmt.Fprintf(b, "%sclock=%d ticks=%d lost=%d duped=%d\n", indent, s.Clock, s.Ticks, s.Lost, s.Duped)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// LoopText says how a lasso repeats: "after step 12 the run repeats steps
// 13 to 19 forever (state 19 is state 12)".
func LoopText(t *Trace) string {
	n := len(t.Steps)
	return fmt.Sprintf("after step %d the run repeats steps %d to %d forever (state %d is state %d)", t.LoopAt, t.LoopAt+1, n, n, t.LoopAt)
}

// ActionText writes action a, taken in state before, as a trace shows it:
// the action (model.Action.String), whom its segment is from and to
// ("from A2 to B?") and, when it delivers a segment that is old for its
// receiver, why ("(old: addressed to A1, A is now A2)").
func ActionText(before model.State, a model.Action) string {
	plain := a
	plain.Lost = false
	text := plain.String()
	switch a.Kind {
	case model.Deliver, model.Drop, model.Dup:
		text += " " + a.Seg.Route(a.Who)
	}
	if a.Lost {
		text += " (reply lost: no room)"
	}
	if a.Kind == model.Deliver {
		if why := OldSegment(a.Seg, a.Who, before); why != "" {
			text += " (old: " + why + ")"
		}
	}
	return text
}

// InitialText says what a trace's initial state is, as its first line
// does: "A CLOSED, B CLOSED".
func InitialText(s model.State) string {
	return fmt.Sprintf("A %s, B %s", s.TCB[model.A].State, s.TCB[model.B].State)
}

// Changes describes what differs from one state to the next: each
// endpoint's changed fields, the segments sent to or removed from the
// network and those that only aged ("A->B <SEQ=0><CTL=SYN> age 0->1"),
// and the globals (clock, ticks, lost, duplicated). It says "(no change)"
// only when the two states are equal. Whether a segment that is gone
// expired or was taken, and whether one that is older aged, it infers from
// the two states: when every segment in flight is one tick older, or gone,
// time passed.
func Changes(from, to model.State) string {
	return stepChanges(from, to, aged(from, to))
}

// stepChanges is Changes for a step that is a tick (tick) or not: a tick
// ages every segment and expires some; no other step changes an age. A
// segment a tick removes is written as expired ("A->B expired <...>").
func stepChanges(from, to model.State, tick bool) string {
	var parts []string
	for e := model.A; e <= model.B; e++ {
		if c := tcbChanges(e, from.TCB[e], to.TCB[e]); c != "" {
			parts = append(parts, model.Incarnation(e, to.TCB[e].Opens)+": "+c)
		}
	}
	for d := model.A; d <= model.B; d++ {
		added, removed, older := queueDiff(from.Net[d], to.Net[d], tick)
		for _, g := range removed {
			if tick {
				parts = append(parts, fmt.Sprintf("%s expired %s", model.DirString(d), g))
			} else {
				parts = append(parts, fmt.Sprintf("%s -%s", model.DirString(d), g))
			}
		}
		for _, g := range added {
			parts = append(parts, fmt.Sprintf("%s +%s", model.DirString(d), g))
		}
		for _, g := range older {
			parts = append(parts, fmt.Sprintf("%s %s age %d->%d", model.DirString(d), g, g.Age-1, g.Age))
		}
	}
	if to.Clock != from.Clock {
		parts = append(parts, fmt.Sprintf("clock %d->%d", from.Clock, to.Clock))
	}
	if to.Ticks != from.Ticks {
		parts = append(parts, fmt.Sprintf("ticks %d->%d", from.Ticks, to.Ticks))
	}
	if to.Lost != from.Lost {
		parts = append(parts, fmt.Sprintf("lost %d", to.Lost))
	}
	if to.Duped != from.Duped {
		parts = append(parts, fmt.Sprintf("duplicated %d", to.Duped))
	}
	if len(parts) == 0 {
		if from != to {
			// Not reachable from the fields above; say so rather than
			// claim nothing changed.
			return "(a change this trace format does not show)"
		}
		return "(no change)"
	}
	return strings.Join(parts, "; ")
}

// aged reports whether to looks like from one tick later: some segment in
// flight in from is in to one tick older.
func aged(from, to model.State) bool {
	for d := model.A; d <= model.B; d++ {
		_, _, older := queueDiff(from.Net[d], to.Net[d], true)
		if len(older) > 0 {
			return true
		}
	}
	return false
}

// tcbChanges lists the fields of a TCB that differ, state first.
func tcbChanges(e model.Endpoint, f, t model.TCB) string {
	var parts []string
	if f.State != t.State {
		parts = append(parts, fmt.Sprintf("%s -> %s", f.State, t.State))
	}
	num := func(name string, a, b uint8) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s %d->%d", name, a, b))
		}
	}
	num("ISS", uint8(f.ISS), uint8(t.ISS))
	num("SND.UNA", uint8(f.SndUna), uint8(t.SndUna))
	num("SND.NXT", uint8(f.SndNxt), uint8(t.SndNxt))
	num("IRS", uint8(f.IRS), uint8(t.IRS))
	num("RCV.NXT", uint8(f.RcvNxt), uint8(t.RcvNxt))
	num("sent", f.Sent, t.Sent)
	num("delivered", f.Delivered, t.Delivered)
	num("tries", f.Tries, t.Tries)
	if f.Rtx != t.Rtx {
		parts = append(parts, fmt.Sprintf("rtx %s->%s", f.Rtx, t.Rtx))
	}
	if f.TW != t.TW {
		parts = append(parts, fmt.Sprintf("tw %s->%s", f.TW, t.TW))
	}
	if f.Passive != t.Passive {
		parts = append(parts, fmt.Sprintf("passive %s->%s", yesNo(f.Passive), yesNo(t.Passive)))
	}
	switch {
	case f.Peer != t.Peer && t.Peer != 0:
		parts = append(parts, "bound to "+model.Incarnation(e.Peer(), t.Peer))
	case f.Peer != t.Peer:
		parts = append(parts, fmt.Sprintf("peer %s->%s", model.Incarnation(e.Peer(), f.Peer), model.Incarnation(e.Peer(), t.Peer)))
	}
	switch {
	case f.Stale != t.Stale && t.Stale:
		parts = append(parts, "stale SYN accepted")
	case f.Stale != t.Stale:
		parts = append(parts, "stale yes->no")
	}
	if f.Opens != t.Opens && f.State != model.Closed && t.State != model.Closed {
		// A new incarnation without passing through CLOSED (a TIME-WAIT
		// reopen); from CLOSED the incarnation's name says it.
		parts = append(parts, fmt.Sprintf("reopens as %s", model.Incarnation(e, t.Opens)))
	}
	return strings.Join(parts, ", ")
}

// queueDiff compares two contents of one direction: the segments only in
// to (added), only in from (removed), and, when tick, those a tick aged
// (older, as they are in to). Without tick a segment is the same when it
// is equal in every field; with tick when it is one tick older.
func queueDiff(from, to model.Queue, tick bool) (added, removed, older []model.Segment) {
	key := func(g model.Segment) model.Segment { g.Age = 0; return g }
	left := map[model.Segment][]uint8{} // key -> ages still unmatched in to
	for _, g := range to.Items() {
		left[key(g)] = append(left[key(g)], g.Age)
	}
	for _, g := range from.Items() {
		want := g.Age
		if tick {
			want++
		}
		ages := left[key(g)]
		if i := slices.Index(ages, want); i >= 0 {
			left[key(g)] = slices.Delete(ages, i, i+1)
			if tick {
				h := g
				h.Age = want
				older = append(older, h)
			}
			continue
		}
		removed = append(removed, g)
	}
	for _, g := range to.Items() {
		ages := left[key(g)]
		if i := slices.Index(ages, g.Age); i >= 0 {
			left[key(g)] = slices.Delete(ages, i, i+1)
			added = append(added, g)
		}
	}
	return added, removed, older
}
