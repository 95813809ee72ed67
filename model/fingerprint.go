package model

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// stateSize is the size of State in bytes. State holds only byte-sized
// fields, so it has no padding and its bytes are its canonical encoding.
const stateSize = int(unsafe.Sizeof(State{}))

// Bytes returns the canonical encoding of s: two states are equal exactly
// when their encodings are.
func (s *State) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(s)), stateSize)
}

// Fingerprint returns a 64-bit hash of the canonical state (wyhash's
// multiply-mix, three independent lanes over 48-byte blocks as wyhash does
// for long inputs, so that the multiplications of a block overlap).
func (m *Model) Fingerprint(s State) uint64 { return Fingerprint(&s) }

// Fingerprint returns a 64-bit hash of the canonical state s.
func Fingerprint(s *State) uint64 {
	const (
		p0 = 0xa0761d6478bd642f
		p1 = 0xe7037ed1a0b428db
		p2 = 0x8ebc6af09c88c6e3
		p3 = 0x589965cc75374cc3
	)
	b := s.Bytes()
	h := uint64(p0) ^ uint64(stateSize)
	h1, h2 := h, h
	for len(b) >= 48 {
		h = mix(binary.LittleEndian.Uint64(b)^p1, binary.LittleEndian.Uint64(b[8:])^h)
		h1 = mix(binary.LittleEndian.Uint64(b[16:])^p2, binary.LittleEndian.Uint64(b[24:])^h1)
		h2 = mix(binary.LittleEndian.Uint64(b[32:])^p3, binary.LittleEndian.Uint64(b[40:])^h2)
		b = b[48:]
	}
	h ^= h1 ^ h2
	for len(b) >= 16 {
		h = mix(binary.LittleEndian.Uint64(b)^p1, binary.LittleEndian.Uint64(b[8:])^h)
		b = b[16:]
	}
	// The last bytes, read without a copy: a copy's narrow stores would
	// stall the wide loads after them.
	var lo, hi uint64
	switch n := len(b); {
	case n >= 8:
		lo = binary.LittleEndian.Uint64(b)
		for i := n - 1; i >= 8; i-- {
			hi = hi<<8 | uint64(b[i])
		}
	case n >= 4:
		lo = uint64(binary.LittleEndian.Uint32(b))
		for i := n - 1; i >= 4; i-- {
			lo |= uint64(b[i]) << (8 * i)
		}
	default:
		for i := n - 1; i >= 0; i-- {
			lo = lo<<8 | uint64(b[i])
		}
	}
	h = mix(lo^p1, hi^h)
	return mix(h^p2, h^p0)
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}
