package model

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// FuzzSettings: Set, for every setting name, with a fuzzed value, then
// Validate, never panic; every error names its setting; valid settings make
// New succeed, and Init and Next work for a few steps of a walk the fuzzer
// chooses, each state's successors being states the model can fingerprint
// and print. values is also split on commas and applied to the settings in
// order, so that combinations are fuzzed too.
//
// go test -run XXX -fuzz FuzzSettings ./model/
func FuzzSettings(f *testing.F) {
	for _, seed := range []struct {
		value, values string
		walk          []byte
	}{
		{"4", "three-way,4,2,2,2,12,16,2,clock,1,on,1,0,2,1,on,rfc793,client-server,off,off,off,rfc9293,0", []byte{0, 1, 2, 3, 4, 5, 6, 7}},
		{"0", "two-way,0,1,1,0,0,4,1,zero,1,off,0,0,1,0,off,rfc1337,simultaneous,on,on,on,bsd,1", []byte{1, 1, 1, 1, 1, 1}},
		{"unbounded", "three-way,60,30,30,15,255,64,32,any,4,on,unbounded,unbounded,8,8,on,rfc793,any,on,on,on,bsd,60", []byte{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{"-1", "x,61,31,0,16,256,7,0,never,5,maybe,-2,256,0,9,yes,rfc9293,none,1,maybe,linux,rfc793,61", nil},
		{"on", ",,,,,,8,5", []byte{255, 255}},
		{"256", "three-way,2,1,1,2,3,128,64,any,2", []byte{3, 1, 4, 1, 5, 9, 2, 6}},
		{"true", "", nil},
		{"", "", nil},
		{" 2", "+2,0x10,1e2,٣", nil},
	} {
		f.Add(seed.value, seed.values, seed.walk)
	}
	f.Fuzz(func(t *testing.T, value, values string, walk []byte) {
		// One setting at a time.
		for _, name := range SettingNames() {
			s := Defaults()
			if err := s.Set(name, value); err != nil {
				if !strings.HasPrefix(err.Error(), name+": ") {
					t.Errorf("Set(%q, %q): error does not name the setting: %v", name, value, err)
				}
				continue
			}
			got, err := s.Get(name)
			if err != nil {
				t.Fatalf("Get(%q) after Set: %v", name, err)
			}
			again := Defaults()
			if err := again.Set(name, got); err != nil {
				t.Fatalf("Set(%q, Get=%q) refused: %v", name, got, err)
			}
			if g2, _ := again.Get(name); g2 != got {
				t.Fatalf("%s: Set(Get()) gives %q, want %q", name, g2, got)
			}
			exercise(t, s, walk)
		}
		// All at once.
		s := Defaults()
		for i, v := range strings.Split(values, ",") {
			if i >= len(settings) {
				break
			}
			_ = s.Set(settings[i].name, v)
		}
		exercise(t, s, walk)
	})
}

// exercise validates s; valid settings must give a model that walks.
func exercise(t *testing.T, s Settings, walk []byte) {
	t.Helper()
	err := s.Validate()
	if err != nil {
		named := false
		for _, n := range SettingNames() {
			named = named || strings.HasPrefix(err.Error(), n+": ")
		}
		if !named || strings.Contains(err.Error(), "\n") {
			t.Errorf("Validate(%s): error is not one line naming a setting: %v", s, err)
		}
		if _, err2 := New(s); err2 == nil {
			t.Errorf("New accepts settings Validate refuses: %v", err)
		}
		return
	}
	m, err := New(s)
	if err != nil {
		t.Fatalf("New refuses valid settings %s: %v", s, err)
	}
	var cur State
	n := 0
	m.Init(func(s State) { cur = s; n++ })
	if n != 1 {
		t.Fatalf("Init yielded %d states", n)
	}
	for i, b := range walk {
		if i >= 64 {
			break
		}
		var next []State
		m.Next(cur, func(a Action, ns State) {
			_ = a.String()
			_ = ns.String()
			_ = Fingerprint(&ns)
			for d := A; d <= B; d++ {
				if int(ns.Net[d].N) > s.Capacity {
					t.Fatalf("%s: %d segments in one direction, capacity %d", a, ns.Net[d].N, s.Capacity)
				}
			}
			next = append(next, ns)
		})
		if len(next) == 0 {
			return
		}
		cur = next[int(b)%len(next)]
		_ = m.Stuck(cur)
	}
}

// TestMultisetOrderCanonical: a direction built from the same segments in
// any order is the same Queue when it is a multiset, so the two states are
// equal and have the same fingerprint; removing a segment keeps it
// canonical. As a FIFO, the order is kept.
func TestMultisetOrderCanonical(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		small := rapid.Custom(func(t *rapid.T) Segment {
			g := Segment{
				Flags: Flags(rapid.IntRange(0, 15).Draw(t, "flags")),
				Seq:   Seq(rapid.IntRange(0, 3).Draw(t, "seq")),
				Age:   uint8(rapid.IntRange(0, 1).Draw(t, "age")),
				Src:   uint8(rapid.IntRange(0, 2).Draw(t, "src")),
				Dst:   uint8(rapid.IntRange(0, 2).Draw(t, "dst")),
			}
			if g.Flags.Has(ACK) {
				g.Ack = Seq(rapid.IntRange(0, 3).Draw(t, "ack"))
			}
			if rapid.Bool().Draw(t, "data") {
				g.Len, g.Unit = 1, uint8(rapid.IntRange(1, 2).Draw(t, "unit"))
			}
			return g
		})
		segs := rapid.SliceOfN(small, 0, MaxCapacity).Draw(t, "segs")
		perm := rapid.Permutation(segs).Draw(t, "perm")
		var q1, q2, f1, f2 Queue
		for _, g := range segs {
			q1.add(g, true)
			f1.add(g, false)
		}
		for _, g := range perm {
			q2.add(g, true)
			f2.add(g, false)
		}
		if q1 != q2 {
			t.Fatalf("the same multiset in two orders gives two queues:\n%v\n%v", q1.Items(), q2.Items())
		}
		for i := 1; i < int(q1.N); i++ {
			if q1.Segs[i].less(q1.Segs[i-1]) {
				t.Fatalf("multiset not sorted: %v", q1.Items())
			}
		}
		var s1, s2 State
		s1.Clock, s2.Clock = 3, 3
		s1.TCB[A].State, s2.TCB[A].State = Established, Established
		d := Dir(rapid.IntRange(0, 1).Draw(t, "dir"))
		s1.Net[d], s2.Net[d] = q1, q2
		if s1 != s2 || Fingerprint(&s1) != Fingerprint(&s2) || string(s1.Bytes()) != string(s2.Bytes()) {
			t.Fatalf("states differing only in the order of a multiset differ")
		}
		// FIFO keeps arrival order.
		if !slices.Equal(f1.Items(), segs) || !slices.Equal(f2.Items(), perm) {
			t.Fatalf("a FIFO does not keep arrival order")
		}
		// Removing any segment leaves the canonical multiset of the rest.
		if len(segs) > 0 {
			i := rapid.IntRange(0, len(segs)-1).Draw(t, "remove")
			gone := q1.Segs[i]
			q1.remove(i)
			var q3 Queue
			removed := false
			for _, g := range perm {
				if g == gone && !removed {
					removed = true
					continue
				}
				q3.add(g, true)
			}
			if q1 != q3 {
				t.Fatalf("remove breaks the canonical form: %v vs %v", q1.Items(), q3.Items())
			}
		}
	})
}

// TestFingerprintSeparates: distinct states drawn at random get distinct
// fingerprints (a 64-bit hash: a collision here would be a broken hash).
func TestFingerprintSeparates(t *testing.T) {
	seen := map[uint64]State{}
	m, err := New(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	var queue []State
	m.Init(func(s State) { queue = append(queue, s) })
	visited := map[State]bool{}
	for len(queue) > 0 && len(visited) < 50_000 {
		s := queue[0]
		queue = queue[1:]
		if visited[s] {
			continue
		}
		visited[s] = true
		fp := Fingerprint(&s)
		if o, ok := seen[fp]; ok && o != s {
			t.Fatalf("fingerprint collision:\n%s\n%s", o, s)
		}
		seen[fp] = s
		m.Next(s, func(_ Action, n State) { queue = append(queue, n) })
	}
}
