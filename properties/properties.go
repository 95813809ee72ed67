// Package properties is what tcpcheck checks on the TCP model of
// docs/MODEL.md, and the library layer that checks it:
//
//   - the seven safety properties (All), each with the reason it exists;
//   - the liveness properties (LivenessCatalog), checked on unbounded time
//     under weak fairness of tick, with lassos as counterexamples;
//   - the reachability goals (Goals), some of which a setting rules out;
//   - the catalog of TCP's classic hazards (Hazards), each scenario with
//     its source, settings and fix;
//   - Check, which takes settings and the questions above and returns a
//     Report with a typed Verdict for each.
//
// A property is a predicate over states or transitions; the package knows
// the model and hands its predicates to checker/.
package properties

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// A Property is a named safety property. Exactly one of State and Step is
// set: State must hold in every reachable state, Step on every transition.
// Both take states (and Step the action) by address, since the search
// calls them for every state and transition and a state is about 100
// bytes, and must not change them or keep their addresses.
// Step has no model: a step predicate that needs one captures it.
type Property struct {
	Name      string
	Statement string // what holds, in one line
	Reason    string // the protocol claim it checks
	State     func(m *model.Model, s *model.State) bool
	Step      func(from *model.State, a *model.Action, to *model.State) bool
	// Explain, when set, says why the last state of a counterexample
	// violates the property (no-deadlock: why nothing can happen).
	Explain func(m *model.Model, s model.State) string
}

// HoldsOn reports whether p holds on the transition from a to: its State
// on the state reached, or its Step.
func (p Property) HoldsOn(m *model.Model, from model.State, a model.Action, to model.State) bool {
	if p.State != nil {
		return p.State(m, &to)
	}
	return p.Step(&from, &a, &to)
}

// All returns the seven properties of MODEL.md in catalog order.
func All() []Property {
	ps := []Property{
		{
			Name:      "no-stale-syn",
			Statement: "no endpoint enters ESTABLISHED in an incarnation that accepted a stale SYN",
			Reason:    "a stale, duplicate SYN must not establish a connection: the reason for the third handshake segment (RFC 9293 3.5)",
			Step:      noStaleSyn,
		},
		{
			Name:      "no-half-open",
			Statement: "whenever an endpoint enters ESTABLISHED, its peer is neither CLOSED nor LISTEN, is in the incarnation this one is bound to, and is bound to this one or to nobody yet",
			Reason:    "informative: half-open connections arise from stale SYNs, resets that land in a small window and give-ups; RFC 9293 3.5.1 recovers from them",
			Step:      noHalfOpen,
		},
		{
			Name:      "isn-agreement",
			Statement: "whenever both endpoints are synchronized and bound to each other's incarnation, each one's IRS is the other's ISS",
			Reason:    "both sides must learn each other's initial sequence number (RFC 9293 3.4)",
			State:     isnAgreement,
		},
		{
			Name:      "no-old-segment",
			Statement: "an endpoint other than CLOSED/LISTEN never lets a segment that is old for it (addressed to an earlier incarnation of it, or sent by an earlier incarnation of its peer) change its state, SND.UNA, RCV.NXT or the data delivered",
			Reason:    "2*MSL of TIME-WAIT keeps old segments out of a new incarnation (RFC 9293 3.4.2)",
			Step:      noOldSegment,
		},
		{
			Name:      "graceful-close",
			Statement: "an endpoint in CLOSING or LAST-ACK never accepts an RST",
			Reason:    "TIME-WAIT lets the last ACK be retransmitted, so the side that closes last is not reset (RFC 9293 3.6)",
			Step:      gracefulClose,
		},
		{
			Name:      "no-deadlock",
			Statement: "unless both endpoints are CLOSED or LISTEN, a segment is in flight or some endpoint action is or becomes enabled as time goes on (past the horizon and the loss budget)",
			Reason:    "the protocol never gets stuck: the reason retransmission exists (RFC 9293 3.8.1)",
			State:     noDeadlock,
			Explain:   func(m *model.Model, s model.State) string { return m.WhyStuck(s) },
		},
		{
			Name:      "stream-integrity",
			Statement: "an endpoint delivers a data unit only from the peer incarnation it is bound to, and only the next unit (in order, once)",
			Reason:    "data are never duplicated, reordered or taken from another incarnation (RFC 9293 3.3.1)",
			Step:      streamIntegrity,
		},
	}
	return ps
}

