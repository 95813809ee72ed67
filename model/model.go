package model

import (
	"fmt"
	"strings"
)

// ActionKind names what an action does.
type ActionKind uint8

// The actions of MODEL.md: endpoint actions, network actions and time.
const (
	Connect    ActionKind = iota // OPEN, active
	ListenCall                   // OPEN, passive
	Send                         // SEND one data unit
	CloseCall                    // CLOSE
	Retransmit                   // retransmission timeout
	GiveUp                       // retransmission timeout after Retries tries (RFC 9293 3.8.3, R2)
	Expire                       // TIME-WAIT timeout (and FIN-WAIT-2's, with fin-wait-2-timeout)
	Abort                        // ABORT: RST and CLOSED
	Deliver                      // the network delivers a segment: SEGMENT ARRIVES
	Drop                         // the network loses a segment
	Dup                          // the network duplicates a segment
	Tick                         // time advances by one tick
	numKinds
)

var kindNames = [numKinds]string{"connect", "listen", "send", "close", "retransmit", "give-up", "expire", "abort", "deliver", "drop", "dup", "tick"}

// String is the action's name as traces write it: "deliver".
func (k ActionKind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("ActionKind(%d)", uint8(k))
}

// ParseActionKind returns the kind spelt name.
func ParseActionKind(name string) (ActionKind, error) {
	for i, n := range kindNames {
		if n == name {
			return ActionKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown action %q", name)
}

// NoISS is Action.ISS when the action chooses no initial sequence number.
const NoISS = -1

// Action is one step of the model. Who is the endpoint that acts, or for
// network actions the sender of the direction (Who=A is A->B).
type Action struct {
	Kind ActionKind
	Who  Endpoint
	Seg  Segment // the segment delivered, dropped or duplicated
	ISS  int16   // the ISS chosen by connect or by LISTEN receiving a SYN (isn=any), else NoISS
	Lost bool    // deliver: the reply was lost for want of room
}

// String writes the action as a trace shows it, e.g.
// "deliver A->B <SEQ=3><ACK=8><CTL=ACK>". It names the action among those
// enabled in a state; traces add the segment's ghosts (traces.ActionText).
func (a Action) String() string {
	var b strings.Builder
	b.WriteString(a.Kind.String())
	switch a.Kind {
	case Deliver, Drop, Dup:
		fmt.Fprintf(&b, " %s %s", DirString(a.Who), a.Seg)
	case Tick:
	default:
		fmt.Fprintf(&b, " %s", a.Who)
	}
	if a.ISS != NoISS {
		fmt.Fprintf(&b, " ISS=%d", a.ISS)
	}
	if a.Lost {
		b.WriteString(" (reply lost: no room)")
	}
	return b.String()
}

// Model is the TCP connection-management model of MODEL.md for one choice
// of settings. It implements checker.Model[State, Action]. It is pure: no
// I/O, no clocks, no randomness.
type Model struct {
	set      Settings
	seq      Space // the sequence space (seq-space)
	timeWait int
	mutant   mutant // a seeded mistake (hooks.go), for tests only; always mutNone outside tests
}

// New validates the settings and returns the model.
func New(s Settings) (*Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Model{set: s, seq: NewSpace(s.SeqSpace), timeWait: s.TimeWaitTicks()}, nil
}

// Settings returns the model's settings.
func (m *Model) Settings() Settings { return m.set }

// Init yields the initial state: both endpoints CLOSED, the network empty.
func (m *Model) Init(yield func(State)) { yield(State{}) }

func (m *Model) canLose(s *State, k int) bool {
	return m.set.Loss == Unbounded || int(s.Lost)+k <= m.set.Loss
}

func (m *Model) spendLoss(s *State, k int) {
	if m.set.Loss != Unbounded {
		s.Lost += uint8(k)
	}
}

func (m *Model) canDup(s *State) bool {
	return m.set.Dup == Unbounded || int(s.Duped) < m.set.Dup
}

func (m *Model) room(s *State, d Dir) bool { return int(s.Net[d].N) < m.set.Capacity }

// consume advances the ISN clock for a new sequence number (MODEL.md "The
// ISN policy": an ISS taken, a data unit or a FIN sent).
func (m *Model) consume(s *State) {
	if m.set.ISN == ISNClock {
		s.Clock = m.seq.Add(s.Clock, 1)
	}
}

// issChoices returns the ISS values the policy allows in s (RFC 9293 3.4.1).
func (m *Model) issChoices(s *State) (lo, hi int) {
	switch m.set.ISN {
	case ISNClock:
		return int(s.Clock), int(s.Clock)
	case ISNAny:
		return 0, m.seq.N() - 1
	}
	return 0, 0
}

// transmit puts g, sent by from, into from's direction of the network.
func (m *Model) transmit(s *State, from Endpoint, g Segment) {
	s.Net[from].add(g, m.set.Reorder)
}

// startRtx starts the retransmission timer if it is stopped (RFC 6298 5.1).
func (m *Model) startRtx(t *TCB) {
	if m.set.Retransmit && !t.Rtx.Running() {
		t.Rtx = startTimer(m.set.RTO)
	}
}

// segment returns g sent from t's TCB, with the ghosts of MODEL.md "Ghost
// incarnations": Src is t's incarnation, Dst the peer's it is bound to.
func (t *TCB) segment(g Segment) Segment {
	g.Src, g.Dst = t.Opens, t.Peer
	return g
}

// toClosed deletes the TCB: every field but Opens returns to zero.
func toClosed(t *TCB) { *t = TCB{Opens: t.Opens} }

// toListen deletes the TCB and returns to LISTEN.
func toListen(t *TCB) { *t = TCB{Opens: t.Opens, State: Listen} }

func (m *Model) mayOpenActive(e Endpoint) bool { return m.set.Open != ClientServer || e == A }

func (m *Model) mayOpenPassive(e Endpoint) bool {
	return m.set.Open == AnyOpen || (m.set.Open == ClientServer && e == B)
}

// Next yields every action enabled in s with the state it leads to, in a
// fixed order: A's actions, B's actions, the network A->B then B->A, tick.
func (m *Model) Next(s State, yield func(Action, State)) {
	var (
		to State
		a  Action
	)
	m.NextInto(&s, &to, &a, func() { yield(a, to) })
}

// NextInto is Next for the checker's hot path: it builds each successor
// of *s in *to and its action in *a, then calls yield. Both are
// overwritten for the next successor, so yield must copy what it keeps; s
// and to must not overlap. It implements checker.NexterInto.
func (m *Model) NextInto(s, to *State, a *Action, yield func()) {
	out := successors{to, a, yield}
	for e := A; e <= B; e++ {
		m.endpointActions(s, e, &out)
	}
	for d := A; d <= B; d++ {
		m.networkActions(s, d, &out)
	}
	if m.tickEnabled(s) {
		*to = *s
		m.tick(to)
		out.emit(Tick, A, Segment{}, NoISS, false)
	}
}

// successors is where NextInto puts each successor: its state in *to,
// its action in *act, and then it calls yield.
type successors struct {
	to    *State
	act   *Action
	yield func()
}

// emit hands over the successor in *o.to, reached by the action made of
// the other arguments. It writes the action field by field: an Action
// built whole on the stack and copied would be read back in words before
// its byte-wide stores are done, and stall the processor each time.
func (o *successors) emit(k ActionKind, who Endpoint, g Segment, iss int16, lost bool) {
	a := o.act
	a.Kind, a.Who, a.Seg, a.ISS, a.Lost = k, who, g, iss, lost
	o.yield()
}

// call hands over the successor of endpoint call k by e.
func (o *successors) call(k ActionKind, e Endpoint) { o.emit(k, e, Segment{}, NoISS, false) }

// endpointActions yields the calls and timeouts of endpoint e enabled in s
// (MODEL.md "Endpoint actions"), in a fixed order: OPEN, SEND, CLOSE,
// expiry, the retransmission timeout, ABORT.
func (m *Model) endpointActions(s *State, e Endpoint, out *successors) {
	switch s.TCB[e].State {
	case Closed:
		m.open(s, e, out)
		return
	case Listen, SynSent:
		m.closeTCB(s, e, out)
	case SynReceived, Established, CloseWait:
		m.send(s, e, out)
		m.closeWithFIN(s, e, out)
	case TimeWait, FinWait2:
		m.expire(s, e, out)
	}
	m.retransmissionTimeout(s, e, out)
	if m.set.Abort {
		m.abort(s, e, out)
	}
}

// open is the OPEN call in CLOSED (RFC 9293 3.10.1), once per incarnation
// while opens are left, each endpoint as the open setting lets it (MODEL.md
// "Actors").
func (m *Model) open(s *State, e Endpoint, out *successors) {
	if int(s.TCB[e].Opens) >= m.set.Opens {
		return
	}
	// Active: "select an ISS. Send a SYN segment of the form
	// <SEQ=ISS><CTL=SYN>, set SND.UNA to ISS, SND.NXT to ISS+1, enter
	// SYN-SENT state"; the SYN needs room.
	if m.mayOpenActive(e) && m.room(s, e) {
		lo, hi := m.issChoices(s)
		for iss := lo; iss <= hi; iss++ {
			ns := out.to
			*ns = *s
			nt := &ns.TCB[e]
			nt.Opens++ // a new incarnation, bound to no peer yet
			nt.State = SynSent
			nt.ISS = Seq(iss)
			nt.SndUna = nt.ISS
			nt.SndNxt = m.seq.Add(nt.ISS, 1)
			m.startRtx(nt)
			m.consume(ns)
			m.transmit(ns, e, nt.segment(Segment{Flags: SYN, Seq: nt.ISS}))
			out.emit(Connect, e, Segment{}, int16(iss), false)
		}
	}
	// Passive: "enter the LISTEN state and return."
	if m.mayOpenPassive(e) {
		ns := out.to
		*ns = *s
		ns.TCB[e].Opens++
		toListen(&ns.TCB[e])
		out.call(ListenCall, e)
	}
}

// closeTCB is the CLOSE call in LISTEN and SYN-SENT (RFC 9293 3.10.4):
// "Delete the TCB, enter CLOSED state, and return."
func (m *Model) closeTCB(s *State, e Endpoint, out *successors) {
	ns := out.to
	*ns = *s
	toClosed(&ns.TCB[e])
	out.call(CloseCall, e)
}

// send is the SEND call in ESTABLISHED and CLOSE-WAIT (RFC 9293 3.10.2):
// "Segmentize the buffer and send it with a piggybacked acknowledgment
// (acknowledgment value = RCV.NXT)". MODEL.md: one data unit, while fewer
// than data were sent, only when nothing is unacknowledged, and with room.
func (m *Model) send(s *State, e Endpoint, out *successors) {
	t := &s.TCB[e]
	if (t.State != Established && t.State != CloseWait) || int(t.Sent) >= m.set.Data || t.SndUna != t.SndNxt || !m.room(s, e) {
		return
	}
	ns := out.to
	*ns = *s
	nt := &ns.TCB[e]
	nt.Sent++
	m.transmit(ns, e, nt.segment(Segment{Flags: ACK, Seq: nt.SndNxt, Ack: nt.RcvNxt, Len: 1, Unit: nt.Sent}))
	nt.SndNxt = m.seq.Add(nt.SndNxt, 1)
	m.startRtx(nt)
	m.consume(ns)
	out.call(Send, e)
}

// closeWithFIN is the CLOSE call in SYN-RECEIVED, ESTABLISHED and
// CLOSE-WAIT (RFC 9293 3.10.4): SYN-RECEIVED and ESTABLISHED "form a FIN
// segment and send it, and enter FIN-WAIT-1 state"; CLOSE-WAIT sends a FIN
// and enters LAST-ACK. The FIN needs room.
func (m *Model) closeWithFIN(s *State, e Endpoint, out *successors) {
	if !m.room(s, e) {
		return
	}
	ns := out.to
	*ns = *s
	nt := &ns.TCB[e]
	m.transmit(ns, e, nt.segment(Segment{Flags: FIN | ACK, Seq: nt.SndNxt, Ack: nt.RcvNxt}))
	nt.SndNxt = m.seq.Add(nt.SndNxt, m.finLen())
	if nt.State == CloseWait {
		nt.State = LastAck
	} else {
		nt.State = FinWait1
	}
	m.startRtx(nt)
	m.consume(ns)
	out.call(CloseCall, e)
}

// expire is RFC 9293 3.10.8, "TIME-WAIT TIMEOUT: If the time-wait timeout
// expires on a connection, delete the TCB, enter the CLOSED state, and
// return." MODEL.md fin-wait-2-timeout: so does FIN-WAIT-2's (Linux's
// tcp_fin_timeout), without a segment.
func (m *Model) expire(s *State, e Endpoint, out *successors) {
	if !m.expireDue(&s.TCB[e]) {
		return
	}
	ns := out.to
	*ns = *s
	toClosed(&ns.TCB[e])
	out.call(Expire, e)
}

// retransmissionTimeout is RFC 9293 3.10.8, "RETRANSMISSION TIMEOUT: ...
// send the segment at the front of the retransmission queue again,
// reinitialize the retransmission timer, and return", and 3.8.3: after R2
// retransmissions the connection is given up instead (give-up needs no
// room; a retransmission does).
func (m *Model) retransmissionTimeout(s *State, e Endpoint, out *successors) {
	t := &s.TCB[e]
	if !t.Rtx.Due() {
		return
	}
	if m.givesUp(t) {
		ns := out.to
		*ns = *s
		nt := &ns.TCB[e]
		if nt.State == SynReceived && nt.Passive {
			toListen(nt)
		} else {
			toClosed(nt)
		}
		out.call(GiveUp, e)
	} else if m.room(s, e) {
		ns := out.to
		*ns = *s
		nt := &ns.TCB[e]
		if g, ok := m.retransmission(nt); ok {
			m.transmit(ns, e, g)
		}
		nt.Rtx = startTimer(m.set.RTO)
		nt.Tries++
		out.call(Retransmit, e)
	}
}

// abort is the ABORT call of RFC 9293 3.10.5. SYN-RECEIVED, ESTABLISHED,
// FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: "Send a reset segment:
// <SEQ=SND.NXT><CTL=RST> ... enter CLOSED state". CLOSING, LAST-ACK,
// TIME-WAIT: "respond with 'ok' and delete the TCB, enter CLOSED state"
// (no segment, so no room needed). In LISTEN and SYN-SENT it would equal
// CLOSE, so the model leaves it out there.
func (m *Model) abort(s *State, e Endpoint, out *successors) {
	switch s.TCB[e].State {
	case SynReceived, Established, FinWait1, FinWait2, CloseWait:
		if !m.room(s, e) {
			return
		}
		ns := out.to
		*ns = *s
		nt := &ns.TCB[e]
		m.transmit(ns, e, nt.segment(Segment{Flags: RST, Seq: nt.SndNxt}))
		toClosed(nt)
		out.call(Abort, e)
	case Closing, LastAck, TimeWait:
		ns := out.to
		*ns = *s
		toClosed(&ns.TCB[e])
		out.call(Abort, e)
	}
}

// oldestUnacked rebuilds the segment at SND.UNA: the SYN (with the ACK
// field once the peer's SYN is known), a data unit, or the FIN, with the
// current ACK field (RFC 9293 3.10.8 retransmission timeout: "send the
// segment at the front of the retransmission queue"). Which item it is
// follows from what was sent (SYN, Sent data units, a FIN once closed) and
// how much is outstanding, not from SND.UNA-ISS, which wraps.
func (m *Model) oldestUnacked(t *TCB) Segment {
	sent := 1 + int(t.Sent) // the SYN and the data units
	switch t.State {
	case FinWait1, FinWait2, Closing, LastAck, TimeWait:
		sent++ // and the FIN
	}
	outstanding := int(m.seq.Size(t.SndUna, t.SndNxt))
	item := sent - outstanding // 0 is the SYN, 1..Sent the data units, Sent+1 the FIN
	g := t.segment(Segment{Seq: t.SndUna})
	switch {
	case item == 0:
		g.Flags = SYN
		if t.State != SynSent {
			g.Flags |= ACK
			g.Ack = t.RcvNxt
		}
	case item <= int(t.Sent):
		g.Flags, g.Ack, g.Len, g.Unit = ACK, t.RcvNxt, 1, uint8(item)
	default:
		g.Flags, g.Ack = FIN|ACK, t.RcvNxt
	}
	return g
}

func (m *Model) networkActions(s *State, d Dir, out *successors) {
	q := &s.Net[d]
	for i := 0; i < int(q.N); i++ {
		g := q.Segs[i]
		if i > 0 && g == q.Segs[i-1] {
			// One action for identical copies side by side: in a multiset
			// (kept sorted, so equal copies are neighbours; MODEL.md), and
			// in a FIFO, where dropping or copying either of two equal
			// neighbours leaves the same queue.
			continue
		}
		if i == 0 || m.set.Reorder {
			m.deliver(s, d, i, out)
		}
		if m.canLose(s, 1) {
			ns := out.to
			*ns = *s
			ns.Net[d].remove(i)
			m.spendLoss(ns, 1)
			out.emit(Drop, d, g, NoISS, false)
		}
		if m.canDup(s) && m.room(s, d) && m.set.Dup != 0 {
			ns := out.to
			*ns = *s
			ns.Net[d].add(g, m.set.Reorder)
			if m.set.Dup != Unbounded {
				ns.Duped++
			}
			out.emit(Dup, d, g, NoISS, false)
		}
	}
}

// deliver removes segment i of direction d and runs SEGMENT ARRIVES at the
// receiver; a reply that finds no room is lost and spends the loss budget.
func (m *Model) deliver(s *State, d Dir, i int, out *successors) {
	g := s.Net[d].Segs[i]
	r := d.Peer()
	lo, hi := NoISS, NoISS
	if s.TCB[r].State == Listen && g.Flags == SYN {
		l, h := m.issChoices(s)
		lo, hi = l, h
	}
	for iss := lo; iss <= hi; iss++ {
		ns := out.to
		*ns = *s
		ns.Net[d].remove(i)
		reply, ok := m.arrive(ns, r, g, iss)
		chosen, lost := int16(NoISS), false
		if m.set.ISN == ISNAny && iss != NoISS {
			chosen = int16(iss)
		}
		if ok {
			if m.room(ns, r) {
				m.transmit(ns, r, reply)
			} else if m.canLose(ns, 1) {
				m.spendLoss(ns, 1)
				lost = true
			} else {
				return // the segment waits for room
			}
		}
		out.emit(Deliver, d, g, chosen, lost)
	}
}

// expireDue reports whether expire is enabled for t: TIME-WAIT's tw
// reached 0, or with fin-wait-2-timeout FIN-WAIT-2's.
func (m *Model) expireDue(t *TCB) bool {
	switch t.State {
	case TimeWait:
		return t.TW.Due()
	case FinWait2:
		return m.set.FinWait2Timeout > 0 && t.TW.Due()
	}
	return false
}

// urgent reports whether a retransmission, a give-up or an expiry
// (TIME-WAIT, or FIN-WAIT-2 with fin-wait-2-timeout) is enabled: time
// cannot pass until it is taken (MODEL.md "Urgency").
func (m *Model) urgent(s *State) bool {
	for e := A; e <= B; e++ {
		t := &s.TCB[e]
		if t.Rtx.Due() && (m.givesUp(t) || m.room(s, e)) {
			return true
		}
		if m.expireDue(t) {
			return true
		}
	}
	return false
}

// tickEnabled: within the horizon, nothing urgent, and the loss budget pays
// for every segment the tick would expire.
func (m *Model) tickEnabled(s *State) bool {
	if m.set.Horizon > 0 && int(s.Ticks) >= m.set.Horizon {
		return false
	}
	return m.tickPossible(s)
}

// tickPossible is tickEnabled without the horizon.
func (m *Model) tickPossible(s *State) bool {
	if m.urgent(s) {
		return false
	}
	expiring := 0
	for d := A; d <= B; d++ {
		for _, g := range s.Net[d].Items() {
			if int(g.Age)+1 >= m.set.MSL {
				expiring++
			}
		}
	}
	return expiring == 0 || m.canLose(s, expiring)
}

// tick advances time by one: segments age and expire at MSL, running timers
// count down (stopping at 0), the ISN clock advances.
func (m *Model) tick(s *State) {
	expired := 0
	for d := A; d <= B; d++ {
		q := &s.Net[d]
		for i := 0; i < int(q.N); {
			q.Segs[i].Age++
			if int(q.Segs[i].Age) >= m.set.MSL {
				q.remove(i)
				expired++
				continue
			}
			i++
		}
	}
	m.spendLoss(s, expired)
	for e := A; e <= B; e++ {
		t := &s.TCB[e]
		if t.Rtx.Running() && !t.Rtx.Due() {
			t.Rtx--
		}
		if t.TW.Running() && !t.TW.Due() {
			t.TW--
		}
	}
	m.consume(s)
	if m.set.Horizon > 0 {
		s.Ticks++
	}
}

// Stuck reports whether s is stuck in the sense of MODEL.md no-deadlock:
// nothing is in flight, and no endpoint action (connect, listen, send,
// close, retransmit, give-up, expire, abort) is enabled now or becomes
// enabled as time goes on. Time may pass the horizon here. With nothing in
// flight no tick expires a segment, so the loss budget never stops time.
func (m *Model) Stuck(s State) bool {
	if s.Net[A].N > 0 || s.Net[B].N > 0 {
		return false
	}
	var (
		scratch State
		act     Action
	)
	enabled := false
	out := successors{&scratch, &act, func() { enabled = true }}
	// Every timer has run out after max(rto, time-wait,
	// fin-wait-2-timeout) ticks.
	for range max(m.set.RTO, m.timeWait, m.set.FinWait2Timeout) + 2 {
		for e := A; e <= B; e++ {
			m.endpointActions(&s, e, &out)
		}
		if enabled {
			return false
		}
		m.tick(&s)
	}
	return true
}

// WhyStuck says why nothing can happen in a state that Stuck reports: that
// nothing is in flight and, for each endpoint, why each of its actions
// stays disabled as time goes on, e.g. "nothing in flight; A1 FIN-WAIT-2:
// close already called, send only in ESTABLISHED or CLOSE-WAIT, no
// retransmission (nothing unacknowledged), no timer runs (RFC 9293 has none
// in FIN-WAIT-2), abort=off; B2 CLOSED: opens spent (2 of 2)".
func (m *Model) WhyStuck(s State) string {
	parts := []string{"nothing in flight"}
	for e := A; e <= B; e++ {
		parts = append(parts, Incarnation(e, s.TCB[e].Opens)+" "+s.TCB[e].State.String()+": "+strings.Join(m.disabled(&s, e), ", "))
	}
	return strings.Join(parts, "; ")
}

// disabled lists why the actions of endpoint e stay disabled in a stuck
// state s, for WhyStuck. With nothing in flight every direction has room,
// so a stuck endpoint is CLOSED with its opens spent, or has called CLOSE
// and waits with no timer running.
func (m *Model) disabled(s *State, e Endpoint) []string {
	t := &s.TCB[e]
	if t.State == Closed {
		return []string{fmt.Sprintf("no connect or listen: opens spent (%d of %d)", t.Opens, m.set.Opens)}
	}
	out := []string{"close already called", "send only in ESTABLISHED or CLOSE-WAIT"}
	if !m.set.Retransmit {
		out = append(out, "no retransmission or give-up (retransmit=off)")
	} else {
		out = append(out, "no retransmission or give-up (nothing unacknowledged)")
	}
	switch {
	case t.State == FinWait2 && m.set.FinWait2Timeout == 0:
		out = append(out, "no expiry (RFC 9293 has no FIN-WAIT-2 timer)")
	case t.State == FinWait2 && !t.TW.Running():
		// Not reachable: entering FIN-WAIT-2 starts the timer.
		out = append(out, "no expiry (the FIN-WAIT-2 timer is stopped)")
	}
	if !m.set.Abort {
		out = append(out, "abort=off")
	}
	return out
}
