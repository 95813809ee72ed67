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

// TestKnownStateCounts checks the table "Known state counts" of MODEL.md:
// two independent implementations agree on these numbers.
func TestKnownStateCounts(t *testing.T) {
	small := []string{"seq-space", "4", "window", "1", "capacity", "1", "opens", "1", "loss", "unbounded", "data", "0"}
	for _, tc := range []struct {
		pairs []string
		want  int
	}{
		{append(small, "msl", "1", "retransmit", "off", "horizon", "0"), 1596},
		{append(small, "msl", "1", "horizon", "0"), 55632},
		{append(small, "msl", "2", "horizon", "0"), 442200},
		{[]string{"seq-space", "8", "capacity", "1", "opens", "1", "loss", "unbounded", "data", "0", "horizon", "6"}, 68155},
	} {
		s := settingsFrom(t, tc.pairs...)
		if got := reachable(t, s); got != tc.want {
			t.Errorf("%s: %d states, want %d", s, got, tc.want)
		}
	}
}
