package model

// This file is SEGMENT ARRIVES, RFC 9293 section 3.10.7, as MODEL.md
// pins it down.

// arrive runs SEGMENT ARRIVES for segment g at endpoint r and returns the
// reply to send, if any. iss is the ISS that LISTEN takes for a SYN.
func (m *Model) arrive(s *State, r Endpoint, g Segment, iss int) (reply Segment, ok bool) {
	t := &s.TCB[r]
	switch t.State {
	case Closed:
		return m.arriveClosed(g)
	case Listen:
		return m.arriveListen(s, r, g, iss)
	case SynSent:
		return m.arriveSynSent(s, r, g)
	}
	return m.arriveOther(s, r, g)
}

// resetFor forms the reset that answers g (RFC 9293 3.10.7.1): "If the ACK
// bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
// <CTL=RST,ACK>. If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>". It belongs
// to g's conversation (MODEL.md "Ghost incarnations"): its Src is g's Dst
// and its Dst is g's Src.
func (m *Model) resetFor(g Segment) Segment {
	if g.Flags.Has(ACK) {
		return Segment{Flags: RST, Seq: g.Ack, Src: g.Dst, Dst: g.Src}
	}
	return Segment{Flags: RST | ACK, Seq: 0, Ack: m.seq.Add(g.Seq, g.SegLen()), Src: g.Dst, Dst: g.Src}
}

// staleSyn reports whether the SYN g, arriving at r, is stale (MODEL.md
// "Ghost incarnations"): the incarnation that sent it is over (the sender
// has opened again or is CLOSED) or is bound to another incarnation of r.
func staleSyn(s *State, r Endpoint, g Segment) bool {
	p := &s.TCB[r.Peer()]
	return p.Opens != g.Src || p.State == Closed || (p.Peer != 0 && p.Peer != s.TCB[r].Opens)
}

// ackFrom is <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> from t.
func ackFrom(t *TCB) Segment {
	return t.segment(Segment{Flags: ACK, Seq: t.SndNxt, Ack: t.RcvNxt})
}

// arriveClosed is RFC 9293 3.10.7.1: "If the state is CLOSED ... An
// incoming segment containing a RST is discarded. An incoming segment not
// containing a RST causes a RST to be sent in response."
func (m *Model) arriveClosed(g Segment) (Segment, bool) {
	if g.Flags.Has(RST) {
		return Segment{}, false
	}
	return m.resetFor(g), true
}

// arriveListen is RFC 9293 3.10.7.2, its four checks in order.
func (m *Model) arriveListen(s *State, r Endpoint, g Segment, iss int) (Segment, bool) {
	switch {
	case g.Flags.Has(RST):
		// "First, check for a RST: An incoming RST segment could not be
		// valid since it could not have been sent in response to anything
		// sent by this incarnation of the connection. An incoming RST
		// should be ignored."
		return Segment{}, false
	case m.listenRefusesACK(g):
		// "Second, check for an ACK: Any acknowledgment is bad if it
		// arrives on a connection still in the LISTEN state. An acceptable
		// reset segment should be formed for any arriving ACK-bearing
		// segment ... <SEQ=SEG.ACK><CTL=RST>".
		return m.resetFor(g), true
	case g.Flags.Has(SYN):
		// "Third, check for a SYN".
		return m.listenSYN(s, r, g, iss)
	}
	// "Fourth, other data or control: This should not be reached. Drop the
	// segment and return."
	return Segment{}, false
}

// listenSYN is RFC 9293 3.10.7.2 "Third, check for a SYN: ... Set RCV.NXT
// to SEG.SEQ+1, IRS is set to SEG.SEQ, and any other control or text should
// be queued for processing later. ISS should be selected and a SYN segment
// sent of the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to
// ISS+1 and SND.UNA to ISS. The connection state should be changed to
// SYN-RECEIVED." ISS comes from the policy (iss); MODEL.md "Ghost
// incarnations": LISTEN binds to the SYN's sender and notes whether the
// SYN is stale.
func (m *Model) listenSYN(s *State, r Endpoint, g Segment, iss int) (Segment, bool) {
	t := &s.TCB[r]
	t.IRS = g.Seq
	t.RcvNxt = m.seq.Add(g.Seq, 1)
	t.ISS = Seq(iss)
	t.SndUna = t.ISS
	t.SndNxt = m.seq.Add(t.ISS, 1)
	t.Passive = true
	t.Stale = staleSyn(s, r, g)
	t.Peer = g.Src
	t.State = SynReceived
	if m.listenEstablishes() {
		// The two-way variant: LISTEN enters ESTABLISHED at once.
		t.State = Established
	}
	m.startRtx(t)
	m.consume(s)
	return t.segment(Segment{Flags: SYN | ACK, Seq: t.ISS, Ack: t.RcvNxt}), true
}

