package model

// One test per rule, in the style of etcd-io/raft's raft_paper_test.go:
// each test is written from a sentence of RFC 9293 (section 3.10, Event
// Processing) or of MODEL.md, quoted in a comment, and not from the code.
// A rule that one run of the model shows is a scenario in
// testdata/scenarios (scenarios_test.go), one file per RFC section or
// topic; what stays here are the table tests over many states or segments,
// the segments no short run sends, and the predicates.
//
// Conventions of the hand-built states below (seq-space 16, window 2,
// rto 2, msl 2, time-wait 4, retries 2, capacity 1 unless a test says
// otherwise): A opens actively with ISS=3, B passively with ISS=9. Net[A] is
// the direction A->B, Net[B] is B->A.
//
// Ghosts (MODEL.md "Ghost incarnations"): A is in its incarnation 1 (Opens
// 1) and B in its incarnation 2 (Opens 2: an earlier LISTEN of B has
// ended), so that Src and Dst differ on every segment. Once bound, A's Peer
// is 2 and B's Peer is 1: A's segments carry Src=1 Dst=2, B's Src=2 Dst=1;
// A's SYN, sent before A is bound, carries Src=1 Dst=0. A reset formed from
// a segment swaps that segment's Src and Dst.

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

// run takes, in order, the one enabled action of each kind by each endpoint
// (network actions on the only segment of the sender's direction).
func run(t *testing.T, m *Model, s State, steps ...kw) State {
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

// kw is one step of run: an action kind and who takes it.
type kw = struct {
	k   ActionKind
	who Endpoint
}

func diff(t *testing.T, what string, want, got State) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// established is A and B in ESTABLISHED, bound to each other (A1 with B2),
// nothing in flight: A: ISS=3 SND.UNA=SND.NXT=4 IRS=9 RCV.NXT=10; B: ISS=9
// SND.UNA=SND.NXT=10 IRS=3 RCV.NXT=4.
func established() State {
	return State{
		TCB: [2]TCB{
			{State: Established, ISS: 3, SndUna: 4, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Peer: 2},
			{State: Established, ISS: 9, SndUna: 10, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 2, Passive: true, Peer: 1},
		},
		Clock: 11,
	}
}

// synSent is A in SYN-SENT with ISS=3, bound to nobody yet (its SYN
// <SEQ=3><CTL=SYN>, Src=1 Dst=0, already in flight or delivered), B in
// LISTEN in its incarnation 2.
func synSent() State {
	return State{
		TCB: [2]TCB{
			{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1, Rtx: timer(1)},
			listenTCB(2),
		},
		Clock: 7,
	}
}

// synRcvd is A in SYN-SENT and B in SYN-RECEIVED from a passive open, bound
// to A1 (B's SYN-ACK <SEQ=9><ACK=4>, Src=2 Dst=1, sent, unacknowledged).
func synRcvd() State {
	s := synSent()
	s.TCB[B] = TCB{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 2, Passive: true, Rtx: timer(1), Peer: 1}
	return s
}

// simulRcvd is both endpoints in SYN-RECEIVED after a simultaneous open
// (open=simultaneous): each accepted the other's SYN, so A1 is bound to B2
// and B2 to A1; both SYN-ACKs sent, unacknowledged.
func simulRcvd() State {
	return State{
		TCB: [2]TCB{
			{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(1), Peer: 2},
			{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 2, Rtx: timer(1), Peer: 1},
		},
	}
}

func closedTCB(opens uint8) TCB { return TCB{Opens: opens} }
func listenTCB(opens uint8) TCB { return TCB{State: Listen, Opens: opens} }

// --- 3.10.7.1 CLOSED ---------------------------------------------------------

// "An incoming segment containing a RST is discarded."
// Reference: RFC 9293 section 3.10.7.1
func TestClosedDiscardsRST(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: RST, Seq: 4, Src: 1, Dst: 2},
		{Flags: RST | ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2},
	} {
		s := established()
		s.TCB[B] = closedTCB(2)
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, "RST "+g.String()+" at CLOSED", want, got)
	}
}

// "An incoming segment not containing a RST causes a RST to be sent in
// response. ... If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"; MODEL.md: a
// reset formed from the segment it answers "belongs to that segment's
// conversation: its src is that segment's dst and its dst that segment's
// src" (not B's own incarnation and peer: B is CLOSED).
// Reference: RFC 9293 section 3.10.7.1; MODEL.md "Ghost incarnations"
func TestClosedResetsSegmentWithACK(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		g, reset Segment
	}{
		// A1's segments to B2, which has closed.
		{Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}, Segment{Flags: RST, Seq: 10, Src: 2, Dst: 1}},
		{Segment{Flags: ACK, Seq: 4, Ack: 10, Len: 1, Unit: 1, Src: 1, Dst: 2}, Segment{Flags: RST, Seq: 10, Src: 2, Dst: 1}},
		{Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}, Segment{Flags: RST, Seq: 10, Src: 2, Dst: 1}},
		// An old SYN-ACK of A's second incarnation, bound to B's first.
		{Segment{Flags: SYN | ACK, Seq: 9, Ack: 4, Src: 2, Dst: 1}, Segment{Flags: RST, Seq: 4, Src: 1, Dst: 2}},
	} {
		s := established()
		s.TCB[B] = closedTCB(2)
		s = put(m, s, A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(tc.reset)
		diff(t, tc.g.String()+" at CLOSED", want, got)
	}
}

// "If the ACK bit is off, sequence number zero is used,
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" (SEG.LEN counts SYN and FIN).
// MODEL.md: the reset's src is the segment's dst and its dst the segment's
// src; a SYN is addressed to no incarnation (dst 0), so the reset that
// refuses it has src 0 and is addressed to the SYN's sender.
// Reference: RFC 9293 section 3.10.7.1; MODEL.md "Ghost incarnations"
func TestClosedResetsSegmentWithoutACK(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		g, reset Segment
	}{
		{Segment{Flags: SYN, Seq: 3, Src: 1, Dst: 0}, Segment{Flags: RST | ACK, Seq: 0, Ack: 4, Src: 0, Dst: 1}},
		{Segment{Flags: SYN, Seq: 15, Src: 1, Dst: 0}, Segment{Flags: RST | ACK, Seq: 0, Ack: 0, Src: 0, Dst: 1}}, // modulo seq-space
		{Segment{Flags: FIN, Seq: 5, Src: 1, Dst: 2}, Segment{Flags: RST | ACK, Seq: 0, Ack: 6, Src: 2, Dst: 1}},
		{Segment{Flags: 0, Seq: 5, Len: 1, Unit: 1, Src: 1, Dst: 2}, Segment{Flags: RST | ACK, Seq: 0, Ack: 6, Src: 2, Dst: 1}},
	} {
		s := State{TCB: [2]TCB{closedTCB(1), closedTCB(2)}}
		s = put(m, s, A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(tc.reset)
		diff(t, tc.g.String()+" at CLOSED", want, got)
	}
}

