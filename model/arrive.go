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
	return Segment{Flags: RST | ACK, Seq: 0, Ack: m.add(g.Seq, int(g.SegLen())), Src: g.Dst, Dst: g.Src}
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

// arriveListen is RFC 9293 3.10.7.2.
func (m *Model) arriveListen(s *State, r Endpoint, g Segment, iss int) (Segment, bool) {
	// "First, check for a RST: An incoming RST segment could not be valid
	// since it could not have been sent in response to anything sent by
	// this incarnation of the connection. An incoming RST should be
	// ignored."
	if g.Flags.Has(RST) {
		return Segment{}, false
	}
	// "Second, check for an ACK: Any acknowledgment is bad if it arrives on
	// a connection still in the LISTEN state. An acceptable reset segment
	// should be formed for any arriving ACK-bearing segment ...
	// <SEQ=SEG.ACK><CTL=RST>".
	if g.Flags.Has(ACK) && !(m.mutant == mutListenAcceptsSynAck && g.Flags.Has(SYN)) { // mistake: a SYN,ACK taken as a SYN
		return m.resetFor(g), true
	}
	// "Third, check for a SYN: ... Set RCV.NXT to SEG.SEQ+1, IRS is set to
	// SEG.SEQ, and any other control or text should be queued for
	// processing later. ISS should be selected and a SYN segment sent of
	// the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to
	// ISS+1 and SND.UNA to ISS. The connection state should be changed to
	// SYN-RECEIVED."
	if !g.Flags.Has(SYN) {
		// "Fourth, other data or control: ... drop the segment and return."
		return Segment{}, false
	}
	t := &s.TCB[r]
	t.IRS = g.Seq
	t.RcvNxt = m.add(g.Seq, 1)
	t.ISS = uint8(iss)
	t.SndUna = t.ISS
	t.SndNxt = m.add(t.ISS, 1)
	t.Passive = true
	t.Stale = staleSyn(s, r, g)
	t.Peer = g.Src
	t.State = SynReceived
	if m.set.Handshake == TwoWay || m.mutant == mutNoThirdSegment { // mutNoThirdSegment: mistake, no wait for the third segment
		// The two-way variant: LISTEN enters ESTABLISHED at once.
		t.State = Established
	}
	m.startRtx(t)
	m.consume(s)
	return t.segment(Segment{Flags: SYN | ACK, Seq: t.ISS, Ack: t.RcvNxt}), true
}

