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
// multiply-mix over 16-byte blocks).
func (m *Model) Fingerprint(s State) uint64 { return Fingerprint(&s) }

// Fingerprint returns a 64-bit hash of the canonical state s.
func Fingerprint(s *State) uint64 {
	const (
		p0 = 0xa0761d6478bd642f
		p1 = 0xe7037ed1a0b428db
		p2 = 0x8ebc6af09c88c6e3
	)
	b := s.Bytes()
	h := uint64(p0) ^ uint64(stateSize)
	for len(b) >= 16 {
		h = mix(binary.LittleEndian.Uint64(b)^p1, binary.LittleEndian.Uint64(b[8:])^h)
		b = b[16:]
	}
	var tail [16]byte
	copy(tail[:], b)
	h = mix(binary.LittleEndian.Uint64(tail[:])^p1, binary.LittleEndian.Uint64(tail[8:])^h)
	return mix(h^p2, h^p0)
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}
