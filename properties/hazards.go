package properties

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// A Hazard is one scenario of the catalog of TCP's classic hazards: what a
// source (an RFC or a paper) says can go wrong, the settings under which
// the model shows it, the property or goal that shows it, and the fix: the
// settings that remove it, checked in the same run. The catalog is data;
// tcpcheck hazards runs it and its test asserts every expectation.
type Hazard struct {
	Name     string
	Source   string // where the hazard is described
	Claim    string // what the source says, in one sentence
	Settings string // on top of MODEL.md's defaults: "handshake=two-way seq-space=8"
	Check    string // a safety or liveness property, a goal, or one of ScenarioProperties
	Expect   Status // what the model shows under Settings
	// Fix, when set, is the settings (on top of Settings) that remove the
	// hazard, and FixExpect what the model shows with them.
	Fix       string
	FixExpect Status
	Reading   string // what the model's answer says, read against the source
}

// Hazards returns the catalog in order.
func Hazards() []Hazard {
	return []Hazard{
		{
			Name:     "two-way-handshake",
			Source:   "RFC 9293 3.5, Figure 8 (RFC 793 Figure 9)",
			Claim:    "with a two-way handshake an old duplicate SYN establishes a connection the other end never asked for",
			Settings: "handshake=two-way seq-space=8 opens=1 loss=unbounded data=0 horizon=6",
			Check:    "no-stale-syn", Expect: Violated,
			Fix: "handshake=three-way", FixExpect: Holds,
			Reading: "A opens and gives up; its SYN, still in flight, reaches B in LISTEN, and the two-way B is ESTABLISHED with nobody. With three ways B waits in SYN-RECEIVED, A answers the SYN,ACK with a reset, and B returns to LISTEN.",
		},
		{
			Name:     "no-time-wait-long-connection",
			Source:   "RFC 9293 3.4.1, 3.6",
			Claim:    "without TIME-WAIT an old segment of a connection enters the next incarnation when the ISN clock has wrapped (a long connection)",
			Settings: "data=0 time-wait=0",
			Check:    "no-old-segment", Expect: Violated,
			Fix: "time-wait=4", FixExpect: Holds,
			Reading: "A leaves TIME-WAIT at once; B's retransmitted FIN reaches A's next incarnation, which reused ISS 0 because 12 ticks and 4 numbers wrapped the 16-value clock; the reset it provokes lands in B's new window. 2*MSL of TIME-WAIT keeps the old FIN out.",
		},
		{
			Name:     "no-time-wait-short-connection",
			Source:   "RFC 9293 3.4.1",
			Claim:    "on a connection shorter than the ISN clock's cycle the clock alone keeps old segments out, TIME-WAIT or not",
			Settings: "data=0 time-wait=0 seq-space=32",
			Check:    "no-old-segment", Expect: Holds,
			Reading: "With seq-space 32 the clock cannot wrap within 12 ticks: every new ISS is above every number used before, and no old segment is acceptable.",
		},
		{
			Name:     "time-wait-assassination",
			Source:   "RFC 1337 (F1)",
			Claim:    "an RST, such as one answering the ACK that TIME-WAIT sends for an old duplicate, ends TIME-WAIT early; RFC 1337's fix F1 ignores RSTs in TIME-WAIT",
			Settings: "seq-space=8 opens=1 loss=unbounded data=0 horizon=6",
			Check:    "time-wait-survives-rst", Expect: Violated,
			Fix: "rst-in-time-wait=rfc1337", FixExpect: Holds,
			Reading: "RFC 1337's scenario exactly: B is in TIME-WAIT; A, in LAST-ACK, retransmits its FIN and then receives B's ACK and closes; the old FIN reaches B's TIME-WAIT, which acknowledges it; CLOSED A answers that ACK with a reset, and the reset ends B's TIME-WAIT early. RFC 1337's consequences H1 (old data accepted by a new connection), H2 (an endless ACK exchange) and H3 (the new connection reset) need, after that, a second old duplicate to reach a new incarnation; the model finds the ACK exchange without any assassination (time-wait-ack-loop) and old resets that kill a connection (old-rst-in-window), but no H1/H2/H3 chain within these small settings.",
		},
		{
			Name:     "time-wait-reopen",
			Source:   "RFC 9293 3.6 (MAY-2); RFC 6191; Linux tcp_timewait_state_process",
			Claim:    "a new SYN above RCV.NXT may reopen a connection in TIME-WAIT instead of waiting 2*MSL",
			Settings: "data=0 time-wait-reopen=on",
			Check:    "time-wait-holds", Expect: Violated,
			Fix: "time-wait-reopen=off", FixExpect: Holds,
			Reading: "B closes first and sits in TIME-WAIT; A closes, opens again, and its new SYN, above B's RCV.NXT, reopens B at once as a passive open with ISS = SND.NXT + window, above every number B used. See time-wait-reopen-long-connection for what it lets in.",
		},
		{
			Name:     "time-wait-reopen-long-connection",
			Source:   "RFC 9293 3.6 (MAY-2), conditions (1) and (2); RFC 6191",
			Claim:    "on a long connection, whose ISN clock has wrapped, reopening from TIME-WAIT could let an old segment into the new incarnation",
			Settings: "data=0 time-wait-reopen=on",
			Check:    "no-old-segment", Expect: Holds,
			Reading: "It does not, on these settings: no-old-segment holds with reopening on seq-space 16, where the ISN clock can wrap within the 12 ticks, as on seq-space 32. The reopened incarnation starts at ISS = SND.NXT + window, above every number the old one used.",
		},
		{
			Name:     "han-billington-deadlock",
			Source:   "Han and Billington, 'Termination properties of TCP's connection management procedures' (2004)",
			Claim:    "a close before the connection is established deadlocks on a reordering, lossless channel without retransmission",
			Settings: "seq-space=32 capacity=2 loss=0 opens=1 data=0 retransmit=off",
			Check:    "no-deadlock", Expect: Violated,
			Fix: "retransmit=on", FixExpect: Holds,
			Reading: "B closes in SYN-RECEIVED; its FIN overtakes its SYN,ACK and reaches A in SYN-SENT, which drops it (RFC 9293 3.10.7.3, fifth); A then establishes and closes; B waits in CLOSING for an ACK of a FIN A never saw, A in FIN-WAIT-2 for that FIN. Nothing is lost, nothing is retransmitted: deadlock. The retransmission of B's FIN ends it.",
		},
		{
			Name:     "fin-wait-2-forever",
			Source:   "RFC 9293 3.6 (no FIN-WAIT-2 timer); Linux tcp_fin_timeout",
			Claim:    "an endpoint in FIN-WAIT-2 waits forever for the FIN of a peer that has given up",
			Settings: "seq-space=8 opens=1 loss=unbounded data=0 msl=1 horizon=0",
			Check:    "fin-wait-2-ends", Expect: Violated,
			Fix: "fin-wait-2-timeout=2", FixExpect: Holds,
			Reading: "B's FIN is lost until B gives up (R2) and closes; A, in FIN-WAIT-2, ticks forever. Linux's FIN-WAIT-2 timeout ends the wait.",
		},
		{
			Name:     "fin-wait-2-timeout-cost",
			Source:   "Linux tcp_fin_timeout; RFC 9293 3.6",
			Claim:    "the FIN-WAIT-2 timeout gives up on a peer that is only slow: its late FIN meets a closed endpoint, whose reset ends the peer's LAST-ACK",
			Settings: "seq-space=8 opens=2 loss=1 data=0 horizon=5 fin-wait-2-timeout=3",
			Check:    "graceful-close", Expect: Violated,
			Fix: "fin-wait-2-timeout=0", FixExpect: Holds,
			Reading: "The price of the fix of fin-wait-2-forever: B's FIN-WAIT-2 timer (3 ticks) runs out while A's application has not yet closed; when A does, its FIN meets CLOSED B, whose reset A accepts in LAST-ACK: a peer that was only slow is reset instead of closed gracefully.",
		},
		{
			Name:     "old-rst-in-window",
			Source:   "RFC 5961 3 (blind reset); RFC 9293 3.10.7.4",
			Claim:    "a reset whose sequence number is merely in the window, here an old one that the sequence space brought back into it, kills a connection; RFC 5961 resets only on SEG.SEQ = RCV.NXT",
			Settings: "capacity=2 loss=0 opens=1 data=0",
			Check:    "no-deadlock", Expect: Violated,
			Fix: "rfc5961=on", FixExpect: Holds,
			Reading: "A's first SYN reaches B while B is CLOSED; B's reset waits in the network while A retransmits and a connection is made. By the time it arrives, the 16-value sequence space has brought its SEQ=0 into A's window: A in CLOSE-WAIT is reset, and B waits in FIN-WAIT-2 forever. With RFC 5961 A answers with a challenge ACK.",
		},
		{
			Name:     "duplicate-syn-kills-time-wait",
			Source:   "RFC 793 3.9 (in-window SYN); RFC 5961 4",
			Claim:    "a duplicate SYN can end a TIME-WAIT: it opens a new incarnation of the peer, whose SYN,ACK is an in-window SYN for TIME-WAIT, which RFC 793's rules answer by resetting; RFC 5961 answers it with a challenge ACK",
			Settings: "seq-space=8 capacity=2 dup=1 loss=0 data=0 horizon=6",
			Check:    "time-wait-survives-syn", Expect: Violated,
			Fix: "rfc5961=on", FixExpect: Holds,
			Reading: "The network duplicates A's SYN. The connection is made and closed; B listens again as B2 and takes the old copy (a stale SYN); B2's SYN,ACK reaches A in TIME-WAIT within its window: A answers with a reset and closes, 4 ticks before its TIME-WAIT was to end. With RFC 5961 A sends a challenge ACK instead and TIME-WAIT runs its course.",
		},
		{
			Name:     "time-wait-ack-loop",
			Source:   "RFC 9293 3.10.7.4 (TIME-WAIT, read literally); RFC 1337 H2; 4.4BSD tcp_input",
			Claim:    "after a simultaneous close both ends sit in TIME-WAIT and, acknowledging whatever arrives and restarting 2*MSL, ACK each other's ACKs forever; BSD and Linux drop such a segment",
			Settings: "seq-space=8 opens=1 data=0 horizon=0",
			Check:    "no-ack-loop", Expect: Violated,
			Fix: "time-wait-ack=bsd", FixExpect: Holds,
			Reading: "The FINs cross; one ACK is lost for want of room, so both ends retransmit and both reach TIME-WAIT with an ACK of the other's FIN still in flight. Each such ACK reaches the other's TIME-WAIT, which (RFC 9293 read literally) restarts its 2*MSL timer and answers with an ACK: one ACK bounces between the two TIME-WAITs forever, time passing all along, and TIME-WAIT never ends (time-wait-ends fails too). With loss=0 it does not happen; with BSD's rule a pure ACK in TIME-WAIT is dropped and the exchange stops.",
		},
		{
			Name:     "isn-zero",
			Source:   "RFC 9293 3.4.1",
			Claim:    "an implementation that always starts at ISN 0 lets a segment of the previous incarnation into the next",
			Settings: "isn=zero seq-space=8 opens=2 loss=0 data=1 horizon=6",
			Check:    "no-old-segment", Expect: Violated,
			Fix: "isn=clock", FixExpect: Holds,
			Reading: "A1's SYN reaches CLOSED B, whose reset is still in flight when A opens again as A2 with the same ISS 0; the reset's ACK=1 is acceptable to A2's SYN-SENT and kills the new attempt. The clock-driven ISN puts A2 above every number A1 used.",
		},
		{
			Name:     "isn-any",
			Source:   "RFC 9293 3.4.1; RFC 6528",
			Claim:    "an ISN chosen with no regard for the previous incarnation (the worst a bad generator can do) collides as isn=zero does",
			Settings: "isn=any seq-space=8 opens=2 loss=0 data=1 horizon=6",
			Check:    "no-old-segment", Expect: Violated,
			Fix: "isn=clock", FixExpect: Holds,
			Reading: "Among all ISS values the model picks the one that repeats A1's, and the old reset of isn-zero kills A2's attempt the same way.",
		},
		{
			Name:     "stale-syn-in-syn-sent",
			Source:   "RFC 9293 3.5 (Figure 7), 3.10.7.3",
			Claim:    "an old bare SYN reaching an endpoint in SYN-SENT takes it into the simultaneous-open path, and its peer's ACK of a live handshake completes it",
			Settings: "open=any seq-space=8 horizon=6 data=0",
			Check:    "no-stale-syn", Expect: Violated,
			Fix: "open=simultaneous", FixExpect: Holds,
			Reading: "A1 and B1 connect; B1 gives up and listens again as B2, which takes A1's live SYN. B1's old SYN reaches A1 in SYN-SENT: A1 binds to B1 (over) and sends a SYN,ACK that B2 finds out of window, answered with an ACK that acknowledges A1's ISS; A1 is ESTABLISHED on a stale SYN, half-open against B2. No setting of RFC 9293 removes it: the three-way handshake does not protect SYN-SENT from an old bare SYN when its peer is in a live handshake with it. Without passive reopening (open=simultaneous) it cannot happen.",
		},
		{
			Name:     "time-wait-late-retransmission",
			Source:   "RFC 9293 3.6; MODEL.md (rto close to msl)",
			Claim:    "TIME-WAIT lets the last ACK be retransmitted only if the peer's FIN retransmission arrives within 2*MSL; a late one meets a closed endpoint and the peer is reset",
			Settings: "seq-space=8 horizon=8 opens=1",
			Check:    "graceful-close", Expect: Violated,
			Fix: "loss=0", FixExpect: Holds,
			Reading: "B's ACK of A's FIN is lost for want of room; A's retransmission timer was just restarted by the ACK of its data (RFC 6298 5.3), so its FIN retransmission arrives just after B's 4-tick TIME-WAIT: CLOSED B resets A in LAST-ACK. On the defaults (seq-space 16, two incarnations) the same race is 21 steps long, and a longer TIME-WAIT (6, 8), rto 3 or msl 3 only push it deeper (36, 36, 18, 23 steps): with one loss it holds only on a network that loses nothing.",
		},
	}
}

