package traces

import (
	"fmt"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// Walk follows the named actions (as model.Action.String writes them) from
// the model's first initial state and returns the path as a trace, a
// witness named "walk". An action that is not enabled is an error that
// says which step and lists the actions that are.
func Walk(m *model.Model, actions ...string) (*Trace, error) {
	t := start(m)
	cur := t.Init
	for i, want := range actions {
		var found *Step
		var enabled []string
		m.Next(cur, func(a model.Action, next model.State) {
			if found == nil && a.String() == want {
				found = &Step{Action: a, Index: len(enabled), State: next}
			}
			enabled = append(enabled, a.String())
		})
		if found == nil {
			return nil, fmt.Errorf("step %d: no action %q; enabled: %s", i+1, want, strings.Join(enabled, "; "))
		}
		t.Steps = append(t.Steps, *found)
		cur = found.State
	}
	return t, nil
}

// Follow takes, at each step, the action with the given index among those
// model.Model.Next yields, from the model's first initial state, and
// returns the path as a trace, a witness named "walk". An index out of
// range is an error that says which step and how many actions there are.
func Follow(m *model.Model, path []int) (*Trace, error) {
	t := start(m)
	cur := t.Init
	for k, idx := range path {
		n, found := 0, false
		m.Next(cur, func(a model.Action, next model.State) {
			if n == idx {
				t.Steps, found = append(t.Steps, Step{Action: a, Index: idx, State: next}), true
			}
			n++
		})
		if !found {
			return nil, fmt.Errorf("step %d: action %d is not enabled (%d actions are enabled: 0 to %d)", k+1, idx, n, n-1)
		}
		cur = t.Steps[k].State
	}
	return t, nil
}

// start is an empty trace from m's first initial state.
func start(m *model.Model) *Trace {
	t := &Trace{Settings: m.Settings(), Kind: Witness, Name: "walk"}
	first := true
	m.Init(func(s model.State) {
		if first {
			t.Init, first = s, false
		}
	})
	return t
}
