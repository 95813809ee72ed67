package checker

import "fmt"

// A Kind says what a Property claims.
type Kind int

const (
	// Always is an invariant: Property.State holds in every reachable state.
	Always Kind = iota
	// AlwaysStep is an invariant of transitions: Property.Step holds of every
	// transition (from, action, to) out of a reachable state.
	AlwaysStep
	// Sometimes is a reachability goal: some reachable state satisfies
	// Property.State. Its witness is a shortest path to such a state.
	Sometimes
)

var kindNames = [...]string{Always: "always", AlwaysStep: "always-step", Sometimes: "sometimes"}

// String returns "always", "always-step" or "sometimes".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// A Property is a named claim about a model, checked during the search.
// State and Step are called from several goroutines at once.
type Property[S comparable, A any] struct {
	// Name identifies the property in the Result; names must be unique.
	Name string
	// Kind says which of State or Step is used and how.
	Kind Kind
	// State is the predicate of an Always or Sometimes property.
	State func(S) bool
	// Step is the predicate of an AlwaysStep property.
	Step func(from S, a A, to S) bool
}

// validate reports the first thing wrong with props and opt.
func validate[S comparable, A any](props []Property[S, A], opt Options) error {
	names := make(map[string]bool, len(props))
	for i, p := range props {
		if p.Name == "" {
			return fmt.Errorf("checker: property %d has no name", i)
		}
		if names[p.Name] {
			return fmt.Errorf("checker: two properties are named %q", p.Name)
		}
		names[p.Name] = true
		switch p.Kind {
		case Always, Sometimes:
			if p.State == nil {
				return fmt.Errorf("checker: property %q (%v) has no State function", p.Name, p.Kind)
			}
		case AlwaysStep:
			if p.Step == nil {
				return fmt.Errorf("checker: property %q (%v) has no Step function", p.Name, p.Kind)
			}
		default:
			return fmt.Errorf("checker: property %q has unknown kind %v", p.Name, p.Kind)
		}
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
