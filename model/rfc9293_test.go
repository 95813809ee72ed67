package model

// One test per rule, in the style of etcd-io/raft's raft_paper_test.go:
// each test is written from a sentence of RFC 9293 (section 3.10, Event
// Processing) or of MODEL.md, quoted in a comment, and not from the code.
//
// Conventions of the hand-built states below (seq-space 16, window 2,
// rto 2, msl 2, time-wait 4, retries 2, capacity 1 unless a test says
// otherwise): A opens actively with ISS=3, B passively with ISS=9, both in
// incarnation 1. Net[A] is the direction A->B, Net[B] is B->A.

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// --- helpers ---------------------------------------------------------------

// rfcModel returns a model on the defaults of MODEL.md changed by the
// name=value pairs.
func rfcModel(t *testing.T, pairs ...string) *Model {
	t.Helper()
	s := Defaults()
	for i := 0; i < len(pairs); i += 2 {
		if err := s.Set(pairs[i], pairs[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	m, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// timer is a running timer with left ticks left (0: due).
func timer(left int) Timer { return startTimer(left) }

// put returns s with segs added to direction d, as the network of m holds
// them (sorted multiset, or FIFO in the order given).
func put(m *Model, s State, d Dir, segs ...Segment) State {
	for _, g := range segs {
		s.Net[d].add(g, m.set.Reorder)
	}
	return s
}

// queueOf is a direction holding exactly segs (sorted as a multiset).
func queueOf(segs ...Segment) Queue {
	var q Queue
	for _, g := range segs {
		q.add(g, true)
	}
	return q
}

type result struct {
	a Action
	s State
}

// matching lists the actions enabled in s of kind k by who (for network
// actions: the sender of the direction) on segment seg (network actions
// only), with the states they lead to.
func matching(m *Model, s State, k ActionKind, who Endpoint, seg Segment) []result {
	var out []result
	m.Next(s, func(a Action, n State) {
		if a.Kind != k {
			return
		}
		if k != Tick && a.Who != who {
			return
		}
		if (k == Deliver || k == Drop || k == Dup) && a.Seg != seg {
			return
		}
		out = append(out, result{a, n})
	})
	return out
}

// enabled reports whether an action of kind k by who (on seg) is enabled.
func enabled(m *Model, s State, k ActionKind, who Endpoint, seg Segment) bool {
	return len(matching(m, s, k, who, seg)) > 0
}

// stepA takes the one action of kind k by who (on seg) and returns it with
// the state it leads to; it fails the test if there is not exactly one.
func stepA(t *testing.T, m *Model, s State, k ActionKind, who Endpoint, seg Segment) (Action, State) {
	t.Helper()
	rs := matching(m, s, k, who, seg)
	if len(rs) != 1 {
		t.Fatalf("%d actions %s by %s on %s enabled in %s, want 1", len(rs), k, who, seg, s)
	}
	return rs[0].a, rs[0].s
}

// step is stepA without the action.
func step(t *testing.T, m *Model, s State, k ActionKind, who Endpoint, seg Segment) State {
	t.Helper()
	_, n := stepA(t, m, s, k, who, seg)
	return n
}

// deliver delivers seg, sent by from, to its peer.
func deliver(t *testing.T, m *Model, s State, from Endpoint, seg Segment) State {
	t.Helper()
	return step(t, m, s, Deliver, from, seg)
}

// act takes the endpoint action k of who.
func act(t *testing.T, m *Model, s State, k ActionKind, who Endpoint) State {
	t.Helper()
	return step(t, m, s, k, who, Segment{})
}

func diff(t *testing.T, what string, want, got State) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// established is A and B in ESTABLISHED, incarnation 1, nothing in flight:
// A: ISS=3 SND.UNA=SND.NXT=4 IRS=9 RCV.NXT=10; B: ISS=9 SND.UNA=SND.NXT=10
// IRS=3 RCV.NXT=4.
func established() State {
	return State{
		TCB: [2]TCB{
			{State: Established, ISS: 3, SndUna: 4, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1},
			{State: Established, ISS: 9, SndUna: 10, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Conn: 1},
		},
		Clock:   11,
		Counter: 1,
	}
}

// synSent is A in SYN-SENT with ISS=3 (its SYN already in flight or
// delivered), B in LISTEN.
func synSent() State {
	return State{
		TCB: [2]TCB{
			{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1, Rtx: timer(1), Conn: 1},
			{State: Listen, Opens: 1},
		},
		Clock:   7,
		Counter: 1,
	}
}

// synRcvd is A in SYN-SENT and B in SYN-RECEIVED from a passive open
// (B's SYN-ACK <SEQ=9><ACK=4> sent, unacknowledged).
func synRcvd() State {
	s := synSent()
	s.TCB[B] = TCB{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Rtx: timer(1), Conn: 1}
	return s
}

func closedTCB(opens uint8) TCB { return TCB{Opens: opens} }
func listenTCB(opens uint8) TCB { return TCB{State: Listen, Opens: opens} }

// --- 3.10.7.1 CLOSED ---------------------------------------------------------

// "An incoming segment containing a RST is discarded."
// Reference: RFC 9293 section 3.10.7.1
func TestClosedDiscardsRST(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: RST, Seq: 4, Conn: 1},
		{Flags: RST | ACK, Seq: 4, Ack: 10, Conn: 1},
	} {
		s := established()
		s.TCB[B] = closedTCB(1)
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, "RST "+g.String()+" at CLOSED", want, got)
	}
}

// "An incoming segment not containing a RST causes a RST to be sent in
// response. ... If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"; MODEL.md: the
// reset formed from the segment it answers carries that segment's conn.
// Reference: RFC 9293 section 3.10.7.1; MODEL.md "Ghost incarnations"
func TestClosedResetsSegmentWithACK(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 4, Ack: 10, Conn: 2},
		{Flags: ACK, Seq: 4, Ack: 10, Len: 1, Unit: 1, Conn: 2},
		{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 2},
		{Flags: SYN | ACK, Seq: 9, Ack: 4, Conn: 2},
	} {
		s := established()
		s.TCB[B] = closedTCB(1)
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: RST, Seq: g.Ack, Conn: 2})
		diff(t, g.String()+" at CLOSED", want, got)
	}
}

// "If the ACK bit is off, sequence number zero is used,
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" (SEG.LEN counts SYN and FIN).
// Reference: RFC 9293 section 3.10.7.1
func TestClosedResetsSegmentWithoutACK(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		g   Segment
		ack uint8
	}{
		{Segment{Flags: SYN, Seq: 3, Conn: 2}, 4},
		{Segment{Flags: SYN, Seq: 15, Conn: 2}, 0}, // modulo seq-space
		{Segment{Flags: FIN, Seq: 5, Conn: 2}, 6},
		{Segment{Flags: 0, Seq: 5, Len: 1, Unit: 1, Conn: 2}, 6},
	} {
		s := State{TCB: [2]TCB{closedTCB(0), closedTCB(0)}}
		s = put(m, s, A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: RST | ACK, Seq: 0, Ack: tc.ack, Conn: 2})
		diff(t, tc.g.String()+" at CLOSED", want, got)
	}
}

// --- 3.10.7.2 LISTEN ---------------------------------------------------------

// "First, check for a RST: ... An incoming RST segment should be ignored."
// Reference: RFC 9293 section 3.10.7.2
func TestListenIgnoresRST(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: RST, Seq: 3, Conn: 1},
		{Flags: RST | ACK, Seq: 3, Ack: 9, Conn: 1},
	} {
		s := put(m, synSent(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at LISTEN", want, got)
	}
}

// "Second, check for an ACK: Any acknowledgment is bad if it arrives on a
// connection still in the LISTEN state. An acceptable reset segment should be
// formed for any arriving ACK-bearing segment. The RST should be formatted as
// follows: <SEQ=SEG.ACK><CTL=RST>"
// Reference: RFC 9293 section 3.10.7.2
func TestListenResetsACK(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 4, Ack: 12, Conn: 1},
		{Flags: SYN | ACK, Seq: 3, Ack: 12, Conn: 1},
		{Flags: FIN | ACK, Seq: 4, Ack: 12, Conn: 1},
		{Flags: ACK, Seq: 4, Ack: 12, Len: 1, Unit: 1, Conn: 1},
	} {
		s := put(m, synSent(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: RST, Seq: 12, Conn: 1})
		diff(t, g.String()+" at LISTEN", want, got)
	}
}

// "Third, check for a SYN: ... Set RCV.NXT to SEG.SEQ+1, IRS is set to
// SEG.SEQ ... ISS should be selected and a SYN segment sent of the form:
// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and SND.UNA to
// ISS. The connection state should be changed to SYN-RECEIVED."
// MODEL.md: ISS from the policy (clock: the clock's value, and the clock
// advances on an ISS taken); passive is set when LISTEN answers a SYN; the
// retransmission timer starts when a SYN-ACK is sent; conn is the number of
// the SYN it accepted.
// Reference: RFC 9293 section 3.10.7.2; MODEL.md "SEGMENT ARRIVES" 2
func TestListenSYNEntersSynReceived(t *testing.T) {
	m := rfcModel(t)
	syn := Segment{Flags: SYN, Seq: 3, Conn: 1}
	s := put(m, synSent(), A, syn) // clock 7
	got := deliver(t, m, s, A, syn)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: SynReceived, ISS: 7, SndUna: 7, SndNxt: 8, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
	want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: 7, Ack: 4, Conn: 1})
	want.Clock = 8
	diff(t, "SYN at LISTEN", want, got)
}

// MODEL.md: "zero: ISS is always 0"; the clock "stays 0 unless isn=clock".
// Reference: MODEL.md "The ISN policy"; RFC 9293 section 3.10.7.2
func TestListenSYNISNZero(t *testing.T) {
	m := rfcModel(t, "isn", "zero")
	syn := Segment{Flags: SYN, Seq: 0, Conn: 1}
	s := synSent()
	s.TCB[A].ISS, s.TCB[A].SndUna, s.TCB[A].SndNxt = 0, 0, 1
	s.Clock = 0
	s = put(m, s, A, syn)
	got := deliver(t, m, s, A, syn)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: SynReceived, ISS: 0, SndUna: 0, SndNxt: 1, IRS: 0, RcvNxt: 1, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
	want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: 0, Ack: 1, Conn: 1})
	diff(t, "SYN at LISTEN, isn=zero", want, got)
}