// --- 3.10.7.2 LISTEN ---------------------------------------------------------

// "First, check for a RST: ... An incoming RST segment should be ignored."
// Reference: RFC 9293 section 3.10.7.2
func TestListenIgnoresRST(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: RST, Seq: 3, Src: 1, Dst: 2},
		{Flags: RST | ACK, Seq: 3, Ack: 9, Src: 1, Dst: 2},
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
// follows: <SEQ=SEG.ACK><CTL=RST>". MODEL.md: the reset belongs to the
// segment's conversation (src and dst swapped), not to LISTEN's TCB.
// Reference: RFC 9293 section 3.10.7.2; MODEL.md "Ghost incarnations"
func TestListenResetsACK(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		g, reset Segment
	}{
		// Segments of A1 bound to B2 (B2 has since gone back to LISTEN).
		{Segment{Flags: ACK, Seq: 4, Ack: 12, Src: 1, Dst: 2}, Segment{Flags: RST, Seq: 12, Src: 2, Dst: 1}},
		{Segment{Flags: FIN | ACK, Seq: 4, Ack: 12, Src: 1, Dst: 2}, Segment{Flags: RST, Seq: 12, Src: 2, Dst: 1}},
		{Segment{Flags: ACK, Seq: 4, Ack: 12, Len: 1, Unit: 1, Src: 1, Dst: 2}, Segment{Flags: RST, Seq: 12, Src: 2, Dst: 1}},
		// An old SYN-ACK of A's incarnation 3 to B's incarnation 1.
		{Segment{Flags: SYN | ACK, Seq: 3, Ack: 12, Src: 3, Dst: 1}, Segment{Flags: RST, Seq: 12, Src: 1, Dst: 3}},
	} {
		s := put(m, synSent(), A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(tc.reset)
		diff(t, tc.g.String()+" at LISTEN", want, got)
	}
}

// MODEL.md: "any: ISS is any value in the sequence space (a branch per
// value)".
// Reference: MODEL.md "The ISN policy"; RFC 9293 section 3.10.7.2
func TestListenSYNISNAny(t *testing.T) {
	m := rfcModel(t, "isn", "any")
	syn := Segment{Flags: SYN, Seq: 3, Src: 1, Dst: 0}
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
		u := Seq(iss)
		want.TCB[B] = TCB{State: SynReceived, ISS: u, SndUna: u, SndNxt: (u + 1) % 16, IRS: 3, RcvNxt: 4, Opens: 2, Passive: true, Rtx: timer(2), Peer: 1}
		want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: u, Ack: 4, Src: 2, Dst: 1})
		diff(t, "SYN at LISTEN, isn=any", want, r.s)
	}
}

// MODEL.md: "A SYN accepted by R is stale when the incarnation that sent
// it is over or bound elsewhere: its sender's opens != src, or the sender is
// CLOSED, or the sender's peer is neither 0 nor R.opens. The ghost bit stale
// of R is set when LISTEN accepts a stale SYN or SYN-SENT accepts a stale SYN
// without ACK". Each clause is tried alone, at LISTEN (B2 in LISTEN) and at
// SYN-SENT (B2 in SYN-SENT, a simultaneous open); the receiver binds to the
// SYN's src either way, and its SYN-ACK carries src = its opens, dst = that
// peer.
// Reference: MODEL.md "Ghost incarnations", "Properties" no-stale-syn
func TestSYNStale(t *testing.T) {
	m := rfcModel(t, "open", "any")
	syn := Segment{Flags: SYN, Seq: 3, Src: 1, Dst: 0} // A1's SYN
	for _, tc := range []struct {
		name   string
		sender TCB // A when its SYN arrives
		stale  bool
	}{
		{"sender in the SYN's incarnation, bound to nobody",
			TCB{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1, Rtx: timer(1)}, false},
		{"sender in the SYN's incarnation, bound to this incarnation of B (peer = B's opens)",
			TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Rtx: timer(1), Peer: 2}, false},
		{"sender has opened again (opens != src)",
			TCB{State: SynSent, ISS: 5, SndUna: 5, SndNxt: 6, Opens: 2, Rtx: timer(1)}, true},
		{"sender CLOSED (opens = src)",
			closedTCB(1), true},
		{"sender bound to another incarnation of B (peer = 1, B's opens = 2)",
			TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 4, IRS: 5, RcvNxt: 6, Opens: 1, Peer: 1}, true},
	} {
		// At LISTEN: B answers from its passive open.
		s := synSent()
		s.TCB[A] = tc.sender
		s = put(m, s, A, syn) // clock 7
		got := deliver(t, m, s, A, syn)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = TCB{State: SynReceived, ISS: 7, SndUna: 7, SndNxt: 8, IRS: 3, RcvNxt: 4, Opens: 2, Passive: true, Rtx: timer(2), Peer: 1, Stale: tc.stale}
		want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: 7, Ack: 4, Src: 2, Dst: 1})
		want.Clock = 8
		diff(t, "SYN at LISTEN, "+tc.name, want, got)

		// At SYN-SENT: "Otherwise, enter SYN-RECEIVED, form a SYN,ACK
		// segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"; ISS is B's own.
		s = synSent()
		s.TCB[A] = tc.sender
		s.TCB[B] = TCB{State: SynSent, ISS: 9, SndUna: 9, SndNxt: 10, Opens: 2, Rtx: timer(1)}
		s = put(m, s, A, syn)
		got = deliver(t, m, s, A, syn)
		want = s
		want.Net[A] = Queue{}
		want.TCB[B] = TCB{State: SynReceived, ISS: 9, SndUna: 9, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 2, Rtx: timer(1), Peer: 1, Stale: tc.stale}
		want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: 9, Ack: 4, Src: 2, Dst: 1})
		diff(t, "SYN at SYN-SENT, "+tc.name, want, got)
	}
}