// arriveSynSent is RFC 9293 3.10.7.3, its checks in order (the third,
// security, is not modelled).
func (m *Model) arriveSynSent(s *State, r Endpoint, g Segment) (Segment, bool) {
	t := &s.TCB[r]
	// "First, check the ACK bit: If the ACK bit is set, If SEG.ACK =< ISS
	// or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so
	// drop the segment and return) <SEQ=SEG.ACK><CTL=RST> and discard the
	// segment."
	ackOK := g.Flags.Has(ACK)
	if ackOK && m.synSentACKUnacceptable(t, g) {
		if g.Flags.Has(RST) {
			return Segment{}, false
		}
		return m.resetFor(g), true
	}
	// "Second, check the RST bit: If the ACK was acceptable, then signal to
	// the user 'error: connection reset', drop the segment, enter CLOSED
	// state, delete TCB, and return. Otherwise (no ACK), drop the segment
	// and return."
	if g.Flags.Has(RST) {
		if ackOK {
			toClosed(t)
		}
		return Segment{}, false
	}
	// "Fourth, check the SYN bit".
	if g.Flags.Has(SYN) {
		return m.synSentSYN(s, r, g, ackOK)
	}
	// "Fifth, if neither of the SYN or RST bits is set, then drop the
	// segment and return."
	return Segment{}, false
}

// synSentSYN is RFC 9293 3.10.7.3 "Fourth, check the SYN bit: ... RCV.NXT
// is set to SEG.SEQ+1, IRS is set to SEG.SEQ. SND.UNA should be advanced to
// equal SEG.ACK (if there is an ACK) ..."; ackOK says the segment has an
// acceptable ACK. MODEL.md "Ghost incarnations": SYN-SENT binds to the
// SYN's sender, with or without ACK; only a bare SYN can be stale.
func (m *Model) synSentSYN(s *State, r Endpoint, g Segment, ackOK bool) (Segment, bool) {
	t := &s.TCB[r]
	t.IRS = m.irsOf(t, g)
	t.RcvNxt = m.seq.Add(g.Seq, 1)
	t.Peer = g.Src
	if ackOK {
		// "If SND.UNA > ISS (our SYN has been ACKed), change the connection
		// state to ESTABLISHED, form an ACK segment
		// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it."
		m.ackNewData(t, g.Ack)
		t.State = Established
		if m.set.Handshake == TwoWay {
			return Segment{}, false // the two-way variant sends no third segment
		}
		return ackFrom(t), true
	}
	// "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
	// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." (simultaneous open)
	t.Stale = staleSyn(s, r, g)
	t.State = SynReceived
	m.startRtx(t)
	return t.segment(Segment{Flags: SYN | ACK, Seq: t.ISS, Ack: t.RcvNxt}), true
}

// ackNewData advances SND.UNA to ack, resets the try count and stops the
// retransmission timer when nothing is left unacknowledged, restarting it
// otherwise (RFC 6298 5.2, 5.3).
func (m *Model) ackNewData(t *TCB, ack Seq) {
	t.SndUna = ack
	t.Tries = 0
	if t.SndUna == t.SndNxt {
		t.Rtx = 0
	} else if m.set.Retransmit {
		t.Rtx = startTimer(m.set.RTO)
	}
}

// acceptable is the acceptability test of RFC 9293 3.10.7.4 "first" (the
// window is never zero here).
func (m *Model) acceptable(t *TCB, g Segment) bool {
	// "RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND", and for a segment that
	// occupies sequence space also "RCV.NXT =< SEG.SEQ+SEG.LEN-1 <
	// RCV.NXT+RCV.WND".
	wnd := Size(m.set.Window)
	n := g.SegLen()
	if n == 0 {
		return m.seq.InWindow(g.Seq, t.RcvNxt, wnd)
	}
	return m.seq.InWindow(g.Seq, t.RcvNxt, wnd) || m.seq.InWindow(m.seq.Add(g.Seq, n-1), t.RcvNxt, wnd)
}