// MODEL.md: "any: ISS is any value in the sequence space (a branch per
// value)".
// Reference: MODEL.md "The ISN policy"; RFC 9293 section 3.10.7.2
func TestListenSYNISNAny(t *testing.T) {
	m := rfcModel(t, "isn", "any")
	syn := Segment{Flags: SYN, Seq: 3, Conn: 1}
	s := synSent()
	s.Clock = 0
	s = put(m, s, A, syn)
	rs := matching(m, s, Deliver, A, syn)
	if len(rs) != 16 {
		t.Fatalf("%d deliveries of the SYN, want 16 (one per ISS)", len(rs))
	}
	seen := map[int16]bool{}
	for _, r := range rs {
		iss := r.a.ISS
		if iss < 0 || iss >= 16 || seen[iss] {
			t.Fatalf("ISS %d: out of range or repeated", iss)
		}
		seen[iss] = true
		want := s
		want.Net[A] = Queue{}
		u := uint8(iss)
		want.TCB[B] = TCB{State: SynReceived, ISS: u, SndUna: u, SndNxt: (u + 1) % 16, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
		want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: u, Ack: 4, Conn: 1})
		diff(t, "SYN at LISTEN, isn=any", want, r.s)
	}
}

// MODEL.md: "two-way: LISTEN answers a SYN with SYN-ACK and enters
// ESTABLISHED at once".
// Reference: MODEL.md "Handshake variants"
func TestListenSYNTwoWayEstablishes(t *testing.T) {
	m := rfcModel(t, "handshake", "two-way")
	syn := Segment{Flags: SYN, Seq: 3, Conn: 1}
	s := put(m, synSent(), A, syn)
	got := deliver(t, m, s, A, syn)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: Established, ISS: 7, SndUna: 7, SndNxt: 8, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
	want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: 7, Ack: 4, Conn: 1})
	want.Clock = 8
	diff(t, "SYN at LISTEN, two-way", want, got)
}

// MODEL.md: "An endpoint's conn is the number of the SYN it sent or
// accepted"; stale is set when LISTEN accepts a SYN "whose conn was not its
// sender's current conn".
// Reference: MODEL.md "Ghost incarnations", "Properties" no-stale-syn
func TestListenSYNGhosts(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		synConn, senderConn uint8
		stale               bool
	}{
		{2, 2, false},
		{1, 2, true}, // an old SYN of A's first incarnation
	} {
		syn := Segment{Flags: SYN, Seq: 3, Conn: tc.synConn}
		s := synSent()
		s.TCB[A].Conn, s.TCB[A].Opens, s.Counter = tc.senderConn, 2, 2
		s = put(m, s, A, syn)
		got := deliver(t, m, s, A, syn)
		b := got.TCB[B]
		if b.State != SynReceived || b.Conn != tc.synConn || b.Stale != tc.stale {
			t.Errorf("SYN conn=%d from A with conn=%d: B is %s conn=%d stale=%v, want SYN-RECEIVED conn=%d stale=%v",
				tc.synConn, tc.senderConn, b.State, b.Conn, b.Stale, tc.synConn, tc.stale)
		}
		if q := got.Net[B].Items(); len(q) != 1 || q[0].Conn != tc.synConn {
			t.Errorf("SYN-ACK %v: want conn %d", q, tc.synConn)
		}
	}
}

// "Fourth, other data or control: This should not be reached. Drop the
// segment and return."
// Reference: RFC 9293 section 3.10.7.2
func TestListenDropsOther(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: FIN, Seq: 3, Conn: 1},
		{Flags: 0, Seq: 3, Len: 1, Unit: 1, Conn: 1},
	} {
		s := put(m, synSent(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at LISTEN", want, got)
	}
}

// --- 3.10.7.3 SYN-SENT -------------------------------------------------------

// "If the ACK bit is set, If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a
// reset (unless the RST bit is set, if so drop the segment and return)
// <SEQ=SEG.ACK><CTL=RST> and discard the segment."
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentBadACKResets(t *testing.T) {
	m := rfcModel(t)
	// A: ISS=3, SND.NXT=4.
	for _, ack := range []uint8{3, 2, 5, 11} {
		for _, fl := range []Flags{ACK, SYN | ACK} {
			g := Segment{Flags: fl, Seq: 9, Ack: ack, Conn: 2}
			s := synSent()
			s.TCB[B] = TCB{State: SynSent, ISS: 9, SndUna: 9, SndNxt: 10, Opens: 1, Conn: 2, Rtx: timer(2)}
			s = put(m, s, B, g)
			got := deliver(t, m, s, B, g)
			want := s
			want.Net[B] = Queue{}
			want.Net[A] = queueOf(Segment{Flags: RST, Seq: ack, Conn: 2})
			diff(t, g.String()+" at SYN-SENT", want, got)
		}
	}
}

// "(unless the RST bit is set, if so drop the segment and return)"
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentBadACKWithRSTDropped(t *testing.T) {
	m := rfcModel(t)
	for _, ack := range []uint8{3, 5} {
		g := Segment{Flags: RST | ACK, Seq: 0, Ack: ack, Conn: 1}
		s := put(m, synSent(), B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		diff(t, g.String()+" at SYN-SENT", want, got)
	}
}

// "Second, check the RST bit: ... If the ACK was acceptable, then signal to
// the user "error: connection reset", drop the segment, enter CLOSED state,
// delete TCB, and return." MODEL.md: "Entering CLOSED deletes the TCB: every
// field but opens returns to zero and both timers stop."
// Reference: RFC 9293 section 3.10.7.3; MODEL.md "The canonical state"
func TestSynSentRSTWithGoodACKCloses(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: RST | ACK, Seq: 0, Ack: 4, Conn: 1}
	s := put(m, synSent(), B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A] = closedTCB(1)
	diff(t, g.String()+" at SYN-SENT", want, got)
}

// "Otherwise (no ACK), drop the segment and return."
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentRSTWithoutACKDropped(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: RST, Seq: 4, Conn: 1}
	s := put(m, synSent(), B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	diff(t, g.String()+" at SYN-SENT", want, got)
}

// "If the SYN bit is on ... RCV.NXT is set to SEG.SEQ+1, IRS is set to
// SEG.SEQ. SND.UNA should be advanced to equal SEG.ACK (if there is an ACK)
// ... If SND.UNA > ISS (our SYN has been ACKed), change the connection state
// to ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and
// send it." MODEL.md: an ACK of new data stops rtx when nothing is left
// unacknowledged and resets the try count.
// Reference: RFC 9293 section 3.10.7.3; MODEL.md "Details"
func TestSynSentSynAckEstablishes(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: SYN | ACK, Seq: 9, Ack: 4, Conn: 1}
	s := synSent()
	s.TCB[A].Tries = 1
	s.TCB[B] = TCB{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A] = TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1}
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1})
	diff(t, "SYN-ACK at SYN-SENT", want, got)
}

// MODEL.md: "two-way: ... the active side enters ESTABLISHED on the SYN-ACK
// and sends no third segment."
// Reference: MODEL.md "Handshake variants"
func TestSynSentSynAckTwoWayNoACK(t *testing.T) {
	m := rfcModel(t, "handshake", "two-way")
	g := Segment{Flags: SYN | ACK, Seq: 9, Ack: 4, Conn: 1}
	s := synSent()
	s.TCB[B] = TCB{State: Established, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A] = TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1}
	diff(t, "SYN-ACK at SYN-SENT, two-way", want, got)
}

// "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." MODEL.md: "in a
// simultaneous open both take the larger of the two" conns.
// Reference: RFC 9293 section 3.10.7.3; MODEL.md "Ghost incarnations"
func TestSynSentSYNSimultaneousOpen(t *testing.T) {
	m := rfcModel(t, "open", "simultaneous")
	base := synSent()
	base.TCB[B] = TCB{State: SynSent, ISS: 9, SndUna: 9, SndNxt: 10, Opens: 1, Rtx: timer(1), Conn: 2}
	base.Counter = 2

	// B's SYN (conn 2) reaches A (conn 1): A takes conn 2.
	g := Segment{Flags: SYN, Seq: 9, Conn: 2}
	s := put(m, base, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A] = TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(1), Conn: 2}
	want.Net[A] = queueOf(Segment{Flags: SYN | ACK, Seq: 3, Ack: 10, Conn: 2})
	diff(t, "SYN at SYN-SENT (A)", want, got)

	// A's SYN (conn 1) reaches B (conn 2): B keeps conn 2.
	g = Segment{Flags: SYN, Seq: 3, Conn: 1}
	s = put(m, base, A, g)
	got = deliver(t, m, s, A, g)
	want = s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Rtx: timer(1), Conn: 2}
	want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: 9, Ack: 4, Conn: 2})
	diff(t, "SYN at SYN-SENT (B)", want, got)
}

// "Fifth, if neither of the SYN or RST bits is set, then drop the segment
// and return."
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentDropsNeitherSYNNorRST(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 9, Ack: 4, Conn: 1},
		{Flags: FIN | ACK, Seq: 9, Ack: 4, Conn: 1},
		{Flags: FIN, Seq: 9, Conn: 1},
	} {
		s := put(m, synSent(), B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		diff(t, g.String()+" at SYN-SENT", want, got)
	}
}

// --- 3.10.7.4 other states: first, the sequence number ---------------------

// "There are four cases for the acceptability test for an incoming segment:
// ... 0 >0 RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND; >0 >0 RCV.NXT =< SEG.SEQ <
// RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND ... If an
// incoming segment is not acceptable, an acknowledgment should be sent in
// reply (unless the RST bit is set, if so drop the segment and return):
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. After sending the acknowledgment, drop
// the unacceptable segment and return."
// Reference: RFC 9293 section 3.10.7.4 (first)
func TestUnacceptableSegmentIsAcked(t *testing.T) {
	m := rfcModel(t)
	// B: RCV.NXT=4, window 2: acceptable sequence numbers 4 and 5.
	for _, g := range []Segment{
		{Flags: ACK, Seq: 3, Ack: 10, Conn: 1},
		{Flags: ACK, Seq: 6, Ack: 10, Conn: 1},
		{Flags: ACK, Seq: 12, Ack: 10, Conn: 1},
		{Flags: ACK, Seq: 3, Ack: 10, Len: 1, Unit: 1, Conn: 1},
		{Flags: ACK, Seq: 6, Ack: 10, Len: 1, Unit: 1, Conn: 1},
		{Flags: FIN | ACK, Seq: 3, Ack: 10, Conn: 1},
		{Flags: FIN | ACK, Seq: 6, Ack: 10, Conn: 1},
		{Flags: SYN, Seq: 12, Conn: 2},
		{Flags: SYN | ACK, Seq: 3, Ack: 10, Conn: 2},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 4, Conn: 1})
		diff(t, g.String()+" at ESTABLISHED RCV.NXT=4", want, got)
	}
}