// arriveSynSent is RFC 9293 3.10.7.3.
func (m *Model) arriveSynSent(s *State, r Endpoint, g Segment) (Segment, bool) {
	t := &s.TCB[r]
	// "First, check the ACK bit: If the ACK bit is set, If SEG.ACK =< ISS
	// or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so
	// drop the segment and return) <SEQ=SEG.ACK><CTL=RST> and discard the
	// segment."
	ackOK := false
	if g.Flags.Has(ACK) {
		if (m.le(g.Ack, t.ISS) || m.lt(t.SndNxt, g.Ack)) && m.mutant != mutSynSentNoACKCheck { // mistake: any ACK acceptable
			if g.Flags.Has(RST) {
				return Segment{}, false
			}
			return m.resetFor(g), true
		}
		ackOK = true
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
	// "Fifth, if neither of the SYN or RST bits is set, then drop the
	// segment and return."
	if !g.Flags.Has(SYN) {
		return Segment{}, false
	}
	// "Fourth, check the SYN bit: ... RCV.NXT is set to SEG.SEQ+1, IRS is
	// set to SEG.SEQ. SND.UNA should be advanced to equal SEG.ACK (if there
	// is an ACK) ..."
	if m.mutant != mutNoIRS { // mistake: IRS not recorded
		t.IRS = g.Seq
	}
	t.RcvNxt = m.add(g.Seq, 1)
	// MODEL.md "Ghost incarnations": SYN-SENT binds to the SYN's sender,
	// with or without ACK; only a bare SYN can be stale.
	if !ackOK {
		t.Stale = staleSyn(s, r, g)
	}
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
	t.State = SynReceived
	m.startRtx(t)
	return t.segment(Segment{Flags: SYN | ACK, Seq: t.ISS, Ack: t.RcvNxt}), true
}

// ackNewData advances SND.UNA to ack, resets the try count and stops the
// retransmission timer when nothing is left unacknowledged, restarting it
// otherwise (RFC 6298 5.2, 5.3).
func (m *Model) ackNewData(t *TCB, ack uint8) {
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
	inWindow := func(x uint8) bool {
		return m.le(t.RcvNxt, x) && m.lt(x, m.add(t.RcvNxt, m.set.Window))
	}
	n := int(g.SegLen())
	if n == 0 {
		return inWindow(g.Seq)
	}
	return inWindow(g.Seq) || inWindow(m.add(g.Seq, n-1))
}

// arriveOther is RFC 9293 3.10.7.4, "Otherwise": SYN-RECEIVED and every
// later state.
func (m *Model) arriveOther(s *State, r Endpoint, g Segment) (Segment, bool) {
	t := &s.TCB[r]
	arrivedIn := t.State

	// MODEL.md: in TIME-WAIT the peer's FIN again (SEG.SEQ+SEG.LEN+1 =
	// RCV.NXT) is recognised before the acceptability test: "The only
	// thing that can arrive in this state is a retransmission of the
	// remote FIN. Acknowledge it, and restart the 2 MSL timeout." (RFC
	// 9293 3.10.7.4, TIME-WAIT under "eighth").
	if arrivedIn == TimeWait && g.Flags.Has(FIN) && m.add(g.Seq, int(g.Len)+1) == t.RcvNxt {
		if m.mutant != mutNoTimeWaitRestart { // mistake: the timer is not restarted
			t.TW = startTimer(m.timeWait)
		}
		return ackFrom(t), true
	}

	// "First, check sequence number ... If an incoming segment is not
	// acceptable, an acknowledgment should be sent in reply (unless the
	// RST bit is set, if so drop the segment and return):
	// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>".
	if !m.acceptable(t, g) && m.mutant != mutNoAcceptability && !(m.mutant == mutAnyRST && g.Flags.Has(RST)) { // mistakes: no test; an RST passes whatever its SEQ
		if g.Flags.Has(RST) {
			return Segment{}, false
		}
		return ackFrom(t), true
	}

	// "Second, check the RST bit". SYN-RECEIVED: "If this connection was
	// initiated with a passive OPEN (i.e., came from the LISTEN state),
	// then return this connection to LISTEN state and return." Every
	// other state: enter CLOSED and delete the TCB. TIME-WAIT: RFC 1337
	// ignores it (rst-in-time-wait=rfc1337).
	if g.Flags.Has(RST) {
		switch {
		case arrivedIn == TimeWait && m.set.RSTInTimeWait == RFC1337:
		case arrivedIn == SynReceived && t.Passive && m.mutant != mutRSTInListenCloses: // mistake: CLOSED, not LISTEN
			toListen(t)
		default:
			toClosed(t)
		}
		return Segment{}, false
	}

	// "Fourth, check the SYN bit": a SYN here is in the window. MODEL.md:
	// in SYN-RECEIVED from a passive open return to LISTEN with no reply
	// (RFC 1122 4.2.2.20 (e)); anywhere else reply with the reset formed
	// from the segment and enter CLOSED.
	if g.Flags.Has(SYN) && !(m.mutant == mutStaleSynNoReset && arrivedIn != SynReceived) { // mistake: the SYN is ignored, not reset
		if arrivedIn == SynReceived && t.Passive {
			toListen(t)
			return Segment{}, false
		}
		toClosed(t)
		return m.resetFor(g), true
	}

	// "Fifth, check the ACK field: if the ACK bit is off, drop the segment
	// and return".
	if !g.Flags.Has(ACK) {
		return Segment{}, false
	}
	if arrivedIn == TimeWait {
		// "The only thing that can arrive in this state is a retransmission
		// of the remote FIN. Acknowledge it, and restart the 2 MSL timeout."
		// MODEL.md: whatever reaches this step restarts tw and is
		// acknowledged once, after the FIN bit.
		t.TW = startTimer(m.timeWait)
	} else {
		if t.State == SynReceived {
			// "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state
			// and continue processing ... If the segment acknowledgment is
			// not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>
			// and send it."
			if !(m.lt(t.SndUna, g.Ack) && m.le(g.Ack, t.SndNxt)) && m.mutant != mutSynRcvdAnyACK { // mistake: any ACK establishes
				return m.resetFor(g), true
			}
			t.State = Established
		}
		// ESTABLISHED: "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA
		// <- SEG.ACK ... If the ACK is a duplicate (SEG.ACK =< SND.UNA), it
		// can be ignored. If the ACK acks something not yet sent (SEG.ACK >
		// SND.NXT), then send an ACK, drop the segment, and return."
		switch {
		case m.lt(t.SndUna, g.Ack) && m.le(g.Ack, t.SndNxt):
			m.ackNewData(t, g.Ack)
		case m.lt(t.SndNxt, g.Ack):
			return ackFrom(t), true
		}
		finAcked := t.SndUna == t.SndNxt
		switch t.State {
		case FinWait1:
			// "if the FIN segment is now acknowledged, then enter FIN-WAIT-2"
			if finAcked {
				t.State = FinWait2
			}
		case Closing:
			// "if the ACK acknowledges our FIN, then enter the TIME-WAIT
			// state; otherwise, ignore the segment."
			if !finAcked {
				return Segment{}, false
			}
			m.enterTimeWait(t)
		case LastAck:
			// "If our FIN is now acknowledged, delete the TCB, enter the
			// CLOSED state, and return."
			if finAcked {
				toClosed(t)
				return Segment{}, false
			}
		}
	}

	needAck := arrivedIn == TimeWait

	// "Seventh, process the segment text": in ESTABLISHED, FIN-WAIT-1 and
	// FIN-WAIT-2 only in-order data is delivered (no reassembly queue);
	// other data is acknowledged and dropped. In CLOSE-WAIT, CLOSING,
	// LAST-ACK and TIME-WAIT: "Ignore the segment text."
	if g.Len > 0 && (t.State == Established || t.State == FinWait1 || t.State == FinWait2) {
		if g.Seq != t.RcvNxt && m.mutant != mutOutOfOrderData { // mistake: data ahead of RCV.NXT delivered
			return ackFrom(t), true
		}
		if m.mutant != mutDataRcvNxtStays { // mistake: RCV.NXT not advanced over the data
			t.RcvNxt = m.add(t.RcvNxt, 1)
		}
		t.Delivered++
		needAck = true
	}

	// "Eighth, check the FIN bit": an in-order FIN advances RCV.NXT over
	// the FIN and is acknowledged; MODEL.md: a FIN out of order is
	// acknowledged and dropped.
	if g.Flags.Has(FIN) {
		needAck = true
		if m.add(g.Seq, int(g.Len)) == t.RcvNxt {
			t.RcvNxt = m.add(t.RcvNxt, 1)
			switch t.State {
			case SynReceived, Established:
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
				m.enterTimeWait(t)
			}
		}
	}
	if needAck {
		return ackFrom(t), true
	}
	return Segment{}, false
}

// enterTimeWait starts the time-wait timer and turns off the others.
func (m *Model) enterTimeWait(t *TCB) {
	t.State = TimeWait
	t.TW = startTimer(m.timeWait)
	switch m.mutant {
	case mutNoTimeWait: // mistake: no TIME-WAIT, it expires at once
		t.TW = startTimer(0)
	case mutShortTimeWait: // mistake: MSL instead of 2*MSL
		t.TW = startTimer(m.set.MSL)
	}
	t.Rtx = 0
}