// "Fourth, other data or control: This should not be reached. Drop the
// segment and return."
// Reference: RFC 9293 section 3.10.7.2
func TestListenDropsOther(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: FIN, Seq: 3, Src: 1, Dst: 2},
		{Flags: 0, Seq: 3, Len: 1, Unit: 1, Src: 1, Dst: 2},
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
// <SEQ=SEG.ACK><CTL=RST> and discard the segment." MODEL.md: the reset is
// formed from the segment, so its src and dst are the segment's dst and src
// (here an old segment of B's incarnation 3 addressed to A1: the reset goes
// from A1 to B3), not A's own.
// Reference: RFC 9293 section 3.10.7.3; MODEL.md "Ghost incarnations"
func TestSynSentBadACKResets(t *testing.T) {
	m := rfcModel(t)
	// A: ISS=3, SND.NXT=4.
	for _, ack := range []Seq{3, 2, 5, 11} {
		for _, fl := range []Flags{ACK, SYN | ACK} {
			g := Segment{Flags: fl, Seq: 9, Ack: ack, Src: 3, Dst: 1}
			s := synSent()
			s.TCB[B] = TCB{State: SynSent, ISS: 9, SndUna: 9, SndNxt: 10, Opens: 2, Rtx: timer(2)}
			s = put(m, s, B, g)
			got := deliver(t, m, s, B, g)
			want := s
			want.Net[B] = Queue{}
			want.Net[A] = queueOf(Segment{Flags: RST, Seq: ack, Src: 1, Dst: 3})
			diff(t, g.String()+" at SYN-SENT", want, got)
		}
	}
}

// "(unless the RST bit is set, if so drop the segment and return)"
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentBadACKWithRSTDropped(t *testing.T) {
	m := rfcModel(t)
	for _, ack := range []Seq{3, 5} {
		g := Segment{Flags: RST | ACK, Seq: 0, Ack: ack, Src: 0, Dst: 1}
		s := put(m, synSent(), B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		diff(t, g.String()+" at SYN-SENT", want, got)
	}
}

// "Otherwise (no ACK), drop the segment and return."
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentRSTWithoutACKDropped(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: RST, Seq: 4, Src: 2, Dst: 1}
	s := put(m, synSent(), B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	diff(t, g.String()+" at SYN-SENT", want, got)
}

// "Fifth, if neither of the SYN or RST bits is set, then drop the segment
// and return."
// Reference: RFC 9293 section 3.10.7.3
func TestSynSentDropsNeitherSYNNorRST(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 9, Ack: 4, Src: 2, Dst: 1},
		{Flags: FIN | ACK, Seq: 9, Ack: 4, Src: 2, Dst: 1},
		{Flags: FIN, Seq: 9, Src: 2, Dst: 1},
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
	// B: RCV.NXT=4, window 2: acceptable sequence numbers 4 and 5. The ACK
	// is sent from B's TCB, so it carries B's ghosts (src 2, dst 1), whatever
	// the segment's.
	for _, g := range []Segment{
		{Flags: ACK, Seq: 3, Ack: 10, Src: 1, Dst: 2},
		{Flags: ACK, Seq: 6, Ack: 10, Src: 1, Dst: 2},
		{Flags: ACK, Seq: 12, Ack: 10, Src: 1, Dst: 2},
		{Flags: ACK, Seq: 3, Ack: 10, Len: 1, Unit: 1, Src: 1, Dst: 2},
		{Flags: ACK, Seq: 6, Ack: 10, Len: 1, Unit: 1, Src: 1, Dst: 2},
		{Flags: FIN | ACK, Seq: 3, Ack: 10, Src: 1, Dst: 2},
		{Flags: FIN | ACK, Seq: 6, Ack: 10, Src: 1, Dst: 2},
		{Flags: SYN, Seq: 12, Src: 2, Dst: 0},               // a SYN of A's next incarnation
		{Flags: SYN | ACK, Seq: 3, Ack: 10, Src: 3, Dst: 1}, // an old SYN-ACK of another conversation
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 4, Src: 2, Dst: 1})
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
		{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2},
		{Flags: ACK, Seq: 5, Ack: 10, Src: 1, Dst: 2},
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
		{Flags: RST, Seq: 3, Src: 1, Dst: 2},
		{Flags: RST, Seq: 6, Src: 1, Dst: 2},
		{Flags: RST | ACK, Seq: 12, Ack: 10, Src: 1, Dst: 2},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at ESTABLISHED RCV.NXT=4", want, got)
	}
}

// --- second, the RST bit -----------------------------------------------------

// "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE, CLOSE-WAIT STATE:
// If the RST bit is set, then ... Enter the CLOSED state, delete the TCB, and
// return." "CLOSING STATE, LAST-ACK STATE, TIME-WAIT: If the RST bit is set,
// then enter the CLOSED state, delete the TCB, and return."
// Reference: RFC 9293 section 3.10.7.4 (second)
func TestRSTInSynchronizedStateCloses(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		st             TCPState
		sndNxt, rcvNxt Seq
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
		g := Segment{Flags: RST, Seq: tc.rcvNxt, Src: 1, Dst: 2}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = closedTCB(2)
		diff(t, "RST at "+tc.st.String(), want, got)
	}
}

// --- fourth, the SYN bit -----------------------------------------------------

// "If the SYN is in the window it is an error, send a reset, ... enter the
// CLOSED state, delete the TCB, and return." MODEL.md: "anywhere else, reply
// with the reset formed from the segment (<SEQ=SEG.ACK><CTL=RST> if it has
// ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>) and enter CLOSED";
// the reset's src and dst are the segment's dst and src, not B's ghosts.
// Reference: RFC 9293 section 3.10.7.4 (fourth); MODEL.md "Details", "Ghost incarnations"
func TestInWindowSYNResets(t *testing.T) {
	m := rfcModel(t)
	tw := established()
	tw.TCB[B] = TCB{State: TimeWait, ISS: 9, SndUna: 11, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 2, Passive: true, TW: timer(3), Peer: 1}
	for _, tc := range []struct {
		name  string
		s     State
		g     Segment
		reset Segment
	}{
		// A SYN of A's next incarnation (addressed to nobody).
		{"ESTABLISHED", established(), Segment{Flags: SYN, Seq: 4, Src: 2, Dst: 0}, Segment{Flags: RST | ACK, Seq: 0, Ack: 5, Src: 0, Dst: 2}},
		// A SYN-ACK of A2 bound to B's first incarnation.
		{"ESTABLISHED", established(), Segment{Flags: SYN | ACK, Seq: 5, Ack: 12, Src: 2, Dst: 1}, Segment{Flags: RST, Seq: 12, Src: 1, Dst: 2}},
		{"SYN-RECEIVED (active)", simulRcvd(), Segment{Flags: SYN, Seq: 5, Src: 1, Dst: 0}, Segment{Flags: RST | ACK, Seq: 0, Ack: 6, Src: 0, Dst: 1}},
		{"TIME-WAIT", tw, Segment{Flags: SYN, Seq: 6, Src: 2, Dst: 0}, Segment{Flags: RST | ACK, Seq: 0, Ack: 7, Src: 0, Dst: 2}},
	} {
		s := put(m, tc.s, A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = closedTCB(2)
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
		{Flags: FIN, Seq: 4, Src: 1, Dst: 2},
		{Flags: 0, Seq: 4, Len: 1, Unit: 1, Src: 1, Dst: 2},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, g.String()+" at ESTABLISHED", want, got)
	}
}