// The acceptable side of the same test: a segment at RCV.NXT+1 (in the
// window) is processed, not answered with an ACK: here a duplicate ACK
// ("If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored").
// Reference: RFC 9293 section 3.10.7.4 (first, fifth)
func TestAcceptableSegmentInWindow(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 4, Ack: 10, Conn: 1},
		{Flags: ACK, Seq: 5, Ack: 10, Conn: 1},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at ESTABLISHED RCV.NXT=4", want, got)
	}
}

// "(unless the RST bit is set, if so drop the segment and return)"
// Reference: RFC 9293 section 3.10.7.4 (first)
func TestUnacceptableRSTDropped(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: RST, Seq: 3, Conn: 1},
		{Flags: RST, Seq: 6, Conn: 1},
		{Flags: RST | ACK, Seq: 12, Ack: 10, Conn: 1},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at ESTABLISHED RCV.NXT=4", want, got)
	}
}

// --- second, the RST bit -----------------------------------------------------

// "SYN-RECEIVED STATE: If the RST bit is set: If this connection was
// initiated with a passive OPEN (i.e., came from the LISTEN state), then
// return this connection to LISTEN state and return." MODEL.md: "Entering
// LISTEN does the same (passive stays false in LISTEN ...)".
// Reference: RFC 9293 section 3.10.7.4 (second)
func TestRSTInSynReceivedPassiveListens(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: RST, Seq: 4, Conn: 1}
	s := put(m, synRcvd(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = listenTCB(1)
	diff(t, "RST at SYN-RECEIVED (passive)", want, got)
}

// "If this connection was initiated with an active OPEN (i.e., came from
// SYN-SENT state), then the connection was refused ... enter the CLOSED state
// and delete the TCB, and return."
// Reference: RFC 9293 section 3.10.7.4 (second)
func TestRSTInSynReceivedActiveCloses(t *testing.T) {
	m := rfcModel(t, "open", "simultaneous")
	s := State{
		TCB: [2]TCB{
			{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(1), Conn: 2},
			{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Rtx: timer(1), Conn: 2},
		},
		Clock: 11, Counter: 2,
	}
	g := Segment{Flags: RST, Seq: 10, Conn: 2}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A] = closedTCB(1)
	diff(t, "RST at SYN-RECEIVED (active)", want, got)
}

// "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE, CLOSE-WAIT STATE:
// If the RST bit is set, then ... Enter the CLOSED state, delete the TCB, and
// return." "CLOSING STATE, LAST-ACK STATE, TIME-WAIT: If the RST bit is set,
// then enter the CLOSED state, delete the TCB, and return."
// Reference: RFC 9293 section 3.10.7.4 (second)
func TestRSTInSynchronizedStateCloses(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		st             TCPState
		sndNxt, rcvNxt uint8
	}{
		{Established, 10, 4},
		{FinWait1, 11, 4},
		{FinWait2, 11, 4},
		{CloseWait, 10, 5},
		{Closing, 11, 5},
		{LastAck, 11, 5},
		{TimeWait, 11, 5}, // rst-in-time-wait=rfc793 (default)
	} {
		s := established()
		b := &s.TCB[B]
		b.State, b.SndNxt, b.RcvNxt = tc.st, tc.sndNxt, tc.rcvNxt
		if tc.sndNxt != b.SndUna {
			b.Rtx = timer(1)
		}
		if tc.st == TimeWait {
			b.SndUna, b.Rtx, b.TW = b.SndNxt, 0, timer(2)
		}
		g := Segment{Flags: RST, Seq: tc.rcvNxt, Conn: 1}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = closedTCB(1)
		diff(t, "RST at "+tc.st.String(), want, got)
	}
}

// MODEL.md: "TIME-WAIT per rst-in-time-wait: rfc793 (default) -> CLOSED,
// rfc1337 -> ignored".
// Reference: MODEL.md "SEGMENT ARRIVES" 4; RFC 1337
func TestRSTInTimeWaitRFC1337Ignored(t *testing.T) {
	m := rfcModel(t, "rst-in-time-wait", "rfc1337")
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(3), Conn: 1}
	g := Segment{Flags: RST, Seq: 11, Conn: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	diff(t, "RST at TIME-WAIT, rfc1337", want, got)
}

// --- fourth, the SYN bit -----------------------------------------------------

// "SYN-RECEIVED STATE: If the connection was initiated with a passive OPEN,
// then return this connection to the LISTEN state and return." MODEL.md: "in
// SYN-RECEIVED from a passive open, return to LISTEN with no reply".
// Reference: RFC 9293 section 3.10.7.4 (fourth); MODEL.md "Details"
func TestInWindowSYNInSynReceivedPassiveListens(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: SYN, Seq: 5, Conn: 1} // B: RCV.NXT=4, window 4..5
	s := put(m, synRcvd(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = listenTCB(1)
	diff(t, "in-window SYN at SYN-RECEIVED (passive)", want, got)
}

// "If the SYN is in the window it is an error, send a reset, ... enter the
// CLOSED state, delete the TCB, and return." MODEL.md: "anywhere else, reply
// with the reset formed from the segment (<SEQ=SEG.ACK><CTL=RST> if it has
// ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>) and enter CLOSED", the
// reset carrying the segment's conn.
// Reference: RFC 9293 section 3.10.7.4 (fourth); MODEL.md "Details"
func TestInWindowSYNResets(t *testing.T) {
	m := rfcModel(t)
	simul := State{
		TCB: [2]TCB{
			{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(1), Conn: 2},
			{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Rtx: timer(1), Conn: 2},
		},
		Counter: 2,
	}
	tw := established()
	tw.TCB[B] = TCB{State: TimeWait, ISS: 9, SndUna: 11, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, TW: timer(3), Conn: 1}
	for _, tc := range []struct {
		name  string
		s     State
		g     Segment
		reset Segment
	}{
		{"ESTABLISHED", established(), Segment{Flags: SYN, Seq: 4, Conn: 2}, Segment{Flags: RST | ACK, Seq: 0, Ack: 5, Conn: 2}},
		{"ESTABLISHED", established(), Segment{Flags: SYN | ACK, Seq: 5, Ack: 12, Conn: 2}, Segment{Flags: RST, Seq: 12, Conn: 2}},
		{"SYN-RECEIVED (active)", simul, Segment{Flags: SYN, Seq: 5, Conn: 1}, Segment{Flags: RST | ACK, Seq: 0, Ack: 6, Conn: 1}},
		{"TIME-WAIT", tw, Segment{Flags: SYN, Seq: 6, Conn: 2}, Segment{Flags: RST | ACK, Seq: 0, Ack: 7, Conn: 2}},
	} {
		s := put(m, tc.s, A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = closedTCB(1)
		want.Net[B] = queueOf(tc.reset)
		diff(t, tc.g.String()+" at "+tc.name, want, got)
	}
}

// --- fifth, the ACK field ----------------------------------------------------

// "Fifth, check the ACK field: if the ACK bit is off, drop the segment and
// return". MODEL.md: "a FIN without ACK is dropped".
// Reference: RFC 9293 section 3.10.7.4 (fifth); MODEL.md "Details"
func TestNoACKBitDropped(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: FIN, Seq: 4, Conn: 1},
		{Flags: 0, Seq: 4, Len: 1, Unit: 1, Conn: 1},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at ESTABLISHED", want, got)
	}
}

// "SYN-RECEIVED STATE: If SND.UNA < SEG.ACK =< SND.NXT, then enter
// ESTABLISHED state and continue processing"; then, as in ESTABLISHED, "set
// SND.UNA <- SEG.ACK" (MODEL.md: an ACK of new data stops rtx when nothing
// is left unacknowledged and resets the try count).
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestSynReceivedAcceptableACKEstablishes(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1}
	s := synRcvd()
	s.TCB[A] = TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1}
	s.TCB[B].Tries = 1
	s = put(m, s, A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: Established, ISS: 9, SndUna: 10, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Passive: true, Conn: 1}
	diff(t, "ACK at SYN-RECEIVED", want, got)

	// "and continue processing": data on the same segment is delivered.
	g = Segment{Flags: ACK, Seq: 4, Ack: 10, Len: 1, Unit: 1, Conn: 1}
	s = synRcvd()
	s.TCB[A] = TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Rtx: timer(2), Conn: 1}
	s = put(m, s, A, g)
	got = deliver(t, m, s, A, g)
	want = s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: Established, ISS: 9, SndUna: 10, SndNxt: 10, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, Delivered: 1, Conn: 1}
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 5, Conn: 1})
	diff(t, "ACK with data at SYN-RECEIVED", want, got)
}

// "If the segment acknowledgment is not acceptable, form a reset segment
// <SEQ=SEG.ACK><CTL=RST> and send it."
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestSynReceivedUnacceptableACKResets(t *testing.T) {
	m := rfcModel(t)
	// B: SND.UNA=9, SND.NXT=10.
	for _, ack := range []uint8{9, 8, 11} {
		g := Segment{Flags: ACK, Seq: 4, Ack: ack, Conn: 1}
		s := put(m, synRcvd(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: RST, Seq: ack, Conn: 1})
		diff(t, g.String()+" at SYN-RECEIVED", want, got)
	}
}

