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

// verdict is one property's or goal's answer.
type verdict struct {
	Name   string        `json:"name"`
	Status string        `json:"status"`
	Depth  int           `json:"depth,omitempty"`
	Reason string        `json:"reason,omitempty"` // why an impossible goal is impossible
	Trace  *traces.Trace `json:"-"`
}

// impossible is the status of a goal that the settings rule out
// (properties.Goal.Impossible); it is not searched.
const impossible = "impossible"

// report is the outcome of one search, as check, reach and compare print it.
type report struct {
	Settings    model.Settings `json:"-"`
	States      int64          `json:"states"`
	Transitions int64          `json:"transitions"`
	Depth       int            `json:"depth"`
	Seconds     float64        `json:"seconds"`
	PeakMemory  int64          `json:"peak_memory_bytes"`
	BytesPerSt  float64        `json:"bytes_per_state"`
	Collision   float64        `json:"collision_probability"`
	Complete    bool           `json:"complete"`
	Decided     bool           `json:"decided"`
	Limit       string         `json:"limit,omitempty"`
	Properties  []verdict      `json:"properties,omitempty"`
	Goals       []verdict      `json:"goals,omitempty"`
	Liveness    []verdict      `json:"-"`
	LiveRun     *liveRun       `json:"liveness_search,omitempty"`
}

// violated reports whether some property is violated.
func (r *report) violated() bool {
	for _, v := range append(slices.Clone(r.Properties), r.Liveness...) {
		if v.Status == checker.Violated.String() {
			return true
		}
	}
	return false
}

// search runs one check of the TCP model: props as safety properties,
// goals as reachability goals, all in one pass.
func search(ctx context.Context, s model.Settings, props []properties.Property, goals []properties.Goal, lim limitFlags, stderr io.Writer) (*report, error) {
	if err := lim.validate(); err != nil {
		return nil, err
	}
	m, err := model.New(s)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	var cps []checker.Property[model.State, model.Action]
	for _, p := range props {
		cp := checker.Property[model.State, model.Action]{Name: p.Name}
		if p.State != nil {
			cp.Kind = checker.Always
			cp.State = func(st model.State) bool { return p.State(m, st) }
		} else {
			cp.Kind = checker.AlwaysStep
			cp.Step = func(from model.State, a model.Action, to model.State) bool { return p.Step(m, from, a, to) }
		}
		cps = append(cps, cp)
	}
	var ruledOut []verdict // one per goal, Status "" for the goals searched
	for _, g := range goals {
		if g.Impossible != nil {
			if why := g.Impossible(s); why != "" {
				ruledOut = append(ruledOut, verdict{Name: g.Name, Status: impossible, Reason: why})
				continue
			}
		}
		ruledOut = append(ruledOut, verdict{})
		cps = append(cps, checker.Property[model.State, model.Action]{Name: g.Name, Kind: checker.Sometimes, State: g.Reached})
	}
	opt := checker.Options{
		Workers:   lim.workers,
		MaxStates: lim.maxStates,
		MaxMemory: int64(lim.maxMemory),
		MaxTime:   lim.maxTime,
	}
	if opt.MaxMemory == 0 {
		opt.MaxMemory = defaultMaxMemory()
	}
	if p := newProgress(stderr, lim.progress); p != nil {
		opt.Progress = p.report
		opt.ProgressEvery = p.every
		defer p.done()
	}
	res, err := checker.Check(ctx, m, cps, opt)
	if err != nil {
		return nil, err
	}
	r := &report{
		Settings:    s,
		States:      res.States,
		Transitions: res.Transitions,
		Depth:       res.Depth,
		Seconds:     res.Elapsed.Seconds(),
		PeakMemory:  peakRSS(),
		BytesPerSt:  res.BytesPerState,
		Collision:   res.CollisionProbability,
		Complete:    res.Complete,
		Decided:     res.Decided,
		Limit:       res.Limit,
	}
	for i, v := range res.Verdicts {
		out := verdict{Name: v.Property, Status: v.Status.String()}
		if v.Trace != nil {
			kind := traces.Violation
			if v.Kind == checker.Sometimes {
				kind = traces.Witness
			}
			out.Trace = convert(s, kind, v.Property, v.Trace)
			out.Depth = out.Trace.Depth()
			if i < len(props) && props[i].Explain != nil {
				out.Trace.Note = props[i].Explain(m, out.Trace.Last())
			}
		}
		if i < len(props) {
			r.Properties = append(r.Properties, out)
		} else {
			for len(r.Goals) < len(ruledOut) && ruledOut[len(r.Goals)].Status != "" {
				r.Goals = append(r.Goals, ruledOut[len(r.Goals)])
			}
			r.Goals = append(r.Goals, out)
		}
	}
	for len(r.Goals) < len(ruledOut) {
		r.Goals = append(r.Goals, ruledOut[len(r.Goals)])
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
	out := &traces.Trace{Settings: s, Kind: kind, Name: name, Init: t.Init}
	for _, st := range t.Steps {
		out.Steps = append(out.Steps, traces.Step{Action: st.Action, State: st.State})
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
