package model

import (
	"fmt"
	"strings"
)

// TCPState is one of the 11 connection states of RFC 9293 section 3.3.2.
type TCPState uint8

// The connection states, with RFC 9293's spelling as their String.
const (
	Closed TCPState = iota
	Listen
	SynSent
	SynReceived
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
	numStates
)

var stateNames = [numStates]string{
	"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
	"FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
}

// String spells the state as RFC 9293 does: "SYN-RECEIVED".
func (s TCPState) String() string {
	if s < numStates {
		return stateNames[s]
	}
	return fmt.Sprintf("TCPState(%d)", uint8(s))
}

// AllStates lists the 11 connection states in RFC order.
func AllStates() []TCPState {
	out := make([]TCPState, numStates)
	for i := range out {
		out[i] = TCPState(i)
	}
	return out
}

// ParseTCPState returns the state with the RFC spelling name.
func ParseTCPState(name string) (TCPState, error) {
	for i, n := range stateNames {
		if n == name {
			return TCPState(i), nil
		}
	}
	return 0, fmt.Errorf("unknown TCP state %q", name)
}

// Synchronized reports whether s is a synchronized state (RFC 9293 3.5.2):
// ESTABLISHED and every state after it.
func (s TCPState) Synchronized() bool { return s >= Established && s < numStates }

// Flags is the set of control bits of a segment.
type Flags uint8

// Control bits (RFC 9293 3.1).
const (
	FIN Flags = 1 << iota
	SYN
	RST
	ACK
)

// Has reports whether every bit of f2 is set in f.
func (f Flags) Has(f2 Flags) bool { return f&f2 == f2 }

// String lists the bits set, as RFC 9293's <CTL=...> does: "SYN,ACK".
func (f Flags) String() string {
	var names []string
	for _, b := range []struct {
		f Flags
		n string
	}{{SYN, "SYN"}, {RST, "RST"}, {FIN, "FIN"}, {ACK, "ACK"}} {
		if f.Has(b.f) {
			names = append(names, b.n)
		}
	}
	return strings.Join(names, ",")
}

// Segment is a TCP segment in flight (MODEL.md "Segments and the network").
// Src, Dst and Unit are ghosts (MODEL.md "Ghost incarnations"): they never
// change what the protocol does.
type Segment struct {
	Flags Flags
	Seq   Seq
	Ack   Seq   // 0 unless ACK is set
	Len   uint8 // data units, 0 or 1
	Age   uint8 // ticks in flight
	Src   uint8 // incarnation of the sender (a reset: the answered segment's Dst)
	Dst   uint8 // incarnation of the receiver it is addressed to, 0 when unknown (a reset: the answered segment's Src)
	Unit  uint8 // index (from 1) of the data unit it carries, 0 when Len = 0
}

// SegLen is SEG.LEN of RFC 9293: data units plus one each for SYN and FIN.
func (g Segment) SegLen() Size {
	n := Size(g.Len)
	if g.Flags.Has(SYN) {
		n++
	}
	if g.Flags.Has(FIN) {
		n++
	}
	return n
}

// String writes the segment as RFC 9293 does: <SEQ=100><ACK=300><CTL=SYN,ACK>,
// with <DATA=n> for a data unit.
func (g Segment) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<SEQ=%d>", g.Seq)
	if g.Flags.Has(ACK) {
		fmt.Fprintf(&b, "<ACK=%d>", g.Ack)
	}
	fmt.Fprintf(&b, "<CTL=%s>", g.Flags)
	if g.Len > 0 {
		fmt.Fprintf(&b, "<DATA=%d>", g.Unit)
	}
	return b.String()
}

func (g Segment) less(h Segment) bool {
	if g.Flags != h.Flags {
		return g.Flags < h.Flags
	}
	if g.Seq != h.Seq {
		return g.Seq < h.Seq
	}
	if g.Ack != h.Ack {
		return g.Ack < h.Ack
	}
	if g.Len != h.Len {
		return g.Len < h.Len
	}
	if g.Age != h.Age {
		return g.Age < h.Age
	}
	if g.Src != h.Src {
		return g.Src < h.Src
	}
	if g.Dst != h.Dst {
		return g.Dst < h.Dst
	}
	return g.Unit < h.Unit
}

// Queue is one direction of the network: up to MaxCapacity segments, a
// multiset kept sorted (reorder on) or a FIFO in arrival order (reorder
// off). Slots past N are zero, so equal contents are equal values.
type Queue struct {
	N    uint8
	Segs [MaxCapacity]Segment
}

// Items returns the segments in flight.
func (q *Queue) Items() []Segment { return q.Segs[:q.N] }

// remove deletes the segment at index i, keeping the order of the rest.
func (q *Queue) remove(i int) {
	copy(q.Segs[i:q.N], q.Segs[i+1:q.N])
	q.N--
	q.Segs[q.N] = Segment{}
}

// add appends g; in a multiset it then moves g to its sorted place.
func (q *Queue) add(g Segment, sorted bool) {
	i := int(q.N)
	q.Segs[i] = g
	q.N++
	if sorted {
		for ; i > 0 && g.less(q.Segs[i-1]); i-- {
			q.Segs[i], q.Segs[i-1] = q.Segs[i-1], q.Segs[i]
		}
	}
}

// Timer is a countdown in ticks that can be stopped. The zero Timer is
// stopped.
type Timer uint8

// Running reports whether the timer runs.
func (t Timer) Running() bool { return t != 0 }

// Left returns the ticks left on a running timer.
func (t Timer) Left() int { return int(t) - 1 }

