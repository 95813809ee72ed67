package model

import "testing"

// TestSpaceSerialArithmetic checks the methods of Space against their
// definitions (MODEL.md "SEGMENT ARRIVES": a < b when 0 < (b-a) mod N <
// N/2), for every pair of numbers of every space from 4 to 32 and of 256.
// Reference: RFC 9293 section 3.4
func TestSpaceSerialArithmetic(t *testing.T) {
	for _, n := range []int{4, 6, 8, 12, 16, 32, 256} {
		sp := NewSpace(n)
		mod := func(x int) int { return ((x % n) + n) % n }
		for a := range n {
			for b := range n {
				va, vb := Seq(a), Seq(b)
				d := mod(b - a)
				if got, want := sp.LessThan(va, vb), d > 0 && d < n/2; got != want {
					t.Fatalf("n=%d: LessThan(%d, %d) = %v, want %v", n, a, b, got, want)
				}
				if got, want := sp.LessThanEq(va, vb), d < n/2; got != want {
					t.Fatalf("n=%d: LessThanEq(%d, %d) = %v, want %v", n, a, b, got, want)
				}
				if got := sp.Size(va, vb); int(got) != d {
					t.Fatalf("n=%d: Size(%d, %d) = %d, want %d", n, a, b, got, d)
				}
				if got := sp.Add(va, Size(b)); int(got) != mod(a+b) {
					t.Fatalf("n=%d: Add(%d, %d) = %d, want %d", n, a, b, got, mod(a+b))
				}
				for size := range n {
					want := sp.LessThanEq(va, vb) && sp.LessThan(vb, Seq(mod(a+size)))
					if got := sp.InWindow(vb, va, Size(size)); got != want {
						t.Fatalf("n=%d: InWindow(%d, %d, %d) = %v, want %v", n, b, a, size, got, want)
					}
					if got := sp.InRange(vb, va, Seq(mod(a+size))); got != want {
						t.Fatalf("n=%d: InRange(%d, %d, %d) = %v, want %v", n, b, a, mod(a+size), got, want)
					}
				}
			}
		}
	}
}

// TestWindowOfHalfTheSpace pins down what the literal serial reading of
// the acceptability test does when the window is N/2, the largest that
// Validate allows: RCV.NXT+RCV.WND is not after RCV.NXT, so RCV.NXT itself
// is outside the window and only the N/2-1 numbers after it are inside.
// Reference: RFC 9293 section 3.10.7.4 (first); RFC 1982 section 3.2
func TestWindowOfHalfTheSpace(t *testing.T) {
	sp := NewSpace(8)
	if sp.InWindow(3, 3, 4) {
		t.Errorf("InWindow(3, 3, 4) in a space of 8: RCV.NXT accepted")
	}
	for v := Seq(4); v <= 6; v++ {
		if !sp.InWindow(v, 3, 4) {
			t.Errorf("InWindow(%d, 3, 4) in a space of 8: want in the window", v)
		}
	}
}