// A verdict is what one step of RFC 9293 3.10.7.4 decides about a
// segment: go on to the next step, or stop and drop it, with a reply or
// without. It is one byte, so that the steps stay cheap.
type verdict uint8

const (
	goOn      verdict = iota // go on to the next step
	goOnAck                  // go on; acknowledge the segment once at the end
	drop                     // drop the segment without a reply
	dropAck                  // send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and drop the segment
	dropReset                // send the reset formed from the segment (resetFor) and drop it
)

// arriveOther is RFC 9293 3.10.7.4, "Otherwise": SYN-RECEIVED and every
// later state. It runs the steps in the RFC's order, one function each,
// until one stops; if none does, it sends the one ACK that a step asked
// for, if any. The third step (security) and the sixth (URG) are not
// modelled.
func (m *Model) arriveOther(s *State, r Endpoint, g Segment) (Segment, bool) {
	t := &s.TCB[r]
	// MODEL.md: in TIME-WAIT, before the acceptability test, the peer's
	// FIN again, and (time-wait-reopen) a SYN that opens a new incarnation.
	if t.State == TimeWait {
		if v := m.timeWaitFINAgain(t, g); v != goOn {
			return m.reply(t, g, v)
		}
		if m.timeWaitReopens(t, r, g) {
			return m.timeWaitReopen(s, r, g)
		}
	}
	if v := m.checkSequence(t, g); v != goOn { // first
		return m.reply(t, g, v)
	}
	if v := m.checkRST(t, g); v != goOn { // second
		return m.reply(t, g, v)
	}
	if v := m.checkSYN(t, g); v != goOn { // fourth
		return m.reply(t, g, v)
	}
	v := m.checkACK(t, g) // fifth
	if v.stops() {
		return m.reply(t, g, v)
	}
	ack := v == goOnAck
	if v = m.processText(t, g); v.stops() { // seventh
		return m.reply(t, g, v)
	}
	ack = ack || v == goOnAck
	if v = m.checkFIN(t, g); v.stops() { // eighth
		return m.reply(t, g, v)
	}
	if ack || v == goOnAck {
		return ackFrom(t), true
	}
	return Segment{}, false
}

// stops reports whether the verdict ends processing.
func (v verdict) stops() bool { return v >= drop }

// reply forms the reply of a verdict that stops, from t as it is after the
// step and from the segment g.
func (m *Model) reply(t *TCB, g Segment, v verdict) (Segment, bool) {
	switch v {
	case dropAck:
		return ackFrom(t), true
	case dropReset:
		return m.resetFor(g), true
	}
	return Segment{}, false
}

// timeWaitFINAgain: MODEL.md: in TIME-WAIT the peer's FIN again
// (SEG.SEQ+SEG.LEN+1 = RCV.NXT) is recognised before the acceptability
// test: "The only thing that can arrive in this state is a retransmission
// of the remote FIN. Acknowledge it, and restart the 2 MSL timeout." (RFC
// 9293 3.10.7.4, TIME-WAIT under "eighth").
func (m *Model) timeWaitFINAgain(t *TCB, g Segment) verdict {
	if !g.Flags.Has(FIN) || m.seq.Add(g.Seq, Size(g.Len)+1) != t.RcvNxt {
		return goOn
	}
	m.restartTimeWait(t)
	return dropAck
}

// timeWaitReopens reports whether a segment g arriving at r in TIME-WAIT
// opens a new incarnation (time-wait-reopen, below): a SYN without RST and
// ACK whose SEG.SEQ is after RCV.NXT, at an endpoint that may open
// passively and has an open left.
func (m *Model) timeWaitReopens(t *TCB, r Endpoint, g Segment) bool {
	return m.set.TimeWaitReopen && g.Flags&(SYN|RST|ACK) == SYN && m.seq.LessThan(t.RcvNxt, g.Seq) &&
		m.mayOpenPassive(r) && int(t.Opens) < m.set.Opens
}

