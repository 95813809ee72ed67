package checker

import "math/bits"

// The visited set is a table of 64-bit fingerprints with open addressing and
// linear probing, split into shards by the low bits of the fingerprint. A
// slot holding 0 is empty, so fingerprints are never 0 (see nonzero). The
// home slot of a fingerprint in a shard of n slots is (fp*n)>>64 (Lemire's
// fastrange), which uses the high bits, so n need not be a power of two and
// each shard can grow by a small factor: that keeps the table between 68%
// and 85% full, about 10.5 bytes per state.
//
// A shard is never read and written at the same time: during expansion all
// shards are only read; during insertion each shard is read and written by
// the one worker that owns it.
const (
	shardBits = 8
	numShards = 1 << shardBits
	shardMask = numShards - 1

	minShardSlots = 8
	// A shard grows by a quarter when it is more than maxLoadNum/maxLoadDen full.
	maxLoadNum = 17
	maxLoadDen = 20
)

// A table is a set of nonzero 64-bit fingerprints.
type table struct {
	shards [numShards]shard
}

// A shard is one part of a table. It fills a 64-byte cache line, so that
// workers inserting into neighbouring shards do not share one.
type shard struct {
	slots []uint64
	count int // fingerprints stored
	limit int // count at which the shard grows
	_     [64 - 40]byte
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
	hi, _ := bits.Mul64(fp, uint64(len(s.slots)))
	return int(hi)
}

func (s *shard) contains(fp uint64) bool {
	slots := s.slots
	for i := s.home(fp); ; {
		switch slots[i] {
		case fp:
			return true
		case 0:
			return false
		}
		if i++; i == len(slots) {
			i = 0
		}
	}
}

func (s *shard) insert(fp uint64) bool {
	if s.count >= s.limit {
		s.resize(len(s.slots) + len(s.slots)/4)
	}
	slots := s.slots
	for i := s.home(fp); ; {
		switch slots[i] {
		case fp:
			return false
		case 0:
			slots[i] = fp
			s.count++
			return true
		}
		if i++; i == len(slots) {
			i = 0
		}
	}
}

// resize moves the shard's fingerprints to a new array of n slots.
func (s *shard) resize(n int) {
	old := s.slots
	s.slots = make([]uint64, n)
	s.limit = n * maxLoadNum / maxLoadDen
	s.count = 0
	for _, fp := range old {
		if fp != 0 {
			s.insert(fp)
		}
	}
}
