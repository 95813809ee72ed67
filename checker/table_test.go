package checker

import (
	"fmt"
	"math"
	"math/bits"
	"testing"
	"unsafe"
)

// compactAts are the values of shard.compactAt the table tests use: the
// real one, where most shards stay plain; 64, where they become compact
// after a few growths; and minShardSlots, where they are compact from the
// start.
var compactAts = []int{largeShard, 64, minShardSlots}

func TestTable(t *testing.T) {
	n := 200_000
	if raceEnabled {
		n = 20_000
	}
	for _, compactAt := range compactAts {
		testTable(t, n, compactAt)
	}
}

func testTable(t *testing.T, n, compactAt int) {
	for _, tc := range []struct {
		name string
		fp   func(i int) uint64
	}{
		{"random", func(i int) uint64 { return mix64(uint64(i)) }},
		// All in one shard, which grows alone.
		{"one shard", func(i int) uint64 { return mix64(uint64(i))&^shardMask | 7 }},
		// Runs at the top of each shard, which reach its tail, among
		// random ones.
		{"top", func(i int) uint64 {
			if i < 64*numShards {
				return math.MaxUint64 - uint64(i)
			}
			return mix64(uint64(i))
		}},
		// Groups of 16 keys that differ in their lowest bits only, so
		// that they share a home slot: long groups.
		{"groups", func(i int) uint64 { return mix64(uint64(i/16))&^(0xf<<shardBits) | uint64(i%16)<<shardBits }},
		// 0 is a fingerprint like any other.
		{"small", func(i int) uint64 { return uint64(i) }},
	} {
		tc.name = fmt.Sprintf("%s, compact at %d", tc.name, compactAt)
		tab := newTableCompactAt(compactAt)
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
		keys := map[uint64]bool{}
		for i := range tab.shards {
			s := &tab.shards[i]
			if s.count > s.limit || float64(s.limit) > 0.9*float64(s.n) || (s.n < largeShard && float64(s.limit) > 0.6*float64(s.n)) {
				t.Errorf("%s: shard %d holds %d in %d home slots (limit %d)", tc.name, i, s.count, s.n, s.limit)
			}
			for _, key := range checkShard(t, tc.name, s) {
				keys[key<<shardBits|uint64(i)] = true
			}
		}
		for i := range n {
			if !keys[tc.fp(i)] {
				t.Fatalf("%s: %#x (i=%d) is not among the keys rebuilt from the shards", tc.name, tc.fp(i), i)
			}
		}
		tab.free()
	}

	// Spread over all shards, each shard is 30% to 60% full while it is
	// small, and its bytes are those of its slots.
	tab := newTableCompactAt(compactAt)
	defer tab.free()
	for i := range 4 * n {
		tab.insert(mix64(uint64(i)))
		if k := i + 1; k >= 200_000 && k%5000 == 0 {
			var slots, homes int64
			for j := range tab.shards {
				homes += int64(tab.shards[j].n)
				slots += int64(tab.shards[j].slots)
			}
			if load := float64(k) / float64(homes); load < 0.29 || load > 0.61 {
				t.Fatalf("%d fingerprints in %d home slots: load %.2f, want 0.30 to 0.60", k, homes, load)
			}
			// Remainder bytes and three bits a slot, compact; 8 bytes,
			// plain.
			s := &tab.shards[0]
			want := slots*int64(s.rb) + slots*3/8 + 8*numShards
			if s.keys != nil {
				want = slots * 8
			}
			if tab.bytes() != want {
				t.Fatalf("%d fingerprints: bytes = %d, want %d", k, tab.bytes(), want)
			}
		}
	}
	// A large shard grows by a fifth: it stays 75% to 90% full.
	if raceEnabled || compactAt != largeShard {
		return
	}
	one := newTable()
	defer one.free()
	s := &one.shards[3]
	for i := range 600_000 {
		one.insert(mix64(uint64(i))&^shardMask | 3)
		if k := i + 1; s.n > largeShard*3/2 && k%1000 == 0 {
			if load := float64(k) / float64(s.n); load < 0.74 || load > 0.91 {
				t.Fatalf("%d fingerprints in %d home slots: load %.2f, want 0.75 to 0.90", k, s.n, load)
			}
		}
	}
}