// timeWaitReopen is RFC 9293 3.6 (MAY-2): "When a connection is closed
// actively, it MUST linger in the TIME-WAIT state for a time 2xMSL (Maximum
// Segment Lifetime) (MUST-13). However, it MAY accept a new SYN from the
// remote TCP endpoint to reopen the connection directly from TIME-WAIT
// state (MAY-2), if it: (1) assigns its initial sequence number for the new
// connection to be larger than the largest sequence number it used on the
// previous connection incarnation, and (2) returns to TIME-WAIT state if
// the SYN turns out to be an old duplicate." MODEL.md time-wait-reopen, as
// Linux's tcp_timewait_state_process does it: a SYN that timeWaitReopens
// is taken as `listen` followed by LISTEN's SYN processing would take it,
// with ISS = SND.NXT + window (condition (1); Linux: tw_snd_nxt + 65535 +
// 2). Condition (2) is not modelled: Linux does not return to TIME-WAIT
// either.
func (m *Model) timeWaitReopen(s *State, r Endpoint, g Segment) (Segment, bool) {
	t := &s.TCB[r]
	iss := m.seq.Add(t.SndNxt, Size(m.set.Window))
	// `listen`: a new incarnation in LISTEN (the old TCB deleted) ...
	t.Opens++
	toListen(t)
	// ... and LISTEN's SYN processing with that ISS, which consumes a
	// clock number like any ISS taken.
	return m.arriveListen(s, r, g, int(iss))
}

// checkSequence is RFC 9293 3.10.7.4 "First, check sequence number ... If
// an incoming segment is not acceptable, an acknowledgment should be sent
// in reply (unless the RST bit is set, if so drop the segment and return):
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>".
func (m *Model) checkSequence(t *TCB, g Segment) verdict {
	if m.sequenceOK(t, g) {
		return goOn
	}
	if g.Flags.Has(RST) {
		return drop
	}
	return dropAck
}

// checkRST is RFC 9293 3.10.7.4 "Second, check the RST bit".
// SYN-RECEIVED: "If this connection was initiated with a passive OPEN
// (i.e., came from the LISTEN state), then return this connection to
// LISTEN state and return." Every other state: enter CLOSED and delete the
// TCB. TIME-WAIT: RFC 1337 ignores it (rst-in-time-wait=rfc1337), before
// anything else.
//
// With rfc5961, RFC 9293 3.10.7.4 (after RFC 5961 section 3.2): "2) If the
// RST bit is set and the sequence number exactly matches the next expected
// sequence number (RCV.NXT), then TCP endpoints MUST reset the connection
// in the manner prescribed below according to the connection state. 3) If
// the RST bit is set and the sequence number does not exactly match the
// next expected sequence value, yet is within the current receive window,
// TCP endpoints MUST send an acknowledgment (challenge ACK):
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> After sending the challenge ACK, TCP
// endpoints MUST drop the unacceptable segment and stop processing the
// incoming packet further." (Its check 1, an RST outside the window, is the
// acceptability test's.)
func (m *Model) checkRST(t *TCB, g Segment) verdict {
	if !g.Flags.Has(RST) {
		return goOn
	}
	switch {
	case t.State == TimeWait && m.set.RSTInTimeWait == RFC1337:
	case m.set.RFC5961 && g.Seq != t.RcvNxt:
		return dropAck // the challenge ACK
	case m.rstReturnsToListen(t):
		toListen(t)
	default:
		toClosed(t)
	}
	return drop
}

// checkSYN is RFC 9293 3.10.7.4 "Fourth, check the SYN bit": a SYN here is
// in the window. "SYN-RECEIVED STATE: If the connection was initiated with
// a passive OPEN, then return this connection to the LISTEN state and
// return. Otherwise, handle per the directions for synchronized states
// below." MODEL.md: in SYN-RECEIVED from a passive open return to LISTEN
// with no reply (RFC 1122 4.2.2.20 (e)); anywhere else "If the SYN is in
// the window it is an error, send a reset": reply with the reset formed
// from the segment and enter CLOSED.
//
// With rfc5961, the synchronized states (and an active SYN-RECEIVED,
// handled as they are): "RFC 5961 recommends that in these synchronized
// states, if the SYN bit is set, irrespective of the exact sequence number,
// TCP endpoints MUST send a 'challenge ACK' to the remote peer:
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> After sending the acknowledgment, TCP
// implementations MUST drop the unacceptable segment and stop processing
// further." (A SYN outside the window got that same ACK from the
// acceptability test already.)
func (m *Model) checkSYN(t *TCB, g Segment) verdict {
	if !m.synInWindow(t, g) {
		return goOn
	}
	switch {
	case t.State == SynReceived && t.Passive:
		toListen(t)
		return drop
	case m.set.RFC5961:
		return dropAck // the challenge ACK
	}
	toClosed(t)
	return dropReset
}

