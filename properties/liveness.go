package properties

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
)

// A Liveness property of the catalog says that something eventually
// happens (MODEL.md "Liveness"). Most say that no endpoint stays in some
// condition for ever: for each endpoint e, "e in the condition" leads to
// "e out of it". They are checked on unbounded time (horizon 0), under weak
// fairness of tick: time passes.
type Liveness struct {
	Name      string
	Statement string // what holds, in one line
	Reason    string // why it exists
	// Stays, when set, is the condition no endpoint may keep for ever:
	// the property is "Stays(e) leads to not Stays(e)" for each endpoint.
	Stays func(s model.State, e model.Endpoint) bool
	// Otherwise the property is about runs: no fair run takes, for ever,
	// only transitions that are not Progress and, among them, a Must one.
	Progress func(from model.State, a model.Action, to model.State) bool
	Must     func(a model.Action) bool
}

// LivenessCatalog returns the liveness properties of MODEL.md in catalog
// order.
func LivenessCatalog() []Liveness {
	in := func(states ...model.TCPState) func(model.State, model.Endpoint) bool {
		return func(s model.State, e model.Endpoint) bool {
			for _, st := range states {
				if s.TCB[e].State == st {
					return true
				}
			}
			return false
		}
	}
	return []Liveness{
		{
			Name:      "syn-sent-resolves",
			Statement: "no endpoint stays in SYN-SENT forever",
			Reason:    "retransmission and the R2 give-up end every connection attempt (RFC 9293 3.8.3)",
			Stays:     in(model.SynSent),
		},
		{
			Name:      "syn-received-resolves",
			Statement: "no endpoint stays in SYN-RECEIVED forever",
			Reason:    "a half-made connection is completed or abandoned (the RFCNLP study's fourth property)",
			Stays:     in(model.SynReceived),
		},
		{
			Name:      "close-completes",
			Statement: "no endpoint stays forever in FIN-WAIT-1, CLOSING and LAST-ACK",
			Reason:    "a FIN that was sent is acknowledged or the connection is given up (RFC 9293 3.6, 3.8.3)",
			Stays:     in(model.FinWait1, model.Closing, model.LastAck),
		},
		{
			Name:      "fin-wait-2-ends",
			Statement: "no endpoint stays in FIN-WAIT-2 forever once its peer has left the incarnation it is bound to",
			Reason:    "RFC 9293 has no FIN-WAIT-2 timer, so an endpoint can wait forever for a peer that is gone; Linux's tcp_fin_timeout (--fin-wait-2-timeout) ends it",
			Stays: func(s model.State, e model.Endpoint) bool {
				if s.TCB[e].State != model.FinWait2 {
					return false
				}
				p := s.TCB[e.Peer()]
				return p.Opens != s.TCB[e].Peer || p.State == model.Closed || p.State == model.Listen
			},
		},
		{
			Name:      "time-wait-ends",
			Statement: "no endpoint stays in TIME-WAIT forever",
			Reason:    "TIME-WAIT is a bounded wait of 2*MSL (RFC 9293 3.6)",
			Stays:     in(model.TimeWait),
		},
		{
			Name:      "no-ack-loop",
			Statement: "no run delivers segments forever while neither endpoint's state, SND.UNA, SND.NXT, RCV.NXT or delivered count changes",
			Reason:    "two ends must not exchange segments forever without progress (RFC 1337's hazard H2 is one such loop)",
			Progress:  changesEndpoint,
			Must:      func(a model.Action) bool { return a.Kind == model.Deliver },
		},
	}
}

// changesEndpoint reports whether a step changes what no-ack-loop calls
// progress: an endpoint's state, SND.UNA, SND.NXT, RCV.NXT or delivered
// count.
func changesEndpoint(from model.State, _ model.Action, to model.State) bool {
	for e := model.A; e <= model.B; e++ {
		f, t := from.TCB[e], to.TCB[e]
		if f.State != t.State || f.SndUna != t.SndUna || f.SndNxt != t.SndNxt || f.RcvNxt != t.RcvNxt || f.Delivered != t.Delivered {
			return true
		}
	}
	return false
}

// LivenessNames lists the liveness property names in catalog order.
func LivenessNames() []string {
	var names []string
	for _, l := range LivenessCatalog() {
		names = append(names, l.Name)
	}
	return names
}

// Checks returns what the checker checks for l: for a Stays property one
// checker.Liveness per endpoint, named NAME/A and NAME/B; else one, named
// NAME.
func (l Liveness) Checks() []checker.Liveness[model.State, model.Action] {
	if l.Stays == nil {
		return []checker.Liveness[model.State, model.Action]{{
			Name:     l.Name,
			P:        func(model.State) bool { return true },
			Q:        func(model.State) bool { return false },
			Progress: l.Progress,
			Must:     l.Must,
		}}
	}
	var out []checker.Liveness[model.State, model.Action]
	for e := model.A; e <= model.B; e++ {
		out = append(out, checker.Liveness[model.State, model.Action]{
			Name: fmt.Sprintf("%s/%s", l.Name, e),
			P:    func(s model.State) bool { return l.Stays(s, e) },
			Q:    func(s model.State) bool { return !l.Stays(s, e) },
		})
	}
	return out
}

// Fair is the set of actions under weak fairness for the catalog: tick,
// so that time passes (MODEL.md "Liveness").
func Fair(a model.Action) bool { return a.Kind == model.Tick }

// SelectLiveness splits names into the liveness properties they name, in
// catalog order, and the rest, in their order.
func SelectLiveness(names []string) (live []Liveness, rest []string) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, l := range LivenessCatalog() {
		if want[l.Name] {
			live = append(live, l)
			delete(want, l.Name)
		}
	}
	for _, n := range names {
		if want[n] {
			rest = append(rest, n)
		}
	}
	return live, rest
}

// IsLiveness reports whether name is a liveness property's.
func IsLiveness(name string) bool {
	for _, n := range LivenessNames() {
		if n == name {
			return true
		}
	}
	return false
}

// SelectAll returns the safety and the liveness properties with the given
// names, each in catalog order; no names selects every one of both. An
// unknown name is an error that lists the known ones.
func SelectAll(names []string) ([]Property, []Liveness, error) {
	if len(names) == 0 {
		return All(), LivenessCatalog(), nil
	}
	live, rest := SelectLiveness(names)
	if len(rest) == 0 {
		return nil, live, nil
	}
	for _, n := range rest {
		if !slices.Contains(Names(), n) {
			return nil, nil, fmt.Errorf("unknown property %q (known: %s; liveness: %s)", n, strings.Join(Names(), ", "), strings.Join(LivenessNames(), ", "))
		}
	}
	safety, err := Select(rest)
	if err != nil {
		return nil, nil, err
	}
	return safety, live, nil
}
