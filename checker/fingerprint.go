package checker

import "hash/maphash"

// seed is the maphash seed of fingerprints, one per process.
var seed = maphash.MakeSeed()

// fingerprinter returns the fingerprint function of m. A model's own
// fingerprints are mixed (a bijection, so no new collisions) because the
// table needs their high bits to be random.
func fingerprinter[S comparable, A any](m Model[S, A]) func(S) uint64 {
	if f, ok := m.(Fingerprinter[S]); ok {
		return func(s S) uint64 { return mix64(f.Fingerprint(s)) }
	}
	return func(s S) uint64 { return maphash.Comparable(seed, s) }
}

// fingerprinterAt is fingerprinter for states passed by address.
func fingerprinterAt[S comparable, A any](m Model[S, A]) func(*S) uint64 {
	switch f := m.(type) {
	case FingerprinterAt[S]:
		return func(s *S) uint64 { return mix64(f.FingerprintAt(s)) }
	case Fingerprinter[S]:
		return func(s *S) uint64 { return mix64(f.Fingerprint(*s)) }
	}
	return func(s *S) uint64 { return maphash.Comparable(seed, *s) }
}

// mix64 is the finalizer of splitmix64: a bijection of uint64 in which every
// output bit depends on every input bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
