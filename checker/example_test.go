package checker_test

import (
	"context"
	"fmt"

	"github.com/tcpcheck/tcpcheck/checker"
)

// counter counts from 0 to 20 by incrementing or doubling.
type counter struct{}

func (counter) Init(yield func(int)) { yield(0) }

func (counter) Next(n int, yield func(string, int)) {
	if n+1 <= 20 {
		yield("inc", n+1)
	}
	if 2*n <= 20 {
		yield("double", 2*n)
	}
}

func Example() {
	props := []checker.Property[int, string]{
		checker.Sometimes[int, string]("thirteen", func(n *int) bool { return *n == 13 }),
		checker.Always[int, string]("small", func(n *int) bool { return *n <= 20 }),
		checker.Always[int, string]("can move", func(n *int) bool {
			moves := 0
			counter{}.Next(*n, func(string, int) { moves++ })
			return moves > 0
		}),
	}
	res, err := checker.Check(context.Background(), counter{}, props, checker.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.States, "states,", res.Transitions, "transitions, depth", res.Depth)
	for _, v := range res.Verdicts {
		fmt.Print(v.Property, ": ", v.Status)
		if v.Trace != nil {
			fmt.Print(" from ", v.Trace.Init)
			for _, s := range v.Trace.Steps {
				fmt.Print(" ", s.Action, " ", s.State)
			}
		}
		fmt.Println()
	}
	// Output:
	// 21 states, 31 transitions, depth 7
	// thirteen: reached from 0 inc 1 inc 2 inc 3 double 6 double 12 inc 13
	// small: holds
	// can move: violated from 0 inc 1 inc 2 double 4 inc 5 double 10 double 20
}
