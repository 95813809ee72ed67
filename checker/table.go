package checker

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// The visited set is a hash table of 64-bit fingerprints, split into
// shards by the low 8 bits of the fingerprint; the other 56 bits are the
// key. A shard of n home slots sends key k to home slot h = k*n/2^56
// (Lemire's fastrange), which is monotone in k.
//
// A shard is plain while it is small: a slot holds a whole key (plus one,
// so that 0 is empty), in ordered linear probing: each entry at or after
// its home with no empty slot in between, the entries in increasing order
// of key. A lookup reads from the home slot on, most often within one cache
// line, and stops at the key, a larger one or an empty slot. That costs 8
// bytes a slot; a compact shard costs 5.4 but looks up several times as
// many cache lines and bitmap words, so plain shards make a search of up to
// about 10 million states, where memory matters least, 10% faster. A shard
// becomes compact when it grows to largeShard home slots.
//
// A compact shard (Cleary, "Compact hash tables using bidirectional linear
// probing", 1984) stores only the bits of a key that its slot's position
// does not already say, yet answers exactly as a table of whole keys
// would, so collisions are those of 64-bit fingerprints. The keys
// of home h lie in an interval of at most ceil(2^56/n) values, so their low
// r = ceil(log2(2^56/n)) bits, the remainder, tell them apart: a slot stores
// the remainder in ceil(r/8) bytes, and the key is the interval's only
// value with those low bits.
//
// Entries are kept in ordered linear probing as well: each at or after its
// home slot, grouped by home, the groups in increasing order of home with no
// empty slot between an entry and its home, and a group's entries in
// increasing order of remainder. Three bits a slot, in bitmaps,
// say where things are:
//
//   - filled: the slot holds an entry;
//   - home: some entry has this slot as its home (Cleary's "virgin" bit);
//   - start: the slot holds the first entry of its home's group (Cleary's
//     "change" bit).
//
// The j-th group of a cluster (a maximal run of filled slots) belongs to the
// j-th home set in the cluster, so the group of home h is found by counting
// home bits from the cluster's first slot to h and selecting that many start
// bits: a few popcounts over one or two words of bitmap. A lookup of a home
// whose bit is clear is answered by that bit alone.
//
// Runs do not wrap around: a shard has a tail of spare slots after its n
// home slots, and its last slot is always empty. A shard grows in
// sequential passes (old entries, read in order, with their keys rebuilt
// if it is compact, land in increasing positions of the new arrays). A
// small one doubles when it is 60% full. The doubling that makes it large
// and compact (at about 10 million states in the table) leaves it 30%
// full; from then on it grows by a fifth when it is 90% full, and past
// about 30 million states it stays 75% to 90% full: 5.4 bytes a slot at
// 10^8 states (5-byte remainders and 3 bits), 6 to 7.2 bytes a state; 6 to
// 7.2 at 10^9 too (the remainders need 34 bits).
//
// A shard is never read and written at the same time: during expansion and
// collection no one writes the table; during insertion each shard is read
// and written by the one worker that owns it.
const (
	shardBits = 8
	numShards = 1 << shardBits
	shardMask = numShards - 1
	// keyBits is the number of bits of a fingerprint a shard tells apart.
	keyBits = 64 - shardBits

	minShardSlots = 8
	// A shard grows by a factor of 2 while it has fewer than largeShard
	// home slots (33 million in the table), and of 6/5 after: growing
	// moves every entry, so a small table grows fast, and a large one
	// slowly, to be 75% to 90% full. It grows when it is 60% full while
	// it is small, 90% after: a fuller table is slower (its clusters are
	// longer), and while it is small, its memory matters less.
	largeShard = 1 << 17
	// tailSlots is the least number of spare slots after the home slots.
	tailSlots = 32
)

// The bitmaps of a block of 64 slots are three consecutive words of
// shard.meta, in this order.
const (
	filledBits = iota
	homeBits
	startBits
	metaWords
)