// Names lists the property names in catalog order.
func Names() []string {
	var names []string
	for _, p := range All() {
		names = append(names, p.Name)
	}
	return names
}

// Select returns the properties with the given names, in catalog order; no
// names selects all. An unknown name is an error that lists the known ones.
func Select(names []string) ([]Property, error) {
	all := All()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		found := false
		for _, p := range all {
			if p.Name == n {
				found = true
			}
		}
		switch {
		case !found && IsLiveness(n):
			return nil, fmt.Errorf("%q is a liveness property: only check runs it, with --horizon 0", n)
		case !found:
			return nil, fmt.Errorf("unknown property %q (known: %s)", n, strings.Join(Names(), ", "))
		}
		want[n] = true
	}
	var out []Property
	for _, p := range all {
		if want[p.Name] {
			out = append(out, p)
		}
	}
	return out, nil
}

// entersEstablished reports whether endpoint e enters ESTABLISHED.
func entersEstablished(from, to *model.State, e model.Endpoint) bool {
	return from.TCB[e].State != model.Established && to.TCB[e].State == model.Established
}

func noStaleSyn(from *model.State, _ *model.Action, to *model.State) bool {
	for e := model.A; e <= model.B; e++ {
		if entersEstablished(from, to, e) && to.TCB[e].Stale {
			return false
		}
	}
	return true
}

// noHalfOpen: when R enters ESTABLISHED, its peer P is open in the
// incarnation R is bound to (P.opens = R.peer), and P is bound to R or to
// nobody yet.
func noHalfOpen(from *model.State, _ *model.Action, to *model.State) bool {
	for e := model.A; e <= model.B; e++ {
		if !entersEstablished(from, to, e) {
			continue
		}
		r, p := to.TCB[e], to.TCB[e.Peer()]
		if p.State == model.Closed || p.State == model.Listen || p.Opens != r.Peer || (p.Peer != 0 && p.Peer != r.Opens) {
			return false
		}
	}
	return true
}

// isnAgreement: two synchronized endpoints bound to each other have each
// learnt the other's ISS.
func isnAgreement(_ *model.Model, s *model.State) bool {
	a, b := s.TCB[model.A], s.TCB[model.B]
	if !a.State.Synchronized() || !b.State.Synchronized() || a.Peer != b.Opens || b.Peer != a.Opens {
		return true
	}
	return a.IRS == b.ISS && b.IRS == a.ISS
}

// noOldSegment: a segment old for its receiver changes nothing that
// matters there.
func noOldSegment(from *model.State, a *model.Action, to *model.State) bool {
	if a.Kind != model.Deliver {
		return true
	}
	r := a.Who.Peer()
	f, t := from.TCB[r], to.TCB[r]
	if !model.IsOld(a.Seg, f) {
		return true
	}
	return t.State == f.State && t.SndUna == f.SndUna && t.RcvNxt == f.RcvNxt && t.Delivered == f.Delivered
}

func gracefulClose(from *model.State, a *model.Action, to *model.State) bool {
	if a.Kind != model.Deliver || !a.Seg.Flags.Has(model.RST) {
		return true
	}
	r := a.Who.Peer()
	st := from.TCB[r].State
	return !((st == model.Closing || st == model.LastAck) && to.TCB[r].State == model.Closed)
}

func noDeadlock(m *model.Model, s *model.State) bool {
	idle := func(st model.TCPState) bool { return st == model.Closed || st == model.Listen }
	if idle(s.TCB[model.A].State) && idle(s.TCB[model.B].State) {
		return true
	}
	return !m.Stuck(*s)
}

func streamIntegrity(from *model.State, a *model.Action, to *model.State) bool {
	if a.Kind != model.Deliver {
		return true
	}
	r := a.Who.Peer()
	f := from.TCB[r]
	if to.TCB[r].Delivered != f.Delivered+1 {
		return true // nothing delivered
	}
	return a.Seg.Src == f.Peer && a.Seg.Unit == f.Delivered+1
}
