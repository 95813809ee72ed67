package model

// This file holds the hook points of the seeded mistakes (mutants). Each
// hook is one decision of a rule, named after it and computed as RFC 9293
// says; the rules call it, so that they read as the RFC. A mutant replaces
// one hook's answer with a mistake a TCP implementer could make, so that
// tests (mutants_test.go, liveness_mutants_test.go) can show which property
// catches which mistake. Outside tests m.mutant is always mutNone, and
// every hook returns the RFC's answer.

// mutant names a deliberate mistake seeded into the model. No setting or
// flag reaches it: only export_test.go sets it. Mistakes that a setting
// already makes (no TIME-WAIT: --time-wait 0; MSL of TIME-WAIT: --time-wait
// equal to --msl; ISS always 0: --isn zero) are not mutants: the hazard
// catalog checks those settings.
type mutant uint8

// The mutants, each with the hook it replaces and its mistake.
const (
	mutNone                mutant = iota
	mutNoThirdSegment             // listenEstablishes: LISTEN enters ESTABLISHED on the SYN (the active side still sends the third segment)
	mutAnyRST                     // sequenceOK: an RST is accepted whatever its sequence number
	mutSynSentNoACKCheck          // synSentACKUnacceptable: SYN-SENT takes any ACK as acceptable
	mutSynRcvdAnyACK              // synReceivedACKAcceptable: SYN-RECEIVED enters ESTABLISHED on any ACK
	mutFINNoSeq                   // finLen: a FIN sent occupies no sequence number
	mutNoRetransmit               // retransmission: the retransmission timeout fires but sends nothing
	mutNoAcceptability            // sequenceOK: the acceptability test is skipped
	mutOutOfOrderData             // inOrder: data ahead of RCV.NXT is delivered
	mutNoTimeWaitRestart          // restartTimeWait: a retransmitted FIN in TIME-WAIT does not restart the timer
	mutNoGiveUp                   // givesUp: retransmit forever, never give up (R2 ignored)
	mutListenAcceptsSynAck        // listenRefusesACK: LISTEN treats a SYN,ACK as a SYN
	mutRSTInListenCloses          // rstReturnsToListen: a passive SYN-RECEIVED reset goes to CLOSED, not LISTEN
	mutStaleSynNoReset            // synInWindow: an in-window SYN in a synchronized state is ignored
	mutNoIRS                      // irsOf: SYN-SENT does not record IRS from the SYN,ACK
	mutDataRcvNxtStays            // textLen: delivered data does not advance RCV.NXT
)

// listenRefusesACK: LISTEN, "Second, check for an ACK: Any acknowledgment
// is bad if it arrives on a connection still in the LISTEN state" (RFC 9293
// 3.10.7.2). Mutant listen-accepts-syn-ack: a SYN,ACK goes on as a SYN.
func (m *Model) listenRefusesACK(g Segment) bool {
	if m.mutant == mutListenAcceptsSynAck && g.Flags.Has(SYN) {
		return false
	}
	return g.Flags.Has(ACK)
}

// listenEstablishes reports whether LISTEN, answering a SYN, enters
// ESTABLISHED at once rather than SYN-RECEIVED ("The connection state
// should be changed to SYN-RECEIVED", RFC 9293 3.10.7.2): only in the
// two-way variant (MODEL.md "Handshake variants"). Mutant
// no-third-segment: always.
func (m *Model) listenEstablishes() bool {
	return m.set.Handshake == TwoWay || m.mutant == mutNoThirdSegment
}

// synSentACKUnacceptable: SYN-SENT, "If SEG.ACK =< ISS or SEG.ACK >
// SND.NXT" (RFC 9293 3.10.7.3). Mutant syn-sent-no-ack-check: never.
func (m *Model) synSentACKUnacceptable(t *TCB, g Segment) bool {
	if m.mutant == mutSynSentNoACKCheck {
		return false
	}
	return m.seq.LessThanEq(g.Ack, t.ISS) || m.seq.LessThan(t.SndNxt, g.Ack)
}

// irsOf is the IRS that SYN-SENT records from a SYN: "IRS is set to
// SEG.SEQ" (RFC 9293 3.10.7.3). Mutant syn-sent-no-irs: IRS stays.
func (m *Model) irsOf(t *TCB, g Segment) Seq {
	if m.mutant == mutNoIRS {
		return t.IRS
	}
	return g.Seq
}

