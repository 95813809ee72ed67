// Package traces holds counterexamples and witnesses of the TCP model as
// data, and renders them: text (one step per line), JSON, DOT, and SVG or
// PNG through Graphviz (Write, in one of Formats).
//
// A Trace is plain data first (settings, what it shows, its steps); every
// renderer takes a Trace and writes to an io.Writer. The sequence chart
// has one view model, Chart (NewChart), placed on a page by Chart.Layout:
// WriteSequenceDOT draws it, and tcpcheck explore sends both as JSON to
// the browser, which draws the same chart without a rule of its own.
package traces

import "github.com/tcpcheck/tcpcheck/model"

// Kind says what a trace shows.
type Kind string

// What a trace shows.
const (
	Violation Kind = "violation" // a property violated at the last step
	Witness   Kind = "witness"   // a goal reached at the last step
)

// A Trace is a path through the model from its initial state.
type Trace struct {
	Settings model.Settings
	Kind     Kind
	Name     string // the property violated or the goal reached
	Note     string // why the last state violates the property, when the property says (no-deadlock); else ""
	// Lasso marks the counterexample of a liveness property: the run
	// repeats steps LoopAt+1 to the last forever, as the last state is
	// state LoopAt (0 is Init, i the state after step i).
	Lasso  bool
	LoopAt int
	Init   model.State
	Steps  []Step
}

// A Step is one action and the state it leads to. Index is the action's
// place among those model.Model.Next yields in the state before: the
// indices of a trace's steps are its path (Trace.Path).
type Step struct {
	Action model.Action
	Index  int
	State  model.State
}

// Path returns the index of each step's action: with the model's first
// initial state, all that names the run (see Follow).
func (t *Trace) Path() []int {
	path := make([]int, len(t.Steps))
	for i, st := range t.Steps {
		path[i] = st.Index
	}
	return path
}

// Last is the state the trace ends in.
func (t *Trace) Last() model.State { return t.Before(len(t.Steps)) }

// Depth is the number of steps.
func (t *Trace) Depth() int { return len(t.Steps) }

// Before returns the state before step i.
func (t *Trace) Before(i int) model.State {
	if i == 0 {
		return t.Init
	}
	return t.Steps[i-1].State
}
