package checker

import (
	"time"
)

// A Status is the outcome of checking one property.
type Status int

const (
	// Holds: an Always or AlwaysStep property is true of the whole reachable
	// state space.
	Holds Status = iota
	// Violated: an Always or AlwaysStep property is false; the Verdict's
	// Trace is a shortest counterexample.
	Violated
	// Reached: a Sometimes goal is satisfied; the Trace is a shortest witness.
	Reached
	// Unreachable: no reachable state satisfies a Sometimes goal.
	Unreachable
	// Unknown: the search stopped at a limit before deciding the property.
	Unknown
)

var statusNames = [...]string{
	Holds:       "holds",
	Violated:    "violated",
	Reached:     "reached",
	Unreachable: "unreachable",
	Unknown:     "unknown",
}

// String returns "holds", "violated", "reached", "unreachable" or "unknown".
func (s Status) String() string { return enumName(statusNames[:], s, "Status") }

// A Verdict is what a search found out about one property.
type Verdict[S comparable, A any] struct {
	// Property is the property's name.
	Property string
	// Kind is the property's kind.
	Kind Kind
	// Status is the outcome.
	Status Status
	// Trace is a shortest counterexample when Status is Violated, a shortest
	// witness when it is Reached, and nil otherwise.
	Trace *Trace[S, A]
}

// A Trace is a path through a model: an initial state and the steps taken
// from it. Its depth is len(Steps). The last state of the counterexample of
// an Always property violates it; the last step of the counterexample of an
// AlwaysStep property is the violating transition.
type Trace[S comparable, A any] struct {
	// Init is the initial state the path starts from.
	Init S
	// Steps are the transitions taken, in order.
	Steps []Step[S, A]
	// Lasso reports that the trace is the counterexample of a Liveness
	// property: the run repeats steps LoopAt+1 to len(Steps) forever, as
	// its last state is state LoopAt (0 is Init, i the state after step i).
	Lasso  bool
	LoopAt int
}

// state returns state i of t: Init for 0, else the state after step i.
func (t *Trace[S, A]) state(i int) S {
	if i == 0 {
		return t.Init
	}
	return t.Steps[i-1].State
}

// Last returns the state t ends in.
func (t *Trace[S, A]) Last() S { return t.state(len(t.Steps)) }

// A Step is one transition of a Trace.
type Step[S comparable, A any] struct {
	// Action is the action Model.Next yielded.
	Action A
	// Index is the action index: Action and State were the Index-th yield
	// of Model.Next for the previous state.
	Index int
	// State is the state the action leads to.
	State S
}

// A Result is the outcome of Check: statistics of the search and a verdict
// for each property.
type Result[S comparable, A any] struct {
	// States is the number of distinct states stored.
	States int64
	// Transitions is the number of transitions generated: every successor
	// Model.Next yielded, including those to states already seen.
	Transitions int64
	// Depth is the greatest depth of a stored state.
	Depth int
	// Complete reports that the whole reachable state space was explored.
	Complete bool
	// Limit is what stopped an incomplete search; NoLimit when the search
	// is Complete or Decided.
	Limit Limit
	// Decided reports that the search stopped early, at the end of a level,
	// because every property was Violated or Reached.
	Decided bool
	// Verdicts has one verdict per property, in the order given to Check.
	Verdicts []Verdict[S, A]
	// Elapsed is the duration of the search.
	Elapsed time.Duration
	// Memory is the peak size in bytes of the engine's own structures:
	// visited table, frontiers, candidate buffers and the buffers of the
	// parent links.
	Memory int64
	// BytesPerState is the memory of the visited table and of the index of
	// the parent links at the end, divided by States.
	BytesPerState float64
	// Disk is the peak size in bytes of the temporary files: the parent
	// links and the levels of the frontier that outgrew
	// Options.FrontierMemory.
	Disk int64
	// CollisionProbability is the probability that two of the stored states
	// had the same fingerprint, so that one of them was wrongly taken as
	// already seen: 1-exp(-n(n-1)/2^65) for n = States.
	CollisionProbability float64
}

// Verdict returns the verdict of the property with this name, or nil if
// there is none.
func (r *Result[S, A]) Verdict(name string) *Verdict[S, A] {
	for i := range r.Verdicts {
		if r.Verdicts[i].Property == name {
			return &r.Verdicts[i]
		}
	}
	return nil
}