// "If the segment acknowledgment is not acceptable, form a reset segment
// <SEQ=SEG.ACK><CTL=RST> and send it." MODEL.md: the reset is formed from
// the segment (src and dst swapped); here the segment is an old one of A's
// incarnation 3 to B's incarnation 1, so the reset is not B2's.
// Reference: RFC 9293 section 3.10.7.4 (fifth); MODEL.md "Ghost incarnations"
func TestSynReceivedUnacceptableACKResets(t *testing.T) {
	m := rfcModel(t)
	// B: SND.UNA=9, SND.NXT=10.
	for _, ack := range []Seq{9, 8, 11} {
		g := Segment{Flags: ACK, Seq: 4, Ack: ack, Src: 3, Dst: 1}
		s := put(m, synRcvd(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: RST, Seq: ack, Src: 1, Dst: 3})
		diff(t, g.String()+" at SYN-RECEIVED", want, got)
	}
}

// "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an
// ACK, drop the segment, and return."
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestACKOfUnsentIsAckedAndDropped(t *testing.T) {
	m := rfcModel(t)
	for _, g := range []Segment{
		{Flags: ACK, Seq: 10, Ack: 6, Src: 2, Dst: 1},
		{Flags: ACK, Seq: 10, Ack: 6, Len: 1, Unit: 1, Src: 2, Dst: 1}, // its data is not delivered
		{Flags: FIN | ACK, Seq: 10, Ack: 6, Src: 2, Dst: 1},            // nor its FIN
	} {
		s := put(m, established(), B, g) // A: SND.NXT=4
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2})
		diff(t, g.String()+" at ESTABLISHED SND.NXT=4", want, got)
	}
}

// "CLOSING STATE: In addition to the processing for the ESTABLISHED state, if
// the ACK acknowledges our FIN, then enter the TIME-WAIT state; otherwise,
// ignore the segment." The otherwise branch (an ACK that does not reach our
// FIN); the FIN acknowledged is Figure 13 in testdata/scenarios/rfc9293.txt.
// Reference: RFC 9293 section 3.10.7.4 (fifth)
func TestClosingACKNotOfFINIgnored(t *testing.T) {
	m := rfcModel(t)
	closing := established()
	closing.TCB[A].State, closing.TCB[A].SndNxt, closing.TCB[A].RcvNxt, closing.TCB[A].Rtx = Closing, 5, 11, timer(1)
	g := Segment{Flags: ACK, Seq: 11, Ack: 4, Src: 2, Dst: 1}
	s := put(m, closing, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	diff(t, "ACK not of FIN at CLOSING", want, got)
}

// "TIME-WAIT STATE: The only thing that can arrive in this state is a
// retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL
// timeout." MODEL.md: "whatever reaches this step restarts tw and will be
// acknowledged ... one ACK is sent, carrying the final RCV.NXT". Here an
// acceptable segment that is not the FIN; the peer's FIN again is a
// scenario (testdata/scenarios/ack.txt).
// Reference: RFC 9293 section 3.10.7.4 (fifth, eighth); MODEL.md "Details"
func TestTimeWaitAcceptableSegmentAckedAndTimerRestarted(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: ACK, Seq: 11, Ack: 5, Src: 2, Dst: 1}
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(1), Peer: 2}
	s.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 2, Passive: true, Rtx: timer(0), Tries: 1, Peer: 1}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A].TW = timer(4)
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
	diff(t, g.String()+" at TIME-WAIT", want, got)
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
		sndUna, sndNxt Seq
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
		g := Segment{Flags: ACK, Seq: 4, Ack: tc.sndUna, Len: 1, Unit: 1, Src: 1, Dst: 2}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B].RcvNxt, want.TCB[B].Delivered = 5, 1
		want.Net[B] = queueOf(Segment{Flags: ACK, Seq: tc.sndNxt, Ack: 5, Src: 2, Dst: 1})
		diff(t, "in-order data at "+tc.st.String(), want, got)
	}
}

// MODEL.md: "others are dropped after an ACK: there is no reassembly queue".
// Reference: MODEL.md "SEGMENT ARRIVES" 4; RFC 9293 section 3.10.7.4 (seventh)
func TestOutOfOrderDataAckedAndDropped(t *testing.T) {
	m := rfcModel(t)
	g := Segment{Flags: ACK, Seq: 5, Ack: 10, Len: 1, Unit: 2, Src: 1, Dst: 2} // RCV.NXT=4, in the window
	s := put(m, established(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 4, Src: 2, Dst: 1})
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
		g := Segment{Flags: ACK, Seq: 5, Ack: 10, Len: 1, Unit: 1, Src: 1, Dst: 2}
		s = put(m, s, A, g)
		got := deliver(t, m, s, A, g)
		if got.TCB[B].RcvNxt != 5 || got.TCB[B].Delivered != 0 {
			t.Errorf("data at %s: RCV.NXT=%d delivered=%d, want 5 and 0", st, got.TCB[B].RcvNxt, got.TCB[B].Delivered)
		}
	}
}

// --- eighth, the FIN bit -----------------------------------------------------

// --- 3.10.1 OPEN -------------------------------------------------------------

// MODEL.md: "any: ISS is any value in the sequence space (a branch per
// value)"; the clock "stays 0 unless isn=clock". (isn=clock and isn=zero
// are scenarios in testdata/scenarios/open-calls.txt.)
// Reference: MODEL.md "The ISN policy"
func TestConnectISNAny(t *testing.T) {
	m := rfcModel(t, "isn", "any")
	rs := matching(m, State{}, Connect, A, Segment{})
	if len(rs) != 16 {
		t.Fatalf("%d connects, want 16", len(rs))
	}
	for i, r := range rs {
		u := Seq(i)
		if r.a.ISS != int16(i) {
			t.Errorf("connect %d: ISS %d", i, r.a.ISS)
			continue
		}
		want := State{
			TCB: [2]TCB{{State: SynSent, ISS: u, SndUna: u, SndNxt: (u + 1) % 16, Opens: 1, Rtx: timer(2)}, {}},
			Net: [2]Queue{queueOf(Segment{Flags: SYN, Seq: u, Src: 1, Dst: 0}), {}},
		}
		diff(t, "connect, isn=any", want, r.s)
	}
}

