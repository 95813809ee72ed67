package checker

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// packedGrid is grid with a Packer: a state in 3 bytes.
type packedGrid struct{ grid }

func (packedGrid) Packing() (int, func([]byte, *[3]int8) bool, func(*[3]int8, []byte)) {
	return 3,
		func(b []byte, s *[3]int8) bool {
			b[0], b[1], b[2] = byte(s[0]), byte(s[1]), byte(s[2])
			return true
		},
		func(s *[3]int8, b []byte) { *s = [3]int8{int8(b[0]), int8(b[1]), int8(b[2])} }
}

// badPacker refuses to pack 7.
type badPacker struct{ line }

func (badPacker) Packing() (int, func([]byte, *int64) bool, func(*int64, []byte)) {
	return 8,
		func(b []byte, s *int64) bool { binary.LittleEndian.PutUint64(b, uint64(*s)); return *s != 7 },
		func(s *int64, b []byte) { *s = int64(binary.LittleEndian.Uint64(b)) }
}

// labelled is grid with states that hold a string, which cannot be written
// to a file: they stay in memory.
type labelled struct{ g grid }

type label struct {
	at   [3]int8
	name string
}

func (m labelled) Init(yield func(label)) {
	m.g.Init(func(s [3]int8) { yield(label{s, fmt.Sprint(s)}) })
}

func (m labelled) Next(s label, yield func(string, label)) {
	m.g.Next(s.at, func(a string, t [3]int8) { yield(a, label{t, fmt.Sprint(t)}) })
}

// emptyDir fails the test if dir holds any file.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	if names, err := os.ReadDir(dir); err != nil || len(names) != 0 {
		t.Errorf("temporary directory: %d files left (%v)", len(names), err)
	}
}

// TestSpill checks that a frontier written to temporary files gives the
// same result as one kept in memory, with the model's packing, with the
// states' own bytes, and with states kept in memory, for any number of
// workers; and that the files are gone after.
func TestSpill(t *testing.T) {
	w, budget, chunk := int8(40), int64(3000), 4
	if raceEnabled {
		w, budget, chunk = 12, 200, 1
	}
	far := [3]int8{w - 1, w - 1, w - 1}
	props := []Property[[3]int8, string]{
		Sometimes[[3]int8, string]("far corner", func(s *[3]int8) bool { return *s == far }),
		Always[[3]int8, string]("avoid", func(s *[3]int8) bool { return *s != [3]int8{w / 2, 1, w / 3} }),
		AlwaysStep[[3]int8, string]("no -y above z", func(f *[3]int8, a *string, _ *[3]int8) bool { return !(*a == "-y" && (*f)[2] > (*f)[1]+3) }),
	}
	want := checkWith(t, grid{w}, props, Options{Workers: 1}, chunk)
	want.Memory, want.Disk = 0, 0
	for _, m := range []Model[[3]int8, string]{grid{w}, packedGrid{grid{w}}} {
		for _, workers := range []int{1, 2, 4} {
			dir := t.TempDir()
			// Room for 1000 states of 3 bytes, batches of 32 chunks of 4
			// (with -race, 66 states and chunks of 1): the larger levels
			// go to disk.
			before, beforeAhead := spilled.Load(), readAheads.Load()
			res := checkWith(t, m, props, Options{Workers: workers, FrontierMemory: budget, TempDir: dir}, chunk)
			if n := spilled.Load() - before; n < res.States {
				t.Errorf("%T, %d workers: %d bytes of frontier written for %d states, want more", m, workers, n, res.States)
			}
			if readAheads.Load() == beforeAhead {
				t.Errorf("%T, %d workers: no batch was read ahead from the file", m, workers)
			}
			res.Memory, res.Disk = 0, 0
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("%T, %d workers: result differs from the one in memory (-want +got):\n%s", m, workers, diff)
			}
			emptyDir(t, dir)
		}
	}
	// Strings in the states: kept in memory, same counts.
	all := mustCheck(t, grid{w}, nil, Options{})
	res := mustCheck(t, labelled{grid{w}}, nil, Options{Workers: 2, FrontierMemory: 3000})
	if statsOf(res) != statsOf(all) {
		t.Errorf("labelled: %+v, want %+v", statsOf(res), statsOf(all))
	}
}

func TestPackerRefuses(t *testing.T) {
	_, err := Check(context.Background(), badPacker{}, nil, Options{MaxStates: 100})
	if err == nil || err.Error() != "checker: the model's Packer cannot pack state 7" {
		t.Errorf("err = %v, want one about state 7", err)
	}
}

// TestSpillLimits checks that a search stopped by a limit or cancelled
// leaves no file behind.
func TestSpillLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Options
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"max-states", Options{MaxStates: 20_000}, nil},
		{"max-memory", Options{MaxMemory: 1 << 20}, nil},
		{"max-time", Options{MaxTime: 30 * time.Millisecond}, nil},
		{"interrupted", Options{}, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 30*time.Millisecond)
		}},
	} {
		dir := t.TempDir()
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if tc.ctx != nil {
			ctx, cancel = tc.ctx()
		}
		opt := tc.opt
		opt.TempDir, opt.FrontierMemory, opt.Workers = dir, 1000, 2
		res, err := Check(ctx, grid{100}, nil, opt)
		cancel()
		if err != nil || res.Limit.String() != tc.name {
			t.Errorf("%s: limit %q, err %v", tc.name, res.Limit, err)
		}
		emptyDir(t, dir)
	}
	// A directory that does not exist: an error, not a crash.
	_, err := Check(context.Background(), grid{60}, nil, Options{TempDir: "/nonexistent/dir", FrontierMemory: 1000})
	if err == nil {
		t.Errorf("TempDir that does not exist: no error")
	}
}

// atGrid is grid with both fingerprint methods, FingerprintAt counting its
// calls.
type atGrid struct {
	grid
	calls *atomic.Int64
}

func (atGrid) Fingerprint(s [3]int8) uint64 { return uint64(s[0])<<16 | uint64(s[1])<<8 | uint64(s[2]) }

func (m atGrid) FingerprintAt(s *[3]int8) uint64 {
	m.calls.Add(1)
	return m.Fingerprint(*s)
}

func TestFingerprinterAt(t *testing.T) {
	calls := new(atomic.Int64)
	res := mustCheck(t, atGrid{grid{20}, calls}, nil, Options{Workers: 2})
	want := mustCheck(t, grid{20}, nil, Options{})
	if statsOf(res) != statsOf(want) || calls.Load() < res.Transitions {
		t.Errorf("%+v, %d calls of FingerprintAt; want %+v, one call a transition", statsOf(res), calls.Load(), statsOf(want))
	}
}

// TestMemoryAccounting checks that the memory the engine takes from the
// system is within its accounting while it runs, and all returned after.
func TestMemoryAccounting(t *testing.T) {
	if raceEnabled {
		t.Skip("slow")
	}
	var worst int64
	opt := Options{Workers: 2, FrontierMemory: 1 << 20, ProgressEvery: time.Millisecond}
	opt.Progress = func(p Progress) {
		if over := sysBytes.Load() - p.Memory; over > worst {
			worst = over
		}
	}
	res := mustCheck(t, grid{100}, nil, opt)
	if got := sysBytes.Load(); got != 0 {
		t.Errorf("%d bytes not returned to the system after Check", got)
	}
	// Progress samples the accounting while tables grow: allow a shard.
	if worst > res.Memory/64 {
		t.Errorf("system memory passed the accounting by %d bytes (peak accounting %d)", worst, res.Memory)
	}
}