// A table is a set of 64-bit fingerprints.
type table struct {
	shards [numShards]shard
}

// A shard is one part of a table. It fills three 64-byte cache lines, so
// that workers inserting into neighbouring shards do not share one.
type shard struct {
	// keys holds the entries while the shard is plain: key+1 in a filled
	// slot, 0 in an empty one. It is nil once the shard is compact.
	keys    []uint64
	keysMem []byte   // the allocation behind keys
	metaMem []byte   // the allocation behind meta
	meta    []uint64 // per block of 64 slots: filled, home, start
	rems    []byte   // rb bytes per slot, then 8 bytes of padding
	n       uint64   // number of home slots
	slots   int      // number of slots, home and tail: a multiple of 64 once compact
	r       uint     // bits of a remainder
	rb      int      // bytes of a remainder
	mask    uint64   // 1<<r - 1
	count   int      // fingerprints stored
	limit   int      // count at which the shard grows
	// compactAt is the number of home slots from which the shard is
	// compact: largeShard but in tests.
	compactAt int
	_         [8]byte
}

// newTable returns an empty table.
func newTable() *table { return newTableCompactAt(largeShard) }

// newTableCompactAt returns an empty table whose shards become compact when
// they grow to n home slots or more.
func newTableCompactAt(n int) *table {
	t := new(table)
	for i := range t.shards {
		s := &t.shards[i]
		s.compactAt = n
		if minShardSlots < n {
			s.allocPlain(minShardSlots, 0)
		} else {
			s.alloc(minShardSlots, 0)
		}
	}
	return t
}

// free returns the table's memory; the table must not be used after.
func (t *table) free() {
	for i := range t.shards {
		t.shards[i].release()
	}
}

// shard returns the shard of fp.
func (t *table) shard(fp uint64) *shard { return &t.shards[fp&shardMask] }

// contains reports whether fp is in the table.
func (t *table) contains(fp uint64) bool { return t.shard(fp).contains(fp) }

// insert adds fp to the table and reports whether it was absent.
func (t *table) insert(fp uint64) bool { return t.shard(fp).insert(fp) }

// touch reads fp's home slot (of a compact shard, the bitmap word, its
// remainder and the remainders a cache line further, where its group or
// the entries it shifts may be) and returns what it read, summed, so that
// a caller can bring the home slots of many fingerprints into the cache at
// once before it looks them up: their cache misses then overlap.
func (t *table) touch(fp uint64) uint64 {
	s := t.shard(fp)
	h := s.home(fp)
	if s.keys != nil {
		return s.keys[h]
	}
	i := h * s.rb
	return s.meta[h>>6*metaWords] + uint64(s.rems[i]) + uint64(s.rems[min(i+64, len(s.rems)-1)])
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
		n += int64(len(t.shards[i].keysMem) + len(t.shards[i].metaMem) + len(t.shards[i].rems))
	}
	return n
}

// home returns fp's home slot.
func (s *shard) home(fp uint64) int {
	hi, _ := bits.Mul64(fp&^shardMask, s.n)
	return int(hi)
}

// remainder returns the bits of fp a slot stores.
func (s *shard) remainder(fp uint64) uint64 { return fp >> shardBits & s.mask }

// rem returns the remainder in slot i.
func (s *shard) rem(i int) uint64 {
	return binary.LittleEndian.Uint64(s.rems[i*s.rb:]) & s.mask
}

// setRem stores remainder v in slot i, leaving the bytes of other slots as
// they are.
func (s *shard) setRem(i int, v uint64) {
	b := s.rems[i*s.rb:]
	w := binary.LittleEndian.Uint64(b)
	binary.LittleEndian.PutUint64(b, w&^s.mask|v)
}

// bit reports whether slot i's bit of the given bitmap is set.
func (s *shard) bit(kind, i int) bool {
	return s.meta[i>>6*metaWords+kind]&(1<<(i&63)) != 0
}

// setBit sets slot i's bit of the given bitmap.
func (s *shard) setBit(kind, i int) {
	s.meta[i>>6*metaWords+kind] |= 1 << (i & 63)
}

