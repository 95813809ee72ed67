package checker

import (
	"os"
	"slices"
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

// TestLinksAddRun: links added in runs are stored as links added one by
// one.
func TestLinksAddRun(t *testing.T) {
	sp := &spill{dir: t.TempDir()}
	defer sp.close()
	one, run := links{sp: sp}, links{sp: sp}
	var base uint64
	for r := range 1500 {
		// A run of r%191 links from parents base to base+r*3, with
		// gaps of every size.
		var parents []int32
		var actions []uint8
		for j := range r % 191 {
			parents = append(parents, int32(j*j%(r*3+1)))
			actions = append(actions, uint8(r+j))
		}
		slices.Sort(parents)
		for j, p := range parents {
			if err := one.add(base+uint64(p), actions[j]); err != nil {
				t.Fatal(err)
			}
		}
		if err := run.addRun(base, parents, actions); err != nil {
			t.Fatal(err)
		}
		base += uint64(r * r * 3)
	}
	if one.n != run.n || one.flushed != run.flushed || !slices.Equal(one.buf, run.buf) || !slices.Equal(one.marks, run.marks) {
		t.Fatalf("one by one: %d links, %d bytes flushed, %d in the buffer; in runs: %d, %d, %d", one.n, one.flushed, len(one.buf), run.n, run.flushed, len(run.buf))
	}
	if run.flushed == 0 {
		t.Fatalf("%d links, none flushed", run.n)
	}
	for i := int64(0); i < run.n; i += 101 {
		p1, a1, err1 := one.get(i)
		p2, a2, err2 := run.get(i)
		if err1 != nil || err2 != nil || p1 != p2 || a1 != a2 {
			t.Fatalf("get(%d) = %d, %d, %v one by one; %d, %d, %v in runs", i, p1, a1, err1, p2, a2, err2)
		}
	}
}