// ScenarioProperties are properties that only the hazard catalog uses:
// each shows one event of a scenario that the main catalog does not name.
func ScenarioProperties() []Property {
	return []Property{
		{
			Name:      "time-wait-holds",
			Statement: "no endpoint leaves TIME-WAIT for a new incarnation",
			Reason:    "RFC 9293 3.6 (MAY-2), RFC 6191: a SYN may reopen a connection in TIME-WAIT; a violation is a witness that it does",
			Step: func(from *model.State, _ *model.Action, to *model.State) bool {
				for e := model.A; e <= model.B; e++ {
					if from.TCB[e].State == model.TimeWait && to.TCB[e].Opens > from.TCB[e].Opens {
						return false
					}
				}
				return true
			},
		},
		{
			Name:      "time-wait-survives-syn",
			Statement: "no SYN takes an endpoint out of TIME-WAIT into CLOSED",
			Reason:    "RFC 793 resets a connection on an in-window SYN, TIME-WAIT included; RFC 5961 answers it with a challenge ACK",
			Step: func(from *model.State, a *model.Action, to *model.State) bool {
				if a.Kind != model.Deliver || !a.Seg.Flags.Has(model.SYN) {
					return true
				}
				r := a.Who.Peer()
				return !(from.TCB[r].State == model.TimeWait && to.TCB[r].State == model.Closed)
			},
		},
		{
			Name:      "time-wait-survives-rst",
			Statement: "no RST takes an endpoint out of TIME-WAIT",
			Reason:    "RFC 1337: a TIME-WAIT ended by an RST no longer keeps the old connection's duplicates out (TIME-WAIT assassination)",
			Step: func(from *model.State, a *model.Action, to *model.State) bool {
				if a.Kind != model.Deliver || !a.Seg.Flags.Has(model.RST) {
					return true
				}
				r := a.Who.Peer()
				return !(from.TCB[r].State == model.TimeWait && to.TCB[r].State != model.TimeWait)
			},
		},
	}
}

// SettingsOf applies a hazard's "name=value ..." settings to s.
func SettingsOf(s model.Settings, pairs string) (model.Settings, error) {
	for _, kv := range strings.Fields(pairs) {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return s, fmt.Errorf("%q is not name=value", kv)
		}
		if err := s.Set(name, value); err != nil {
			return s, err
		}
	}
	return s, nil
}
