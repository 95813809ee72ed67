package checker

import "time"

// Options tune a run of Check. The zero value searches the whole state space
// with one worker per CPU and no limits.
type Options struct {
	// Workers is the number of goroutines that explore; 0 means
	// runtime.GOMAXPROCS(0); at most 256 are used. The result does not
	// depend on it.
	Workers int
	// MaxStates stops the search before it stores more than this many
	// states; 0 means no limit.
	MaxStates int64
	// MaxMemory stops the search when the engine's own structures (visited
	// table, frontiers, candidate buffers, buffers of the parent links) would
	// pass this many bytes. The model's own allocations are not counted. 0
	// means no limit. It is checked between the phases of a batch, so the
	// structures may pass it by what one batch adds; in return, where the
	// search stops and what it found by then do not depend on Workers or on
	// timing, as with MaxStates.
	// While Check runs, it also lowers the Go runtime's soft memory limit
	// (runtime/debug.SetMemoryLimit) to an eighth above MaxMemory, unless
	// it is lower already, so that garbage does not pile up on top of the
	// engine's structures; the previous limit is restored on return.
	MaxMemory int64
	// FrontierMemory is the memory in bytes for the states of the frontier
	// (the level being expanded and the next one); past it, a level goes to
	// a temporary file. The next level has half of it, in two buffers, one
	// filling while the other is written to disk, so that it spills past a
	// quarter. 0 means 32 MiB, or MaxMemory/8 if that is less. A level
	// read back from its file is read a batch at a time into two more
	// buffers (one read ahead), which are counted under MaxMemory but not
	// here.
	FrontierMemory int64
	// TempDir is the directory of the temporary files (the frontier's
	// levels that outgrow FrontierMemory, and the parent links); "" means
	// os.TempDir(). Every file is removed before Check returns.
	TempDir string
	// MaxTime stops the search after this long; 0 means no limit.
	MaxTime time.Duration
	// StrongFairness makes CheckLiveness assume strong fairness of the
	// fair actions instead of weak: a cycle along which one is enabled in
	// some state, not only in every state, and never taken is not a run.
	// With tick as the fair action, that excludes runs in which time could
	// pass again and again and never does (Zeno runs).
	StrongFairness bool
	// Progress, if not nil, is called every ProgressEvery from one goroutine
	// while the search runs, and never after Check returns.
	Progress func(Progress)
	// ProgressEvery is the period of Progress calls; 0 means one second.
	ProgressEvery time.Duration
}

// Progress is a snapshot of a running search.
type Progress struct {
	// States is the number of distinct states stored so far.
	States int64
	// Transitions is the number of transitions generated so far.
	Transitions int64
	// Depth is the depth of the frontier being expanded.
	Depth int
	// Frontier is the number of states in that frontier.
	Frontier int
	// Elapsed is the time since Check started.
	Elapsed time.Duration
	// Memory is the engine's current estimate of its own memory in bytes.
	Memory int64
}