// "ESTABLISHED STATE: If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <-
// SEG.ACK." MODEL.md: "an ACK of new data stops it when nothing is left
// unacknowledged and restarts it otherwise (RFC 6298 5.2, 5.3)"; "the try
// count is reset by every ACK of new data".
// Reference: RFC 9293 section 3.10.7.4 (fifth); MODEL.md "Details"
func TestNewACKAdvancesSndUna(t *testing.T) {
	m := rfcModel(t)

	// Everything acknowledged: the timer stops.
	s := established()
	s.TCB[A].SndNxt, s.TCB[A].Sent, s.TCB[A].Rtx, s.TCB[A].Tries = 5, 1, timer(1), 1
	g := Segment{Flags: ACK, Seq: 10, Ack: 5, Conn: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A].SndUna, want.TCB[A].Rtx, want.TCB[A].Tries = 5, 0, 0
	diff(t, "ACK of all data", want, got)

	// The data acknowledged, the FIN not yet: the timer restarts at rto.
	s = established()
	s.TCB[A].State, s.TCB[A].SndNxt, s.TCB[A].Sent, s.TCB[A].Rtx, s.TCB[A].Tries = FinWait1, 6, 1, timer(1), 1
	s = put(m, s, B, g)
	got = deliver(t, m, s, B, g)
	want = s
	want.Net[B] = Queue{}
	want.TCB[A].SndUna, want.TCB[A].Rtx, want.TCB[A].Tries = 5, timer(2), 0
	diff(t, "ACK of data but not FIN", want, got)
}

// "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored."
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestDuplicateACKIgnored(t *testing.T) {
	m := rfcModel(t)
	s := established()
	s.TCB[A].SndNxt, s.TCB[A].Sent, s.TCB[A].Rtx, s.TCB[A].Tries = 5, 1, timer(1), 1
	g := Segment{Flags: ACK, Seq: 10, Ack: 4, Conn: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	diff(t, "duplicate ACK", want, got)
}

// "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an
// ACK, drop the segment, and return."
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestACKOfUnsentIsAckedAndDropped(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 10, Ack: 6, Conn: 1},
		{Flags: ACK, Seq: 10, Ack: 6, Len: 1, Unit: 1, Conn: 1}, // its data is not delivered
		{Flags: FIN | ACK, Seq: 10, Ack: 6, Conn: 1},            // nor its FIN
	} {
		s := put(m, established(), B, g) // A: SND.NXT=4
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1})
		diff(t, g.String()+" at ESTABLISHED SND.NXT=4", want, got)
	}
}

// "FIN-WAIT-1 STATE: In addition to the processing for the ESTABLISHED
// state, if the FIN segment is now acknowledged, then enter FIN-WAIT-2".
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestFinWait1ACKOfFINEntersFinWait2(t *testing.T) {
	m := rfcModel(t)
	s := established()
	s.TCB[A].State, s.TCB[A].SndNxt, s.TCB[A].Rtx = FinWait1, 5, timer(1)
	g := Segment{Flags: ACK, Seq: 10, Ack: 5, Conn: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A].State, want.TCB[A].SndUna, want.TCB[A].Rtx = FinWait2, 5, 0
	diff(t, "ACK of FIN at FIN-WAIT-1", want, got)
}

// "CLOSING STATE: In addition to the processing for the ESTABLISHED state, if
// the ACK acknowledges our FIN, then enter the TIME-WAIT state; otherwise,
// ignore the segment." MODEL.md: entering TIME-WAIT stops rtx; tw starts at
// time-wait.
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestClosingACKOfFINEntersTimeWait(t *testing.T) {
	m := rfcModel(t)
	closing := established()
	closing.TCB[A].State, closing.TCB[A].SndNxt, closing.TCB[A].RcvNxt, closing.TCB[A].Rtx = Closing, 5, 11, timer(1)

	g := Segment{Flags: ACK, Seq: 11, Ack: 5, Conn: 1}
	s := put(m, closing, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A].State, want.TCB[A].SndUna, want.TCB[A].Rtx, want.TCB[A].TW = TimeWait, 5, 0, timer(4)
	diff(t, "ACK of FIN at CLOSING", want, got)

	g = Segment{Flags: ACK, Seq: 11, Ack: 4, Conn: 1}
	s = put(m, closing, B, g)
	got = deliver(t, m, s, B, g)
	want = s
	want.Net[B] = Queue{}
	diff(t, "ACK not of FIN at CLOSING", want, got)
}

// "LAST-ACK STATE: The only thing that can arrive in this state is an
// acknowledgment of our FIN. If our FIN is now acknowledged, delete the TCB,
// enter the CLOSED state, and return."
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestLastAckACKOfFINCloses(t *testing.T) {
	m := rfcModel(t)
	s := established()
	s.TCB[A] = TCB{State: FinWait2, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, Conn: 1}
	s.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, Rtx: timer(1), Conn: 1}
	g := Segment{Flags: ACK, Seq: 5, Ack: 11, Conn: 1}
	s = put(m, s, A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = closedTCB(1)
	diff(t, "ACK of FIN at LAST-ACK", want, got)
}

// "TIME-WAIT STATE: The only thing that can arrive in this state is a
// retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL
// timeout." MODEL.md: "a FIN with SEG.SEQ+SEG.LEN+1 = RCV.NXT (the peer's FIN
// again) is recognised before the acceptability test: ACK it and restart tw";
// "whatever reaches this step restarts tw and will be acknowledged ... one
// ACK is sent, carrying the final RCV.NXT".
// Reference: RFC 9293 section 3.10.7.4 (fifth, eighth); MODEL.md "Details"
func TestTimeWaitRetransmittedFINAckedAndTimerRestarted(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: FIN | ACK, Seq: 10, Ack: 5, Conn: 1}, // B's FIN again
		{Flags: ACK, Seq: 11, Ack: 5, Conn: 1},       // an acceptable segment
	} {
		s := established()
		s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(1), Conn: 1}
		s.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, Rtx: timer(0), Tries: 1, Conn: 1}
		s = put(m, s, B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.TCB[A].TW = timer(4)
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Conn: 1})
		diff(t, g.String()+" at TIME-WAIT", want, got)
	}
}

// --- seventh, the segment text ---------------------------------------------

// "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE: ... it advances
// RCV.NXT over the data accepted ... Send an acknowledgment of the form:
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>". MODEL.md: "only in-order data,
// SEG.SEQ = RCV.NXT, is delivered".
// Reference: RFC 9293 section 3.10.7.4 (seventh)
func TestInOrderDataDelivered(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		st             TCPState
		sndUna, sndNxt uint8
	}{
		{Established, 10, 10},
		{FinWait1, 10, 11},
		{FinWait2, 11, 11},
	} {
		s := established()
		s.TCB[A].SndNxt, s.TCB[A].Sent, s.TCB[A].Rtx = 5, 1, timer(2)
		b := &s.TCB[B]
		b.State, b.SndUna, b.SndNxt = tc.st, tc.sndUna, tc.sndNxt
		if b.SndUna != b.SndNxt {
			b.Rtx = timer(2)
		}
		g := Segment{Flags: ACK, Seq: 4, Ack: tc.sndUna, Len: 1, Unit: 1, Conn: 1}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B].RcvNxt, want.TCB[B].Delivered = 5, 1
		want.Net[B] = queueOf(Segment{Flags: ACK, Seq: tc.sndNxt, Ack: 5, Conn: 1})
		diff(t, "in-order data at "+tc.st.String(), want, got)
	}
}

// MODEL.md: "others are dropped after an ACK: there is no reassembly queue".
// Reference: MODEL.md "SEGMENT ARRIVES" 4; RFC 9293 section 3.10.7.4 (seventh)
func TestOutOfOrderDataAckedAndDropped(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: ACK, Seq: 5, Ack: 10, Len: 1, Unit: 2, Conn: 1} // RCV.NXT=4, in the window
	s := put(m, established(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 4, Conn: 1})
	diff(t, "out-of-order data at ESTABLISHED", want, got)
}

// "CLOSE-WAIT STATE, CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: This
// should not occur since a FIN has been received from the remote side.
// Ignore the segment text." (Only that nothing is delivered is checked.)
// Reference: RFC 9293 section 3.10.7.4 (seventh)
func TestTextIgnoredAfterFIN(t *testing.T) {
	m := rfcModel(t)
	for _, st := range []TCPState{CloseWait, Closing, LastAck, TimeWait} {
		s := established()
		b := &s.TCB[B]
		b.State, b.RcvNxt = st, 5
		switch st {
		case Closing, LastAck:
			b.SndNxt, b.Rtx = 11, timer(2)
		case TimeWait:
			b.SndUna, b.SndNxt, b.TW = 11, 11, timer(3)
		}
		g := Segment{Flags: ACK, Seq: 5, Ack: 10, Len: 1, Unit: 1, Conn: 1}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		if got.TCB[B].RcvNxt != 5 || got.TCB[B].Delivered != 0 {
			t.Errorf("data at %s: RCV.NXT=%d delivered=%d, want 5 and 0", st, got.TCB[B].RcvNxt, got.TCB[B].Delivered)
		}
	}
}

// --- eighth, the FIN bit -----------------------------------------------------

// "If the FIN bit is set, ... advance RCV.NXT over the FIN, and send an
// acknowledgment for the FIN. ... SYN-RECEIVED STATE, ESTABLISHED STATE:
// Enter the CLOSE-WAIT state."
// Reference: RFC 9293 section 3.10.7.4 (eighth)
func TestFINEntersCloseWait(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 1}

	s := put(m, established(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B].State, want.TCB[B].RcvNxt = CloseWait, 5
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 5, Conn: 1})
	diff(t, "FIN at ESTABLISHED", want, got)

	// SYN-RECEIVED: the FIN's ACK acknowledges the SYN-ACK (fifth), then
	// the FIN (eighth).
	s = synRcvd()
	s.TCB[A] = TCB{State: FinWait1, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(2), Conn: 1}
	s = put(m, s, A, g)
	got = deliver(t, m, s, A, g)
	want = s
	want.Net[A] = Queue{}
	want.TCB[B] = TCB{State: CloseWait, ISS: 9, SndUna: 10, SndNxt: 10, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, Conn: 1}
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 5, Conn: 1})
	diff(t, "FIN at SYN-RECEIVED", want, got)
}

