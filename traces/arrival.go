package traces

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// An arrival says what SEGMENT ARRIVES (RFC 9293 3.10.7) did with one
// delivered segment, as a chart writes it at the receiver's lane: the
// reply it sent (or would have sent, when the reply was lost for want of
// room) and why, when the receiver's state change does not say it already.
type arrival struct {
	Reply   model.Segment // the reply; meaningful when Replied
	Replied bool
	Why     string // e.g. "unacceptable ACK: reset"; "" when the state change tells the story
}

// explainArrival follows SEGMENT ARRIVES for g, sent by d and delivered in
// state before, to the state after, as the model does (model/arrive.go,
// MODEL.md), and says which rule decided the outcome. It repeats the
// model's decisions rather than calling them, so that a chart can say why;
// TestExplainArrivalAgreesWithModel checks that it predicts every reply the
// model sends. On a trace that is no path of the model it still answers,
// but the answer may be wrong.
func explainArrival(set model.Settings, d model.Dir, before, after model.State, g model.Segment) arrival {
	r := d.Peer()
	t := before.TCB[r]
	x := arrivalRules{set: set, sp: model.NewSpace(set.SeqSpace), t: t, g: g, after: after.TCB[r]}
	switch t.State {
	case model.Closed:
		// 3.10.7.1: "An incoming segment not containing a RST causes a RST
		// to be sent in response."
		if g.Flags.Has(model.RST) {
			return x.none("RST in CLOSED: ignored")
		}
		return x.reset("CLOSED: reset")
	case model.Listen:
		return x.listen()
	case model.SynSent:
		return x.synSent()
	}
	return x.other(r, before)
}

type arrivalRules struct {
	set   model.Settings
	sp    model.Space
	t     model.TCB // the receiver before
	g     model.Segment
	after model.TCB // the receiver after
}

// add is a+k in the sequence space, for any k >= 0.
func (x *arrivalRules) add(a model.Seq, k int) model.Seq {
	return x.sp.Add(a, model.Size(k%x.sp.N()))
}

func (x *arrivalRules) none(why string) arrival { return arrival{Why: why} }

// reset answers with the reset formed from the segment (3.10.7.1).
func (x *arrivalRules) reset(why string) arrival {
	g := x.g
	rst := model.Segment{Flags: model.RST | model.ACK, Ack: x.add(g.Seq, int(g.SegLen())), Src: g.Dst, Dst: g.Src}
	if g.Flags.Has(model.ACK) {
		rst = model.Segment{Flags: model.RST, Seq: g.Ack, Src: g.Dst, Dst: g.Src}
	}
	return arrival{Reply: rst, Replied: true, Why: why}
}

// ack answers with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, formed after the
// segment was processed.
func (x *arrivalRules) ack(why string) arrival {
	a := x.after
	return arrival{Reply: model.Segment{Flags: model.ACK, Seq: a.SndNxt, Ack: a.RcvNxt, Src: a.Opens, Dst: a.Peer}, Replied: true, Why: why}
}

// synAck answers with <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
func (x *arrivalRules) synAck(why string) arrival {
	a := x.after
	return arrival{Reply: model.Segment{Flags: model.SYN | model.ACK, Seq: a.ISS, Ack: a.RcvNxt, Src: a.Opens, Dst: a.Peer}, Replied: true, Why: why}
}

// listen is 3.10.7.2.
func (x *arrivalRules) listen() arrival {
	g := x.g
	switch {
	case g.Flags.Has(model.RST):
		return x.none("RST in LISTEN: ignored")
	case g.Flags.Has(model.ACK):
		return x.reset("ACK in LISTEN: reset")
	case !g.Flags.Has(model.SYN):
		return x.none("no SYN in LISTEN: dropped")
	}
	return x.synAck("")
}

// synSent is 3.10.7.3.
func (x *arrivalRules) synSent() arrival {
	g, t := x.g, x.t
	ackOK := false
	if g.Flags.Has(model.ACK) {
		if x.sp.LessThanEq(g.Ack, t.ISS) || x.sp.LessThan(t.SndNxt, g.Ack) {
			if g.Flags.Has(model.RST) {
				return x.none("unacceptable ACK: ignored")
			}
			return x.reset("unacceptable ACK: reset")
		}
		ackOK = true
	}
	if g.Flags.Has(model.RST) {
		if ackOK {
			return x.none("RST with acceptable ACK")
		}
		return x.none("RST without ACK: ignored")
	}
	if !g.Flags.Has(model.SYN) {
		return x.none("no SYN: dropped")
	}
	if !ackOK {
		return x.synAck("") // simultaneous open: SYN-SENT -> SYN-RECEIVED
	}
	if x.set.Handshake == model.TwoWay {
		return x.none("")
	}
	return x.ack("")
}