// --- 3.10.2 SEND -------------------------------------------------------------

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
	full := put(m, established(), A, Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2})
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
	full := put(m, established(), A, Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2})
	if enabled(m, full, CloseCall, A, Segment{}) {
		t.Error("close from ESTABLISHED enabled with no room")
	}
}

// --- 3.10.5 ABORT ------------------------------------------------------------

// abortStates builds, for each state in which ABORT is offered, a state
// with the aborting endpoint in it: who aborts, and the segment it sends
// (none for CLOSING, LAST-ACK and TIME-WAIT).
func abortStates() []struct {
	st    TCPState
	s     State
	who   Endpoint
	reset *Segment
} {
	type tc = struct {
		st    TCPState
		s     State
		who   Endpoint
		reset *Segment
	}
	with := func(st TCPState, f func(a *TCB)) State {
		s := established()
		s.TCB[A].State = st
		f(&s.TCB[A])
		return s
	}
	return []tc{
		// B in SYN-RECEIVED from a passive open (SND.NXT=10).
		{SynReceived, synRcvd(), B, &Segment{Flags: RST, Seq: 10, Src: 2, Dst: 1}},
		{Established, with(Established, func(a *TCB) {}), A, &Segment{Flags: RST, Seq: 4, Src: 1, Dst: 2}},
		// The FIN sent, not yet acknowledged: SND.NXT=5 covers it.
		{FinWait1, with(FinWait1, func(a *TCB) { a.SndNxt, a.Rtx = 5, timer(1) }), A, &Segment{Flags: RST, Seq: 5, Src: 1, Dst: 2}},
		{FinWait2, with(FinWait2, func(a *TCB) { a.SndUna, a.SndNxt = 5, 5 }), A, &Segment{Flags: RST, Seq: 5, Src: 1, Dst: 2}},
		// A data unit sent, unacknowledged: SND.NXT=5.
		{CloseWait, with(CloseWait, func(a *TCB) { a.SndNxt, a.RcvNxt, a.Sent, a.Rtx = 5, 11, 1, timer(2) }), A, &Segment{Flags: RST, Seq: 5, Src: 1, Dst: 2}},
		{Closing, with(Closing, func(a *TCB) { a.SndNxt, a.RcvNxt, a.Rtx = 5, 11, timer(1) }), A, nil},
		{LastAck, with(LastAck, func(a *TCB) { a.SndNxt, a.RcvNxt, a.Rtx = 5, 11, timer(1) }), A, nil},
		{TimeWait, with(TimeWait, func(a *TCB) { a.SndUna, a.SndNxt, a.RcvNxt, a.TW = 5, 5, 11, timer(3) }), A, nil},
	}
}

// RFC 9293 3.10.5 ABORT: "SYN-RECEIVED STATE, ESTABLISHED STATE, FIN-WAIT-1
// STATE, FIN-WAIT-2 STATE, CLOSE-WAIT STATE: Send a reset segment:
// <SEQ=SND.NXT><CTL=RST>. ... Delete the TCB, enter CLOSED state, and
// return." "CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: Respond with
// "ok" and delete the TCB, enter CLOSED state, and return." MODEL.md: the
// RST "needs room" and carries the sender's opens and peer as src and dst;
// SYN-RECEIVED goes to CLOSED even from a passive open (not LISTEN as on a
// received RST); entering CLOSED deletes the TCB (timers stop, peer and
// stale cleared).
// Reference: RFC 9293 section 3.10.5; MODEL.md "Endpoint actions", "Changes from version 1" 4
func TestAbortInEachState(t *testing.T) {
	m := rfcModel(t, "abort", "on")
	for _, tc := range abortStates() {
		s := tc.s
		s.TCB[tc.who].Stale = true // cleared with the TCB
		got := act(t, m, s, Abort, tc.who)
		want := s
		want.TCB[tc.who] = closedTCB(s.TCB[tc.who].Opens)
		if tc.reset != nil {
			want.Net[tc.who] = queueOf(*tc.reset)
		}
		diff(t, "abort at "+tc.st.String(), want, got)
	}
}

// MODEL.md: "connect, send, close (when it sends a FIN), retransmit and
// abort need room in their direction": an ABORT that sends an RST is not
// enabled while its direction is full; one that sends nothing is, and leaves
// the network as it was.
// Reference: MODEL.md "Endpoint actions", "Details"; RFC 9293 section 3.10.5
func TestAbortRoom(t *testing.T) {
	m := rfcModel(t, "abort", "on") // capacity 1
	for _, tc := range abortStates() {
		filler := Segment{Flags: ACK, Seq: 1, Ack: 1}
		full := put(m, tc.s, tc.who, filler)
		if tc.reset != nil {
			if enabled(m, full, Abort, tc.who, Segment{}) {
				t.Errorf("abort at %s enabled with no room for its RST", tc.st)
			}
			continue
		}
		got := act(t, m, full, Abort, tc.who)
		want := full
		want.TCB[tc.who] = closedTCB(full.TCB[tc.who].Opens)
		diff(t, "abort at "+tc.st.String()+" with its direction full", want, got)
	}
}

// MODEL.md: abort is offered "only when the abort setting is on", in the
// eight states above; "(In LISTEN and SYN-SENT it would equal close.)", and
// in CLOSED there is no TCB to abort (RFC 9293 3.10.5: "error: connection
// illegal for this process").
// Reference: MODEL.md "Endpoint actions"; RFC 9293 section 3.10.5
func TestAbortNotOffered(t *testing.T) {
	m := rfcModel(t, "abort", "on")
	s := synSent() // A in SYN-SENT, B in LISTEN
	if enabled(m, s, Abort, A, Segment{}) {
		t.Error("abort offered in SYN-SENT")
	}
	if enabled(m, s, Abort, B, Segment{}) {
		t.Error("abort offered in LISTEN")
	}
	for _, st := range []State{{}, {TCB: [2]TCB{closedTCB(1), closedTCB(2)}}} {
		if enabled(m, st, Abort, A, Segment{}) || enabled(m, st, Abort, B, Segment{}) {
			t.Errorf("abort offered in CLOSED: %s", st)
		}
	}
	off := rfcModel(t) // abort=off
	for _, tc := range abortStates() {
		if enabled(off, tc.s, Abort, tc.who, Segment{}) {
			t.Errorf("abort offered at %s with abort=off", tc.st)
		}
	}
}

