package traces

import (
	"github.com/tcpcheck/tcpcheck/model"
)

// FlightEnd says how a segment's flight ends.
type FlightEnd uint8

// How flights end.
const (
	InFlight  FlightEnd = iota // still in the network after the last step
	Delivered                  // taken by a deliver action
	Dropped                    // taken by a drop action
	Expired                    // removed by a tick: its age reached MSL
)

func (e FlightEnd) String() string {
	return [...]string{"in flight", "delivered", "dropped", "expired"}[e]
}

// A Flight is one segment's life in the network, from the step that put it
// there to the step that took it out. Rows are step numbers: 0 is the
// initial state, i the state after step i.
type Flight struct {
	Dir  model.Dir     // the direction, named by its sender
	Seg  model.Segment // the segment as it was sent (its age then)
	From int           // the row that sent it
	To   int           // the row that delivered, dropped or expired it; -1 in flight
	End  FlightEnd
	By   model.ActionKind // the action that sent it (Dup for a duplicate)
	Old  string           // why it was old for its receiver when it ended, "" if it was not (see OldSegment)
}

// Flights follows every segment of t through the network by comparing the
// queues step by step. A tick ages every segment by one and removes those
// whose age reached MSL; deliver and drop remove the action's segment;
// whatever else is new in a queue was sent by the step. Copies that are
// equal in every field are interchangeable; the oldest flight goes first.
func Flights(t *Trace) []Flight {
	var all []Flight
	live := [2][]int{} // indices into all, per direction, in flight
	for d := model.A; d <= model.B; d++ {
		for _, g := range t.Init.Net[d].Items() {
			live[d] = append(live[d], len(all))
			all = append(all, Flight{Dir: d, Seg: g, To: -1, By: model.Connect})
		}
	}
	cur := map[int]model.Segment{} // each live flight's segment now (with its age)
	for i, f := range all {
		cur[i] = f.Seg
	}
	for i, st := range t.Steps {
		row := i + 1
		before, a := t.Before(i), st.Action
		end := func(id int, how FlightEnd, at model.State) {
			all[id].To, all[id].End = row, how
			all[id].Old = OldSegment(all[id].Seg, all[id].Dir, at)
		}
		if a.Kind == model.Deliver || a.Kind == model.Drop {
			d := a.Who
			for k, id := range live[d] {
				if cur[id] == a.Seg {
					end(id, map[model.ActionKind]FlightEnd{model.Deliver: Delivered, model.Drop: Dropped}[a.Kind], before)
					live[d] = append(live[d][:k:k], live[d][k+1:]...)
					break
				}
			}
		}
		for d := model.A; d <= model.B; d++ {
			left := map[model.Segment]int{}
			for _, g := range st.State.Net[d].Items() {
				left[g]++
			}
			var still []int
			for _, id := range live[d] {
				want := cur[id]
				if a.Kind == model.Tick {
					want.Age++
				}
				if left[want] > 0 {
					left[want]--
					cur[id] = want
					still = append(still, id)
					continue
				}
				// Gone without a deliver or drop: a tick expired it (or the
				// trace is not one of the model's; call it expired too).
				end(id, Expired, before)
			}
			for _, g := range st.State.Net[d].Items() {
				if left[g] == 0 {
					continue
				}
				left[g]--
				id := len(all)
				all = append(all, Flight{Dir: d, Seg: g, From: row, To: -1, By: a.Kind})
				cur[id] = g
				still = append(still, id)
			}
			live[d] = still
		}
	}
	last := t.Last()
	for i := range all {
		if all[i].End == InFlight {
			all[i].Old = OldSegment(all[i].Seg, all[i].Dir, last)
		}
	}
	return all
}

// OldSegment says why g, in flight from d in state s, is old for its
// receiver (model.OldReason: "addressed to A1, A is now A2"), or returns ""
// when it is not: the notion no-old-segment checks.
func OldSegment(g model.Segment, d model.Dir, s model.State) string {
	r := d.Peer()
	return model.OldReason(g, r, s.TCB[r])
}
