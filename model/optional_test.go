package model

// The optional behaviours of MODEL.md version 2 ("Optional behaviours
// (version 2)"), one test per rule in the style of rfc9293_test.go: each
// is written from a sentence of RFC 9293, RFC 5961 or MODEL.md, quoted in
// a comment, with hand-built states (the conventions of rfc9293_test.go:
// seq-space 16, window 2, A1 with ISS=3 bound to B2 with ISS=9), and shows
// the rule firing and not firing.

import (
	"strings"
	"testing"
)

// --- the settings ------------------------------------------------------------

// MODEL.md "Settings and defaults": "rfc5961=off time-wait-reopen=off
// time-wait-ack=rfc9293 fin-wait-2-timeout=0"; "Every setting is validated
// ... refused with a message that names the setting and the allowed range."
// Reference: MODEL.md "Settings and defaults"
func TestOptionalSettings(t *testing.T) {
	d := Defaults()
	for name, want := range map[string]string{
		"rfc5961": "off", "time-wait-reopen": "off", "time-wait-ack": "rfc9293", "fin-wait-2-timeout": "0",
	} {
		if got, err := d.Get(name); err != nil || got != want {
			t.Errorf("default %s = %q (%v), want %q", name, got, err, want)
		}
	}
	names := SettingNames()
	if got, want := names[len(names)-4:], []string{"rfc5961", "time-wait-reopen", "time-wait-ack", "fin-wait-2-timeout"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("last settings %v, want %v (MODEL.md's defaults line)", got, want)
	}
	for _, tc := range []struct{ name, value, err string }{
		{"rfc5961", "on", ""},
		{"rfc5961", "yes", "rfc5961: "},
		{"time-wait-reopen", "on", ""},
		{"time-wait-reopen", "linux", "time-wait-reopen: "},
		{"time-wait-ack", "bsd", ""},
		{"time-wait-ack", "rfc793", "want one of rfc9293, bsd"},
		{"fin-wait-2-timeout", "0", ""},
		{"fin-wait-2-timeout", "60", ""},
		{"fin-wait-2-timeout", "61", "fin-wait-2-timeout: 61 is out of range (want an integer from 0 to 60)"},
		{"fin-wait-2-timeout", "-1", "fin-wait-2-timeout: -1 is out of range (want an integer from 0 to 60)"},
	} {
		s := Defaults()
		err := s.Set(tc.name, tc.value)
		if err == nil {
			err = s.Validate()
		}
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s=%s refused: %v", tc.name, tc.value, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s=%s: error %v, want one containing %q", tc.name, tc.value, err, tc.err)
		case tc.err == "":
			if got, _ := s.Get(tc.name); got != tc.value {
				t.Errorf("%s=%s reads back as %q", tc.name, tc.value, got)
			}
		}
	}
	s := Defaults()
	s.TimeWaitACK = TimeWaitACK(len(timeWaitACKNames)) // no such behaviour
	if err := s.Validate(); err == nil || !strings.HasPrefix(err.Error(), "time-wait-ack: ") {
		t.Errorf("Validate with time-wait-ack=%d: %v", s.TimeWaitACK, err)
	}
}

// --- rfc5961: RST (second check) ---------------------------------------------

// rfc5961States is B in each state where RFC 5961 applies, with B's
// SND.NXT and RCV.NXT, A1 and B2 bound to each other.
func rfc5961States() []struct {
	name string
	s    State
} {
	type tc = struct {
		name string
		s    State
	}
	with := func(st TCPState, sndNxt, rcvNxt Seq) State {
		s := established()
		b := &s.TCB[B]
		b.State, b.SndNxt, b.RcvNxt = st, sndNxt, rcvNxt
		if sndNxt != b.SndUna {
			b.Rtx = timer(1)
		}
		if st == TimeWait || st == FinWait2 {
			b.SndUna, b.Rtx = b.SndNxt, 0
		}
		if st == TimeWait {
			b.TW = timer(2)
		}
		return s
	}
	return []tc{
		{"SYN-RECEIVED (passive)", synRcvd()}, // SND.NXT=10 RCV.NXT=4
		{"ESTABLISHED", with(Established, 10, 4)},
		{"FIN-WAIT-1", with(FinWait1, 11, 4)},
		{"FIN-WAIT-2", with(FinWait2, 11, 4)},
		{"CLOSE-WAIT", with(CloseWait, 10, 5)},
		{"CLOSING", with(Closing, 11, 5)},
		{"LAST-ACK", with(LastAck, 11, 5)},
		{"TIME-WAIT", with(TimeWait, 11, 5)},
	}
}