// clusterStart returns the first slot of the cluster that holds filled
// slot i: the slot after the last empty one before i.
func (s *shard) clusterStart(i int) int {
	b := i >> 6
	empty := ^s.meta[b*metaWords+filledBits] & (1<<(i&63) - 1)
	for empty == 0 {
		if b == 0 {
			return 0
		}
		b--
		empty = ^s.meta[b*metaWords+filledBits]
	}
	return b<<6 + 64 - bits.LeadingZeros64(empty)
}

// firstEmpty returns the first empty slot at or after i. The last slot is
// empty, so there is one.
func (s *shard) firstEmpty(i int) int {
	b := i >> 6
	empty := ^s.meta[b*metaWords+filledBits] & (^uint64(0) << (i & 63))
	for empty == 0 {
		b++
		empty = ^s.meta[b*metaWords+filledBits]
	}
	return b<<6 + bits.TrailingZeros64(empty)
}

// rank returns the number of bits set in the given bitmap for slots lo to
// hi, both included.
func (s *shard) rank(kind, lo, hi int) int {
	bl, bh := lo>>6, hi>>6
	w := s.meta[bl*metaWords+kind] & (^uint64(0) << (lo & 63))
	n := 0
	for b := bl; b < bh; b++ {
		n += bits.OnesCount64(w)
		w = s.meta[(b+1)*metaWords+kind]
	}
	return n + bits.OnesCount64(w&(^uint64(0)>>(63-hi&63)))
}

// selectStart returns the slot of the k-th (from 1) start bit at or after
// slot lo, or end if there are fewer than k before end.
func (s *shard) selectStart(lo, k, end int) int {
	b := lo >> 6
	w := s.meta[b*metaWords+startBits] & (^uint64(0) << (lo & 63))
	for {
		if c := bits.OnesCount64(w); k > c {
			k -= c
			b++
			if b<<6 >= end {
				return end
			}
			w = s.meta[b*metaWords+startBits]
			continue
		}
		for ; k > 1; k-- {
			w &= w - 1
		}
		return min(b<<6+bits.TrailingZeros64(w), end)
	}
}

// group returns the first slot of the group of home h, whose home bit is
// set.
func (s *shard) group(h int) int {
	c := s.clusterStart(h)
	return s.selectStart(c, s.rank(homeBits, c, h), s.slots)
}

func (s *shard) contains(fp uint64) bool {
	h := s.home(fp)
	if s.keys != nil {
		k := fp>>shardBits + 1
		for {
			if v := s.keys[h]; v == 0 || v >= k {
				return v == k
			}
			h++
		}
	}
	// Compact.
	if !s.bit(homeBits, h) {
		return false
	}
	rem := s.remainder(fp)
	i := s.group(h)
	for {
		if v := s.rem(i); v >= rem {
			return v == rem
		}
		i++
		if !s.bit(filledBits, i) || s.bit(startBits, i) {
			return false
		}
	}
}

func (s *shard) insert(fp uint64) bool {
	if s.count >= s.limit {
		s.grow()
	}
	h := s.home(fp)
	if s.keys != nil {
		return s.insertPlain(h, fp>>shardBits+1)
	}
	rem := s.remainder(fp)
	m := s.meta[h>>6*metaWords:]
	bit := uint64(1) << (h & 63)
	if m[filledBits]&bit == 0 {
		// An empty home: the entry starts its group there.
		m[filledBits] |= bit
		m[homeBits] |= bit
		m[startBits] |= bit
		s.setRem(h, rem)
		s.count++
		return true
	}
	c := s.clusterStart(h)
	k := s.rank(homeBits, c, h) // groups of homes c to h
	if m[homeBits]&bit != 0 {
		// h's group is the cluster's k-th, in increasing order of
		// remainder: look for rem in it, else add it in its place.
		first := s.selectStart(c, k, s.slots)
		i := first
		for {
			if v := s.rem(i); v >= rem {
				if v == rem {
					return false
				}
				break
			}
			i++
			if !s.bit(filledBits, i) || s.bit(startBits, i) {
				break
			}
		}
		s.insertAt(i, s.firstEmpty(i), rem, i == first)
		if i == first {
			// The old first entry, shifted up, no longer starts the group.
			s.meta[(i+1)>>6*metaWords+startBits] &^= 1 << ((i + 1) & 63)
		}
	} else {
		// A new group, after the k groups of homes c to h-1: where the
		// (k+1)-th starts, or at the end of the cluster. It is after h,
		// which is filled.
		m[homeBits] |= bit
		e := s.firstEmpty(h)
		s.insertAt(s.selectStart(c, k+1, e), e, rem, true)
	}
	s.count++
	return true
}

