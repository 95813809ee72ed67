package model

import (
	"testing"
)

// packSettings are settings that stretch each field's bound: wide
// sequence spaces, every timer, capacity, budgets, incarnations, data.
var packSettings = [][]string{
	nil,
	{"data", "0"},
	{"seq-space", "16", "capacity", "1", "opens", "2", "loss", "unbounded", "data", "0"},
	{"capacity", "2", "loss", "2", "dup", "1", "horizon", "6"},
	{"seq-space", "4", "window", "1", "loss", "unbounded", "data", "0", "horizon", "0", "msl", "1"},
	{"isn", "any", "seq-space", "8", "horizon", "5", "data", "2"},
	{"isn", "zero", "opens", "3", "data", "2", "horizon", "8", "open", "any", "abort", "on"},
	{"fin-wait-2-timeout", "3", "time-wait-reopen", "on", "rfc5961", "on", "time-wait-ack", "bsd", "horizon", "10"},
	{"seq-space", "256", "window", "128", "retries", "15", "rto", "30", "msl", "30", "time-wait", "60", "horizon", "4"},
	{"capacity", "3", "loss", "1", "horizon", "5"},
	{"capacity", "4", "reorder", "off", "dup", "unbounded", "loss", "unbounded", "horizon", "4", "open", "simultaneous"},
}

// walk calls f on up to limit states reachable under m, breadth first.
func walk(m *Model, limit int, f func(State)) {
	seen := map[State]bool{}
	var queue []State
	m.Init(func(s State) { seen[s] = true; queue = append(queue, s) })
	for len(queue) > 0 && len(seen) < limit {
		s := queue[0]
		queue = queue[1:]
		f(s)
		m.Next(s, func(_ Action, n State) {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		})
	}
}

func TestPackRoundTrip(t *testing.T) {
	limit := 200_000
	if testing.Short() {
		limit = 20_000
	}
	for _, pairs := range packSettings {
		m, err := New(settingsFrom(t, pairs...))
		if err != nil {
			t.Fatal(err)
		}
		size, pack, unpack := m.Packing()
		if want := 30 + 2*(1+8*m.set.Capacity) + 4; size != want {
			t.Errorf("%v: packed size %d, want %d", pairs, size, want)
		}
		n := 0
		walk(m, limit, func(s State) {
			n++
			b := make([]byte, size)
			if !pack(b, &s) {
				t.Fatalf("%v: pack(%v) reports a field out of range", pairs, s)
			}
			// Unpacking into a state with every byte set shows that
			// unpack writes them all.
			var u State
			for i := range u.Bytes() {
				u.Bytes()[i] = 0xff
			}
			unpack(&u, b)
			if u != s {
				t.Fatalf("%v: pack then unpack of\n%v\ngave\n%v", pairs, s, u)
			}
		})
		t.Logf("%v: %d states, %d bytes packed", pairs, n, size)
	}
}

func TestPackDefaultsSize(t *testing.T) {
	m, err := New(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.PackedSize(); got != 52 {
		t.Errorf("packed size under the defaults = %d, want 52", got)
	}
}

// TestPackOutOfRange checks that a state with a segment past capacity is
// refused, not packed into another state.
func TestPackOutOfRange(t *testing.T) {
	m, err := New(Defaults()) // capacity 1
	if err != nil {
		t.Fatal(err)
	}
	size, pack, _ := m.Packing()
	for name, s := range map[string]State{
		"second slot, A->B": {Net: [2]Queue{{Segs: [MaxCapacity]Segment{1: {Seq: 1}}}}},
		"last slot, B->A":   {Net: [2]Queue{{}, {Segs: [MaxCapacity]Segment{3: {Unit: 1}}}}},
	} {
		if pack(make([]byte, size), &s) {
			t.Errorf("%s: pack(%v) = true, want false", name, s)
		}
	}
}

// TestPackMutants checks that a model with a seeded mistake, whose states
// may leave the settings' bounds, packs every byte whole.
func TestPackMutants(t *testing.T) {
	for _, name := range MutantNames() {
		m, err := NewMutant(Defaults(), name)
		if err != nil {
			t.Fatal(err)
		}
		size, pack, unpack := m.Packing()
		if size != stateSize {
			t.Errorf("%s: packed size %d, want %d", name, size, stateSize)
		}
		walk(m, 5000, func(s State) {
			b := make([]byte, size)
			var u State
			if !pack(b, &s) {
				t.Fatalf("%s: pack(%v) = false", name, s)
			}
			if unpack(&u, b); u != s {
				t.Fatalf("%s: pack then unpack of %v gave %v", name, s, u)
			}
		})
	}
}

func BenchmarkPack(b *testing.B) {
	m, err := New(Defaults())
	if err != nil {
		b.Fatal(err)
	}
	var states []State
	walk(m, 4096, func(s State) { states = append(states, s) })
	size, pack, unpack := m.Packing()
	buf := make([]byte, size*len(states))
	b.Run("pack", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := i % len(states)
			pack(buf[k*size:], &states[k])
		}
	})
	b.Run("unpack", func(b *testing.B) {
		var s State
		for i := 0; b.Loop(); i++ {
			k := i % len(states)
			unpack(&s, buf[k*size:])
		}
	})
	b.Run("fingerprint", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			Fingerprint(&states[i%len(states)])
		}
	})
}