// RFC 9293 3.10.7.4 (second), for stacks implementing RFC 5961: "2) If the
// RST bit is set and the sequence number exactly matches the next expected
// sequence number (RCV.NXT), then TCP endpoints MUST reset the connection
// in the manner prescribed below according to the connection state. 3) If
// the RST bit is set and the sequence number does not exactly match the
// next expected sequence value, yet is within the current receive window,
// TCP endpoints MUST send an acknowledgment (challenge ACK):
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> After sending the challenge ACK, TCP
// endpoints MUST drop the unacceptable segment and stop processing the
// incoming packet further." MODEL.md: "in every state but CLOSED, LISTEN
// and SYN-SENT". The challenge ACK is sent from the TCB (B2's ghosts);
// timers are untouched (TIME-WAIT's tw is not restarted).
// Reference: RFC 9293 section 3.10.7.4 (second); RFC 5961 section 3.2; MODEL.md "Optional behaviours"
func TestRFC5961RSTChallenged(t *testing.T) {
	on := rfcModel(t, "rfc5961", "on")
	off := rfcModel(t)
	for _, tc := range rfc5961States() {
		b := tc.s.TCB[B]
		inWindow := Segment{Flags: RST, Seq: b.RcvNxt + 1, Src: 1, Dst: 2} // RCV.NXT+1: in the window of 2, not RCV.NXT
		exact := Segment{Flags: RST, Seq: b.RcvNxt, Src: 1, Dst: 2}
		reset := closedTCB(2)
		if tc.s.TCB[B].State == SynReceived {
			reset = listenTCB(2) // "return this connection to LISTEN state"
		}

		// Fires: an in-window RST off RCV.NXT gets the challenge ACK.
		s := put(on, tc.s, A, inWindow)
		got := deliver(t, on, s, A, inWindow)
		want := s
		want.Net[A] = Queue{}
		want.Net[B] = queueOf(Segment{Flags: ACK, Seq: b.SndNxt, Ack: b.RcvNxt, Src: 2, Dst: 1})
		diff(t, "rfc5961: "+inWindow.String()+" at "+tc.name, want, got)

		// Does not fire: at RCV.NXT the RST resets as without RFC 5961.
		s = put(on, tc.s, A, exact)
		got = deliver(t, on, s, A, exact)
		want = s
		want.Net[A] = Queue{}
		want.TCB[B] = reset
		diff(t, "rfc5961: "+exact.String()+" at "+tc.name, want, got)

		// Does not fire: rfc5961 off, the in-window RST resets.
		s = put(off, tc.s, A, inWindow)
		got = deliver(t, off, s, A, inWindow)
		want = s
		want.Net[A] = Queue{}
		want.TCB[B] = reset
		diff(t, "rfc5961 off: "+inWindow.String()+" at "+tc.name, want, got)
	}
}

// "1) If the RST bit is set and the sequence number is outside the current
// receive window, silently drop the segment." (the acceptability test's
// "unless the RST bit is set, if so drop the segment and return": no
// challenge ACK.)
// Reference: RFC 9293 section 3.10.7.4 (first, second); RFC 5961 section 3.2
func TestRFC5961RSTOutsideWindowDropped(t *testing.T) {
	m := rfcModel(t, "rfc5961", "on")
	for _, g := range []Segment{
		{Flags: RST, Seq: 6, Src: 1, Dst: 2}, // B: RCV.NXT=4, window 4..5
		{Flags: RST | ACK, Seq: 3, Ack: 10, Src: 1, Dst: 2},
	} {
		s := put(m, established(), A, g)
		got := deliver(t, m, s, A, g)
		want := s
		want.Net[A] = Queue{}
		diff(t, "rfc5961: "+g.String()+" at ESTABLISHED RCV.NXT=4", want, got)
	}
}

// MODEL.md: "(rst-in-time-wait rfc1337 still ignores every RST in
// TIME-WAIT first.)" RFC 1337's fix is to ignore RSTs in TIME-WAIT: with
// it, no RST in TIME-WAIT gets a challenge ACK or resets.
// Reference: MODEL.md "Optional behaviours"; RFC 1337
func TestRFC5961RSTInTimeWaitRFC1337Ignored(t *testing.T) {
	m := rfcModel(t, "rfc5961", "on", "rst-in-time-wait", "rfc1337")
	for _, seq := range []Seq{11, 12} { // RCV.NXT, and RCV.NXT+1
		s := established()
		s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(3), Peer: 2}
		g := Segment{Flags: RST, Seq: seq, Src: 2, Dst: 1}
		s = put(m, s, B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		diff(t, "rfc5961, rfc1337: "+g.String()+" at TIME-WAIT RCV.NXT=11", want, got)
	}
}

// --- rfc5961: SYN (fourth check) ---------------------------------------------