// checkShard checks the invariants of a shard and returns its keys in slot
// order. Plain: each entry at or after its home with no empty slot in
// between, the keys increasing; the last slot is empty; count is right.
// Compact: the home bits are the homes of the entries; each group starts with
// a start bit and holds increasing remainders; the groups come in increasing
// order of home, each entry at or after its home with no empty slot in
// between; the last slot is empty; count is right.
func checkShard(t *testing.T, name string, s *shard) []uint64 {
	t.Helper()
	var keys []uint64
	if s.keys != nil {
		if len(s.keys) != s.slots || s.keys[s.slots-1] != 0 {
			t.Fatalf("%s: %d keys in %d slots, the last %#x", name, len(s.keys), s.slots, s.keys[len(s.keys)-1])
		}
		run := 0 // first slot of the current cluster
		for i, v := range s.keys {
			if v == 0 {
				run = i + 1
				continue
			}
			key := v - 1
			if home, _ := bits.Mul64(key<<shardBits, s.n); int(home) > i || int(home) < run {
				t.Fatalf("%s: slot %d holds key %#x of home %d, its cluster starts at %d", name, i, key, home, run)
			}
			if i > run && v <= s.keys[i-1] {
				t.Fatalf("%s: slot %d holds key %#x after %#x", name, i, key, s.keys[i-1]-1)
			}
			keys = append(keys, key)
		}
		if len(keys) != s.count {
			t.Fatalf("%s: %d entries, count %d", name, len(keys), s.count)
		}
		return keys
	}
	h, run := -1, 0 // home of the current group, first slot of the current cluster
	for i := range s.slots {
		if !s.bit(filledBits, i) {
			if s.bit(startBits, i) {
				t.Fatalf("%s: empty slot %d has its start bit set", name, i)
			}
			run = i + 1
			continue
		}
		if s.bit(startBits, i) {
			next := nextBit(s, homeBits, h+1)
			if next > i || next < run {
				t.Fatalf("%s: the group at slot %d has home %d, its cluster starts at %d", name, i, next, run)
			}
			h = next
		} else if i == run {
			t.Fatalf("%s: slot %d starts a cluster without a start bit", name, i)
		}
		rem := s.rem(i)
		if !s.bit(startBits, i) && rem <= s.rem(i-1) {
			t.Fatalf("%s: remainder %#x after %#x in the group of home %d", name, rem, s.rem(i-1), h)
		}
		q, r := bits.Div64(uint64(h)>>(64-keyBits), uint64(h)<<keyBits, s.n)
		if r != 0 {
			q++
		}
		key := q + (rem-q)&s.mask
		if home, _ := bits.Mul64(key<<shardBits, s.n); int(home) != h {
			t.Fatalf("%s: slot %d: key %#x has home %d, its group home %d", name, i, key, home, h)
		}
		keys = append(keys, key)
	}
	homes := 0
	for i := range s.slots {
		if s.bit(homeBits, i) {
			homes++
		}
	}
	starts := 0
	for i := range s.slots {
		if s.bit(startBits, i) {
			starts++
		}
	}
	if homes != starts || s.bit(filledBits, s.slots-1) || len(keys) != s.count {
		t.Fatalf("%s: %d homes, %d groups, last slot filled %v, %d entries, count %d", name, homes, starts, s.bit(filledBits, s.slots-1), len(keys), s.count)
	}
	return keys
}

// TestShardSize: a shard fills whole cache lines, so that two workers
// inserting into neighbouring shards write different lines.
func TestShardSize(t *testing.T) {
	if size := unsafe.Sizeof(shard{}); size%64 != 0 {
		t.Errorf("a shard is %d bytes, not a multiple of 64", size)
	}
	tab := newTable()
	defer tab.free()
	if addr := uintptr(unsafe.Pointer(&tab.shards[0])); addr%64 != 0 {
		t.Errorf("a table's shards start at %#x, not on a cache line", addr)
	}
}

func TestTableSmall(t *testing.T) {
	tab := newTable()
	defer tab.free()
	for _, step := range []struct {
		fp       uint64
		inserted bool
	}{
		{5, true}, {5, false}, {5 + numShards, true}, {1, true}, {1, false}, {math.MaxUint64, true}, {5 + numShards, false}, {0, true}, {0, false},
	} {
		if got := tab.insert(step.fp); got != step.inserted {
			t.Errorf("insert(%#x) = %v, want %v", step.fp, got, step.inserted)
		}
	}
	if got := tab.len(); got != 5 {
		t.Errorf("len = %d, want 5", got)
	}
	if tab.contains(2) || !tab.contains(math.MaxUint64) {
		t.Errorf("contains(2) = %v, contains(max) = %v; want false, true", tab.contains(2), tab.contains(math.MaxUint64))
	}
}

// TestTableAgainstMap inserts fingerprints from a small set, so that most
// are inserted again, into a table and a map, and compares the answers.
func TestTableAgainstMap(t *testing.T) {
	for _, compactAt := range compactAts {
		tableAgainstMap(t, compactAt)
	}
}

func tableAgainstMap(t *testing.T, compactAt int) {
	tab := newTableCompactAt(compactAt)
	defer tab.free()
	want := map[uint64]bool{}
	x := uint64(1)
	for i := range 300_000 {
		x = x*6364136223846793005 + 1442695040888963407
		// 2^14 keys in 4 shards, sharing high bits so that they crowd.
		fp := (x>>50)<<40 | uint64(i%4)
		if got := tab.insert(fp); got == want[fp] {
			t.Fatalf("insert %d: insert(%#x) = %v, present before: %v", i, fp, got, want[fp])
		}
		want[fp] = true
	}
	for i := range 4 {
		checkShard(t, fmt.Sprintf("crowded, compact at %d", compactAt), &tab.shards[i])
	}
}

func TestRemBits(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		want uint
	}{{1, 56}, {2, 55}, {3, 55}, {8, 53}, {9, 53}, {1 << 20, 36}, {1<<20 + 1, 36}, {3 << 19, 36}} {
		if got := remBits(tc.n); got != tc.want {
			t.Errorf("remBits(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// BenchmarkTableInsert inserts fingerprints into a table as the insert
// phase does, touching a batch before inserting it: each fingerprint twice,
// once fresh and once already present, up to 2^22 distinct ones (a plain
// table) or 2^24 (one that becomes compact).
func BenchmarkTableInsert(b *testing.B) {
	for _, distinct := range []int{1 << 22, 1 << 24} {
		b.Run(fmt.Sprint(distinct), func(b *testing.B) {
			for b.Loop() {
				tab := newTable()
				var sink uint64
				batch := make([]uint64, insertBatch)
				for i := 0; i < 2*distinct; i += insertBatch {
					for j := range batch {
						// Every distinct value twice, the second time
						// half a table later.
						batch[j] = mix64(uint64((i + j) % distinct))
						sink += tab.touch(batch[j])
					}
					for _, fp := range batch {
						tab.insert(fp)
					}
				}
				if tab.len() != int64(distinct) {
					b.Fatalf("%d fingerprints, want %d (sink %d)", tab.len(), distinct, sink)
				}
				tab.free()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*distinct), "ns/insert")
		})
	}
}
