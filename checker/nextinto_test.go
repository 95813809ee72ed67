package checker

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gridInto is grid with NextInto: it writes each successor and its action
// to the engine's memory, and scribbles on them between successors, as a
// model that builds successors in place may.
type gridInto struct{ grid }

func (g gridInto) NextInto(s, to *[3]int8, a *string, yield func()) {
	g.Next(*s, func(act string, t [3]int8) {
		*to, *a = t, act
		yield()
		*to, *a = [3]int8{-1, -1, -1}, "scribbled"
	})
}

func TestNextInto(t *testing.T) {
	w := int8(30)
	if raceEnabled {
		w = 10
	}
	props := []Property[[3]int8, string]{
		Sometimes[[3]int8, string]("far corner", func(s *[3]int8) bool { return *s == [3]int8{w - 1, w - 1, w - 1} }),
		AlwaysStep[[3]int8, string]("no -y above z", func(f *[3]int8, a *string, _ *[3]int8) bool { return !(*a == "-y" && (*f)[2] > (*f)[1]+3) }),
		AlwaysStep[[3]int8, string]("no rotation to 1,2,3", func(_ *[3]int8, a *string, to *[3]int8) bool { return !(*a == "rotate" && *to == [3]int8{1, 2, 3}) }),
	}
	for _, chunk := range []int{defaultChunkSize, 37} {
		want := checkWith(t, grid{w}, props, Options{Workers: 1}, chunk)
		for _, workers := range []int{1, 2, 3} {
			got := checkWith(t, gridInto{grid{w}}, props, Options{Workers: workers}, chunk)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%d workers, chunks of %d: NextInto's result differs from Next's (-Next +NextInto):\n%s", workers, chunk, diff)
			}
		}
	}
}
