// Package checker is an explicit-state model checker: it explores every
// state of a model reachable from its initial states and checks properties
// on them. It knows nothing of the systems it checks; a model is anything
// with initial states and a successor function (see Model).
//
// The search is breadth first, so every counterexample and every witness is
// a shortest one. Visited states are remembered only as 64-bit fingerprints,
// whole while the table is small (up to about 10^7 states), and past that
// in a compact table that stores of each only the bits its slot does not
// already say: 6 to 7 bytes a state at 10^8 states, 5.5 to 6.5 at 10^9.
// The frontier (the level being expanded and the next one) is kept as
// packed states (see Packer), in memory up to a budget and in temporary
// files beyond; each state's link to the state it was first reached from,
// about 2 bytes, goes to a temporary file, and a trace is rebuilt at the
// end by replaying the model along those links. So a large search needs
// about 7 bytes of memory a state, and a few of disk. Workers share each
// level of the search, and the result does not depend on how many there
// are: the same state counts, the same verdicts, the same traces.
//
// Properties are invariants of states (Always), invariants of transitions
// (AlwaysStep) and reachability goals (Sometimes); a deadlock (a state
// without successors) is an Always property whose predicate asks the model
// for a successor. Limits on states, memory and time, and the cancellation of the context, end a search with a
// partial Result rather than a failure.
//
// # Usage
//
// A model of a counter that can be incremented or doubled up to 20:
//
//	type counter struct{}
//
//	func (counter) Init(yield func(int)) { yield(0) }
//
//	func (counter) Next(n int, yield func(string, int)) {
//		if n+1 <= 20 {
//			yield("inc", n+1)
//		}
//		if 2*n <= 20 {
//			yield("double", 2*n)
//		}
//	}
//
// Check whether 13 can be reached, and how quickly:
//
//	props := []checker.Property[int, string]{
//		checker.Sometimes[int, string]("thirteen", func(n *int) bool { return *n == 13 }),
//	}
//	res, err := checker.Check(ctx, counter{}, props, checker.Options{})
//	if err != nil {
//		return err
//	}
//	v := res.Verdict("thirteen")
//	fmt.Println(v.Status, len(v.Trace.Steps)) // reached 6
//
// The trace is 0, 1, 2, 3, 6, 12, 13: inc, inc, inc, double, double, inc.
//
// A model with large states may also implement FingerprinterAt, Packer
// and NexterInto, which let the engine read, store and build its states
// where they lie rather than copy them.
package checker