// RFC 9293 3.10.7.4 (fourth): "RFC 5961 recommends that in these
// synchronized states, if the SYN bit is set, irrespective of the exact
// sequence number, TCP endpoints MUST send a 'challenge ACK' to the remote
// peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> After sending the
// acknowledgment, TCP implementations MUST drop the unacceptable segment and
// stop processing further." SYN-RECEIVED from an active open is handled
// "per the directions for synchronized states". MODEL.md: "in ESTABLISHED
// and later states, and in SYN-RECEIVED from an active open, a SYN gets a
// challenge ACK and is dropped instead of resetting the connection".
// Reference: RFC 9293 section 3.10.7.4 (fourth); RFC 5961 section 4.2; MODEL.md "Optional behaviours"
func TestRFC5961SYNChallenged(t *testing.T) {
	on := rfcModel(t, "rfc5961", "on")
	for _, tc := range rfc5961States() {
		if tc.s.TCB[B].State == SynReceived {
			continue // passive: below
		}
		b := tc.s.TCB[B]
		for _, g := range []Segment{
			{Flags: SYN, Seq: b.RcvNxt, Src: 2, Dst: 0},                    // a SYN of A's next incarnation
			{Flags: SYN | ACK, Seq: b.RcvNxt + 1, Ack: 12, Src: 2, Dst: 1}, // a SYN-ACK of A2 for B1
		} {
			s := put(on, tc.s, A, g)
			got := deliver(t, on, s, A, g)
			want := s
			want.Net[A] = Queue{}
			want.Net[B] = queueOf(Segment{Flags: ACK, Seq: b.SndNxt, Ack: b.RcvNxt, Src: 2, Dst: 1})
			diff(t, "rfc5961: "+g.String()+" at "+tc.name, want, got)
		}
	}

	// SYN-RECEIVED from an active open (a simultaneous open): B2 SND.NXT=10
	// RCV.NXT=4.
	m := rfcModel(t, "rfc5961", "on", "open", "simultaneous")
	g := Segment{Flags: SYN, Seq: 5, Src: 1, Dst: 0}
	s := put(m, simulRcvd(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.Net[B] = queueOf(Segment{Flags: ACK, Seq: 10, Ack: 4, Src: 2, Dst: 1})
	diff(t, "rfc5961: "+g.String()+" at SYN-RECEIVED (active)", want, got)

	// Does not fire without rfc5961: the reset and CLOSED of RFC 793.
	off := rfcModel(t, "open", "simultaneous")
	s = put(off, simulRcvd(), A, g)
	got = deliver(t, off, s, A, g)
	want = s
	want.Net[A] = Queue{}
	want.TCB[B] = closedTCB(2)
	want.Net[B] = queueOf(Segment{Flags: RST | ACK, Seq: 0, Ack: 6, Src: 0, Dst: 1})
	diff(t, "rfc5961 off: "+g.String()+" at SYN-RECEIVED (active)", want, got)
}

// "SYN-RECEIVED STATE: If the connection was initiated with a passive OPEN,
// then return this connection to the LISTEN state and return." MODEL.md:
// "(SYN-RECEIVED from a passive open still returns to LISTEN.)"
// Reference: RFC 9293 section 3.10.7.4 (fourth); MODEL.md "Optional behaviours"
func TestRFC5961SYNInPassiveSynReceivedListens(t *testing.T) {
	m := rfcModel(t, "rfc5961", "on")
	g := Segment{Flags: SYN, Seq: 5, Src: 1, Dst: 0}
	s := put(m, synRcvd(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.TCB[B] = listenTCB(2)
	diff(t, "rfc5961: "+g.String()+" at SYN-RECEIVED (passive)", want, got)
}

// --- rfc5961: ACK (fifth check) ----------------------------------------------

// RFC 9293 3.10.7.4 (fifth): "TCP stacks that implement RFC 5961 MUST add
// an input check that the ACK value is acceptable only if it is in the
// range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming
// segments whose ACK value doesn't satisfy the above condition MUST be
// discarded and an ACK sent back." MODEL.md: "in ESTABLISHED and later
// states, an ACK older than the window (SEG.ACK < SND.UNA - window) gets a
// challenge ACK and is dropped before anything else of the ACK step": its
// data and FIN are not processed, TIME-WAIT's tw is not restarted.
// Reference: RFC 9293 section 3.10.7.4 (fifth); RFC 5961 section 5.2; MODEL.md "Optional behaviours"
func TestRFC5961OldACKChallenged(t *testing.T) {
	on := rfcModel(t, "rfc5961", "on")
	// A: SND.UNA=4, window 2: SND.UNA-window = 2; SEG.ACK 1 and 11 are
	// below it (serially), 2 is not.
	for _, g := range []Segment{
		{Flags: ACK, Seq: 10, Ack: 1, Len: 1, Unit: 1, Src: 2, Dst: 1},
		{Flags: ACK, Seq: 10, Ack: 11, Len: 1, Unit: 1, Src: 2, Dst: 1},
		{Flags: FIN | ACK, Seq: 10, Ack: 1, Src: 2, Dst: 1},
	} {
		s := put(on, established(), B, g)
		got := deliver(t, on, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 10, Src: 1, Dst: 2})
		diff(t, "rfc5961: "+g.String()+" at ESTABLISHED SND.UNA=4", want, got)
	}

	// Does not fire: SEG.ACK = SND.UNA-window is a duplicate ACK, ignored,
	// and the data is delivered; without rfc5961 so is the data of an
	// older ACK.
	delivered := func(m *Model, g Segment, what string) {
		s := put(m, established(), B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.TCB[A].RcvNxt, want.TCB[A].Delivered = 11, 1
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 4, Ack: 11, Src: 1, Dst: 2})
		diff(t, what+g.String()+" at ESTABLISHED SND.UNA=4", want, got)
	}
	delivered(on, Segment{Flags: ACK, Seq: 10, Ack: 2, Len: 1, Unit: 1, Src: 2, Dst: 1}, "rfc5961: ")
	delivered(rfcModel(t), Segment{Flags: ACK, Seq: 10, Ack: 1, Len: 1, Unit: 1, Src: 2, Dst: 1}, "rfc5961 off: ")

	// CLOSING (A: SND.UNA=4 SND.NXT=5, RCV.NXT=11): challenged, not
	// "ignored".
	s := established()
	s.TCB[A].State, s.TCB[A].SndNxt, s.TCB[A].RcvNxt, s.TCB[A].Rtx = Closing, 5, 11, timer(1)
	g := Segment{Flags: ACK, Seq: 11, Ack: 1, Src: 2, Dst: 1}
	s = put(on, s, B, g)
	got := deliver(t, on, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
	diff(t, "rfc5961: "+g.String()+" at CLOSING", want, got)

	// TIME-WAIT (A: SND.UNA=5, so SND.UNA-window = 3): an old ACK is
	// challenged and tw is not restarted; a current one restarts tw and is
	// acknowledged as MODEL.md says for TIME-WAIT.
	tw := established()
	tw.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(1), Peer: 2}
	for _, tc := range []struct {
		ack Seq
		tw  Timer
	}{{2, timer(1)}, {5, timer(4)}} {
		g := Segment{Flags: ACK, Seq: 11, Ack: tc.ack, Src: 2, Dst: 1}
		s := put(on, tw, B, g)
		got := deliver(t, on, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.TCB[A].TW = tc.tw
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
		diff(t, "rfc5961: "+g.String()+" at TIME-WAIT SND.UNA=5", want, got)
	}
}

// MODEL.md: the ACK check applies "in ESTABLISHED and later states". In
// SYN-RECEIVED an ACK outside SND.UNA < SEG.ACK =< SND.NXT keeps its own
// rule: "If the segment acknowledgment is not acceptable, form a reset
// segment <SEQ=SEG.ACK><CTL=RST> and send it."
// Reference: RFC 9293 section 3.10.7.4 (fifth); MODEL.md "Optional behaviours"
func TestRFC5961OldACKInSynReceivedResets(t *testing.T) {
	m := rfcModel(t, "rfc5961", "on")
	g := Segment{Flags: ACK, Seq: 4, Ack: 6, Src: 1, Dst: 2} // B: SND.UNA=9, 6 < 9-2
	s := put(m, synRcvd(), A, g)
	got := deliver(t, m, s, A, g)
	want := s
	want.Net[A] = Queue{}
	want.Net[B] = queueOf(Segment{Flags: RST, Seq: 6, Src: 2, Dst: 1})
	diff(t, "rfc5961: "+g.String()+" at SYN-RECEIVED", want, got)
}

// --- time-wait-reopen --------------------------------------------------------

// timeWaitB is B1 in TIME-WAIT after closing first (its FIN at 10, A's FIN
// at 4 received): ISS=9 SND.UNA=SND.NXT=11 IRS=3 RCV.NXT=5, bound to A1,
// with an open left (opens 1 of 2). A has opened again as A2, in SYN-SENT
// with ISS=7; its SYN <SEQ=7><CTL=SYN> (src 2, dst 0) is after B's RCV.NXT
// and outside B's window (5..6).
func timeWaitB() State {
	return State{
		TCB: [2]TCB{
			{State: SynSent, ISS: 7, SndUna: 7, SndNxt: 8, Opens: 2, Rtx: timer(2)},
			{State: TimeWait, ISS: 9, SndUna: 11, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 1, Passive: true, TW: timer(3), Peer: 1},
		},
		Clock: 8,
	}
}

// RFC 9293 3.6: "When a connection is closed actively, it MUST linger in
// the TIME-WAIT state for a time 2xMSL (Maximum Segment Lifetime)
// (MUST-13). However, it MAY accept a new SYN from the remote TCP endpoint
// to reopen the connection directly from TIME-WAIT state (MAY-2), if it:
// (1) assigns its initial sequence number for the new connection to be
// larger than the largest sequence number it used on the previous
// connection incarnation". MODEL.md: "a segment with SYN and without RST
// and ACK whose SEG.SEQ is after RCV.NXT ..., arriving at an endpoint that
// may open passively and has an open left, starts a new incarnation as
// listen followed by LISTEN's SYN processing would (opens += 1, passive,
// stale as for LISTEN), except that ISS = SND.NXT + window (mod seq-space)
// ... it consumes a clock number like any ISS. It is checked before the
// acceptability test." LISTEN's SYN processing: "Set RCV.NXT to SEG.SEQ+1,
// IRS is set to SEG.SEQ ... <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is
// set to ISS+1 and SND.UNA to ISS. The connection state should be changed
// to SYN-RECEIVED." B2 binds to A2 (peer 2), its SYN-ACK goes to A2.
// Reference: RFC 9293 sections 3.6, 3.10.7.2; MODEL.md "Optional behaviours"
func TestTimeWaitReopen(t *testing.T) {
	reopened := func(irs, iss Seq) TCB {
		return TCB{State: SynReceived, ISS: iss, SndUna: iss, SndNxt: iss + 1, IRS: irs, RcvNxt: irs + 1, Opens: 2, Passive: true, Rtx: timer(2), Peer: 2}
	}
	for _, tc := range []struct {
		name  string
		pairs []string
		s     func() State
		g     Segment
		b     TCB
		clock Seq
	}{
		{"outside the window", nil, timeWaitB, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0}, reopened(7, 13), 9},
		// In the window, after RCV.NXT: not the in-window SYN's reset.
		{"in the window", nil, timeWaitB, Segment{Flags: SYN, Seq: 6, Src: 2, Dst: 0}, reopened(6, 13), 9},
		// Before the acceptability test, so before RFC 5961's SYN check.
		{"rfc5961 on", []string{"rfc5961", "on"}, timeWaitB, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0}, reopened(7, 13), 9},
		// ISS = SND.NXT + window mod seq-space: 15 + 2 = 1.
		{"ISS wraps", nil, func() State {
			s := timeWaitB()
			s.TCB[B].ISS, s.TCB[B].SndUna, s.TCB[B].SndNxt = 13, 15, 15
			return s
		}, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0}, reopened(7, 1), 9},
		// The ISS is the rule's, whatever the ISN policy; only the clock
		// policy has a clock to advance.
		{"isn=zero", []string{"isn", "zero"}, func() State { s := timeWaitB(); s.Clock = 0; return s },
			Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0}, reopened(7, 13), 0},
		{"isn=any (one action, no branch)", []string{"isn", "any"}, func() State { s := timeWaitB(); s.Clock = 0; return s },
			Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0}, reopened(7, 13), 0},
		// "stale as for LISTEN": the SYN's sender A2 is over (CLOSED).
		{"stale SYN", nil, func() State { s := timeWaitB(); s.TCB[A] = closedTCB(2); return s },
			Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0}, func() TCB { b := reopened(7, 13); b.Stale = true; return b }(), 9},
		// The two-way variant: LISTEN enters ESTABLISHED at once.
		{"two-way", []string{"handshake", "two-way"}, timeWaitB, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0},
			func() TCB { b := reopened(7, 13); b.State = Established; return b }(), 9},
	} {
		m := rfcModel(t, append([]string{"time-wait-reopen", "on"}, tc.pairs...)...)
		s := put(m, tc.s(), A, tc.g)
		a, got := stepA(t, m, s, Deliver, A, tc.g)
		if a.ISS != NoISS {
			t.Errorf("%s: the action chose ISS %d; the rule fixes it", tc.name, a.ISS)
		}
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = tc.b
		want.Clock = tc.clock
		want.Net[B] = queueOf(Segment{Flags: SYN | ACK, Seq: tc.b.ISS, Ack: tc.b.RcvNxt, Src: 2, Dst: 2})
		diff(t, "time-wait-reopen, "+tc.name+": "+tc.g.String()+" at TIME-WAIT RCV.NXT=5", want, got)
	}
}