// Due reports whether a running timer has reached 0.
func (t Timer) Due() bool { return t == 1 }

func startTimer(ticks int) Timer { return Timer(ticks + 1) }

// String is the ticks left, or "off" for a stopped timer.
func (t Timer) String() string {
	if !t.Running() {
		return "off"
	}
	return fmt.Sprint(t.Left())
}

// TCB is one endpoint's transmission control block with the model's
// counters and ghosts (MODEL.md "Endpoint state").
type TCB struct {
	State     TCPState
	ISS       Seq
	SndUna    Seq
	SndNxt    Seq
	IRS       Seq
	RcvNxt    Seq
	Opens     uint8 // opens so far (not reset with the TCB): the incarnation
	Passive   bool  // this incarnation came from LISTEN
	Sent      uint8 // data units sent in this incarnation
	Delivered uint8 // data units delivered in this incarnation
	Tries     uint8 // retransmissions since the last ACK of new data
	Rtx       Timer // retransmission timer
	TW        Timer // TIME-WAIT timer; FIN-WAIT-2's with fin-wait-2-timeout
	Peer      uint8 // ghost: the peer's incarnation whose SYN this one accepted, 0 before
	Stale     bool  // ghost: this incarnation accepted a stale SYN
}

// Endpoint names an endpoint: A or B.
type Endpoint uint8

// The two endpoints.
const (
	A Endpoint = 0
	B Endpoint = 1
)

// String is the endpoint's name, "A" or "B".
func (e Endpoint) String() string { return string(rune('A' + e)) }

// Peer returns the other endpoint.
func (e Endpoint) Peer() Endpoint { return 1 - e }

// Incarnation writes incarnation k of endpoint e as traces do: A1, B2; "A?"
// when k is 0 (no incarnation known, MODEL.md "Ghost incarnations").
func Incarnation(e Endpoint, k uint8) string {
	if k == 0 {
		return e.String() + "?"
	}
	return fmt.Sprintf("%s%d", e, k)
}

// Dir is a direction of the network, named by its sender: Dir(A) is A->B.
type Dir = Endpoint

// DirString writes a direction as A->B or B->A.
func DirString(d Dir) string { return d.String() + "->" + d.Peer().String() }

// State is one global state of the model (MODEL.md "The canonical state").
// It is a fixed-size value: comparable, cheap to copy and to hash.
type State struct {
	TCB   [2]TCB
	Net   [2]Queue // Net[d] holds the segments sent by endpoint d
	Clock Seq      // ISN clock (isn=clock only)
	Lost  uint8    // loss budget spent (bounded budgets only)
	Duped uint8    // dup budget spent (bounded budgets only)
	Ticks uint8    // ticks so far (horizon > 0 only)
}

// String renders the state on one line.
func (s State) String() string {
	var b strings.Builder
	for e := A; e <= B; e++ {
		t := s.TCB[e]
		fmt.Fprintf(&b, "%s:%s", e, t.State)
		if t.State != Closed && t.State != Listen {
			fmt.Fprintf(&b, "[%s ISS=%d UNA=%d NXT=%d IRS=%d RCV=%d peer=%s", Incarnation(e, t.Opens), t.ISS, t.SndUna, t.SndNxt, t.IRS, t.RcvNxt, Incarnation(e.Peer(), t.Peer))
			if t.Rtx.Running() {
				fmt.Fprintf(&b, " rtx=%d", t.Rtx.Left())
			}
			if t.TW.Running() {
				fmt.Fprintf(&b, " tw=%d", t.TW.Left())
			}
			b.WriteString("]")
		}
		b.WriteString(" ")
	}
	for d := A; d <= B; d++ {
		fmt.Fprintf(&b, "%s:{", DirString(d))
		for i, g := range s.Net[d].Items() {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%s@%d", g, g.Age)
		}
		b.WriteString("} ")
	}
	fmt.Fprintf(&b, "clock=%d ticks=%d", s.Clock, s.Ticks)
	return b.String()
}

// IsOld reports whether segment g is old for an endpoint whose TCB is r
// (MODEL.md "Ghost incarnations"): r is neither CLOSED nor LISTEN, and g
// was addressed to an earlier incarnation of r, or sent by an earlier
// incarnation of the peer than the one r is bound to.
func IsOld(g Segment, r TCB) bool {
	if r.State == Closed || r.State == Listen {
		return false
	}
	return (g.Dst != 0 && g.Dst < r.Opens) || (r.Peer != 0 && g.Src != 0 && g.Src < r.Peer)
}

// OldReason says why g is old for endpoint e whose TCB is r, as traces
// write it ("addressed to A1, A is now A2"), or "" when it is not old.
func OldReason(g Segment, e Endpoint, r TCB) string {
	switch {
	case !IsOld(g, r):
		return ""
	case g.Dst != 0 && g.Dst < r.Opens:
		return fmt.Sprintf("addressed to %s, %s is now %s", Incarnation(e, g.Dst), e, Incarnation(e, r.Opens))
	default:
		return fmt.Sprintf("sent by %s, %s is bound to %s", Incarnation(e.Peer(), g.Src), Incarnation(e, r.Opens), Incarnation(e.Peer(), r.Peer))
	}
}

// Route writes a segment's ghosts as traces do: "from A2 to B1" for a
// segment sent by endpoint `from`.
func (g Segment) Route(from Endpoint) string {
	return fmt.Sprintf("from %s to %s", Incarnation(from, g.Src), Incarnation(from.Peer(), g.Dst))
}