// insertPlain inserts entry k (a key plus 1) of home h into a plain shard,
// in its place in increasing order, and reports whether it was absent.
func (s *shard) insertPlain(h int, k uint64) bool {
	i := h
	for v := s.keys[i]; v != 0 && v < k; v = s.keys[i] {
		i++
	}
	if s.keys[i] == k {
		return false
	}
	e := i
	for s.keys[e] != 0 {
		e++
	}
	copy(s.keys[i+1:e+1], s.keys[i:e])
	s.keys[i] = k
	s.count++
	if e == s.slots-1 {
		s.extendPlain()
	}
	return true
}

// insertAt puts an entry with remainder rem in slot i, shifting the
// entries from i to e-1, the end of the cluster, up by one slot; start says
// whether it begins a group.
func (s *shard) insertAt(i, e int, rem uint64, start bool) {
	if e > i {
		shiftUp(s.rems, i*s.rb, e*s.rb, s.rb)
		s.shiftStarts(i, e)
	}
	s.setBit(filledBits, e)
	s.setRem(i, rem)
	if start {
		s.setBit(startBits, i)
	} else {
		s.meta[i>>6*metaWords+startBits] &^= 1 << (i & 63)
	}
	if e == s.slots-1 {
		s.extend()
	}
}

// shiftUp moves b[lo:hi] to b[lo+d:hi+d], for 0 < d <= 8, eight bytes at a
// time from the top. (copy's memmove is much slower on these short,
// overlapping and unaligned moves.)
func shiftUp(b []byte, lo, hi, d int) {
	_ = b[hi+d-1]
	x := hi
	for x-8 >= lo {
		x -= 8
		binary.LittleEndian.PutUint64(b[x+d:], binary.LittleEndian.Uint64(b[x:]))
	}
	for x > lo {
		x--
		b[x+d] = b[x]
	}
}

// shiftStarts moves the start bits of slots i to e-1 to slots i+1 to e.
func (s *shard) shiftStarts(i, e int) {
	bi, be := i>>6, e>>6
	for b := be; b >= bi; b-- {
		w := s.meta[b*metaWords+startBits]
		shifted := w << 1
		if b > bi {
			shifted |= s.meta[(b-1)*metaWords+startBits] >> 63
		}
		// The bits of slots i+1 to e in this block change.
		mask := ^uint64(0)
		if b == be {
			mask = ^uint64(0) >> (63 - e&63)
		}
		if b == bi {
			mask &= ^uint64(0) << (i & 63) << 1
		}
		s.meta[b*metaWords+startBits] = w&^mask | shifted&mask
	}
}

// remBits returns the number of bits that tell apart the keys of one home
// slot in a shard of n home slots: ceil(log2(ceil(2^56/n))).
func remBits(n uint64) uint {
	c := (1<<keyBits + n - 1) / n
	return uint(bits.Len64(c - 1))
}