// The rule's conditions, each failing in turn: the setting off; SEG.SEQ not
// after RCV.NXT (at it, the in-window SYN of RFC 9293 3.10.7.4 "fourth"
// resets; before it, the acceptability test answers with an ACK); an ACK
// or RST bit; no open left; an endpoint that may not open passively (B
// under open=simultaneous; A under client-server). Every other case is
// TIME-WAIT's processing as without the setting.
// Reference: RFC 9293 sections 3.6, 3.10.7.4; MODEL.md "Optional behaviours"
func TestTimeWaitReopenNotFiring(t *testing.T) {
	ack := Segment{Flags: ACK, Seq: 11, Ack: 5, Src: 1, Dst: 1} // B1's <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
	for _, tc := range []struct {
		name  string
		pairs []string
		s     func() State
		g     Segment
		b     TCB       // B afterwards
		reply []Segment // B's reply
	}{
		{"setting off", []string{"time-wait-reopen", "off"}, timeWaitB, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0},
			timeWaitB().TCB[B], []Segment{ack}},
		{"SEG.SEQ = RCV.NXT", nil, timeWaitB, Segment{Flags: SYN, Seq: 5, Src: 2, Dst: 0},
			closedTCB(1), []Segment{{Flags: RST | ACK, Seq: 0, Ack: 6, Src: 0, Dst: 2}}},
		{"SEG.SEQ < RCV.NXT", nil, timeWaitB, Segment{Flags: SYN, Seq: 3, Src: 2, Dst: 0},
			timeWaitB().TCB[B], []Segment{ack}},
		{"SYN with ACK", nil, timeWaitB, Segment{Flags: SYN | ACK, Seq: 7, Ack: 12, Src: 2, Dst: 1},
			timeWaitB().TCB[B], []Segment{ack}},
		{"SYN with RST", nil, timeWaitB, Segment{Flags: SYN | RST, Seq: 7, Src: 2, Dst: 0},
			timeWaitB().TCB[B], nil},
		{"opens spent", nil, func() State { s := timeWaitB(); s.TCB[B].Opens = 2; return s }, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0},
			func() TCB { b := timeWaitB().TCB[B]; b.Opens = 2; return b }(), []Segment{{Flags: ACK, Seq: 11, Ack: 5, Src: 2, Dst: 1}}},
		{"B may not listen (open=simultaneous)", []string{"open", "simultaneous"}, timeWaitB, Segment{Flags: SYN, Seq: 7, Src: 2, Dst: 0},
			timeWaitB().TCB[B], []Segment{ack}},
	} {
		m := rfcModel(t, append([]string{"time-wait-reopen", "on"}, tc.pairs...)...)
		s := put(m, tc.s(), A, tc.g)
		got := deliver(t, m, s, A, tc.g)
		want := s
		want.Net[A] = Queue{}
		want.TCB[B] = tc.b
		want.Net[B] = queueOf(tc.reply...)
		diff(t, "time-wait-reopen, "+tc.name+": "+tc.g.String()+" at TIME-WAIT RCV.NXT=5", want, got)
	}

	// A in TIME-WAIT under client-server may not listen: B's SYN of a new
	// incarnation (were B to connect) is answered with an ACK.
	m := rfcModel(t, "time-wait-reopen", "on")
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(3), Peer: 2}
	g := Segment{Flags: SYN, Seq: 14, Src: 3, Dst: 0}
	s = put(m, s, B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
	diff(t, "time-wait-reopen: "+g.String()+" at A's TIME-WAIT (client-server)", want, got)
}

