package checker

import "fmt"

// Replay rebuilds a trace by re-running m: it starts from the init-th state
// Init yields and takes, at each step, the successor with the given action
// index. Each Init and Next call is made twice and the two answers compared,
// so a model that is not deterministic is reported with an error that says
// where, as is an index that is out of range.
func Replay[S comparable, A any](m Model[S, A], init int, indices []int) (*Trace[S, A], error) {
	return replay(m, fingerprinter(m), init, indices, nil)
}

// replay is Replay with a given fingerprint function and, if verify is not
// nil, a check of the state reached after each step (step 0 is the initial
// state).
func replay[S comparable, A any](m Model[S, A], fingerprint func(S) uint64, init int, indices []int, verify func(step int, s S) error) (*Trace[S, A], error) {
	initAt := func(yield func(struct{}, S)) { m.Init(func(s S) { yield(struct{}{}, s) }) }
	_, s, err := nth(initAt, init, fingerprint, "Init")
	if err != nil {
		return nil, err
	}
	t := &Trace[S, A]{Init: s, Steps: make([]Step[S, A], 0, len(indices))}
	if verify != nil {
		if err := verify(0, s); err != nil {
			return nil, err
		}
	}
	for i, k := range indices {
		from := s
		next := func(yield func(A, S)) { m.Next(from, yield) }
		a, to, err := nth(next, k, fingerprint, fmt.Sprintf("Next at step %d", i+1))
		if err != nil {
			return nil, err
		}
		t.Steps = append(t.Steps, Step[S, A]{Action: a, Index: k, State: to})
		if verify != nil {
			if err := verify(i+1, to); err != nil {
				return nil, err
			}
		}
		s = to
	}
	return t, nil
}

// nth calls gen twice and returns its k-th yield, or an error if k is out of
// range or the two calls disagree; where names the call in errors.
func nth[A any, S comparable](gen func(yield func(A, S)), k int, fingerprint func(S) uint64, where string) (A, S, error) {
	var (
		as [2]A
		ss [2]S
		ns [2]int
	)
	for r := range 2 {
		gen(func(a A, s S) {
			if ns[r] == k {
				as[r], ss[r] = a, s
			}
			ns[r]++
		})
	}
	switch {
	case ns[0] != ns[1]:
		return as[0], ss[0], fmt.Errorf("checker: model is nondeterministic: %s yielded %d states, then %d for the same call", where, ns[0], ns[1])
	case k < 0 || k >= ns[0]:
		return as[0], ss[0], fmt.Errorf("checker: %s: index %d is out of range: it yielded %d states", where, k, ns[0])
	}
	if f0, f1 := fingerprint(ss[0]), fingerprint(ss[1]); f0 != f1 {
		return as[0], ss[0], fmt.Errorf("checker: model is nondeterministic: %s yielded at index %d a state with fingerprint %#x, then %#x for the same call", where, k, f0, f1)
	}
	return as[0], ss[0], nil
}
