package checker

// A Model is a transition system: the states it starts in and, for each
// state, the states one action away.
//
// Both methods must be deterministic: the same state yields the same
// successors in the same order every time, because the engine keeps a
// counterexample only as a list of action indices and rebuilds it by calling
// the model again. The k-th successor Next yields for a state is that
// state's "action index k". Next is called from several goroutines at once,
// so it must not change shared data.
type Model[S comparable, A any] interface {
	// Init yields every initial state, in a fixed order.
	Init(yield func(S))
	// Next yields every successor of s with the action that leads to it,
	// in a fixed order.
	Next(s S, yield func(A, S))
}

// A Fingerprinter maps states to 64 bits. A Model that also implements it
// chooses its own fingerprints; otherwise the engine hashes states with
// hash/maphash.Comparable. Two distinct states with the same fingerprint are
// taken to be the same state, so distinct states should have distinct
// fingerprints with overwhelming probability: a good 64-bit hash, or better
// an exact encoding of a state that fits in 64 bits. The engine mixes the
// result with a bijection before using it, so it need not look random.
type Fingerprinter[S comparable] interface {
	Fingerprint(S) uint64
}

// A Packer is a Model whose states have a compact encoding of a fixed
// size. The engine keeps the frontier of its search (the level it expands
// and the next one) in this form, in memory up to Options.FrontierMemory
// and in temporary files beyond. Without it, a state is stored as the bytes
// it takes in memory, or, if S holds pointers, kept in memory as it is.
type Packer[S comparable] interface {
	// Packing returns the size in bytes of a packed state and the functions
	// that pack a state into that many bytes and unpack it; the engine calls
	// it once per search, and calls pack and unpack from several goroutines
	// at once. unpack(&t, b) after pack(b, &s) must make t == s. pack
	// reports false if it cannot encode s; the search then stops with an
	// error.
	Packing() (size int, pack func(b []byte, s *S) bool, unpack func(s *S, b []byte))
}

// A FingerprinterAt is a Fingerprinter that reads the state where it lies
// rather than a copy: for a large state, one copy less for every
// transition. The engine uses it rather than Fingerprint; the two must
// agree.
type FingerprinterAt[S comparable] interface {
	Fingerprinter[S]
	FingerprintAt(s *S) uint64
}

// A NexterInto is a Model that can build each successor and its action
// in memory the engine provides, rather than pass them by value: for a
// large state, the copies of every transition but one, and none at all
// for a successor the engine finds it has already seen. The engine uses
// it rather than Next; the two must yield the same successors in the same
// order.
type NexterInto[S comparable, A any] interface {
	Model[S, A]
	// NextInto yields every successor of *s as Next does: for each, it
	// writes the successor to *to and its action to *a, and then calls
	// yield. The engine reads them only during the call and may change
	// them; s and to do not overlap, and NextInto does not change *s.
	NextInto(s, to *S, a *A, yield func())
}
