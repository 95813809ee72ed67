package model

// Sequence numbers, after gVisor's pkg/tcpip/seqnum (Value, Size,
// LessThan, InRange, InWindow, Add). RFC 9293 3.4: "all arithmetic dealing
// with sequence numbers must be performed modulo 2**32". The model's
// sequence space is a setting (seq-space, an even number from 4 to 256),
// so the modulus is a value, Space, and the arithmetic is its methods:
// where gVisor writes a.LessThan(b), the model writes sp.LessThan(a, b).

// Seq is a sequence number (gVisor's seqnum.Value): ISS, SND.UNA, SND.NXT,
// IRS, RCV.NXT, SEG.SEQ, SEG.ACK and the ISN clock. It lies in 0..N-1 for
// the Space it belongs to.
type Seq uint8

// Size is a distance in the sequence space (gVisor's seqnum.Size): SEG.LEN,
// a window, how much is outstanding. Within a Space it is less than N.
type Size uint8

// Space is a sequence-number space of N numbers, 0..N-1, with arithmetic
// modulo N and serial comparisons (MODEL.md "SEGMENT ARRIVES": a < b when
// 0 < (b-a) mod N < N/2). Its methods are small enough to inline.
type Space struct{ n int }

// NewSpace returns the space of n sequence numbers (seq-space); n is even
// and from 4 to 256 (Settings.Validate checks it).
func NewSpace(n int) Space { return Space{n} }

// N returns the number of sequence numbers in sp.
func (sp Space) N() int { return sp.n }

// Add returns v+k modulo N (k < N).
func (sp Space) Add(v Seq, k Size) Seq {
	x := int(v) + int(k)
	if x >= sp.n {
		x -= sp.n
	}
	return Seq(x)
}

// Size returns the distance from a to b, (b-a) mod N: how many numbers
// from a up to, not including, b.
func (sp Space) Size(a, b Seq) Size {
	d := int(b) - int(a)
	if d < 0 {
		d += sp.n
	}
	return Size(d)
}

// LessThan reports whether a < b in serial arithmetic: 0 < (b-a) mod N < N/2.
func (sp Space) LessThan(a, b Seq) bool {
	d := int(b) - int(a)
	if d < 0 {
		d += sp.n
	}
	return d > 0 && 2*d < sp.n
}

// LessThanEq reports whether a =< b in serial arithmetic: a = b or a < b.
func (sp Space) LessThanEq(a, b Seq) bool { return a == b || sp.LessThan(a, b) }

// InRange reports whether a =< v < b in serial arithmetic, each comparison
// as LessThanEq and LessThan read it (RFC 9293's "RCV.NXT =< SEG.SEQ <
// RCV.NXT+RCV.WND" is InRange(SEG.SEQ, RCV.NXT, RCV.NXT+RCV.WND)). Unlike
// gVisor's InRange, which measures v-a against b-a, it reads both
// comparisons literally, as MODEL.md does: when b-a is N/2, a < b does not
// hold, and a itself is not in the range.
func (sp Space) InRange(v, a, b Seq) bool { return sp.LessThanEq(a, v) && sp.LessThan(v, b) }

// InWindow reports whether v is in the window of size numbers starting at
// first: InRange(v, first, first+size), computed from d = (v-first) mod N
// alone so that it inlines: first =< v is d < N/2, and v < first+size is
// 0 < size-d < N/2.
func (sp Space) InWindow(v, first Seq, size Size) bool {
	d := int(v) - int(first)
	if d < 0 {
		d += sp.n
	}
	return d < int(size) && 2*d < sp.n && 2*(int(size)-d) < sp.n
}
