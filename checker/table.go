package checker

import "math/bits"

// The visited set is a table of 64-bit fingerprints with open addressing,
// split into shards by the low bits of the fingerprint. A slot holding 0 is
// empty, so fingerprints are never 0 (see nonzero).
//
// Each shard is an ordered linear-probing table (Amble and Knuth's "ordered
// hash table"). The home slot of a fingerprint in a shard of n home slots is
// (fp*n)>>64 (Lemire's fastrange), which is monotone in fp, and the shard
// keeps its fingerprints in increasing order, each at or after its home
// slot with no empty slot in between. So:
//
//   - a search stops at the first slot holding a fingerprint >= the one
//     sought (an empty slot counts as the greatest), which makes a search
//     for an absent fingerprint as short as one for a present one: about
//     (1+1/(1-load))/2 slots, 5.5 at 90% load, within one or two cache
//     lines;
//   - an insertion shifts the rest of its run one slot up;
//   - growing is a single sequential pass: the old slots, read in order,
//     land in increasing positions of the new ones.
//
// Runs do not wrap around: a shard has a tail of spare slots after its n
// home slots, and its last slot is always empty.
//
// Cheap growth lets a shard grow by a small factor and stay between 75% and
// 90% full, about 9.8 bytes per state on average and at most 10.7.
//
// A shard is never read and written at the same time: during expansion and
// collection no one writes the table; during insertion each shard is read
// and written by the one worker that owns it.
const (
	shardBits = 8
	numShards = 1 << shardBits
	shardMask = numShards - 1

	minShardSlots = 8
	// A shard grows when it is more than maxLoadNum/maxLoadDen full ...
	maxLoadNum = 9
	maxLoadDen = 10
	// ... by a factor of 2 while it has fewer than smallShard home slots,
	// by growNum/growDen after.
	smallShard = 1 << 9
	growNum    = 6
	growDen    = 5
	// tailSlots is the number of spare slots after the home slots.
	tailSlots = 32
)

// A table is a set of nonzero 64-bit fingerprints.
type table struct {
	shards [numShards]shard
}

// A shard is one part of a table. It fills a 64-byte cache line, so that
// workers inserting into neighbouring shards do not share one.
type shard struct {
	slots []uint64 // n home slots, then the tail
	n     uint64   // number of home slots
	count int      // fingerprints stored
	limit int      // count at which the shard grows
	_     [64 - 48]byte
}

// newTable returns an empty table.
func newTable() *table {
	t := new(table)
	for i := range t.shards {
		t.shards[i].resize(minShardSlots)
	}
	return t
}

// nonzero maps the fingerprint 0, which marks an empty slot, to 1.
func nonzero(fp uint64) uint64 {
	if fp == 0 {
		return 1
	}
	return fp
}

// shard returns the shard of fp.
func (t *table) shard(fp uint64) *shard { return &t.shards[fp&shardMask] }

// contains reports whether fp (nonzero) is in the table.
func (t *table) contains(fp uint64) bool { return t.shard(fp).contains(fp) }

// insert adds fp (nonzero) to the table and reports whether it was absent.
func (t *table) insert(fp uint64) bool { return t.shard(fp).insert(fp) }

// touch reads the home slot of fp (nonzero) and returns it, so that a
// caller can bring the home slots of many fingerprints into the cache at
// once before it looks them up: their cache misses then overlap.
func (t *table) touch(fp uint64) uint64 {
	s := t.shard(fp)
	return s.slots[s.home(fp)]
}

// len returns the number of fingerprints in the table.
func (t *table) len() int64 {
	var n int64
	for i := range t.shards {
		n += int64(t.shards[i].count)
	}
	return n
}

// bytes returns the memory held by the table's slots.
func (t *table) bytes() int64 {
	var n int64
	for i := range t.shards {
		n += int64(cap(t.shards[i].slots)) * 8
	}
	return n
}

// home returns the first slot to probe for fp.
func (s *shard) home(fp uint64) int {
	hi, _ := bits.Mul64(fp, s.n)
	return int(hi)
}

// search returns the first slot at or after fp's home slot that holds fp,
// a greater fingerprint or nothing. Subtracting 1 makes an empty slot the
// greatest value; the last slot is empty, so the search ends in the shard.
func (s *shard) search(fp uint64) int {
	slots := s.slots
	i := s.home(fp)
	for key := fp - 1; slots[i]-1 < key; {
		i++
	}
	return i
}

func (s *shard) contains(fp uint64) bool {
	return s.slots[s.search(fp)] == fp
}

func (s *shard) insert(fp uint64) bool {
	if s.count >= s.limit {
		s.grow()
	}
	i := s.search(fp)
	slots := s.slots
	switch slots[i] {
	case fp:
		return false
	case 0:
	default:
		// Shift the rest of the run up by one.
		j := i + 1
		for slots[j] != 0 {
			j++
		}
		copy(slots[i+1:j+1], slots[i:j])
	}
	slots[i] = fp
	s.count++
	if slots[len(slots)-1] != 0 {
		s.extend()
	}
	return true
}

// grow makes room for more fingerprints.
func (s *shard) grow() {
	n := int(s.n)
	if n < smallShard {
		n *= 2
	} else {
		n = n / growDen * growNum
	}
	s.resize(n)
}

// extend adds spare slots after a run that reached the end of the shard.
func (s *shard) extend() {
	slots := make([]uint64, len(s.slots)+tailSlots)
	copy(slots, s.slots)
	s.slots = slots
}

// resize moves the shard's fingerprints to a new array of n home slots.
func (s *shard) resize(n int) {
	old := s.slots
	s.n = uint64(n)
	s.slots = make([]uint64, n+tailSlots)
	s.limit = n * maxLoadNum / maxLoadDen
	// The old fingerprints are in increasing order, so their new homes are
	// too: each goes to its home or just after the previous one.
	next := 0
	for _, fp := range old {
		if fp == 0 {
			continue
		}
		i := max(s.home(fp), next)
		if i >= len(s.slots)-1 {
			s.extend()
		}
		s.slots[i] = fp
		next = i + 1
	}
}