// checkACK is RFC 9293 3.10.7.4 "Fifth, check the ACK field": "if the ACK
// bit is off, drop the segment and return"; otherwise RFC 5961's check,
// then the state's processing: TIME-WAIT's, SYN-RECEIVED's, then
// ESTABLISHED's and what FIN-WAIT-1, CLOSING and LAST-ACK add to it.
func (m *Model) checkACK(t *TCB, g Segment) verdict {
	switch {
	case !g.Flags.Has(ACK):
		return drop
	case m.challengeOldACK(t, g):
		return dropAck
	case t.State == TimeWait:
		return m.timeWaitACK(t, g)
	case t.State == SynReceived && !m.synReceivedACK(t, g):
		return dropReset
	}
	if v := m.establishedACK(t, g); v != goOn {
		return v
	}
	return m.ackOfFIN(t)
}

// challengeOldACK is the ACK check of RFC 5961 (rfc5961=on), as RFC 9293
// 3.10.7.4 "fifth" gives it: "TCP stacks that implement RFC 5961 MUST add
// an input check that the ACK value is acceptable only if it is in the
// range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming
// segments whose ACK value doesn't satisfy the above condition MUST be
// discarded and an ACK sent back." (RFC 5961 section 5.2.) MODEL.md: in
// ESTABLISHED and later states, an ACK older than the window (MAX.SND.WND
// is `window`) gets the challenge ACK before anything else of this step;
// SEG.ACK > SND.NXT is handled by establishedACK as RFC 9293 says.
func (m *Model) challengeOldACK(t *TCB, g Segment) bool {
	return m.set.RFC5961 && t.State.Synchronized() &&
		m.seq.LessThan(g.Ack, m.seq.Add(t.SndUna, Size(m.seq.N()-m.set.Window)))
}

// synReceivedACK is the ACK step in SYN-RECEIVED (RFC 9293 3.10.7.4
// "fifth"): "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state
// and continue processing ... If the segment acknowledgment is not
// acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST> and send it." It
// reports whether the ACK was acceptable.
func (m *Model) synReceivedACK(t *TCB, g Segment) bool {
	if !m.synReceivedACKAcceptable(t, g) {
		return false
	}
	t.State = Established
	return true
}

// establishedACK is the ACK step in ESTABLISHED, which every later state
// does too (RFC 9293 3.10.7.4 "fifth"): "If SND.UNA < SEG.ACK =< SND.NXT,
// then set SND.UNA <- SEG.ACK ... If the ACK is a duplicate (SEG.ACK =<
// SND.UNA), it can be ignored. If the ACK acks something not yet sent
// (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return."
func (m *Model) establishedACK(t *TCB, g Segment) verdict {
	switch {
	case m.seq.LessThan(t.SndUna, g.Ack) && m.seq.LessThanEq(g.Ack, t.SndNxt):
		m.ackNewData(t, g.Ack)
	case m.seq.LessThan(t.SndNxt, g.Ack):
		return dropAck
	}
	return goOn
}

// ackOfFIN is what FIN-WAIT-1, CLOSING and LAST-ACK add to ESTABLISHED's
// ACK step once our FIN is acknowledged (RFC 9293 3.10.7.4 "fifth").
func (m *Model) ackOfFIN(t *TCB) verdict {
	finAcked := t.SndUna == t.SndNxt
	switch t.State {
	case FinWait1:
		// "In addition to the processing for the ESTABLISHED state, if the
		// FIN segment is now acknowledged, then enter FIN-WAIT-2 and
		// continue processing in that state."
		if finAcked {
			m.enterFinWait2(t)
		}
	case Closing:
		// "In addition to the processing for the ESTABLISHED state, if the
		// ACK acknowledges our FIN, then enter the TIME-WAIT state;
		// otherwise, ignore the segment."
		if !finAcked {
			return drop
		}
		m.enterTimeWait(t)
	case LastAck:
		// "The only thing that can arrive in this state is an
		// acknowledgment of our FIN. If our FIN is now acknowledged, delete
		// the TCB, enter the CLOSED state, and return."
		if finAcked {
			toClosed(t)
			return drop
		}
	}
	return goOn
}