// other is 3.10.7.4, SYN-RECEIVED and later, in the RFC's order.
func (x *arrivalRules) other(r model.Endpoint, before model.State) arrival {
	g, t := x.g, x.t
	if t.State == model.TimeWait {
		if g.Flags.Has(model.FIN) && x.add(g.Seq, int(g.Len)+1) == t.RcvNxt {
			return x.ack("FIN again: ACK")
		}
		mayOpenPassive := x.set.Open == model.AnyOpen || (x.set.Open == model.ClientServer && r == model.B)
		if x.set.TimeWaitReopen && g.Flags&(model.SYN|model.RST|model.ACK) == model.SYN && x.sp.LessThan(t.RcvNxt, g.Seq) &&
			mayOpenPassive && int(t.Opens) < x.set.Opens {
			return x.synAck("new SYN: reopens as " + model.Incarnation(r, t.Opens+1))
		}
	}
	// First: the acceptability test.
	if !x.acceptable() {
		if g.Flags.Has(model.RST) {
			return x.none("not acceptable: ignored")
		}
		return x.ack("not acceptable: ACK")
	}
	// Second: RST.
	if g.Flags.Has(model.RST) {
		switch {
		case t.State == model.TimeWait && x.set.RSTInTimeWait == model.RFC1337:
			return x.none("RST in TIME-WAIT: ignored (RFC 1337)")
		case x.set.RFC5961 && g.Seq != t.RcvNxt:
			return x.ack("RST not at RCV.NXT: challenge ACK")
		}
		return x.none("RST in window")
	}
	// Fourth: SYN.
	if g.Flags.Has(model.SYN) {
		switch {
		case t.State == model.SynReceived && t.Passive:
			return x.none("SYN in window: back to LISTEN")
		case x.set.RFC5961:
			return x.ack("SYN: challenge ACK")
		}
		return x.reset("SYN in window: reset")
	}
	// Fifth: ACK.
	if !g.Flags.Has(model.ACK) {
		return x.none("no ACK bit: dropped")
	}
	state, una := t.State, t.SndUna
	if x.set.RFC5961 && state.Synchronized() && x.sp.LessThan(g.Ack, x.add(una, x.sp.N()-x.set.Window)) {
		return x.ack("ACK too old: challenge ACK")
	}
	ackPending := false
	if state == model.TimeWait {
		if x.set.TimeWaitACK == model.TimeWaitACKBSD && !g.Flags.Has(model.FIN) {
			return x.none("TIME-WAIT (bsd): dropped")
		}
		ackPending = true
	} else {
		if state == model.SynReceived {
			if !(x.sp.LessThan(una, g.Ack) && x.sp.LessThanEq(g.Ack, t.SndNxt)) {
				return x.reset("unacceptable ACK: reset")
			}
			state = model.Established
		}
		newAck := false
		switch {
		case x.sp.LessThan(una, g.Ack) && x.sp.LessThanEq(g.Ack, t.SndNxt):
			una, newAck = g.Ack, true
		case x.sp.LessThan(t.SndNxt, g.Ack):
			return x.ack("ACK of unsent data: ACK")
		}
		finAcked := una == t.SndNxt
		switch state {
		case model.FinWait1:
			if finAcked {
				state = model.FinWait2
			}
		case model.Closing:
			if !finAcked {
				return x.none("FIN not acked: ignored")
			}
			state = model.TimeWait
		case model.LastAck:
			if finAcked {
				return x.none("")
			}
		}
		if !newAck && g.Len == 0 && !g.Flags.Has(model.FIN) {
			return x.none("duplicate ACK: ignored")
		}
	}
	// Seventh: the text.
	rcvNxt := t.RcvNxt
	if g.Len > 0 {
		switch state {
		case model.Established, model.FinWait1, model.FinWait2:
			if g.Seq != rcvNxt {
				return x.ack("out-of-order data: ACK")
			}
			rcvNxt = x.add(rcvNxt, 1)
			ackPending = true
		}
	}
	// Eighth: FIN.
	if g.Flags.Has(model.FIN) {
		if x.add(g.Seq, int(g.Len)) != rcvNxt {
			return x.ack("out-of-order FIN: ACK")
		}
		ackPending = true
	}
	if ackPending {
		if state == model.TimeWait && t.State == model.TimeWait && !g.Flags.Has(model.FIN) {
			return x.ack("TIME-WAIT: ACK")
		}
		return x.ack("")
	}
	if g.Len > 0 {
		return x.none("data after FIN: ignored")
	}
	return x.none("")
}

// acceptable is the acceptability test of RFC 9293 3.10.7.4 "first".
func (x *arrivalRules) acceptable() bool {
	g, t := x.g, x.t
	in := func(s model.Seq) bool {
		return x.sp.LessThanEq(t.RcvNxt, s) && x.sp.LessThan(s, x.add(t.RcvNxt, x.set.Window))
	}
	n := int(g.SegLen())
	if n == 0 {
		return in(g.Seq)
	}
	return in(g.Seq) || in(x.add(g.Seq, n-1))
}

// ackedItems names what an ACK that moves SND.UNA from from.SndUna to
// to.SndUna acknowledges: "SYN", "DATA=1", "FIN", joined by ", ". It
// counts from what the endpoint has sent (its SYN, from.Sent data units, a
// FIN once it has closed), as the model's retransmission does, so that it
// does not depend on the sequence numbers wrapping.
func ackedItems(set model.Settings, from, to model.TCB) string {
	n := max(set.SeqSpace, 1)
	sent := 1 + int(from.Sent)
	switch from.State {
	case model.FinWait1, model.FinWait2, model.Closing, model.LastAck, model.TimeWait:
		sent++
	}
	outstanding := ((int(from.SndNxt)-int(from.SndUna))%n + n) % n
	acked := ((int(to.SndUna)-int(from.SndUna))%n + n) % n
	var items []string
	for item := sent - outstanding; item < sent-outstanding+acked && item < sent; item++ {
		switch {
		case item <= 0:
			items = append(items, "SYN")
		case item <= int(from.Sent):
			items = append(items, fmt.Sprintf("DATA=%d", item))
		default:
			items = append(items, "FIN")
		}
	}
	if len(items) == 0 {
		return fmt.Sprintf("SND.UNA=%d", to.SndUna)
	}
	return strings.Join(items, ", ")
}