// --- 3.10.8 TIMEOUTS ---------------------------------------------------------

// "RETRANSMISSION TIMEOUT: For any state if the retransmission timeout
// expires on a segment in the retransmission queue, send the segment at the
// front of the retransmission queue again, reinitialize the retransmission
// timer, and return." MODEL.md: "resend the oldest unacknowledged item (SYN,
// SYN-ACK, data unit or FIN) with the current ACK field, restart rtx, count
// one more try"; a retransmission consumes no new sequence number, so the
// clock does not advance; it is sent from the TCB, so it carries the
// sender's current opens and peer (dst 0 for a SYN from SYN-SENT).
// Reference: RFC 9293 section 3.10.8; MODEL.md "Endpoint actions", "Ghost incarnations"
func TestRetransmit(t *testing.T) {
	m := rfcModel(t)
	for _, tc := range []struct {
		name string
		tcb  TCB
		seg  Segment
	}{
		{"SYN", TCB{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1},
			Segment{Flags: SYN, Seq: 3, Src: 1, Dst: 0}},
		{"SYN-ACK", TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Passive: true, Tries: 1, Peer: 2},
			Segment{Flags: SYN | ACK, Seq: 3, Ack: 10, Src: 1, Dst: 2}},
		{"SYN-ACK after CLOSE", TCB{State: FinWait1, ISS: 3, SndUna: 3, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Passive: true, Peer: 2},
			Segment{Flags: SYN | ACK, Seq: 3, Ack: 10, Src: 1, Dst: 2}},
		{"data", TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Peer: 2},
			Segment{Flags: ACK, Seq: 4, Ack: 10, Len: 1, Unit: 1, Src: 1, Dst: 2}},
		{"data, current ACK", TCB{State: Closing, ISS: 3, SndUna: 4, SndNxt: 6, IRS: 9, RcvNxt: 11, Opens: 1, Sent: 1, Peer: 2},
			Segment{Flags: ACK, Seq: 4, Ack: 11, Len: 1, Unit: 1, Src: 1, Dst: 2}},
		{"FIN", TCB{State: FinWait1, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Peer: 2},
			Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}},
		{"FIN after data", TCB{State: FinWait1, ISS: 3, SndUna: 5, SndNxt: 6, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Peer: 2},
			Segment{Flags: FIN | ACK, Seq: 5, Ack: 10, Src: 1, Dst: 2}},
		{"FIN, current ACK", TCB{State: LastAck, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, Peer: 2},
			Segment{Flags: FIN | ACK, Seq: 4, Ack: 11, Src: 1, Dst: 2}},
	} {
		s := State{TCB: [2]TCB{tc.tcb, closedTCB(2)}, Clock: 9}
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
	s = put(m, s, A, Segment{Flags: SYN, Seq: 3, Src: 1, Dst: 0})
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
		{TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Passive: true, Peer: 2}, listenTCB(1)},
		{TCB{State: SynReceived, ISS: 3, SndUna: 3, SndNxt: 4, IRS: 9, RcvNxt: 10, Opens: 1, Peer: 2}, closedTCB(1)},
		{TCB{State: SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1}, closedTCB(1)},
		{TCB{State: Established, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Sent: 1, Peer: 2}, closedTCB(1)},
		{TCB{State: FinWait1, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, Peer: 2}, closedTCB(1)},
		{TCB{State: LastAck, ISS: 3, SndUna: 4, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, Peer: 2}, closedTCB(1)},
	} {
		s := State{TCB: [2]TCB{tc.tcb, closedTCB(2)}, Clock: 9}
		s.TCB[A].Rtx, s.TCB[A].Tries = timer(0), 2
		s = put(m, s, A, Segment{Flags: ACK, Seq: 1, Ack: 1}) // no room
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

// --- time --------------------------------------------------------------------

// MODEL.md: "every in-flight segment's age grows by 1 ...; each running rtx
// and tw timer decreases by 1; the ISN clock advances by 1 (policy clock)";
// the ticks so far count (horizon > 0).
// Reference: MODEL.md "Time"
func TestTickAgesAndCountsDown(t *testing.T) {
	m := rfcModel(t, "msl", "3")
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(3), Peer: 2}
	s.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 2, Passive: true, Rtx: timer(2), Peer: 1}
	s.Clock, s.Ticks = 15, 4
	s = put(m, s, A, Segment{Flags: ACK, Seq: 5, Ack: 11, Age: 1, Src: 1, Dst: 2})
	got := step(t, m, s, Tick, A, Segment{})
	want := s
	want.TCB[A].TW, want.TCB[B].Rtx = timer(2), timer(1)
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Age: 2, Src: 1, Dst: 2})
	want.Clock, want.Ticks = 0, 5
	diff(t, "tick", want, got)
	// The clock staying 0 unless isn=clock, and the ticks when horizon=0,
	// is a scenario (testdata/scenarios/time-and-network.txt).
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

	full := put(m, s, A, Segment{Flags: SYN, Seq: 3, Src: 1, Dst: 0})
	got := step(t, m, full, Tick, A, none)
	if got.TCB[A].Rtx != timer(0) {
		t.Errorf("rtx at 0 after a tick: %s, want 0", got.TCB[A].Rtx)
	}

	full.TCB[A].Tries = 2
	if enabled(m, full, Tick, A, none) {
		t.Error("tick enabled while a give-up is due")
	}

	s = established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(0), Peer: 2}
	s.TCB[B] = closedTCB(2)
	if enabled(m, s, Tick, A, none) {
		t.Error("tick enabled while TIME-WAIT's tw is 0")
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
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}
	x := Segment{Flags: ACK, Seq: 12, Ack: 2, Src: 2, Dst: 1}
	base := established()
	base.TCB[B] = closedTCB(2) // answers g with a RST

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
	r := Segment{Flags: RST, Seq: 4, Src: 1, Dst: 2}
	s = put(m, put(m, base, A, r), B, x)
	s.Lost = 1
	if !enabled(m, s, Deliver, A, r) {
		t.Error("deliver of a RST to CLOSED disabled for want of room it does not need")
	}
}