// --- time-wait-ack -----------------------------------------------------------

// timeWaitA is A1 in TIME-WAIT (RCV.NXT=11 past B's FIN at 10, SND.NXT=5)
// and B2 in LAST-ACK retransmitting its FIN.
func timeWaitA() State {
	s := established()
	s.TCB[A] = TCB{State: TimeWait, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 11, Opens: 1, TW: timer(1), Peer: 2}
	s.TCB[B] = TCB{State: LastAck, ISS: 9, SndUna: 10, SndNxt: 11, IRS: 3, RcvNxt: 5, Opens: 2, Passive: true, Rtx: timer(0), Tries: 1, Peer: 1}
	return s
}

// MODEL.md time-wait-ack: "bsd does what 4.4BSD and Linux do: a segment
// without FIN is dropped there without a reply and does not restart tw (a
// duplicate ACK leaves the ACK step early in 4.4BSD's tcp_input; Linux's
// tcp_timewait_state_process drops a pure ACK)". With rfc9293 (the
// default), RFC 9293 3.10.7.4 (fifth) "TIME-WAIT STATE: The only thing
// that can arrive in this state is a retransmission of the remote FIN.
// Acknowledge it, and restart the 2 MSL timeout", applied to whatever
// arrives.
// Reference: RFC 9293 section 3.10.7.4 (fifth); MODEL.md "Optional behaviours"
func TestTimeWaitACKBSD(t *testing.T) {
	for _, g := range []Segment{
		{Flags: ACK, Seq: 11, Ack: 5, Src: 2, Dst: 1},
		{Flags: ACK, Seq: 11, Ack: 5, Len: 1, Unit: 1, Src: 2, Dst: 1},
	} {
		// Fires: dropped, tw left at 1, no reply.
		m := rfcModel(t, "time-wait-ack", "bsd")
		s := put(m, timeWaitA(), B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		diff(t, "time-wait-ack=bsd: "+g.String()+" at TIME-WAIT", want, got)

		// Does not fire with rfc9293: tw restarts, one ACK.
		m = rfcModel(t)
		got = deliver(t, m, s, B, g)
		want.TCB[A].TW = timer(4)
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
		diff(t, "time-wait-ack=rfc9293: "+g.String()+" at TIME-WAIT", want, got)
	}
}

// Under bsd, what is not a segment without FIN reaching the ACK step is
// processed as before: the peer's FIN again (recognised before the
// acceptability test: "Acknowledge it, and restart the 2 MSL timeout"); a
// FIN that reaches the ACK step (restart, then the FIN bit: "TIME-WAIT
// STATE: Remain in the TIME-WAIT state. Restart the 2 MSL time-wait
// timeout", acknowledged); an unacceptable segment (the acceptability
// test's ACK, tw untouched).
// Reference: RFC 9293 section 3.10.7.4 (first, fifth, eighth); MODEL.md "Optional behaviours", "Details"
func TestTimeWaitACKBSDNotFiring(t *testing.T) {
	m := rfcModel(t, "time-wait-ack", "bsd")
	for _, tc := range []struct {
		g      Segment
		tw     Timer
		rcvNxt Seq
	}{
		{Segment{Flags: FIN | ACK, Seq: 10, Ack: 5, Src: 2, Dst: 1}, timer(4), 11},
		{Segment{Flags: FIN | ACK, Seq: 11, Ack: 5, Src: 2, Dst: 1}, timer(4), 12},
		{Segment{Flags: ACK, Seq: 14, Ack: 5, Src: 2, Dst: 1}, timer(1), 11},
	} {
		s := put(m, timeWaitA(), B, tc.g)
		got := deliver(t, m, s, B, tc.g)
		want := s
		want.Net[B] = Queue{}
		want.TCB[A].TW, want.TCB[A].RcvNxt = tc.tw, tc.rcvNxt
		want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: tc.rcvNxt, Src: 1, Dst: 2})
		diff(t, "time-wait-ack=bsd: "+tc.g.String()+" at TIME-WAIT", want, got)
	}
}

