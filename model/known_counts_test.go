package model

import "testing"

// reachable counts the distinct states reachable under s with a plain
// map-based breadth-first search, independent of checker/.
func reachable(t *testing.T, s Settings) int {
	t.Helper()
	m, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[State]bool{}
	var queue []State
	m.Init(func(s State) { seen[s] = true; queue = append(queue, s) })
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		m.Next(s, func(_ Action, n State) {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		})
	}
	return len(seen)
}

// settingsFrom applies name=value pairs to the defaults.
func settingsFrom(t *testing.T, pairs ...string) Settings {
	t.Helper()
	s := Defaults()
	for i := 0; i < len(pairs); i += 2 {
		if err := s.Set(pairs[i], pairs[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// KnownStateCount is one row of MODEL.md's "Known state counts": settings
// as name, value pairs (the rest default) and the number of states. It is
// exported to the engine's test in package model_test.
type KnownStateCount struct {
	Settings []string
	States   int
}

// KnownStateCounts is the table "Known state counts" of MODEL.md version 2:
// two independent implementations agree on these numbers.
func KnownStateCounts() []KnownStateCount {
	small := func(more ...string) []string {
		return append([]string{"seq-space", "4", "window", "1", "capacity", "1", "loss", "unbounded", "data", "0"}, more...)
	}
	return []KnownStateCount{
		{small("opens", "1", "msl", "1", "retransmit", "off", "horizon", "0"), 1596},
		{small("opens", "1", "msl", "1", "horizon", "0"), 55632},
		{small("opens", "1", "msl", "2", "horizon", "0"), 442200},
		{[]string{"seq-space", "8", "capacity", "1", "opens", "1", "loss", "unbounded", "data", "0", "horizon", "6"}, 68155},
		{small("opens", "2", "msl", "1", "retransmit", "off", "horizon", "0"), 11260},
		{[]string{"seq-space", "8", "capacity", "1", "opens", "2", "loss", "unbounded", "data", "0", "horizon", "6"}, 697562},
		{small("opens", "1", "msl", "1", "open", "any"), 540774},
	}
}

// TestKnownStateCounts checks the table with a plain map search,
// independent of checker/ (engine_counts_test.go checks it through the
// engine).
func TestKnownStateCounts(t *testing.T) {
	for _, tc := range KnownStateCounts() {
		s := settingsFrom(t, tc.Settings...)
		if got := reachable(t, s); got != tc.States {
			t.Errorf("%s: %d states, want %d", s, got, tc.States)
		}
	}
}

// TestNoDuplicateSuccessors: Next never yields the same action leading to
// the same state twice (so transitions and action indices count each
// choice once), on small settings with a FIFO and with a multiset.
func TestNoDuplicateSuccessors(t *testing.T) {
	for _, pairs := range [][]string{
		{"seq-space", "4", "window", "1", "capacity", "2", "reorder", "off", "loss", "1", "opens", "1", "data", "0", "msl", "1", "time-wait", "0", "rto", "1", "retries", "0", "retransmit", "off", "horizon", "0"},
		{"seq-space", "4", "window", "1", "capacity", "2", "dup", "1", "loss", "1", "opens", "1", "data", "0", "msl", "1", "horizon", "3"},
		{"seq-space", "4", "window", "1", "capacity", "2", "dup", "1", "reorder", "off", "loss", "1", "opens", "1", "data", "0", "msl", "1", "horizon", "3"},
	} {
		m, err := New(settingsFrom(t, pairs...))
		if err != nil {
			t.Fatal(err)
		}
		type pair struct {
			a Action
			s State
		}
		seen := map[State]bool{}
		var queue []State
		m.Init(func(s State) { seen[s] = true; queue = append(queue, s) })
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			got := map[pair]bool{}
			m.Next(cur, func(a Action, n State) {
				if got[pair{a, n}] {
					t.Fatalf("%v: in %s, %s is yielded twice", pairs, cur, a)
				}
				got[pair{a, n}] = true
				if !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			})
		}
	}
}
