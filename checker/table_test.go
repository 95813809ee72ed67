package checker

import (
	"math"
	"testing"
)

func TestTable(t *testing.T) {
	n := 200_000
	if raceEnabled {
		n = 20_000
	}
	for _, tc := range []struct {
		name string
		fp   func(i int) uint64
	}{
		{"random", func(i int) uint64 { return nonzero(mix64(uint64(i))) }},
		// All in one shard, which grows alone.
		{"one shard", func(i int) uint64 { return mix64(uint64(i))&^shardMask | 7 }},
		// A run of 64 at the top of each shard, which wraps around to slot
		// 0, among random ones.
		{"wrapping", func(i int) uint64 {
			if i < 64*numShards {
				return math.MaxUint64 - uint64(i)
			}
			return nonzero(mix64(uint64(i)))
		}},
	} {
		tab := newTable()
		for i := range n {
			if !tab.insert(tc.fp(i)) {
				t.Fatalf("%s: insert(%#x) (i=%d) reported present", tc.name, tc.fp(i), i)
			}
		}
		for i := range n {
			if fp := tc.fp(i); !tab.contains(fp) || tab.insert(fp) {
				t.Fatalf("%s: %#x (i=%d) not found after insertion", tc.name, fp, i)
			}
		}
		for i := n; i < 2*n; i++ {
			if fp := tc.fp(i); tab.contains(fp) {
				t.Fatalf("%s: %#x (i=%d) found, never inserted", tc.name, fp, i)
			}
		}
		if got := tab.len(); got != int64(n) {
			t.Errorf("%s: len = %d, want %d", tc.name, got, n)
		}
		var slots int64
		for i := range tab.shards {
			s := &tab.shards[i]
			slots += int64(len(s.slots))
			if s.count > s.limit || float64(s.limit) > 0.9*float64(s.n) {
				t.Errorf("%s: shard %d holds %d in %d home slots (limit %d)", tc.name, i, s.count, s.n, s.limit)
			}
			checkShard(t, tc.name, s)
		}
		if got := tab.bytes(); got != 8*slots {
			t.Errorf("%s: bytes = %d, want %d", tc.name, got, 8*slots)
		}
	}

	// Spread over all shards, each shard is 75% to 90% full, whatever the
	// number of fingerprints.
	tab := newTable()
	for i := range 4 * n {
		tab.insert(nonzero(mix64(uint64(i))))
		if k := i + 1; k >= 200_000 && k%5000 == 0 {
			// The tail's 32 slots count for 32*256*8 bytes.
			perFP := float64(tab.bytes()-tailSlots*numShards*8) / float64(k)
			if perFP < 8/0.91 || perFP > 8/0.74 {
				t.Fatalf("%d fingerprints: %.2f bytes per fingerprint, want %.2f..%.2f", k, perFP, 8/0.91, 8/0.74)
			}
		}
	}
}

// checkShard checks the invariants of a shard: its fingerprints are in
// increasing order, each at or after its home slot with no empty slot in
// between, its last slot is empty, and count is right.
func checkShard(t *testing.T, name string, s *shard) {
	t.Helper()
	count, prev, filled := 0, uint64(0), 0 // filled: first slot of the current run
	for i, fp := range s.slots {
		if fp == 0 {
			filled = i + 1
			continue
		}
		count++
		if fp <= prev {
			t.Fatalf("%s: slot %d holds %#x after %#x", name, i, fp, prev)
		}
		if h := s.home(fp); h > i || h < filled {
			t.Fatalf("%s: slot %d holds %#x of home %d, run starts at %d", name, i, fp, h, filled)
		}
		prev = fp
	}
	if s.slots[len(s.slots)-1] != 0 || count != s.count {
		t.Fatalf("%s: last slot %#x, %d fingerprints, count %d", name, s.slots[len(s.slots)-1], count, s.count)
	}
}

func TestTableSmall(t *testing.T) {
	tab := newTable()
	for _, step := range []struct {
		fp       uint64
		inserted bool
	}{
		{5, true}, {5, false}, {5 + numShards, true}, {1, true}, {1, false}, {math.MaxUint64, true}, {5 + numShards, false},
	} {
		if got := tab.insert(step.fp); got != step.inserted {
			t.Errorf("insert(%#x) = %v, want %v", step.fp, got, step.inserted)
		}
	}
	if got := tab.len(); got != 4 {
		t.Errorf("len = %d, want 4", got)
	}
	if tab.contains(2) || !tab.contains(math.MaxUint64) {
		t.Errorf("contains(2) = %v, contains(max) = %v; want false, true", tab.contains(2), tab.contains(math.MaxUint64))
	}
	if nonzero(0) != 1 || nonzero(9) != 9 {
		t.Errorf("nonzero(0) = %d, nonzero(9) = %d; want 1, 9", nonzero(0), nonzero(9))
	}
}