// MODEL.md: "Two states that differ only in the order of a direction's
// multiset are the same state."
// Reference: MODEL.md "Segments and the network"
func TestMultisetCanonicalOrder(t *testing.T) {
	m := rfcModel(t, "capacity", "3", "dup", "unbounded")
	// A's first incarnation's FIN (to B1) is still in flight; A is in its
	// second incarnation, whose SYN it retransmits.
	old := Segment{Flags: FIN | ACK, Seq: 12, Ack: 6, Src: 1, Dst: 1}
	s := synSent()
	s.TCB[A].Opens, s.TCB[A].Rtx = 2, timer(0)
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
	g := Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}
	h := Segment{Flags: ACK, Seq: 5, Ack: 10, Src: 1, Dst: 2}
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
	head := Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}
	tail := Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2} // sorts before head in a multiset
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
	fin := Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2}
	if items := got.Net[A].Items(); len(items) != 2 || items[0] != tail || items[1] != fin {
		t.Errorf("FIFO: a retransmission must go to the tail: %v", items)
	}
}

// --- ghost incarnations (MODEL.md) -----------------------------------------

// MODEL.md: "Entering CLOSED deletes the TCB: every field but opens returns
// to zero and both timers stop. Entering LISTEN does the same"; peer and
// stale are "cleared with the TCB (CLOSED, LISTEN)". Every way into CLOSED
// or LISTEN from a bound, stale TCB (B2 bound to A1, stale set).
// Reference: MODEL.md "Ghost incarnations", "The canonical state"
func TestEnteringClosedOrListenClearsGhosts(t *testing.T) {
	m := rfcModel(t)
	passive := synRcvd()
	passive.TCB[B].Stale = true
	active := simulRcvd()
	active.TCB[B].Stale = true
	est := established()
	est.TCB[B].Stale = true
	lastAck := established()
	lastAck.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 2, Passive: true, Rtx: timer(1), Peer: 1, Stale: true}
	timeWait := established()
	timeWait.TCB[B] = TCB{State: TimeWait, ISS: 9, SndUna: 11, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 2, Passive: true, TW: timer(0), Peer: 1, Stale: true}
	giveUp := established()
	giveUp.TCB[B] = TCB{State: FinWait1, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 4, Opens: 2, Passive: true, Rtx: timer(0), Tries: 2, Peer: 1, Stale: true}
	passiveGiveUp := synRcvd()
	passiveGiveUp.TCB[B].Stale, passiveGiveUp.TCB[B].Rtx, passiveGiveUp.TCB[B].Tries = true, timer(0), 2

	for _, tc := range []struct {
		name string
		s    State
		k    ActionKind
		g    Segment // delivered from A, for k = Deliver
		want TCB
	}{
		{"RST at SYN-RECEIVED (passive) -> LISTEN", passive, Deliver, Segment{Flags: RST, Seq: 4, Src: 1, Dst: 2}, listenTCB(2)},
		{"in-window SYN at SYN-RECEIVED (passive) -> LISTEN", passive, Deliver, Segment{Flags: SYN, Seq: 5, Src: 1, Dst: 0}, listenTCB(2)},
		{"give-up at SYN-RECEIVED (passive) -> LISTEN", passiveGiveUp, GiveUp, Segment{}, listenTCB(2)},
		{"RST at SYN-RECEIVED (active) -> CLOSED", active, Deliver, Segment{Flags: RST, Seq: 4, Src: 1, Dst: 2}, closedTCB(2)},
		{"RST at ESTABLISHED -> CLOSED", est, Deliver, Segment{Flags: RST, Seq: 4, Src: 1, Dst: 2}, closedTCB(2)},
		{"in-window SYN at ESTABLISHED -> CLOSED", est, Deliver, Segment{Flags: SYN, Seq: 5, Src: 2, Dst: 0}, closedTCB(2)},
		{"ACK of FIN at LAST-ACK -> CLOSED", lastAck, Deliver, Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2}, closedTCB(2)},
		{"expire at TIME-WAIT -> CLOSED", timeWait, Expire, Segment{}, closedTCB(2)},
		{"give-up at FIN-WAIT-1 -> CLOSED", giveUp, GiveUp, Segment{}, closedTCB(2)},
	} {
		s := tc.s
		who := B
		if tc.k == Deliver {
			s = put(m, s, A, tc.g)
			who = A
		}
		got := step(t, m, s, tc.k, who, tc.g)
		if d := cmp.Diff(tc.want, got.TCB[B]); d != "" {
			t.Errorf("%s: B (-want +got):\n%s", tc.name, d)
		}
	}
}

// MODEL.md: "A segment is old for an endpoint R (not CLOSED or LISTEN) when
// it was addressed to an earlier incarnation of R (dst != 0 and dst <
// R.opens) or sent by an earlier incarnation of the peer than the one R is
// bound to (R.peer != 0, src != 0 and src < R.peer)." Each clause alone,
// and each way of failing it. R is B in its incarnation 3.
// Reference: MODEL.md "Ghost incarnations", "Properties" no-old-segment
func TestIsOld(t *testing.T) {
	est := TCB{State: Established, ISS: 9, SndUna: 10, SndNxt: 10, IRS: 3, RcvNxt: 4, Opens: 3, Peer: 2}
	synSentB := TCB{State: SynSent, ISS: 9, SndUna: 9, SndNxt: 10, Opens: 3}
	for _, tc := range []struct {
		name string
		g    Segment
		r    TCB
		old  bool
	}{
		{"addressed to an earlier incarnation of R", Segment{Flags: ACK, Src: 2, Dst: 2}, est, true},
		{"addressed to an earlier incarnation, R not bound yet", Segment{Flags: SYN | ACK, Src: 1, Dst: 1}, synSentB, true},
		{"sent by an earlier incarnation of the peer", Segment{Flags: ACK, Src: 1, Dst: 3}, est, true},
		{"sent by an earlier incarnation of the peer, addressed to nobody", Segment{Flags: SYN, Src: 1, Dst: 0}, est, true},
		{"addressed to R's incarnation, from its peer", Segment{Flags: ACK, Src: 2, Dst: 3}, est, false},
		{"from a later incarnation of the peer", Segment{Flags: SYN, Src: 3, Dst: 0}, est, false},
		{"a SYN (dst 0) from the peer R is bound to", Segment{Flags: SYN, Src: 2, Dst: 0}, est, false},
		{"src 0: a reset answering a SYN", Segment{Flags: RST | ACK, Src: 0, Dst: 3}, est, false},
		{"R bound to nobody: no src is old", Segment{Flags: SYN, Src: 1, Dst: 0}, synSentB, false},
		{"R CLOSED", Segment{Flags: ACK, Src: 1, Dst: 1}, closedTCB(3), false},
		{"R LISTEN", Segment{Flags: ACK, Src: 1, Dst: 1}, listenTCB(3), false},
	} {
		if got := IsOld(tc.g, tc.r); got != tc.old {
			t.Errorf("%s: IsOld(src=%d dst=%d, B%d %s peer=%d) = %v, want %v",
				tc.name, tc.g.Src, tc.g.Dst, tc.r.Opens, tc.r.State, tc.r.Peer, got, tc.old)
		}
	}
}

