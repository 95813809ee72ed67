package traces

import (
	"fmt"
	"io"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// WriteText writes the trace one step per line: the step number, the
// action with its segment, and what changed in both endpoints and the
// network; then the trace's Note, if any ("why: ..."). indent starts every
// line.
func WriteText(w io.Writer, t *Trace, indent string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%3d  %-60s %s\n", indent, 0, "initial", initialText(t.Init))
	for i, st := range t.Steps {
		changes := Changes(t.Before(i), st.State)
		if st.Action.Kind == model.Tick {
			// A segment that leaves the network on a tick has expired.
			changes = strings.ReplaceAll(changes, "A -<", "A expired <")
			changes = strings.ReplaceAll(changes, "B -<", "B expired <")
		}
		fmt.Fprintf(&b, "%s%3d  %-60s %s\n", indent, i+1, ActionText(t.Before(i), st.Action), changes)
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

func initialText(s model.State) string {
	return fmt.Sprintf("A %s, B %s", s.TCB[model.A].State, s.TCB[model.B].State)
}

// Changes describes what differs from one state to the next: each
// endpoint's changed fields, segments sent or removed, and the globals.
func Changes(from, to model.State) string {
	var parts []string
	for e := model.A; e <= model.B; e++ {
		if c := tcbChanges(e, from.TCB[e], to.TCB[e]); c != "" {
			parts = append(parts, model.Incarnation(e, to.TCB[e].Opens)+": "+c)
		}
	}
	for d := model.A; d <= model.B; d++ {
		added, removed := queueDiff(from.Net[d], to.Net[d])
		for _, g := range removed {
			parts = append(parts, fmt.Sprintf("%s -%s", model.DirString(d), g))
		}
		for _, g := range added {
			parts = append(parts, fmt.Sprintf("%s +%s", model.DirString(d), g))
		}
	}
	if to.Clock != from.Clock {
		parts = append(parts, fmt.Sprintf("clock %d->%d", from.Clock, to.Clock))
	}
	if to.Lost != from.Lost {
		parts = append(parts, fmt.Sprintf("lost %d", to.Lost))
	}
	if to.Duped != from.Duped {
		parts = append(parts, fmt.Sprintf("duplicated %d", to.Duped))
	}
	if len(parts) == 0 {
		return "(no change)"
	}
	return strings.Join(parts, "; ")
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
	num("ISS", f.ISS, t.ISS)
	num("SND.UNA", f.SndUna, t.SndUna)
	num("SND.NXT", f.SndNxt, t.SndNxt)
	num("IRS", f.IRS, t.IRS)
	num("RCV.NXT", f.RcvNxt, t.RcvNxt)
	num("delivered", f.Delivered, t.Delivered)
	if f.Rtx != t.Rtx {
		parts = append(parts, fmt.Sprintf("rtx %s->%s", f.Rtx, t.Rtx))
	}
	if f.TW != t.TW {
		parts = append(parts, fmt.Sprintf("tw %s->%s", f.TW, t.TW))
	}
	if f.Peer != t.Peer && t.Peer != 0 {
		parts = append(parts, "bound to "+model.Incarnation(e.Peer(), t.Peer))
	}
	if f.Stale != t.Stale && t.Stale {
		parts = append(parts, "stale SYN accepted")
	}
	return strings.Join(parts, ", ")
}

// queueDiff returns the segments only in to (added) and only in from
// (removed), ignoring ageing: a segment that only aged is neither.
func queueDiff(from, to model.Queue) (added, removed []model.Segment) {
	key := func(g model.Segment) model.Segment { g.Age = 0; return g }
	left := map[model.Segment]int{}
	for _, g := range from.Items() {
		left[key(g)]++
	}
	for _, g := range to.Items() {
		if left[key(g)] > 0 {
			left[key(g)]--
			continue
		}
		added = append(added, g)
	}
	for _, g := range from.Items() {
		if left[key(g)] > 0 {
			left[key(g)]--
			removed = append(removed, g)
		}
	}
	return added, removed
}