// "FIN-WAIT-1 STATE: If our FIN has been ACKed (perhaps in this segment),
// then enter TIME-WAIT, start the time-wait timer, turn off the other
// timers; otherwise, enter the CLOSING state."
// Reference: RFC 9293 section 3.10.7.4 (eighth)
func TestFINInFinWait1(t *testing.T) {
	m := rfcModel(t)
	fw1 := established()
	fw1.TCB[B].State, fw1.TCB[B].SndNxt, fw1.TCB[B].Rtx = FinWait1, 11, timer(1)

	// Our FIN not acknowledged: CLOSING (simultaneous close).
	g := Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 1}
	s := put(m, fw1, A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B].State, want.TCB[B].RcvNxt = Closing, 5
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 11, Ack: 5, Conn: 1})
	diff(t, "FIN not acking ours at FIN-WAIT-1", want, got)

	// Our FIN acknowledged in this segment: TIME-WAIT.
	g = Segment{Flags: FIN | ACK, Seq: 4, Ack: 11, Conn: 1}
	s = put(m, fw1, A, g)
	got = deliver(t, m, s, A, g)
	want = s
	want.Net[A] = Queue{}
	b := &want.TCB[B]
	b.State, b.SndUna, b.RcvNxt, b.Rtx, b.TW = TimeWait, 11, 5, 0, timer(4)
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 11, Ack: 5, Conn: 1})
	diff(t, "FIN acking ours at FIN-WAIT-1", want, got)
}

// "FIN-WAIT-2 STATE: Enter the TIME-WAIT state. Start the time-wait timer,
// turn off the other timers." MODEL.md: "FIN-WAIT-2 -> TIME-WAIT with tw =
// time-wait".
// Reference: RFC 9293 section 3.10.7.4 (eighth)
func TestFINInFinWait2EntersTimeWait(t *testing.T) {
	for _, tw := range []string{"4", "3"} {
		m := rfcModel(t, "time-wait", tw)
		s := established()
		s.TCB[B].State, s.TCB[B].SndUna, s.TCB[B].SndNxt = FinWait2, 11, 11
		g := Segment{Flags: FIN | ACK, Seq: 4, Ack: 11, Conn: 1}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B].State, want.TCB[B].RcvNxt, want.TCB[B].TW = TimeWait, 5, timer(m.Settings().TimeWaitTicks())
		want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 11, Ack: 5, Conn: 1})
		diff(t, "FIN at FIN-WAIT-2, time-wait="+tw, want, got)
	}
}

// MODEL.md: "A FIN that is not in order (SEG.SEQ+SEG.LEN != RCV.NXT) is
// acknowledged and dropped".
// Reference: MODEL.md "Details"; RFC 9293 section 3.10.7.4 (eighth)
func TestOutOfOrderFINAckedAndDropped(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: FIN | ACK, Seq: 5, Ack: 10, Conn: 1} // RCV.NXT=4
	s := put(m, established(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 4, Conn: 1})
	diff(t, "out-of-order FIN at ESTABLISHED", want, got)
}

// --- 3.10.1 OPEN -------------------------------------------------------------

// "If active and the remote socket is specified, issue a SYN segment. An
// initial send sequence number (ISS) is selected. A SYN segment of the form
// <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter
// SYN-SENT state". MODEL.md: "start rtx; conn = a fresh incarnation number";
// the clock advances on "an ISS taken".
// Reference: RFC 9293 section 3.10.1; MODEL.md "Endpoint actions"
func TestConnectISNClock(t *testing.T) {
	m := rfcModel(t)
	s := State{Clock: 5}
	got := act(t, m, s, Connect, A)
	want := State{
		TCB:     [2]TCB{{State: SynSent, ISS: 5, SndUna: 5, SndNxt: 6, Opens: 1, Rtx: timer(2), Conn: 1}, {}},
		Net:     [2]Queue{queueOf(Segment{Flags: SYN, Seq: 5, Conn: 1}), {}},
		Clock:   6,
		Counter: 1,
	}
	diff(t, "connect", want, got)

	// The second incarnation takes the next number from the counter.
	s = State{TCB: [2]TCB{closedTCB(1), listenTCB(1)}, Clock: 15, Counter: 1}
	got = act(t, m, s, Connect, A)
	want = s
	want.TCB[A] = TCB{State: SynSent, ISS: 15, SndUna: 15, SndNxt: 0, Opens: 2, Rtx: timer(2), Conn: 2}
	want.Net[A] = queueOf(Segment{Flags: SYN, Seq: 15, Conn: 2})
	want.Clock, want.Counter = 0, 2
	diff(t, "second connect", want, got)
}

// MODEL.md: "zero: ISS is always 0"; "any: ISS is any value in the sequence
// space (a branch per value)"; the clock "stays 0 unless isn=clock".
// Reference: MODEL.md "The ISN policy"
func TestConnectISNZeroAndAny(t *testing.T) {
	m := rfcModel(t, "isn", "zero")
	got := act(t, m, State{}, Connect, A)
	want := State{
		TCB:     [2]TCB{{State: SynSent, ISS: 0, SndUna: 0, SndNxt: 1, Opens: 1, Rtx: timer(2), Conn: 1}, {}},
		Net:     [2]Queue{queueOf(Segment{Flags: SYN, Seq: 0, Conn: 1}), {}},
		Counter: 1,
	}
	diff(t, "connect, isn=zero", want, got)

	m = rfcModel(t, "isn", "any")
	rs := matching(m, State{}, Connect, A, Segment{})
	if len(rs) != 16 {
		t.Fatalf("%d connects, want 16", len(rs))
	}
	for i, r := range rs {
		u := uint8(i)
		if r.a.ISS != int16(i) {
			t.Errorf("connect %d: ISS %d", i, r.a.ISS)
			continue
		}
		want := State{
			TCB:     [2]TCB{{State: SynSent, ISS: u, SndUna: u, SndNxt: (u + 1) % 16, Opens: 1, Rtx: timer(2), Conn: 1}, {}},
			Net:     [2]Queue{queueOf(Segment{Flags: SYN, Seq: u, Conn: 1}), {}},
			Counter: 1,
		}
		diff(t, "connect, isn=any", want, r.s)
	}
}

// OPEN needs "CLOSED and opens not spent"; "connect ... need room in their
// direction"; client-server: "A active opens only (connect), B passive opens
// only (listen)".
// Reference: MODEL.md "Actors", "Endpoint actions", "Details"
func TestOpenEnabledness(t *testing.T) {
	m := rfcModel(t) // opens=2, client-server
	none := Segment{}
	if enabled(m, State{TCB: [2]TCB{closedTCB(2), {}}}, Connect, A, none) {
		t.Error("connect enabled with opens spent")
	}
	full := put(m, State{}, A, Segment{Flags: ACK, Seq: 1, Ack: 1})
	if enabled(m, full, Connect, A, none) {
		t.Error("connect enabled with no room")
	}
	if enabled(m, State{}, Connect, B, none) || enabled(m, State{}, ListenCall, A, none) {
		t.Error("client-server: B connects or A listens")
	}
	if !enabled(m, State{}, Connect, A, none) || !enabled(m, State{}, ListenCall, B, none) {
		t.Error("client-server: A cannot connect or B cannot listen")
	}
	if enabled(m, State{TCB: [2]TCB{{}, closedTCB(2)}}, ListenCall, B, none) {
		t.Error("listen enabled with opens spent")
	}
	m = rfcModel(t, "open", "simultaneous")
	if !enabled(m, State{}, Connect, B, none) || enabled(m, State{}, ListenCall, B, none) {
		t.Error("simultaneous: B must connect and not listen")
	}
	m = rfcModel(t, "open", "any")
	for e := A; e <= B; e++ {
		if !enabled(m, State{}, Connect, e, none) || !enabled(m, State{}, ListenCall, e, none) {
			t.Errorf("open=any: %s cannot both connect and listen", e)
		}
	}
}

// "If passive, enter the LISTEN state and return." MODEL.md: listen counts
// an open.
// Reference: RFC 9293 section 3.10.1
func TestListenCall(t *testing.T) {
	m := rfcModel(t)
	s := State{Clock: 3}
	got := act(t, m, s, ListenCall, B)
	want := s
	want.TCB[B] = listenTCB(1)
	diff(t, "listen", want, got)
}

// --- 3.10.2 SEND -------------------------------------------------------------

// "ESTABLISHED STATE ... Segmentize the buffer and send it with a piggybacked
// acknowledgment (acknowledgment value = RCV.NXT)." MODEL.md: "send
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK><len=1>; SND.NXT += 1; start rtx"; the
// clock advances on a data unit sent; unit is the index of the data unit.
// Reference: RFC 9293 section 3.10.2; MODEL.md "Endpoint actions"
func TestSend(t *testing.T) {
	m := rfcModel(t)
	for _, st := range []TCPState{Established, CloseWait} {
		s := established()
		s.TCB[A].State = st
		got := act(t, m, s, Send, A)
		want := s
		want.TCB[A].SndNxt, want.TCB[A].Sent, want.TCB[A].Rtx = 5, 1, timer(2)
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 10, Len: 1, Unit: 1, Conn: 1})
		want.Clock = 12
		diff(t, "send at "+st.String(), want, got)
	}
}

// MODEL.md: "send (SEND): ESTABLISHED or CLOSE-WAIT, sent < data, nothing
// unacknowledged" and it needs room.
// Reference: MODEL.md "Endpoint actions"
func TestSendNotEnabled(t *testing.T) {
	m := rfcModel(t) // data=1
	none := Segment{}
	sent := established()
	sent.TCB[A].Sent = 1
	unacked := established()
	unacked.TCB[A].SndNxt, unacked.TCB[A].Sent, unacked.TCB[A].Rtx = 5, 0, timer(2)
	full := put(m, established(), A, Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1})
	for name, s := range map[string]State{"sent = data": sent, "unacknowledged": unacked, "no room": full} {
		if enabled(m, s, Send, A, none) {
			t.Errorf("send enabled: %s", name)
		}
	}
	for _, st := range []TCPState{SynSent, SynReceived, FinWait1, FinWait2, Closing, LastAck, TimeWait} {
		s := established()
		s.TCB[A].State = st
		if enabled(m, s, Send, A, none) {
			t.Errorf("send enabled in %s", st)
		}
	}
}

// --- 3.10.4 CLOSE ------------------------------------------------------------