// timeWaitACK is the ACK step in TIME-WAIT: "The only thing that can
// arrive in this state is a retransmission of the remote FIN. Acknowledge
// it, and restart the 2 MSL timeout." MODEL.md, time-wait-ack=rfc9293:
// whatever reaches this step restarts tw and is acknowledged once, after
// the FIN bit. time-wait-ack=bsd, as 4.4BSD's tcp_input and Linux's
// tcp_timewait_state_process: a segment without FIN is dropped here
// without a reply and leaves tw as it is.
func (m *Model) timeWaitACK(t *TCB, g Segment) verdict {
	if m.set.TimeWaitACK == TimeWaitACKBSD && !g.Flags.Has(FIN) {
		return drop
	}
	t.TW = startTimer(m.timeWait)
	return goOnAck
}

// processText is RFC 9293 3.10.7.4 "Seventh, process the segment text": in
// ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 only in-order data is delivered
// (MODEL.md: no reassembly queue); other data is acknowledged and dropped.
// "Once the TCP endpoint takes responsibility for the data, it advances
// RCV.NXT over the data accepted ... Send an acknowledgment of the form:
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>". In CLOSE-WAIT, CLOSING, LAST-ACK
// and TIME-WAIT: "This should not occur ... Ignore the segment text."
func (m *Model) processText(t *TCB, g Segment) verdict {
	if g.Len == 0 || (t.State != Established && t.State != FinWait1 && t.State != FinWait2) {
		return goOn
	}
	if !m.inOrder(t, g) {
		return dropAck
	}
	t.RcvNxt = m.seq.Add(t.RcvNxt, m.textLen())
	t.Delivered++
	return goOnAck
}

// checkFIN is RFC 9293 3.10.7.4 "Eighth, check the FIN bit": an in-order
// FIN advances RCV.NXT over the FIN and is acknowledged ("advance RCV.NXT
// over the FIN, and send an acknowledgment for the FIN"); MODEL.md: a FIN
// out of order is acknowledged and dropped.
func (m *Model) checkFIN(t *TCB, g Segment) verdict {
	if !g.Flags.Has(FIN) {
		return goOn
	}
	if m.seq.Add(g.Seq, Size(g.Len)) == t.RcvNxt {
		t.RcvNxt = m.seq.Add(t.RcvNxt, 1)
		switch t.State {
		case SynReceived, Established:
			// "Enter the CLOSE-WAIT state."
			t.State = CloseWait
		case FinWait1:
			// "If our FIN has been ACKed (perhaps in this segment), then
			// enter TIME-WAIT, start the time-wait timer, turn off the
			// other timers; otherwise, enter the CLOSING state."
			if t.SndUna == t.SndNxt {
				m.enterTimeWait(t)
			} else {
				t.State = Closing
			}
		case FinWait2:
			// "Enter the TIME-WAIT state. Start the time-wait timer, turn
			// off the other timers."
			m.enterTimeWait(t)
		}
	}
	return goOnAck
}

// enterFinWait2 enters FIN-WAIT-2. With fin-wait-2-timeout N > 0 it sets
// tw to N (MODEL.md, as Linux's tcp_fin_timeout); RFC 9293 has no timer
// there, and without the setting tw stays stopped.
func (m *Model) enterFinWait2(t *TCB) {
	t.State = FinWait2
	if m.set.FinWait2Timeout > 0 {
		t.TW = startTimer(m.set.FinWait2Timeout)
	}
}

// enterTimeWait starts the time-wait timer and turns off the others
// (entering from FIN-WAIT-2, it replaces the FIN-WAIT-2 timeout).
func (m *Model) enterTimeWait(t *TCB) {
	t.State = TimeWait
	t.TW = startTimer(m.timeWait)
	t.Rtx = 0
}