// --- fin-wait-2-timeout ------------------------------------------------------

// finWait1 is A1 in FIN-WAIT-1, its FIN at 4 unacknowledged (SND.NXT=5,
// rtx running, one try spent), B2 in ESTABLISHED.
func finWait1() State {
	s := established()
	s.TCB[A].State, s.TCB[A].SndNxt, s.TCB[A].Rtx, s.TCB[A].Tries = FinWait1, 5, timer(1), 1
	return s
}

// finWait2 is A1 in FIN-WAIT-2 (its FIN acknowledged) with tw at left
// ticks, B2 in CLOSE-WAIT (A's FIN received).
func finWait2(left int) State {
	s := established()
	s.TCB[A] = TCB{State: FinWait2, ISS: 3, SndUna: 5, SndNxt: 5, IRS: 9, RcvNxt: 10, Opens: 1, TW: timer(left), Peer: 2}
	s.TCB[B].State, s.TCB[B].RcvNxt = CloseWait, 5
	return s
}

// MODEL.md fin-wait-2-timeout: "entering FIN-WAIT-2 sets tw to N". RFC 9293
// 3.10.7.4 (fifth) "FIN-WAIT-1 STATE: In addition to the processing for the
// ESTABLISHED state, if the FIN segment is now acknowledged, then enter
// FIN-WAIT-2"; the ACK of the FIN stops the retransmission timer and resets
// the try count (nothing is left unacknowledged), so the two timers never
// run together. With 0 (RFC 9293) no timer runs in FIN-WAIT-2.
// Reference: RFC 9293 section 3.10.7.4 (fifth); MODEL.md "Optional behaviours", "Details"
func TestFinWait2TimeoutStarts(t *testing.T) {
	g := Segment{Flags: ACK, Seq: 10, Ack: 5, Src: 2, Dst: 1}
	for _, tc := range []struct {
		n  string
		tw Timer
	}{{"3", timer(3)}, {"60", timer(60)}, {"0", 0}} {
		m := rfcModel(t, "fin-wait-2-timeout", tc.n)
		s := put(m, finWait1(), B, g)
		got := deliver(t, m, s, B, g)
		want := s
		want.Net[B] = Queue{}
		want.TCB[A].State, want.TCB[A].SndUna, want.TCB[A].Rtx, want.TCB[A].Tries, want.TCB[A].TW = FinWait2, 5, 0, 0, tc.tw
		diff(t, "fin-wait-2-timeout="+tc.n+": ACK of FIN at FIN-WAIT-1", want, got)
	}
}

