package model

import "unsafe"

// A State takes 100 bytes, most of them often zero: under the MODEL.md
// defaults a direction holds one segment, so three of its four segment
// slots are always empty. The packed form keeps the bytes of State (its
// canonical encoding, see Bytes) that the settings let be nonzero: the
// TCBs, each direction's count and its first capacity segment slots, and
// the counters. That is 52 bytes under the defaults, 68 with capacity 2,
// and it packs and unpacks by copying a few runs of bytes, in a few
// nanoseconds. (Packing each field into the bits its bound needs would take
// 18 bytes under the defaults, but a field at a time, ten times as long.)
// The checker keeps the frontier of its search in this form, in memory and
// on disk (checker.Packer).

// A packing is the packed form for one model's settings.
type packing struct {
	size int
	// moves copy the bytes of State stored (runs of bytes, in order) in
	// 8-byte words; see movesOf.
	moves []move
	// zero lists the 8-byte words of State that are not stored: the
	// segment slots past capacity, always empty.
	zero []uint8
}

// A packRun is bytes off to off+n-1 of State.
type packRun struct{ off, n uint8 }

// A move copies the 8 bytes at offset state of State to offset packed of
// the packed form, or back.
type move struct{ state, packed uint8 }

// Packing returns the size in bytes of a packed state under m's settings
// and the functions that pack a state into that many bytes and unpack it.
// pack reports false if s has a segment in a slot past capacity, which a
// reachable state never has. It implements checker.Packer.
func (m *Model) Packing() (size int, pack func(b []byte, s *State) bool, unpack func(s *State, b []byte)) {
	p := m.packing()
	return p.size, p.pack, p.unpack
}

// PackedSize returns the size in bytes of a packed state under m's
// settings.
func (m *Model) PackedSize() int { return m.packing().size }

// packing computes the packed form from the settings. A model with a
// seeded mistake (mutants_test.go) may break the bounds, so it stores
// every byte.
func (m *Model) packing() *packing {
	var s State
	base := uintptr(unsafe.Pointer(&s))
	at := func(p unsafe.Pointer) uint8 { return uint8(uintptr(p) - base) }
	capacity := m.set.Capacity
	if m.mutant != mutNone {
		capacity = MaxCapacity
	}
	p := &packing{}
	var runs []packRun
	add := func(off, end uint8) {
		if k := len(runs) - 1; k >= 0 && runs[k].off+runs[k].n == off {
			runs[k].n += end - off
		} else {
			runs = append(runs, packRun{off, end - off})
		}
		p.size += int(end - off)
	}
	add(at(unsafe.Pointer(&s.TCB)), at(unsafe.Pointer(&s.Net)))
	for d := range s.Net {
		q := &s.Net[d]
		add(at(unsafe.Pointer(q)), at(unsafe.Pointer(&q.Segs[capacity-1]))+uint8(unsafe.Sizeof(Segment{})))
		for i := capacity; i < MaxCapacity; i++ {
			p.zero = append(p.zero, at(unsafe.Pointer(&q.Segs[i])))
		}
	}
	add(at(unsafe.Pointer(&s.Clock)), uint8(stateSize))
	p.moves = movesOf(runs)
	return p
}

// movesOf returns the 8-byte moves that copy runs, stored one after the
// other, in an order that makes every byte right at the end. A run of 8
// bytes or more is its words, the last one overlapping the one before
// when the length is not a multiple of 8. A shorter run (the counters at
// the end of State) is the 8 bytes that end with it: that move also
// copies the bytes before the run, wrong ones, so it comes first, and the
// moves of the earlier runs overwrite them (and unpack clears the slots
// past capacity after). The first run, the TCBs, is longer than 8 bytes.
func movesOf(runs []packRun) []move {
	var first, rest []move
	packed := uint8(0)
	for _, r := range runs {
		end := packed + r.n
		if r.n < 8 {
			first = append(first, move{r.off + r.n - 8, end - 8})
		} else {
			for k := uint8(0); k+8 <= r.n; k += 8 {
				rest = append(rest, move{r.off + k, packed + k})
			}
			if r.n%8 != 0 {
				rest = append(rest, move{r.off + r.n - 8, end - 8})
			}
		}
		packed = end
	}
	return append(first, rest...)
}

// pack writes s into b[:p.size] and reports whether the bytes it leaves out
// are zero.
func (p *packing) pack(b []byte, s *State) bool {
	dst := unsafe.Pointer(unsafe.SliceData(b[:p.size]))
	src := unsafe.Pointer(s)
	for _, mv := range p.moves {
		*(*uint64)(unsafe.Add(dst, mv.packed)) = *(*uint64)(unsafe.Add(src, mv.state))
	}
	var rest uint64
	for _, off := range p.zero {
		rest |= *(*uint64)(unsafe.Add(src, off))
	}
	return rest == 0
}

// unpack reads the state that pack wrote into b.
func (p *packing) unpack(s *State, b []byte) {
	src := unsafe.Pointer(unsafe.SliceData(b[:p.size]))
	dst := unsafe.Pointer(s)
	for _, mv := range p.moves {
		*(*uint64)(unsafe.Add(dst, mv.state)) = *(*uint64)(unsafe.Add(src, mv.packed))
	}
	for _, off := range p.zero {
		*(*uint64)(unsafe.Add(dst, off)) = 0
	}
}