// "LISTEN STATE: ... Delete TCB, enter CLOSED state, and return."
// "SYN-SENT STATE: Delete the TCB and return "error: closing" responses".
// Reference: RFC 9293 section 3.10.4
func TestCloseInListenAndSynSent(t *testing.T) {
	m := rfcModel(t)
	s := put(m, synSent(), A, Segment{Flags: SYN, Seq: 3, Conn: 1})
	got := act(t, m, s, CloseCall, A)
	want := s
	want.TCB[A] = closedTCB(1)
	diff(t, "close at SYN-SENT", want, got)

	got = act(t, m, s, CloseCall, B)
	want = s
	want.TCB[B] = closedTCB(1)
	diff(t, "close at LISTEN", want, got)
}

// "SYN-RECEIVED STATE: If no SENDs have been issued and there is no pending
// data to send, then form a FIN segment and send it, and enter FIN-WAIT-1
// state". "ESTABLISHED STATE: ... form a FIN segment and send it. In any
// case, enter FIN-WAIT-1 state." "CLOSE-WAIT STATE: ... send a FIN segment,
// enter LAST-ACK state." MODEL.md: they "send
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK> and SND.NXT += 1"; the clock
// advances on a FIN sent; rtx starts if stopped.
// Reference: RFC 9293 section 3.10.4; MODEL.md "Endpoint actions"
func TestCloseSendsFIN(t *testing.T) {
	m := rfcModel(t)

	s := synRcvd() // clock 7
	got := act(t, m, s, CloseCall, B)
	want := s
	want.TCB[B].State, want.TCB[B].SndNxt = FinWait1, 11 // rtx keeps running
	want.Net[B] = queueOf(Segment{Flags: FIN | ACK, Seq: 10, Ack: 4, Conn: 1})
	want.Clock = 8
	diff(t, "close at SYN-RECEIVED", want, got)

	s = established() // clock 11
	got = act(t, m, s, CloseCall, A)
	want = s
	want.TCB[A].State, want.TCB[A].SndNxt, want.TCB[A].Rtx = FinWait1, 5, timer(2)
	want.Net[A] = queueOf(Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 1})
	want.Clock = 12
	diff(t, "close at ESTABLISHED", want, got)

	s = established()
	s.TCB[B].State, s.TCB[B].RcvNxt = CloseWait, 5
	got = act(t, m, s, CloseCall, B)
	want = s
	want.TCB[B].State, want.TCB[B].SndNxt, want.TCB[B].Rtx = LastAck, 11, timer(2)
	want.Net[B] = queueOf(Segment{Flags: FIN | ACK, Seq: 10, Ack: 5, Conn: 1})
	want.Clock = 12
	diff(t, "close at CLOSE-WAIT", want, got)
}

// MODEL.md: "close (CLOSE), once per incarnation"; RFC 9293: in FIN-WAIT-1,
// FIN-WAIT-2 "this is an error"; CLOSING, LAST-ACK, TIME-WAIT "Respond with
// "error: connection closing""; a close that sends a FIN needs room.
// Reference: RFC 9293 section 3.10.4; MODEL.md "Endpoint actions", "Details"
func TestCloseNotEnabled(t *testing.T) {
	m := rfcModel(t)
	for _, st := range []TCPState{Closed, FinWait1, FinWait2, Closing, LastAck, TimeWait} {
		s := established()
		s.TCB[A].State = st
		if enabled(m, s, CloseCall, A, Segment{}) {
			t.Errorf("close enabled in %s", st)
		}
	}
	full := put(m, established(), A, Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1})
	if enabled(m, full, CloseCall, A, Segment{}) {
		t.Error("close from ESTABLISHED enabled with no room")
	}
}

// --- 3.10.5 ABORT ------------------------------------------------------------

// "Send a reset segment: <SEQ=SND.NXT><CTL=RST> ... delete the TCB, enter
// CLOSED state, and return." MODEL.md: "abort (only when the abort setting is
// on): in a synchronized state send <SEQ=SND.NXT><CTL=RST> and go to
// CLOSED."
// Reference: RFC 9293 section 3.10.5; MODEL.md "Endpoint actions"
func TestAbort(t *testing.T) {
	m := rfcModel(t, "abort", "on")
	for _, st := range []TCPState{Established, FinWait2, CloseWait} {
		s := established()
		s.TCB[A].State = st
		got := act(t, m, s, Abort, A)
		want := s
		want.TCB[A] = closedTCB(1)
		want.Net[A] = queueOf(Segment{Flags: RST, Seq: 4, Conn: 1})
		diff(t, "abort at "+st.String(), want, got)
	}
	for _, s := range []State{synSent(), synRcvd()} {
		if enabled(m, s, Abort, A, Segment{}) || enabled(m, s, Abort, B, Segment{}) {
			t.Errorf("abort enabled in an unsynchronized state: %s", s)
		}
	}
	if enabled(rfcModel(t), established(), Abort, A, Segment{}) {
		t.Error("abort enabled with abort=off")
	}
	full := put(m, established(), A, Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1})
	if enabled(m, full, Abort, A, Segment{}) {
		t.Error("abort enabled with no room")
	}
}

// --- 3.10.8 TIMEOUTS ---------------------------------------------------------

// "RETRANSMISSION TIMEOUT: For any state if the retransmission timeout
// expires on a segment in the retransmission queue, send the segment at the
// front of the retransmission queue again, reinitialize the retransmission
// timer, and return." MODEL.md: "resend the oldest unacknowledged item (SYN,
// SYN-ACK, data unit or FIN) with the current ACK field, restart rtx, count
// one more try"; a retransmission consumes no new sequence number, so the
// clock does not advance.
// Reference: RFC 9293 section 3.10.8; MODEL.md "Endpoint actions"
func TestRetransmit(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		name string
		tcb  TCB
		seg  Segment
	}{
		{"SYN", TCB{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1, Conn: 1},
			Segment{Flags: SYN, Seq: 3, Conn: 1}},
		{"SYN-ACK", TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Passive: true, Tries: 1, Conn: 1},
			Segment{Flags: SYN | ACK, Seq: 3, Ack: 10, Conn: 1}},
		{"SYN-ACK after CLOSE", TCB{State: FinWait1, ISS: 3, SndUna: 3, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Passive: true, Conn: 1},
			Segment{Flags: SYN | ACK, Seq: 3, Ack: 10, Conn: 1}},
		{"data", TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Conn: 1},
			Segment{Flags: ACK, Seq: 4, Ack: 10, Len: 1, Unit: 1, Conn: 1}},
		{"data, current ACK", TCB{State: Closing, ISS: 3, SndUna: 4, SndNxt: 6, IRS: 9, RcvNxt: 11, Opens: 1, Sent: 1, Conn: 1},
			Segment{Flags: ACK, Seq: 4, Ack: 11, Len: 1, Unit: 1, Conn: 1}},
		{"FIN", TCB{State: FinWait1, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1},
			Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 1}},
		{"FIN after data", TCB{State: FinWait1, ISS: 3, SndUna: 5, SndNxt: 6, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Conn: 1},
			Segment{Flags: FIN | ACK, Seq: 5, Ack: 10, Conn: 1}},
		{"FIN, current ACK", TCB{State: LastAck, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, Conn: 1},
			Segment{Flags: FIN | ACK, Seq: 4, Ack: 11, Conn: 1}},
	} {
		s := State{TCB: [2]TCB{tc.tcb, {}}, Clock: 9, Counter: 1}
		s.TCB[A].Rtx = timer(0)
		got := act(t, m, s, Retransmit, A)
		want := s
		want.TCB[A].Rtx, want.TCB[A].Tries = timer(2), tc.tcb.Tries+1
		want.Net[A] = queueOf(tc.seg)
		diff(t, "retransmit "+tc.name, want, got)
	}
}

// MODEL.md: "retransmit: urgent when rtx reached 0"; it needs room; "With
// retransmit=off the retransmission timer never runs (it stays stopped), and
// neither retransmit nor give-up is ever enabled."
// Reference: MODEL.md "Endpoint actions", "Details"
func TestRetransmitNotEnabled(t *testing.T) {
	m := rfcModel(t)
	s := synSent() // rtx has 1 tick left
	if enabled(m, s, Retransmit, A, Segment{}) {
		t.Error("retransmit enabled before rtx reached 0")
	}
	s.TCB[A].Rtx = timer(0)
	s = put(m, s, A, Segment{Flags: SYN, Seq: 3, Conn: 1})
	if enabled(m, s, Retransmit, A, Segment{}) {
		t.Error("retransmit enabled with no room")
	}

	off := rfcModel(t, "retransmit", "off")
	got := act(t, off, State{Clock: 2}, Connect, A)
	if got.TCB[A].Rtx.Running() {
		t.Errorf("retransmit=off: connect started rtx: %s", got)
	}
	s = established()
	s.Clock = 4
	got = act(t, off, s, Send, A)
	if got.TCB[A].Rtx.Running() {
		t.Errorf("retransmit=off: send started rtx: %s", got)
	}
}

// "(R2) ... close the connection" (RFC 9293 3.8.3); MODEL.md: "give-up:
// urgent instead of retransmit when retries retransmissions have gone
// unanswered ...: the connection is abandoned without a segment: SYN-RECEIVED
// from a passive open returns to LISTEN, every other state goes to CLOSED.
// It needs no room."
// Reference: RFC 9293 section 3.8.3; MODEL.md "Endpoint actions"
func TestGiveUp(t *testing.T) {
	m := rfcModel(t) // retries=2
	for _, tc := range []struct {
		tcb  TCB
		want TCB
	}{
		{TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Passive: true, Conn: 1}, listenTCB(1)},
		{TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1}, closedTCB(1)},
		{TCB{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1, Conn: 1}, closedTCB(1)},
		{TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Conn: 1}, closedTCB(1)},
		{TCB{State: FinWait1, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Conn: 1}, closedTCB(1)},
		{TCB{State: LastAck, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, Conn: 1}, closedTCB(1)},
	} {
		s := State{TCB: [2]TCB{tc.tcb, {}}, Clock: 9, Counter: 1}
		s.TCB[A].Rtx, s.TCB[A].Tries = timer(0), 2
		s = put(m, s, A, Segment{Flags: ACK, Seq: 1, Ack: 1, Conn: 1}) // no room
		got := act(t, m, s, GiveUp, A)
		want := s
		want.TCB[A] = tc.want
		diff(t, "give-up at "+tc.tcb.State.String(), want, got)
		if enabled(m, s, Retransmit, A, Segment{}) {
			t.Errorf("retransmit enabled at %s with retries spent", tc.tcb.State)
		}
	}
	// Fewer tries than retries: retransmit, not give-up.
	s := synSent()
	s.TCB[A].Rtx, s.TCB[A].Tries = timer(0), 1
	if enabled(m, s, GiveUp, A, Segment{}) || !enabled(m, s, Retransmit, A, Segment{}) {
		t.Error("tries=1 < retries=2: want retransmit, not give-up")
	}
}

