package properties

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// A Goal is a reachability question: is some state with this quality
// reachable? The checker answers with a shortest witness or "unreachable".
type Goal struct {
	Name      string
	Statement string
	Reached   func(s model.State) bool
}

// Goals returns the catalog of reachability goals: each of the 11 states
// for each endpoint, simultaneous open, simultaneous close, and both
// endpoints ESTABLISHED with data delivered.
func Goals() []Goal {
	var goals []Goal
	for e := model.A; e <= model.B; e++ {
		for _, st := range model.AllStates() {
			goals = append(goals, Goal{
				Name:      fmt.Sprintf("%s-%s", e, st),
				Statement: fmt.Sprintf("endpoint %s is in %s", e, st),
				Reached:   func(s model.State) bool { return s.TCB[e].State == st },
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
			Statement: "both endpoints are ESTABLISHED in the same incarnation and each has delivered a data unit",
			Reached: func(s model.State) bool {
				a, b := s.TCB[model.A], s.TCB[model.B]
				return a.State == model.Established && b.State == model.Established && a.Conn == b.Conn &&
					a.Delivered > 0 && b.Delivered > 0
			},
		},
	)
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
