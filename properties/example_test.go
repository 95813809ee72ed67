package properties_test

import (
	"context"
	"fmt"

	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

// Check the two-way handshake for stale SYNs, and prove a state reachable,
// on settings small enough to finish at once.
func ExampleCheck() {
	s, err := properties.SettingsOf(model.Defaults(), "handshake=two-way seq-space=8 opens=1 loss=unbounded data=0 horizon=6")
	if err != nil {
		panic(err)
	}
	safety, err := properties.Select([]string{"no-stale-syn"})
	if err != nil {
		panic(err)
	}
	goals, err := properties.SelectGoals([]string{"B-ESTABLISHED", "A-LISTEN"})
	if err != nil {
		panic(err)
	}
	r, err := properties.Check(context.Background(), s, safety, nil, goals, properties.Options{})
	if err != nil {
		panic(err)
	}
	for _, v := range append(r.Safety, r.Goals...) {
		fmt.Printf("%s: %s", v.Name, v.Status)
		if v.Trace != nil {
			fmt.Printf(" in %d steps, the last: %s", len(v.Trace.Steps), v.Trace.Steps[len(v.Trace.Steps)-1].Action)
		}
		if v.Reason != "" {
			fmt.Printf(" (%s)", v.Reason)
		}
		fmt.Println()
	}
	// Output:
	// no-stale-syn: violated in 4 steps, the last: deliver A->B <SEQ=0><CTL=SYN>
	// A-LISTEN: impossible (open=client-server: A never opens passively)
	// B-ESTABLISHED: reached in 3 steps, the last: deliver A->B <SEQ=0><CTL=SYN>
}