// --- no-deadlock -------------------------------------------------------------

// stuckBase is A in FIN-WAIT-2 (A2, bound to B2, its FIN acknowledged) and
// B CLOSED with both endpoints' opens spent (opens=2), nothing in flight,
// at the horizon (12 ticks): RFC 9293's FIN-WAIT-2 has no timer, and nobody
// will ever send A the FIN it waits for.
func stuckBase() State {
	return State{
		TCB: [2]TCB{
			{State: FinWait2, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 2, Peer: 2},
			closedTCB(2),
		},
		Clock: 4,
		Ticks: 12,
	}
}

// MODEL.md no-deadlock: a state is stuck only when nothing is in flight and
// no endpoint action (connect, listen, send, close, retransmit, give-up,
// expire, abort) "is enabled now or becomes enabled as time goes on. For
// this question time may go on past the horizon". "The FIN-WAIT-2 of RFC
// 9293 has no timer."
// Reference: MODEL.md "Properties" no-deadlock, "Changes from version 1" 3
func TestStuck(t *testing.T) {
	m := rfcModel(t) // opens=2, horizon=12, rto=2, time-wait=4, retries=2
	with := func(f func(s *State)) State {
		s := stuckBase()
		f(&s)
		return s
	}
	for _, tc := range []struct {
		name  string
		m     *Model
		s     State
		stuck bool
	}{
		{"FIN-WAIT-2, peer CLOSED, opens spent, nothing in flight", m, stuckBase(), true},
		{"the same before the horizon", m, with(func(s *State) { s.Ticks = 0 }), true},
		{"retransmit=off: FIN-WAIT-1 whose FIN was lost, no timer to resend it",
			rfcModel(t, "retransmit", "off"), with(func(s *State) { s.TCB[A].State, s.TCB[A].SndUna = FinWait1, 4 }), true},

		{"a segment in flight A->B", m, put(m, stuckBase(), A, Segment{Flags: ACK, Seq: 5, Ack: 10, Src: 2, Dst: 2}), false},
		{"a segment in flight B->A", m, put(m, stuckBase(), B, Segment{Flags: RST | ACK, Seq: 0, Ack: 6, Src: 2, Dst: 2}), false},
		{"B may still listen", m, with(func(s *State) { s.TCB[B] = closedTCB(1) }), false},
		{"A may still connect (A CLOSED, opens left)", m, with(func(s *State) { s.TCB[A] = closedTCB(1) }), false},
		{"A may close (ESTABLISHED)", m, with(func(s *State) { s.TCB[A].State, s.TCB[A].SndUna = Established, 5 }), false},
		{"abort=on: A may abort in FIN-WAIT-2", rfcModel(t, "abort", "on"), stuckBase(), false},
		{"TIME-WAIT: expire fires after the horizon", m, with(func(s *State) {
			s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 2, TW: timer(4), Peer: 2}
		}), false},
		{"TIME-WAIT of 60 ticks: expire fires 60 ticks after the horizon", rfcModel(t, "time-wait", "60", "rto", "1"), with(func(s *State) {
			s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 2, TW: timer(60), Peer: 2}
		}), false},
		{"FIN-WAIT-1: the FIN is retransmitted after the horizon", m, with(func(s *State) {
			s.TCB[A].State, s.TCB[A].SndUna, s.TCB[A].Rtx = FinWait1, 4, timer(2)
		}), false},
		{"rto 30: the retransmission fires 30 ticks after the horizon", rfcModel(t, "rto", "30"), with(func(s *State) {
			s.TCB[A].State, s.TCB[A].SndUna, s.TCB[A].Rtx = FinWait1, 4, timer(30)
		}), false},
		{"FIN-WAIT-1, retries spent: give-up fires after the horizon", m, with(func(s *State) {
			s.TCB[A].State, s.TCB[A].SndUna, s.TCB[A].Rtx, s.TCB[A].Tries = FinWait1, 4, timer(2), 2
		}), false},
	} {
		if got := tc.m.Stuck(tc.s); got != tc.stuck {
			t.Errorf("%s: Stuck = %v, want %v (%s)", tc.name, got, tc.stuck, tc.s)
		}
	}
}

// MODEL.md no-deadlock: "segments may expire past the loss budget: a run
// that stops only because the budget is spent (a full direction whose reply
// could not be lost, a tick that would expire a segment the budget cannot
// pay for) has reached the bounded network's limit, not a TCP deadlock".
// Here both FINs of a simultaneous close are in flight at age msl-1 with
// capacity 1 and the loss budget spent: delivering either would need room
// for its ACK, tick would expire them, retransmit has no room. Nothing at all
// is enabled, and the state is not stuck.
// Reference: MODEL.md "Properties" no-deadlock, "Changes from version 1" 3
func TestNotStuckWhenOnlyTheLossBudgetBlocks(t *testing.T) {
	m := rfcModel(t) // loss=1, capacity 1, msl=2
	s := established()
	s.TCB[A].State, s.TCB[A].SndNxt, s.TCB[A].Rtx = FinWait1, 5, timer(0)
	s.TCB[B].State, s.TCB[B].SndNxt, s.TCB[B].Rtx = FinWait1, 11, timer(0)
	s = put(m, s, A, Segment{Flags: FIN | ACK, Seq: 4, Ack: 10, Age: 1, Src: 1, Dst: 2})
	s = put(m, s, B, Segment{Flags: FIN | ACK, Seq: 10, Ack: 4, Age: 1, Src: 2, Dst: 1})
	s.Lost = 1
	var enabledActions []Action
	m.Next(s, func(a Action, _ State) { enabledActions = append(enabledActions, a) })
	if len(enabledActions) != 0 {
		t.Fatalf("want no action enabled (the budget blocks everything), got %v", enabledActions)
	}
	if m.Stuck(s) {
		t.Errorf("stuck, though segments are in flight and only the loss budget blocks them: %s", s)
	}
}
