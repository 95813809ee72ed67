package properties

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// A Goal is a reachability question: is some state with this quality
// reachable? The checker answers with a shortest witness or "unreachable".
// A goal that the settings rule out by construction is not searched:
// Impossible says why (MODEL.md: "reported as impossible under that
// setting, not as unreachable within 12 ticks").
type Goal struct {
	Name      string
	Statement string
	Reached   func(s model.State) bool
	// Impossible, when set, returns why no run under s can reach the goal
	// ("open=client-server: A opens actively only"), or "" when one may.
	Impossible func(s model.Settings) string
}

// Goals returns the catalog of reachability goals: each of the 11 states
// for each endpoint, simultaneous open, simultaneous close, and both
// endpoints ESTABLISHED with data delivered.
func Goals() []Goal {
	var goals []Goal
	for e := model.A; e <= model.B; e++ {
		for _, st := range model.AllStates() {
			goals = append(goals, Goal{
				Name:       fmt.Sprintf("%s-%s", e, st),
				Statement:  fmt.Sprintf("endpoint %s is in %s", e, st),
				Reached:    func(s model.State) bool { return s.TCB[e].State == st },
				Impossible: func(s model.Settings) string { return stateImpossible(s, e, st) },
			})
		}
	}
	return append(goals,
		Goal{
			Name:      "simultaneous-open",
			Statement: "both endpoints are in SYN-RECEIVED after sending SYNs that crossed (RFC 9293 Figure 7)",
			Reached: func(s model.State) bool {
				a, b := s.TCB[model.A], s.TCB[model.B]
				return a.State == model.SynReceived && b.State == model.SynReceived && !a.Passive && !b.Passive
			},
			Impossible: func(s model.Settings) string {
				if s.Open == model.ClientServer {
					return "open=client-server: only A opens actively"
				}
				return ""
			},
		},
		Goal{
			Name:      "simultaneous-close",
			Statement: "both endpoints are in CLOSING after FINs that crossed (RFC 9293 Figure 13)",
			Reached: func(s model.State) bool {
				return s.TCB[model.A].State == model.Closing && s.TCB[model.B].State == model.Closing
			},
		},
		Goal{
			Name:      "established-with-data",
			Statement: "both endpoints are ESTABLISHED, bound to each other, and each has delivered a data unit",
			Reached: func(s model.State) bool {
				a, b := s.TCB[model.A], s.TCB[model.B]
				return a.State == model.Established && b.State == model.Established && a.Peer == b.Opens && b.Peer == a.Opens &&
					a.Delivered > 0 && b.Delivered > 0
			},
			Impossible: func(s model.Settings) string {
				if s.Data == 0 {
					return "data=0: no data is sent"
				}
				return ""
			},
		},
	)
}

// stateImpossible says why endpoint e can never be in state st under s, or
// returns "" when it may be. LISTEN needs a passive open and SYN-SENT an
// active one. SYN-RECEIVED comes from LISTEN (three-way only: two-way
// LISTEN enters ESTABLISHED at once), or from SYN-SENT on a bare SYN, which
// only a peer that opens actively sends (RFC 9293 3.10.7.2, 3.10.7.3).
func stateImpossible(s model.Settings, e model.Endpoint, st model.TCPState) string {
	active := s.Open != model.ClientServer || e == model.A
	passive := s.Open == model.AnyOpen || (s.Open == model.ClientServer && e == model.B)
	peerActive := s.Open != model.ClientServer || e.Peer() == model.A
	switch {
	case st == model.Listen && !passive:
		return fmt.Sprintf("open=%s: %s never opens passively", s.Open, e)
	case st == model.SynSent && !active:
		return fmt.Sprintf("open=%s: %s never opens actively", s.Open, e)
	case st == model.SynReceived && !(passive && s.Handshake == model.ThreeWay) && !(active && peerActive):
		setting, fromListen, onSyn := "open="+s.Open.String(), fmt.Sprintf("%s never opens passively", e), fmt.Sprintf("%s never opens actively", e)
		if passive {
			setting += " handshake=" + s.Handshake.String()
			fromListen = "LISTEN enters ESTABLISHED at once"
		}
		if active {
			onSyn = fmt.Sprintf("%s never sends a bare SYN", e.Peer())
		}
		return setting + ": " + fromListen + " and " + onSyn
	}
	return ""
}

// GoalNames lists the goal names in catalog order.
func GoalNames() []string {
	var names []string
	for _, g := range Goals() {
		names = append(names, g.Name)
	}
	return names
}

// SelectGoals returns the goals with the given names in catalog order; no
// names selects all.
func SelectGoals(names []string) ([]Goal, error) {
	all := Goals()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []Goal
	for _, g := range all {
		if want[g.Name] {
			out = append(out, g)
			delete(want, g.Name)
		}
	}
	for _, n := range names {
		if want[n] {
			return nil, fmt.Errorf("unknown goal %q (known: %s)", n, strings.Join(GoalNames(), ", "))
		}
	}
	return out, nil
}
