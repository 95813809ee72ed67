package checker

import "testing"

func TestLinks(t *testing.T) {
	var l links
	n := 3*linkBlock + 123
	for step := 1; l.len() < n; step = step*3 + 1 {
		old := l.len()
		m := min(old+step, n)
		l.resize(m)
		if l.len() != m || l.capacity() < m {
			t.Fatalf("resize(%d): len %d, capacity %d", m, l.len(), l.capacity())
		}
		for i := old; i < m; i++ {
			l.set(uint32(i), uint32(i*7), uint8(i))
		}
		// Unused room: less than one block, and a last block at most an
		// eighth (or 64 entries) above what it needs.
		if slack := l.capacity() - m; slack >= linkBlock || (slack > 64 && slack > (m%linkBlock)/8+1 && m%linkBlock != 0) {
			t.Errorf("%d states in room for %d", m, l.capacity())
		}
	}
	for i := range n {
		if p, a := l.get(uint32(i)); p != uint32(i*7) || a != uint8(i) {
			t.Fatalf("get(%d) = %d, %d; want %d, %d", i, p, a, i*7, uint8(i))
		}
	}
	if got, want := l.bytes(), int64(l.capacity())*linkBytes; got != want {
		t.Errorf("bytes = %d, want %d", got, want)
	}
}