// alloc gives the shard empty arrays for n home slots and at least extra
// more slots than the tail.
func (s *shard) alloc(n, extra int) {
	s.n = uint64(n)
	s.slots = (n + tailSlots + extra + 63) &^ 63
	s.r = remBits(s.n)
	s.rb = (int(s.r) + 7) / 8
	s.mask = 1<<s.r - 1
	s.metaMem = allocBytes(s.slots / 64 * metaWords * 8)
	s.meta = words(s.metaMem)
	s.rems = allocBytes(s.slots*s.rb + 8)
	s.limit = limitFor(n)
	s.count = 0
}

// limitFor returns the count at which a shard of n home slots grows.
func limitFor(n int) int {
	if n >= largeShard {
		return n / 10 * 9
	}
	return max(n/10*6, 1)
}

// allocPlain makes the shard plain, with empty arrays for n home slots
// and at least extra more slots than the tail.
func (s *shard) allocPlain(n, extra int) {
	s.n = uint64(n)
	s.slots = n + tailSlots + extra
	s.keysMem = allocBytes(s.slots * 8)
	s.keys = words(s.keysMem)
	s.limit = limitFor(n)
	s.count = 0
}

// extendPlain adds spare slots after a cluster that reached the last slot.
func (s *shard) extendPlain() {
	old := s.keysMem
	s.slots += 64
	s.keysMem = allocBytes(s.slots * 8)
	keys := words(s.keysMem)
	copy(keys, s.keys)
	s.keys = keys
	freeBytes(old)
}

// release returns the shard's arrays.
func (s *shard) release() {
	freeBytes(s.keysMem)
	freeBytes(s.metaMem)
	freeBytes(s.rems)
	s.keysMem, s.keys, s.metaMem, s.meta, s.rems = nil, nil, nil, nil, nil
}

// extend adds spare slots after a cluster that reached the last slot.
func (s *shard) extend() {
	old := *s
	s.slots += 64
	s.metaMem = allocBytes(s.slots / 64 * metaWords * 8)
	s.meta = words(s.metaMem)
	s.rems = allocBytes(s.slots*s.rb + 8)
	copy(s.meta, old.meta)
	copy(s.rems, old.rems)
	old.release()
}

// grow makes room for more fingerprints.
func (s *shard) grow() {
	n := int(s.n)
	if n < largeShard {
		n *= 2
	} else {
		n = n / 5 * 6
	}
	switch {
	case s.keys == nil:
		s.resize(n)
	case n >= s.compactAt:
		s.compact(n)
	default:
		s.growPlain(n)
	}
}

// compact moves a plain shard's entries to compact arrays of n home slots.
// A plain shard's entries are its keys in increasing order.
func (s *shard) compact(n int) {
	scratch := keyScratch.Get().(*[]uint64)
	keys := (*scratch)[:0]
	for _, v := range s.keys {
		if v != 0 {
			keys = append(keys, v-1)
		}
	}
	count := s.count
	s.release()
	s.alloc(n, 0)
	s.count = count
	s.place(keys)
	*scratch = keys
	keyScratch.Put(scratch)
}

// growPlain moves a plain shard's entries to new arrays of n home slots, in
// one pass: each, in increasing order, at its new home or just after the
// previous one.
func (s *shard) growPlain(n int) {
	old := *s
	s.allocPlain(n, 0)
	s.count = old.count
	next := 0
	for _, v := range old.keys {
		if v == 0 {
			continue
		}
		i := max(s.home((v-1)<<shardBits), next)
		for i >= s.slots-1 {
			s.extendPlain()
		}
		s.keys[i] = v
		next = i + 1
	}
	old.release()
}