// sequenceOK is the first check of RFC 9293 3.10.7.4: whether the segment
// is acceptable (acceptable). Mutants no-acceptability: every segment
// passes; any-rst: every RST passes.
func (m *Model) sequenceOK(t *TCB, g Segment) bool {
	switch {
	case m.mutant == mutNoAcceptability:
		return true
	case m.mutant == mutAnyRST && g.Flags.Has(RST):
		return true
	}
	return m.acceptable(t, g)
}

// rstReturnsToListen: an RST in SYN-RECEIVED, "If this connection was
// initiated with a passive OPEN (i.e., came from the LISTEN state), then
// return this connection to LISTEN state" (RFC 9293 3.10.7.4, second).
// Mutant rst-in-syn-received-closes: never (CLOSED instead).
func (m *Model) rstReturnsToListen(t *TCB) bool {
	return t.State == SynReceived && t.Passive && m.mutant != mutRSTInListenCloses
}

// synInWindow reports whether g has SYN when it reaches the fourth check
// of RFC 9293 3.10.7.4, where a SYN is in the window. Mutant
// in-window-syn-ignored: outside SYN-RECEIVED the SYN goes unseen.
func (m *Model) synInWindow(t *TCB, g Segment) bool {
	if m.mutant == mutStaleSynNoReset && t.State != SynReceived {
		return false
	}
	return g.Flags.Has(SYN)
}

// synReceivedACKAcceptable: SYN-RECEIVED, "If SND.UNA < SEG.ACK =<
// SND.NXT, then enter ESTABLISHED state" (RFC 9293 3.10.7.4, fifth).
// Mutant syn-received-any-ack: always.
func (m *Model) synReceivedACKAcceptable(t *TCB, g Segment) bool {
	if m.mutant == mutSynRcvdAnyACK {
		return true
	}
	return m.seq.LessThan(t.SndUna, g.Ack) && m.seq.LessThanEq(g.Ack, t.SndNxt)
}

// restartTimeWait restarts the 2 MSL timeout on the peer's FIN again in
// TIME-WAIT: "Acknowledge it, and restart the 2 MSL timeout" (RFC 9293
// 3.10.7.4, eighth). Mutant no-time-wait-restart: the timer runs on.
func (m *Model) restartTimeWait(t *TCB) {
	if m.mutant != mutNoTimeWaitRestart {
		t.TW = startTimer(m.timeWait)
	}
}

// inOrder reports whether the data of g begins at RCV.NXT, the only data
// the model delivers (RFC 9293 3.10.7.4, seventh; MODEL.md: no reassembly
// queue). Mutant out-of-order-data: any data in the window.
func (m *Model) inOrder(t *TCB, g Segment) bool {
	return g.Seq == t.RcvNxt || m.mutant == mutOutOfOrderData
}

// textLen is how far RCV.NXT advances over the one data unit accepted: "it
// advances RCV.NXT over the data accepted" (RFC 9293 3.10.7.4, seventh).
// Mutant data-rcv-nxt-stays: not at all.
func (m *Model) textLen() Size {
	if m.mutant == mutDataRcvNxtStays {
		return 0
	}
	return 1
}

// finLen is the sequence space a FIN sent occupies: one number (RFC 9293
// 3.4: "the FIN is considered to occur after the last actual data octet in
// a segment in which it occurs"). Mutant fin-no-seq: none.
func (m *Model) finLen() Size {
	if m.mutant == mutFINNoSeq {
		return 0
	}
	return 1
}

// givesUp reports whether a due retransmission gives the connection up
// instead: after R2 retransmissions (RFC 9293 3.8.3: "When the number of
// transmissions of the same segment reaches a threshold R2 greater than
// R1, close the connection"). Mutant no-give-up: never.
func (m *Model) givesUp(t *TCB) bool {
	return int(t.Tries) >= m.set.Retries && m.mutant != mutNoGiveUp
}

// retransmission is what the retransmission timeout sends: "the segment at
// the front of the retransmission queue" (RFC 9293 3.10.8), rebuilt by
// oldestUnacked. Mutant no-retransmit: nothing.
func (m *Model) retransmission(t *TCB) (Segment, bool) {
	if m.mutant == mutNoRetransmit {
		return Segment{}, false
	}
	return m.oldestUnacked(t), true
}