// MODEL.md: "Segments do not restart it; leaving FIN-WAIT-2 stops it"; the
// brief's "entering TIME-WAIT restarts tw at time-wait as now": RFC 9293
// 3.10.7.4 (eighth) "FIN-WAIT-2 STATE: Enter the TIME-WAIT state. Start
// the time-wait timer, turn off the other timers." A FIN that acknowledges
// our FIN in FIN-WAIT-1 passes through FIN-WAIT-2 to TIME-WAIT with tw =
// time-wait. Entering CLOSED deletes the TCB (timers stop).
// Reference: RFC 9293 section 3.10.7.4 (second, fifth, seventh, eighth); MODEL.md "Optional behaviours"
func TestFinWait2TimeoutNotRestartedAndStopped(t *testing.T) {
	m := rfcModel(t, "fin-wait-2-timeout", "7")

	// Segments in FIN-WAIT-2 leave tw as it is: data, a duplicate ACK, an
	// unacceptable segment.
	for _, tc := range []struct {
		g      Segment
		rcvNxt Seq
		del    uint8
		reply  []Segment
	}{
		{Segment{Flags: ACK, Seq: 10, Ack: 5, Len: 1, Unit: 1, Src: 2, Dst: 1}, 11, 1, []Segment{{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2}}},
		{Segment{Flags: ACK, Seq: 10, Ack: 5, Src: 2, Dst: 1}, 10, 0, nil},
		{Segment{Flags: ACK, Seq: 13, Ack: 5, Src: 2, Dst: 1}, 10, 0, []Segment{{Flags: ACK, Seq: 5, Ack: 10, Src: 1, Dst: 2}}},
	} {
		s := put(m, finWait2(2), B, tc.g)
		got := deliver(t, m, s, B, tc.g)
		want := s
		want.Net[B] = Queue{}
		want.TCB[A].RcvNxt, want.TCB[A].Delivered = tc.rcvNxt, tc.del
		want.Net[A] = queueOf(tc.reply...)
		diff(t, "fin-wait-2-timeout: "+tc.g.String()+" at FIN-WAIT-2 tw=2", want, got)
	}

	// The peer's FIN: TIME-WAIT, tw = time-wait (4), not the timeout (7).
	g := Segment{Flags: FIN | ACK, Seq: 10, Ack: 5, Src: 2, Dst: 1}
	s := put(m, finWait2(2), B, g)
	got := deliver(t, m, s, B, g)
	want := s
	want.Net[B] = Queue{}
	want.TCB[A].State, want.TCB[A].RcvNxt, want.TCB[A].TW = TimeWait, 11, timer(4)
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
	diff(t, "fin-wait-2-timeout: FIN at FIN-WAIT-2", want, got)

	// FIN-WAIT-1, a FIN acknowledging ours: through FIN-WAIT-2 to TIME-WAIT.
	s = put(m, finWait1(), B, g)
	got = deliver(t, m, s, B, g)
	want = s
	want.Net[B] = Queue{}
	want.TCB[A].State, want.TCB[A].SndUna, want.TCB[A].RcvNxt, want.TCB[A].Rtx, want.TCB[A].Tries, want.TCB[A].TW = TimeWait, 5, 11, 0, 0, timer(4)
	want.Net[A] = queueOf(Segment{Flags: ACK, Seq: 5, Ack: 11, Src: 1, Dst: 2})
	diff(t, "fin-wait-2-timeout: FIN acknowledging ours at FIN-WAIT-1", want, got)

	// An RST: CLOSED, the timer stopped with the TCB.
	g = Segment{Flags: RST, Seq: 10, Src: 2, Dst: 1}
	s = put(m, finWait2(2), B, g)
	got = deliver(t, m, s, B, g)
	want = s
	want.Net[B] = Queue{}
	want.TCB[A] = closedTCB(1)
	diff(t, "fin-wait-2-timeout: RST at FIN-WAIT-2", want, got)
}

// MODEL.md fin-wait-2-timeout: "expire is urgent when an endpoint in
// FIN-WAIT-2 has tw = 0, and goes to CLOSED without a segment (Linux's
// tcp_fin_timeout for a socket the application has closed)". Like
// TIME-WAIT's expiry it needs no room, and "tick is disabled exactly while
// a retransmit, a give-up or an expire is enabled". Before 0, tick counts
// tw down. With fin-wait-2-timeout 0 FIN-WAIT-2 never expires.
// Reference: RFC 9293 section 3.10.8 (TIME-WAIT TIMEOUT); MODEL.md "Optional behaviours", "Time", "Details"
func TestFinWait2Expire(t *testing.T) {
	m := rfcModel(t, "fin-wait-2-timeout", "3")
	none := Segment{}

	s := finWait2(0)
	s = put(m, s, A, Segment{Flags: ACK, Seq: 5, Ack: 10, Src: 1, Dst: 2}) // A->B full
	got := act(t, m, s, Expire, A)
	want := s
	want.TCB[A] = closedTCB(1)
	diff(t, "expire at FIN-WAIT-2", want, got)
	if enabled(m, s, Tick, A, none) {
		t.Error("tick enabled while FIN-WAIT-2's tw is 0")
	}

	s = finWait2(1)
	if enabled(m, s, Expire, A, none) {
		t.Error("expire enabled at FIN-WAIT-2 before tw reached 0")
	}
	got = step(t, m, s, Tick, A, none)
	want = s
	want.TCB[A].TW = timer(0)
	want.Clock, want.Ticks = 12, 1
	diff(t, "tick at FIN-WAIT-2 tw=1", want, got)

	off := rfcModel(t)
	s = finWait2(0)
	s.TCB[A].TW = 0
	if enabled(off, s, Expire, A, none) || !enabled(off, s, Tick, A, none) {
		t.Error("fin-wait-2-timeout=0: FIN-WAIT-2 expires or blocks time")
	}
}

