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
	runs []packRun // the bytes of State stored, in order
	// zero lists the 8-byte words of State that are not stored: the
	// segment slots past capacity, always empty.
	zero []uint8
}

// A packRun is bytes off to off+n-1 of State.
type packRun struct{ off, n uint8 }

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
	add := func(off, end uint8) {
		if k := len(p.runs) - 1; k >= 0 && p.runs[k].off+p.runs[k].n == off {
			p.runs[k].n += end - off
		} else {
			p.runs = append(p.runs, packRun{off, end - off})
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
	return p
}

// pack writes s into b[:p.size] and reports whether the bytes it leaves out
// are zero.
func (p *packing) pack(b []byte, s *State) bool {
	raw := s.Bytes()
	j := 0
	for _, r := range p.runs {
		j += copy(b[j:], raw[r.off:r.off+r.n])
	}
	var rest uint64
	for _, off := range p.zero {
		rest |= *(*uint64)(unsafe.Pointer(&raw[off]))
	}
	return rest == 0
}

// unpack reads the state that pack wrote into b.
func (p *packing) unpack(s *State, b []byte) {
	*s = State{}
	raw := s.Bytes()
	j := 0
	for _, r := range p.runs {
		j += copy(raw[r.off:r.off+r.n], b[j:])
	}
}