// "TIME-WAIT TIMEOUT: If the time-wait timeout expires on a connection,
// delete the TCB, enter the CLOSED state, and return."
// Reference: RFC 9293 section 3.10.8
func TestExpire(t *testing.T) {
	m := rfcModel(t)
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(1), Conn: 1}
	s.TCB[B] = closedTCB(1)
	if enabled(m, s, Expire, A, Segment{}) {
		t.Error("expire enabled before tw reached 0")
	}
	s.TCB[A].TW = timer(0)
	got := act(t, m, s, Expire, A)
	want := s
	want.TCB[A] = closedTCB(1)
	diff(t, "expire", want, got)
}

// --- time --------------------------------------------------------------------

// MODEL.md: "every in-flight segment's age grows by 1 ...; each running rtx
// and tw timer decreases by 1; the ISN clock advances by 1 (policy clock)";
// the ticks so far count (horizon > 0).
// Reference: MODEL.md "Time"
func TestTickAgesAndCountsDown(t *testing.T) {
	m := rfcModel(t, "msl", "3")
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(3), Conn: 1}
	s.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, Rtx: timer(2), Conn: 1}
	s.Clock, s.Ticks = 15, 4
	s = put(m, s, A, Segment{Flags: ACK, Seq: 5, Ack: 11, Age: 1, Conn: 1})
	got := step(t, m, s, Tick, A, Segment{})
	want := s
	want.TCB[A].TW, want.TCB[B].Rtx = timer(2), timer(1)
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Age: 2, Conn: 1})
	want.Clock, want.Ticks = 0, 5
	diff(t, "tick", want, got)

	// The clock stays 0 unless isn=clock; ticks stay 0 when horizon=0.
	m = rfcModel(t, "isn", "zero", "horizon", "0")
	got = step(t, m, State{}, Tick, A, Segment{})
	diff(t, "tick, isn=zero horizon=0", State{}, got)
}

// MODEL.md: "a segment whose age reaches msl leaves the network ... An
// expired segment is a lost one: it spends the loss budget like a drop".
// Reference: MODEL.md "Time"
func TestTickExpirySpendsLoss(t *testing.T) {
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Age: 1, Conn: 1} // msl=2
	for _, tc := range []struct {
		loss string
		lost uint8
	}{{"1", 1}, {"2", 1}, {"unbounded", 0}} {
		m := rfcModel(t, "loss", tc.loss)
		s := put(m, established(), A, g)
		got := step(t, m, s, Tick, A, Segment{})
		want := s
		want.Net[A] = Queue{}
		want.Lost, want.Clock, want.Ticks = tc.lost, 12, 1
		diff(t, "tick expiring a segment, loss="+tc.loss, want, got)
	}
}

// MODEL.md: "while the budget cannot pay for every segment that the tick
// would expire, tick is not enabled".
// Reference: MODEL.md "Time"
func TestTickDisabledWhenLossCannotPay(t *testing.T) {
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Age: 1, Conn: 1}
	h := Segment{Flags: ACK, Seq: 10, Ack: 4, Age: 1, Conn: 1}

	m := rfcModel(t, "loss", "0")
	if enabled(m, put(m, established(), A, g), Tick, A, Segment{}) {
		t.Error("loss=0: tick enabled with a segment at age msl-1")
	}
	m = rfcModel(t) // loss=1
	s := put(m, established(), A, g)
	s.Lost = 1
	if enabled(m, s, Tick, A, Segment{}) {
		t.Error("loss=1 spent: tick enabled with a segment at age msl-1")
	}
	s = put(m, put(m, established(), A, g), B, h)
	if enabled(m, s, Tick, A, Segment{}) {
		t.Error("loss=1: tick enabled with two segments at age msl-1")
	}
	m = rfcModel(t, "loss", "2")
	got := step(t, m, s, Tick, A, Segment{})
	if got.Lost != 2 || got.Net[A].N != 0 || got.Net[B].N != 0 {
		t.Errorf("loss=2: tick expiring two segments: %s lost=%d", got, got.Lost)
	}
}

// MODEL.md: "tick is not enabled while an urgent action is: a retransmission
// or a give-up whose rtx reached 0, or a TIME-WAIT whose tw reached 0."
// "A retransmission that is due but has no room does not block time; a timer
// at 0 stays at 0 across ticks."
// Reference: MODEL.md "Time", "Details"
func TestTickDisabledWhileUrgent(t *testing.T) {
	m := rfcModel(t)
	none := Segment{}

	s := synSent()
	s.TCB[A].Rtx = timer(0)
	if enabled(m, s, Tick, A, none) {
		t.Error("tick enabled while a retransmission is due")
	}

	full := put(m, s, A, Segment{Flags: SYN, Seq: 3, Conn: 1})
	got := step(t, m, full, Tick, A, none)
	if got.TCB[A].Rtx != timer(0) {
		t.Errorf("rtx at 0 after a tick: %s, want 0", got.TCB[A].Rtx)
	}

	full.TCB[A].Tries = 2
	if enabled(m, full, Tick, A, none) {
		t.Error("tick enabled while a give-up is due")
	}

	s = established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(0), Conn: 1}
	s.TCB[B] = closedTCB(1)
	if enabled(m, s, Tick, A, none) {
		t.Error("tick enabled while TIME-WAIT's tw is 0")
	}
}

// MODEL.md: "A run lasts at most horizon ticks ...: tick is not enabled once
// horizon ticks have passed."
// Reference: MODEL.md "Time"
func TestTickDisabledAtHorizon(t *testing.T) {
	m := rfcModel(t) // horizon=12
	s := established()
	s.Ticks = 11
	if !enabled(m, s, Tick, A, Segment{}) {
		t.Error("tick disabled after 11 of 12 ticks")
	}
	s.Ticks = 12
	if enabled(m, s, Tick, A, Segment{}) {
		t.Error("tick enabled after 12 of 12 ticks")
	}
}

// --- the network -------------------------------------------------------------

// MODEL.md: "replies generated while processing a segment (RST, ACK), which
// are lost when there is no room. Such a loss spends the loss budget like
// any other; when the budget cannot pay for it, the deliver that would cause
// it is not enabled (the segment waits for room). A trace shows these losses
// as such."
// Reference: MODEL.md "Segments and the network"
func TestReplyLostForWantOfRoom(t *testing.T) {
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1}
	x := Segment{Flags: ACK, Seq: 12, Ack: 2, Conn: 1}
	base := established()
	base.TCB[B] = closedTCB(1) // answers g with a RST

	for _, tc := range []struct {
		loss string
		lost uint8
	}{{"1", 1}, {"unbounded", 0}} {
		m := rfcModel(t, "loss", tc.loss)
		s := put(m, put(m, base, A, g), B, x)
		a, got := stepA(t, m, s, Deliver, A, g)
		if !a.Lost {
			t.Errorf("loss=%s: action %s does not show the reply lost", tc.loss, a)
		}
		want := s
		want.Net[A] = Queue{}
		want.Lost = tc.lost
		diff(t, "reply lost, loss="+tc.loss, want, got)
	}

	// loss=0, or the budget spent: the delivery waits.
	m := rfcModel(t, "loss", "0")
	s := put(m, put(m, base, A, g), B, x)
	if enabled(m, s, Deliver, A, g) {
		t.Error("loss=0: deliver enabled though its reply has no room")
	}
	m = rfcModel(t)
	s.Lost = 1
	if enabled(m, s, Deliver, A, g) {
		t.Error("loss=1 spent: deliver enabled though its reply has no room")
	}
	// A delivery that makes no reply needs no room.
	r := Segment{Flags: RST, Seq: 4, Conn: 1}
	s = put(m, put(m, base, A, r), B, x)
	s.Lost = 1
	if !enabled(m, s, Deliver, A, r) {
		t.Error("deliver of a RST to CLOSED disabled for want of room it does not need")
	}
}

// MODEL.md: "drop(dir, seg): remove it. The loss budget bounds the segments
// lost in a whole run"; "dup(dir, seg): add a copy of the same age ...; at
// most dup copies in a run (default 0), only where there is room."
// Reference: MODEL.md "Segments and the network"
func TestDropAndDup(t *testing.T) {
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Age: 1, Conn: 1}
	m := rfcModel(t, "capacity", "2", "dup", "1")
	s := put(m, established(), A, g)
	got := step(t, m, s, Drop, A, g)
	want := s
	want.Net[A] = Queue{}
	want.Lost = 1
	diff(t, "drop", want, got)

	got = step(t, m, s, Dup, A, g)
	want = s
	want.Net[A] = queueOf(g, g)
	want.Duped = 1
	diff(t, "dup", want, got)

	if enabled(m, got, Dup, A, g) {
		t.Error("dup enabled with the dup budget spent (and no room)")
	}
	s.Lost = 1
	if enabled(m, s, Drop, A, g) {
		t.Error("drop enabled with the loss budget spent")
	}
	if enabled(rfcModel(t, "capacity", "2"), s, Dup, A, g) {
		t.Error("dup enabled with dup=0")
	}
}

// MODEL.md: "Two states that differ only in the order of a direction's
// multiset are the same state."
// Reference: MODEL.md "Segments and the network"
func TestMultisetCanonicalOrder(t *testing.T) {
	m := rfcModel(t, "capacity", "3", "dup", "unbounded")
	old := Segment{Flags: FIN | ACK, Seq: 12, Ack: 6, Conn: 1}
	s := synSent()
	s.TCB[A].Conn, s.Counter, s.TCB[A].Rtx = 2, 2, timer(0)
	s = put(m, s, A, old)

	// Retransmit the SYN, then duplicate the old FIN; or the other way round.
	one := step(t, m, act(t, m, s, Retransmit, A), Dup, A, old)
	two := act(t, m, step(t, m, s, Dup, A, old), Retransmit, A)
	diff(t, "retransmit;dup vs dup;retransmit", one, two)
	if one.Net[A].N != 3 {
		t.Errorf("want 3 segments in flight: %s", one)
	}
	if Fingerprint(&one) != Fingerprint(&two) {
		t.Error("equal states, different fingerprints")
	}
}