// A FIN-WAIT-2 that expires leaves its peer in CLOSE-WAIT: when the peer
// closes, its FIN reaches CLOSED and is answered with a reset (RFC 9293
// 3.10.7.1 "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"), which LAST-ACK
// accepts ("If the RST bit is set, then enter the CLOSED state"): the
// timeout trades RFC 9293's endless FIN-WAIT-2 for an RST at the peer.
// Reference: RFC 9293 sections 3.10.7.1, 3.10.7.4 (second); MODEL.md "Optional behaviours"
func TestFinWait2ExpireThenPeerCloses(t *testing.T) {
	m := rfcModel(t, "fin-wait-2-timeout", "1")
	s := run(t, m, finWait2(1), kw{Tick, A}, kw{Expire, A}, kw{CloseCall, B}, kw{Deliver, B})
	if got := s.Net[A].Items(); len(got) != 1 || got[0] != (Segment{Flags: RST, Seq: 5, Src: 1, Dst: 2}) {
		t.Fatalf("CLOSED A answered B's FIN with %v, want <SEQ=5><CTL=RST>", got)
	}
	s = run(t, m, s, kw{Deliver, A})
	if s.TCB[A] != closedTCB(1) || s.TCB[B] != closedTCB(2) {
		t.Errorf("after the reset: %s, want both CLOSED", s)
	}
}

// MODEL.md no-deadlock: a state is stuck when no endpoint action "is
// enabled now or becomes enabled as time goes on. For this question time
// may go on past the horizon". With fin-wait-2-timeout, FIN-WAIT-2 expires
// (after up to 60 ticks), so it is not stuck; WhyStuck's "no expiry (RFC
// 9293 has no FIN-WAIT-2 timer)" is said only when there is no timeout.
// Reference: MODEL.md "Properties" no-deadlock, "Optional behaviours"
func TestFinWait2TimeoutStuck(t *testing.T) {
	const phrase = "no expiry (RFC 9293 has no FIN-WAIT-2 timer)"
	off := rfcModel(t)
	s := stuckBase() // A2 FIN-WAIT-2, B2 CLOSED, opens spent, at the horizon
	if !off.Stuck(s) {
		t.Errorf("fin-wait-2-timeout=0: not stuck: %s", s)
	}
	if why := off.WhyStuck(s); !strings.Contains(why, phrase) {
		t.Errorf("fin-wait-2-timeout=0: WhyStuck = %q, want it to contain %q", why, phrase)
	}

	for _, tc := range []struct {
		m    *Model
		left int
	}{
		{rfcModel(t, "fin-wait-2-timeout", "3"), 3},
		// Longer than rto and time-wait: Stuck must let 60 ticks pass.
		{rfcModel(t, "fin-wait-2-timeout", "60", "msl", "1", "rto", "1"), 60},
	} {
		s := stuckBase()
		s.TCB[A].TW = timer(tc.left)
		if tc.m.Stuck(s) {
			t.Errorf("fin-wait-2-timeout, tw=%d: stuck: %s", tc.left, s)
		}
	}

	// With a timeout but (unreachably) no timer running, the state is
	// stuck, and WhyStuck does not blame RFC 9293.
	on := rfcModel(t, "fin-wait-2-timeout", "3")
	if !on.Stuck(stuckBase()) {
		t.Errorf("fin-wait-2-timeout=3, tw stopped: not stuck")
	}
	if why := on.WhyStuck(stuckBase()); strings.Contains(why, phrase) || !strings.Contains(why, "FIN-WAIT-2 timer is stopped") {
		t.Errorf("fin-wait-2-timeout=3: WhyStuck = %q", why)
	}
}

// --- every option is wired ---------------------------------------------------

// Each optional behaviour changes the number of states reachable on one
// small setting (two incarnations each, one loss, no data, 5 ticks), so
// each is wired into the search, and the defaults are the base. The counts
// are this implementation's (MODEL.md's "Known state counts" cover only
// the defaults): a change in them is a change of a rule.
// Reference: MODEL.md "Optional behaviours (version 2)"
func TestOptionalBehavioursChangeStateCount(t *testing.T) {
	base := []string{"seq-space", "8", "capacity", "1", "opens", "2", "loss", "1", "data", "0", "horizon", "5"}
	const baseStates = 136662
	for _, tc := range []struct {
		name, value string
		states      int
	}{
		{"", "", baseStates}, // the defaults
		{"rfc5961", "on", 136675},
		{"time-wait-reopen", "on", 142721},
		{"time-wait-ack", "bsd", 134126},
		{"fin-wait-2-timeout", "1", 182522},
	} {
		pairs := base
		if tc.name != "" {
			pairs = append(append([]string{}, base...), tc.name, tc.value)
		}
		name := tc.name + "=" + tc.value
		if tc.name == "" {
			name = "defaults"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := reachable(t, settingsFrom(t, pairs...))
			if got != tc.states {
				t.Errorf("%s=%s: %d states, want %d", tc.name, tc.value, got, tc.states)
			}
			if tc.name != "" && got == baseStates {
				t.Errorf("%s=%s reaches as many states as the defaults (%d)", tc.name, tc.value, baseStates)
			}
		})
	}
}