// resize moves the shard's entries to new arrays of n home slots, in two
// passes over a scratch list of keys. The first rebuilds every key from
// its old home and remainder: the groups, in slot order, belong to the
// homes in increasing order, and a group's keys increase with its
// remainders but for one wrap around, so the keys come in increasing
// order once each group is rotated. The second puts each key at its new
// home or just after the previous one.
func (s *shard) resize(n int) {
	old := *s
	s.alloc(n, 0)
	s.count = old.count
	scratch := keyScratch.Get().(*[]uint64)
	keys := (*scratch)[:0]

	// The smallest key of old home h is ceil(h*2^56/old.n): q and r are the
	// quotient and remainder of h*2^56 by old.n, advanced with h.
	stepQ, stepR := bits.Div64(0, 1<<keyBits, old.n)
	var (
		h    = -1 // old home of the current group
		q, r uint64
		base uint64 // smallest key of home h
		hb   = -1   // block of the home bits cursor
		hw   uint64 // home bits of block hb not yet used
		gs   int    // index in keys of the current group's first key
	)
	for blk := 0; blk < old.slots/64; blk++ {
		filled := old.meta[blk*metaWords+filledBits]
		starts := old.meta[blk*metaWords+startBits]
		for filled != 0 {
			i := blk<<6 + bits.TrailingZeros64(filled)
			filled &= filled - 1
			if starts&(1<<(i&63)) != 0 {
				unwrap(keys[gs:], ^uint64(0))
				gs = len(keys)
				// The next home with its bit set.
				for hw == 0 {
					hb++
					hw = old.meta[hb*metaWords+homeBits]
				}
				next := hb<<6 + bits.TrailingZeros64(hw)
				hw &= hw - 1
				if d := next - h; h >= 0 && d <= 4 {
					for range d {
						q += stepQ
						if r += stepR; r >= old.n {
							r -= old.n
							q++
						}
					}
				} else {
					q, r = bits.Div64(uint64(next)>>(64-keyBits), uint64(next)<<keyBits, old.n)
				}
				h = next
				base = q
				if r != 0 {
					base++
				}
			}
			keys = append(keys, base+(old.rem(i)-base)&old.mask)
		}
	}
	unwrap(keys[gs:], ^uint64(0))
	old.release()
	s.place(keys)
	*scratch = keys
	keyScratch.Put(scratch)
}

// place puts keys, in increasing order, into the shard's empty arrays, a
// new group at a time. The rems are written in increasing order of slot,
// each with the 8 bytes from its first: the next slots' bytes are still
// zero.
func (s *shard) place(keys []uint64) {
	next := 0
	home := func(key uint64) int { return s.home(key << shardBits) }
	for j, hj := 0, 0; j < len(keys); {
		if j == 0 {
			hj = home(keys[0])
		}
		k, hk := j+1, -1
		for ; k < len(keys); k++ {
			if hk = home(keys[k]); hk != hj {
				break
			}
		}
		group := keys[j:k]
		i := max(hj, next)
		for i+len(group) >= s.slots-1 {
			s.extend()
		}
		s.meta[hj>>6*metaWords+homeBits] |= 1 << (hj & 63)
		s.meta[i>>6*metaWords+startBits] |= 1 << (i & 63)
		if len(group) > 1 {
			unwrap(group, s.mask)
		}
		for _, key := range group {
			s.meta[i>>6*metaWords+filledBits] |= 1 << (i & 63)
			binary.LittleEndian.PutUint64(s.rems[i*s.rb:], key&s.mask)
			i++
		}
		next = i
		j, hj = k, hk
	}
}

// keyScratch holds the key lists of resize and compact.
var keyScratch = sync.Pool{New: func() any { return new([]uint64) }}

// unwrap puts g, whose values masked by mask increase but for one wrap
// around, in increasing order of masked value: from the first one smaller
// than the one before, then the rest.
func unwrap(g []uint64, mask uint64) {
	p := 1
	for p < len(g) && g[p]&mask > g[p-1]&mask {
		p++
	}
	if p < len(g) {
		slices.Reverse(g[:p])
		slices.Reverse(g[p:])
		slices.Reverse(g)
	}
}

// nextBit returns the first slot at or after i whose bit of the given
// bitmap is set; there must be one.
func nextBit(s *shard, kind, i int) int {
	b := i >> 6
	w := s.meta[b*metaWords+kind] & (^uint64(0) << (i & 63))
	for w == 0 {
		b++
		w = s.meta[b*metaWords+kind]
	}
	return b<<6 + bits.TrailingZeros64(w)
}
