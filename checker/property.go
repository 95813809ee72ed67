package checker

import "fmt"

// A Kind says what a Property claims.
type Kind int

const (
	// KindAlways is an invariant of states (see Always).
	KindAlways Kind = iota
	// KindAlwaysStep is an invariant of transitions (see AlwaysStep).
	KindAlwaysStep
	// KindSometimes is a reachability goal (see Sometimes).
	KindSometimes
	// KindLeadsTo is the kind of the verdicts of Liveness properties.
	KindLeadsTo
)

var kindNames = [...]string{KindAlways: "always", KindAlwaysStep: "always-step", KindSometimes: "sometimes", KindLeadsTo: "leads-to"}

// String returns "always", "always-step", "sometimes" or "leads-to".
func (k Kind) String() string { return enumName(kindNames[:], k, "Kind") }

// enumName returns names[v], or type(v) for a value without a name.
func enumName[E ~int | ~int32](names []string, v E, typ string) string {
	if v >= 0 && int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, int(v))
}

// A Property is a named claim about a model, checked during the search.
// Always, AlwaysStep and Sometimes make one; the zero Property is not
// valid.
//
// Its predicate is called from several goroutines at once, for every state
// stored (Always, Sometimes) or every transition (AlwaysStep). It gets the
// states by address, because a search makes millions of calls and a state
// may be large; it must not change them or keep the pointers.
type Property[S comparable, A any] struct {
	name  string
	kind  Kind
	state func(s *S) bool                 // KindAlways, KindSometimes
	step  func(from *S, a *A, to *S) bool // KindAlwaysStep
}

// Always is an invariant: holds(s) for every reachable state s. Its
// counterexample is a shortest path to a state where holds is false.
func Always[S comparable, A any](name string, holds func(s *S) bool) Property[S, A] {
	return Property[S, A]{name: name, kind: KindAlways, state: holds}
}

// AlwaysStep is an invariant of transitions: holds(from, a, to) for every
// transition out of a reachable state. holds reads the states and the
// action where the engine keeps them, and must not change or keep them.
// Its counterexample is a shortest path whose last step is a transition
// where holds is false.
func AlwaysStep[S comparable, A any](name string, holds func(from *S, a *A, to *S) bool) Property[S, A] {
	return Property[S, A]{name: name, kind: KindAlwaysStep, step: holds}
}

// Sometimes is a reachability goal: reached(s) for some reachable state s.
// Its witness is a shortest path to such a state.
func Sometimes[S comparable, A any](name string, reached func(s *S) bool) Property[S, A] {
	return Property[S, A]{name: name, kind: KindSometimes, state: reached}
}

// validate reports the first thing wrong with props and opt.
func validate[S comparable, A any](props []Property[S, A], opt Options) error {
	names := make(map[string]bool, len(props))
	for i, p := range props {
		switch {
		case p.state == nil && p.step == nil:
			return fmt.Errorf("checker: property %d has no predicate: make it with Always, AlwaysStep or Sometimes", i)
		case p.name == "":
			return fmt.Errorf("checker: property %d has no name", i)
		case names[p.name]:
			return fmt.Errorf("checker: two properties are named %q", p.name)
		}
		names[p.name] = true
	}
	switch {
	case opt.Workers < 0:
		return fmt.Errorf("checker: Options.Workers is negative (%d)", opt.Workers)
	case opt.MaxStates < 0:
		return fmt.Errorf("checker: Options.MaxStates is negative (%d)", opt.MaxStates)
	case opt.MaxMemory < 0:
		return fmt.Errorf("checker: Options.MaxMemory is negative (%d)", opt.MaxMemory)
	case opt.MaxTime < 0:
		return fmt.Errorf("checker: Options.MaxTime is negative (%v)", opt.MaxTime)
	case opt.ProgressEvery < 0:
		return fmt.Errorf("checker: Options.ProgressEvery is negative (%v)", opt.ProgressEvery)
	}
	return nil
}