// MODEL.md: "deliver of one of several identical copies in a multiset is one
// action, not one per copy."
// Reference: MODEL.md "Details"
func TestIdenticalCopiesOneAction(t *testing.T) {
	m := rfcModel(t, "capacity", "3")
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1}
	h := Segment{Flags: ACK, Seq: 5, Ack: 10, Conn: 1}
	s := put(m, established(), A, g, h, g)
	for _, k := range []ActionKind{Deliver, Drop} {
		if n := len(matching(m, s, k, A, g)); n != 1 {
			t.Errorf("%s of two identical copies: %d actions, want 1", k, n)
		}
		if n := len(matching(m, s, k, A, h)); n != 1 {
			t.Errorf("%s of the other segment: %d actions, want 1", k, n)
		}
	}
	got := deliver(t, m, s, A, g)
	if got.Net[A].N != 2 || got.Net[A].Items()[0] != g && got.Net[A].Items()[1] != g {
		t.Errorf("delivering one copy must leave the other: %s", got)
	}
}

// MODEL.md: "as a FIFO queue when it is off"; "in a FIFO only the head can
// be delivered; any segment can be dropped or duplicated"; a dup adds "a copy
// of the same age (in a FIFO, at the tail)".
// Reference: MODEL.md "Segments and the network"
func TestFIFODeliversOnlyHead(t *testing.T) {
	m := rfcModel(t, "reorder", "off", "capacity", "3", "loss", "unbounded", "dup", "1")
	head := Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 1}
	tail := Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 1} // sorts before head in a multiset
	s := put(m, established(), A, head, tail)
	if !enabled(m, s, Deliver, A, head) {
		t.Error("FIFO: head not deliverable")
	}
	if enabled(m, s, Deliver, A, tail) {
		t.Error("FIFO: a segment behind the head is deliverable")
	}
	for _, g := range []Segment{head, tail} {
		if !enabled(m, s, Drop, A, g) || !enabled(m, s, Dup, A, g) {
			t.Errorf("FIFO: %s cannot be dropped or duplicated", g)
		}
	}
	got := step(t, m, s, Dup, A, head)
	if items := got.Net[A].Items(); len(items) != 3 || items[0] != head || items[1] != tail || items[2] != head {
		t.Errorf("FIFO: dup of the head must go to the tail: %v", items)
	}
	// A new segment goes to the tail too.
	s = established()
	s.TCB[A].State = FinWait1
	s.TCB[A].SndNxt, s.TCB[A].Rtx = 5, timer(0)
	s = put(m, s, A, tail)
	got = act(t, m, s, Retransmit, A)
	fin := Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Conn: 1}
	if items := got.Net[A].Items(); len(items) != 2 || items[0] != tail || items[1] != fin {
		t.Errorf("FIFO: a retransmission must go to the tail: %v", items)
	}
}

// --- no-deadlock -------------------------------------------------------------

// MODEL.md: "no-deadlock: from every reachable state, some action other than
// tick is or becomes enabled after ticks"; "the FIN-WAIT-2 of RFC 9293 has no
// timer".
// Reference: MODEL.md "Properties" no-deadlock
func TestStuckFinWait2PeerClosed(t *testing.T) {
	m := rfcModel(t)
	s := established()
	s.TCB[A] = TCB{State: FinWait2, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 2, Conn: 1}
	s.TCB[B] = closedTCB(2) // opens spent
	if !m.Stuck(s) {
		t.Errorf("FIN-WAIT-2 with the peer CLOSED and nothing in flight is not stuck: %s", s)
	}
	// B may still listen: not stuck.
	t1 := s
	t1.TCB[B] = closedTCB(1)
	if m.Stuck(t1) {
		t.Error("stuck though B can listen")
	}
	// A segment in flight can be delivered: not stuck.
	t2 := put(m, s, A, Segment{Flags: ACK, Seq: 5, Ack: 10, Conn: 1})
	if m.Stuck(t2) {
		t.Error("stuck with a segment in flight")
	}
	// TIME-WAIT: expire becomes enabled after ticks, even at the horizon.
	t3 := s
	t3.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 2, TW: timer(4), Conn: 1}
	t3.Ticks = 12
	if m.Stuck(t3) {
		t.Error("TIME-WAIT is stuck")
	}
}

// --- sequence-number wrap within a connection ------------------------------

// run takes, in order, the one enabled action of each kind by each endpoint
// (network actions on the only segment of the sender's direction).
func run(t *testing.T, m *Model, s State, steps ...struct {
	k   ActionKind
	who Endpoint
}) State {
	t.Helper()
	for _, st := range steps {
		var seg Segment
		if st.k == Deliver || st.k == Drop || st.k == Dup {
			if s.Net[st.who].N != 1 {
				t.Fatalf("%s %s: want one segment in flight: %s", st.k, DirString(st.who), s)
			}
			seg = s.Net[st.who].Segs[0]
		}
		s = step(t, m, s, st.k, st.who, seg)
	}
	return s
}

type kw = struct {
	k   ActionKind
	who Endpoint
}

// handshakeZero opens A->B with isn=zero (ISS 0 on both sides).
func handshakeZero(t *testing.T, m *Model) State {
	t.Helper()
	return run(t, m, State{},
		kw{ListenCall, B}, kw{Connect, A}, kw{Deliver, A}, kw{Deliver, B}, kw{Deliver, A})
}

// RFC 9293 3.4: "all arithmetic dealing with sequence numbers must be
// performed modulo 2**32" (here modulo seq-space); MODEL.md: "retransmit:
// ... resend the oldest unacknowledged item (SYN, SYN-ACK, data unit or FIN)
// with the current ACK field"; a segment's "unit (ghost) is the index of the
// data unit it carries". When more data units than seq-space-1 have been
// sent, SND.UNA comes back to ISS (and beyond) within the connection: the
// oldest unacknowledged item is still the data unit (or the FIN), not the
// SYN, and it carries its own unit index.
// Reference: RFC 9293 sections 3.4, 3.10.8; MODEL.md "Endpoint actions", "The canonical state"
func TestRetransmitAfterSequenceWrap(t *testing.T) {
	for _, tc := range []struct {
		data, units int
		fin         bool
		want        Segment
	}{
		// data unit 4 has SEQ = ISS+4 = ISS (mod 4)
		{4, 4, false, Segment{Flags: ACK, Seq: 0, Ack: 1, Len: 1, Unit: 4, Conn: 1}},
		// data unit 5 has SEQ = ISS+5 = ISS+1 (mod 4)
		{5, 5, false, Segment{Flags: ACK, Seq: 1, Ack: 1, Len: 1, Unit: 5, Conn: 1}},
		// after 3 data units the FIN has SEQ = ISS+4 = ISS (mod 4)
		{3, 3, true, Segment{Flags: FIN | ACK, Seq: 0, Ack: 1, Conn: 1}},
	} {
		m := rfcModel(t, "seq-space", "4", "window", "1", "isn", "zero", "horizon", "0",
			"loss", "unbounded", "opens", "1", "data", itoa(tc.data))
		s := handshakeZero(t, m)
		for i := 0; i < tc.units; i++ {
			last := i == tc.units-1 && !tc.fin
			s = run(t, m, s, kw{Send, A})
			if last {
				break
			}
			s = run(t, m, s, kw{Deliver, A}, kw{Deliver, B})
		}
		if tc.fin {
			s = run(t, m, s, kw{CloseCall, A})
		}
		// Lose the last segment; let rtx run out; retransmit.
		s = run(t, m, s, kw{Drop, A}, kw{Tick, A}, kw{Tick, A}, kw{Retransmit, A})
		if got := s.Net[A].Items(); len(got) != 1 || got[0] != tc.want {
			t.Errorf("data=%d, %d units sent, fin=%v: retransmitted %v, want %s (A: %+v)",
				tc.data, tc.units, tc.fin, got, tc.want, s.TCB[A])
		}
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

// "Otherwise, enter SYN-RECEIVED" sets stale when the SYN "conn was not its
// sender's current conn when ... SYN-SENT accepted it without ACK
// (simultaneous open)", and the endpoint takes the larger conn.
// Reference: MODEL.md "Properties" no-stale-syn, "Ghost incarnations"
func TestSynSentSimultaneousOpenStaleGhost(t *testing.T) {
	m := rfcModel(t, "open", "simultaneous")
	s := synSent()
	s.TCB[A].Conn, s.TCB[A].Opens = 3, 2
	s.TCB[B] = TCB{State: SynSent, ISS: 9, SndUna: 9, SndNxt: 10, Opens: 2, Rtx: timer(1), Conn: 2}
	s.Counter = 3
	g := Segment{Flags: SYN, Seq: 5, Conn: 1} // B's first incarnation
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	a := got.TCB[A]
	if a.State != SynReceived || a.Conn != 3 || !a.Stale {
		t.Errorf("old SYN at SYN-SENT: A is %s conn=%d stale=%v, want SYN-RECEIVED conn=3 stale=true", a.State, a.Conn, a.Stale)
	}
}

// In a simultaneous open the peer's SYN-ACK reaches SYN-RECEIVED with
// SEG.SEQ = IRS = RCV.NXT-1 and SEG.LEN = 1: neither SEG.SEQ nor
// SEG.SEQ+SEG.LEN-1 is in the window, so "an acknowledgment should be sent in
// reply ... <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" and the segment dropped.
// Reference: RFC 9293 section 3.10.7.4 (first)
func TestSynReceivedDuplicateSynAckIsAcked(t *testing.T) {
	m := rfcModel(t, "open", "simultaneous")
	s := State{
		TCB: [2]TCB{
			{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(1), Conn: 2},
			{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 1, Rtx: timer(1), Conn: 2},
		},
		Counter: 2,
	}
	g := Segment{Flags: SYN | ACK, Seq: 9, Ack: 4, Conn: 2}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 10, Conn: 2})
	diff(t, "SYN-ACK at SYN-RECEIVED (simultaneous)", want, got)
}
