package checker

import (
	"os"
	"testing"
)

func TestLinks(t *testing.T) {
	dir := t.TempDir()
	sp := &spill{dir: dir}
	defer sp.close()
	l := links{sp: sp}
	// Parents that never decrease, with gaps of every size.
	n := int64(5*linkEvery + 123)
	parent := func(i int64) uint64 { return uint64(i/3) + uint64(i%7)*uint64(i/linkEvery)<<20 + uint64(i)*uint64(i) }
	for i := range n {
		if err := l.add(parent(i), uint8(i)); err != nil {
			t.Fatal(err)
		}
	}
	if l.file == nil || l.flushed == 0 || len(l.buf) == 0 {
		t.Fatalf("%d links: %d bytes flushed, %d in the buffer; want some of each", n, l.flushed, len(l.buf))
	}
	for _, i := range []int64{0, 1, linkEvery - 1, linkEvery, 3*linkEvery + 17, n - 1} {
		p, a, err := l.get(i)
		if err != nil || p != parent(i) || a != uint8(i) {
			t.Errorf("get(%d) = %d, %d, %v; want %d, %d", i, p, a, err, parent(i), uint8(i))
		}
	}
	for i := range n {
		if p, a, err := l.get(i); err != nil || p != parent(i) || a != uint8(i) {
			t.Fatalf("get(%d) = %d, %d, %v; want %d, %d", i, p, a, err, parent(i), uint8(i))
		}
	}
	if _, _, err := l.get(n); err == nil {
		t.Errorf("get(%d) of %d links: no error", n, n)
	}
	if sp.size != l.flushed || sp.peak != l.flushed {
		t.Errorf("spill size %d, peak %d; want %d", sp.size, sp.peak, l.flushed)
	}
	// The file has no name left in the directory (Unix), and none at all
	// once closed.
	sp.close()
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("%d files left in the temporary directory", len(names))
	}
}
