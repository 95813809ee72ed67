package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

// verdict is one property's, liveness property's or goal's answer, as
// the command prints it.
type verdict struct {
	Name   string            `json:"name"`
	Status properties.Status `json:"status"`
	Depth  int               `json:"depth,omitempty"`
	Reason string            `json:"reason,omitempty"` // why it is impossible or not checked
	Trace  *traces.Trace     `json:"-"`
}

// report is the outcome of one check, as check, reach, compare, hazards and
// the explorer print it: properties.Report's figures and verdicts, with
// the traces as traces.Trace and the peak memory the system reports.
type report struct {
	Settings    model.Settings `json:"-"`
	States      int64          `json:"states"`
	Transitions int64          `json:"transitions"`
	Depth       int            `json:"depth"`
	Seconds     float64        `json:"seconds"`
	PeakMemory  int64          `json:"peak_memory_bytes"`
	Disk        int64          `json:"disk_bytes"` // the search's temporary files at their largest
	BytesPerSt  float64        `json:"bytes_per_state"`
	Collision   float64        `json:"collision_probability"`
	Complete    bool           `json:"complete"`
	Decided     bool           `json:"decided"`
	Limit       checker.Limit  `json:"limit,omitempty"`
	NotRun      bool           `json:"not_run,omitempty"` // a compare row that Ctrl-C or SIGTERM came before
	Properties  []verdict      `json:"properties,omitempty"`
	Goals       []verdict      `json:"goals,omitempty"`
	Liveness    []verdict      `json:"-"`
	LiveRun     *liveRun       `json:"liveness_search,omitempty"`
}

// liveRun is what the liveness search of a check did.
type liveRun struct {
	Checked     bool          `json:"checked"`
	Strong      bool          `json:"strong_fairness"`
	Why         string        `json:"why,omitempty"` // why it was not checked
	States      int64         `json:"states,omitempty"`
	Transitions int64         `json:"transitions,omitempty"`
	Seconds     float64       `json:"seconds,omitempty"`
	GraphBytes  int64         `json:"graph_bytes,omitempty"` // the stored graph, internal accounting
	Complete    bool          `json:"complete"`
	Limit       checker.Limit `json:"limit,omitempty"`
}

// violated reports whether some property is violated.
func (r *report) violated() bool {
	return slices.ContainsFunc(slices.Concat(r.Properties, r.Liveness), func(v verdict) bool { return v.Status == properties.Violated })
}

// search checks props and goals in one pass (no liveness).
func search(ctx context.Context, s model.Settings, props []properties.Property, goals []properties.Goal, lim limitFlags, stderr io.Writer) (*report, error) {
	return checkTCP(ctx, s, props, nil, goals, lim, false, stderr)
}

// checkTCP runs properties.Check with the command's limits and progress
// and turns its report into the command's.
func checkTCP(ctx context.Context, s model.Settings, props []properties.Property, live []properties.Liveness, goals []properties.Goal, lim limitFlags, strong bool, stderr io.Writer) (*report, error) {
	if err := lim.validate(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, usageError{err.Error()}
	}
	opt := properties.Options{
		Workers:        lim.workers,
		MaxStates:      lim.maxStates,
		MaxMemory:      int64(lim.maxMemory),
		MaxTime:        lim.maxTime,
		StrongFairness: strong,
		TempDir:        lim.tmp,
	}
	if opt.MaxMemory == 0 {
		opt.MaxMemory = defaultMaxMemory()
	}
	if p := newProgress(stderr, lim.progress); p != nil {
		opt.Progress = p.report
		opt.ProgressEvery = p.every
		defer p.done()
	}
	pr, err := properties.Check(ctx, s, props, live, goals, opt)
	if err != nil {
		return nil, err
	}
	r := &report{Settings: s, Complete: true, PeakMemory: peakRSS()}
	if res := pr.Search; res != nil {
		r.States, r.Transitions, r.Depth, r.Seconds = res.States, res.Transitions, res.Depth, res.Elapsed.Seconds()
		r.BytesPerSt, r.Collision, r.Disk = res.BytesPerState, res.CollisionProbability, res.Disk
		r.Complete, r.Decided, r.Limit = res.Complete, res.Decided, res.Limit
	}
	convertAll := func(vs []properties.Verdict, kind traces.Kind) []verdict {
		var out []verdict
		for _, v := range vs {
			cv := verdict{Name: v.Name, Status: v.Status, Reason: v.Reason}
			if v.Trace != nil {
				cv.Trace = convert(s, kind, v.Name, v.Trace)
				cv.Trace.Note = v.Note
				cv.Depth = cv.Trace.Depth()
			}
			out = append(out, cv)
		}
		return out
	}
	r.Properties = convertAll(pr.Safety, traces.Violation)
	r.Goals = convertAll(pr.Goals, traces.Witness)
	r.Liveness = convertAll(pr.Liveness, traces.Violation)
	switch {
	case pr.Live != nil:
		r.LiveRun = &liveRun{Checked: true, Strong: strong, States: pr.Live.States, Transitions: pr.Live.Transitions,
			Seconds: pr.Live.Elapsed.Seconds(), GraphBytes: pr.Live.Memory, Complete: pr.Live.Complete, Limit: pr.Live.Limit}
	case pr.LiveWhy != "":
		r.LiveRun = &liveRun{Why: pr.LiveWhy}
	}
	return r, nil
}

// warnSettings notes on w settings that are valid but have no effect.
func warnSettings(w io.Writer, s model.Settings) {
	if s.Dup != 0 && s.Capacity == 1 {
		fmt.Fprintln(w, "tcpcheck: note: --dup has no effect with --capacity 1: a copy needs room beside the original")
	}
}

// convert turns the checker's trace into a traces.Trace.
func convert(s model.Settings, kind traces.Kind, name string, t *checker.Trace[model.State, model.Action]) *traces.Trace {
	out := &traces.Trace{Settings: s, Kind: kind, Name: name, Init: t.Init, Lasso: t.Lasso, LoopAt: t.LoopAt}
	for _, st := range t.Steps {
		out.Steps = append(out.Steps, traces.Step{Action: st.Action, Index: st.Index, State: st.State})
	}
	return out
}

// defaultMaxMemory is three quarters of the machine's memory.
func defaultMaxMemory() int64 {
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil {
		return 0
	}
	return int64(info.Totalram) * int64(info.Unit) / 4 * 3
}

// peakRSS is the process's peak resident memory in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024
}

// progress writes the search's progress to stderr: a live line on a
// terminal, a line every few seconds when asked for elsewhere.
type progress struct {
	w     io.Writer
	live  bool
	every time.Duration
}

func newProgress(w io.Writer, forced bool) *progress {
	live := isTerminal(w)
	switch {
	case live:
		return &progress{w: w, live: true, every: 500 * time.Millisecond}
	case forced:
		return &progress{w: w, every: 5 * time.Second}
	}
	return nil
}

func (p *progress) report(pr checker.Progress) {
	rate := float64(pr.States) / max(pr.Elapsed.Seconds(), 1e-9)
	line := fmt.Sprintf("%s states, %s states/s, depth %d, frontier %s, memory %s, %s",
		count(pr.States), count(int64(rate)), pr.Depth, count(int64(pr.Frontier)), byteCount(pr.Memory), pr.Elapsed.Round(time.Second))
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) done() {
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// count writes n with thousands separators.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// byteCount writes a byte count in MiB or GiB.
func byteCount(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
