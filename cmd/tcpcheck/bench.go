package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

// A benchSize is a named setting of the TCP model for the benchmark, with
// the state count it must reach.
type benchSize struct {
	name   string
	args   []string // settings flags, on top of the MODEL.md defaults
	states int64    // the known state count
}

// benchSizes are the settings 'tcpcheck bench' runs: about 10^6, 10^7 and
// 10^8 states, and spin, the space on which tcpcheck is compared with
// SPIN's pan running the Promela twin of the model (both store 8,400,889
// states); every property checked as 'tcpcheck check' does.
var benchSizes = []benchSize{
	{"small", []string{"--data", "0"}, 1_010_981},
	{"medium", nil, 9_607_907},
	{"large", []string{"--loss", "3"}, 98_431_476},
	{"spin", []string{"--seq-space", "16", "--capacity", "1", "--opens", "2", "--loss", "unbounded", "--data", "0"}, 8_400_889},
}

// describe says what a size's settings are.
func (sz benchSize) describe() string {
	if len(sz.args) == 0 {
		return "the MODEL.md defaults"
	}
	return strings.Join(sz.args, " ") + ", the MODEL.md defaults otherwise"
}

// benchResult is one run of the benchmark.
type benchResult struct {
	Size         string  `json:"size"`
	Workers      int     `json:"workers"`
	States       int64   `json:"states"`
	Seconds      float64 `json:"seconds"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	StatesPerSec float64 `json:"states_per_second"`
	// PeakRSS is the peak resident memory of the process, as the system
	// measures it.
	PeakRSS int64 `json:"peak_rss_bytes"`
	// Memory is the engine's own accounting of its peak memory (visited
	// table, frontiers, buffers).
	Memory int64 `json:"engine_memory_bytes"`
	// Disk is the peak size of the engine's temporary files.
	Disk   int64  `json:"disk_bytes"`
	Allocs uint64 `json:"allocs"`
}

func cmdBench(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	workers := fs.String("workers", strconv.Itoa(runtime.GOMAXPROCS(0)), "the worker `COUNTS` to measure, comma-separated, e.g. 1,2")
	size := fs.String("size", "medium", "the `SIZES`: small (~10^6 states), medium (~10^7), large (~10^8), spin (SPIN's pan comparison) or all; comma-separated")
	repeat := fs.Int("count", 1, "run each size and worker count `N` times")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the runs to `FILE`")
	tmp := fs.String("tmp", "", "`DIR` for the temporary files (default: the system's)")
	if err := parseFlags(fs, args); err != nil {
		if err == flag.ErrHelp {
			printDefaults(fs, stdout, "Usage: tcpcheck bench [options]\n\nRuns 'tcpcheck check' on named settings and prints its speed and memory:\nthe peak resident memory the system measured, per state, and beside it\nthe engine's own accounting and its temporary files on disk.")
			return exitHolds, nil
		}
		return 0, err
	}
	var counts []int
	for _, w := range strings.Split(*workers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 0 || n > 256 {
			return 0, usagef("--workers: %q is not allowed (want 0 for every CPU, or 1 to 256, as check takes)", w)
		}
		if n == 0 {
			n = runtime.GOMAXPROCS(0)
		}
		counts = append(counts, n)
	}
	var sizes []benchSize
	for _, name := range strings.Split(*size, ",") {
		name = strings.TrimSpace(name)
		if name == "all" {
			sizes = append(sizes, benchSizes...)
			continue
		}
		i := indexSize(name)
		if i < 0 {
			return 0, usagef("--size: %q is not one of small, medium, large, spin, all", name)
		}
		sizes = append(sizes, benchSizes[i])
	}
	if *repeat < 1 {
		return 0, usagef("--count: want a positive number")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return 0, err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	for _, sz := range sizes {
		fmt.Fprintf(stdout, "%-6s %s: %s states\n", sz.name, sz.describe(), count(sz.states))
	}
	fmt.Fprintln(stdout)
	const format = "%-6s %7s %12s %8s %8s %11s %9s %9s %12s %10s %12s\n"
	fmt.Fprintf(stdout, format, "size", "workers", "states", "seconds", "cpu s", "states/s", "peak RSS", "RSS/state", "engine/state", "disk/state", "allocs/state")
	for _, sz := range sizes {
		for _, n := range counts {
			for range *repeat {
				r, err := benchRun(ctx, sz, n, *tmp)
				if err != nil {
					return 0, err
				}
				perState := func(b int64) string { return fmt.Sprintf("%.2f", float64(b)/float64(max(r.States, 1))) }
				fmt.Fprintf(stdout, format, r.Size, strconv.Itoa(r.Workers), count(r.States),
					fmt.Sprintf("%.2f", r.Seconds), fmt.Sprintf("%.2f", r.CPUSeconds), count(int64(r.StatesPerSec)), byteCount(r.PeakRSS),
					perState(r.PeakRSS), perState(r.Memory), perState(r.Disk),
					fmt.Sprintf("%.5f", float64(r.Allocs)/float64(max(r.States, 1))))
				if ctx.Err() != nil {
					fmt.Fprintln(stderr, "tcpcheck: bench interrupted")
					return exitLimit, nil
				}
			}
		}
	}
	return exitHolds, nil
}

// indexSize returns the index of the named size in benchSizes, or -1.
func indexSize(name string) int {
	for i, s := range benchSizes {
		if s.name == name {
			return i
		}
	}
	return -1
}

// benchSettings returns the settings of a benchmark size.
func benchSettings(sz benchSize) (model.Settings, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	s := settingFlags(fs)
	if err := parseFlags(fs, sz.args); err != nil {
		return model.Settings{}, err
	}
	return *s, s.Validate()
}

// benchCheck checks every property of the catalog on s with n workers, as
// 'tcpcheck check' does (search), and returns the engine's result, which
// has its memory accounting and disk use.
func benchCheck(ctx context.Context, s model.Settings, n int, tmp string) (*checker.Result[model.State, model.Action], error) {
	m, err := model.New(s)
	if err != nil {
		return nil, err
	}
	props, err := properties.Select(nil)
	if err != nil {
		return nil, err
	}
	var cps []checker.Property[model.State, model.Action]
	for _, p := range props {
		cps = append(cps, p.Checked(m))
	}
	return checker.Check(ctx, m, cps, checker.Options{Workers: n, MaxMemory: defaultMaxMemory(), TempDir: tmp})
}

// benchRun checks every property on one size with n workers and measures
// it. It fails if the search does not complete or, for a size with a known
// count, finds another number of states.
func benchRun(ctx context.Context, sz benchSize, n int, tmp string) (*benchResult, error) {
	s, err := benchSettings(sz)
	if err != nil {
		return nil, err
	}
	// Start from a clean heap, and reset the peak RSS where the system
	// allows it, so that each run's peak is its own.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	r, err := benchCheck(ctx, s, n, tmp)
	cpu = cpuTime() - cpu
	runtime.ReadMemStats(&after)
	if err != nil {
		return nil, err
	}
	res := &benchResult{
		Size:         sz.name,
		Workers:      n,
		States:       r.States,
		Seconds:      r.Elapsed.Seconds(),
		CPUSeconds:   cpu.Seconds(),
		StatesPerSec: float64(r.States) / r.Elapsed.Seconds(),
		PeakRSS:      currentPeakRSS(),
		Memory:       r.Memory,
		Disk:         r.Disk,
		Allocs:       after.Mallocs - before.Mallocs,
	}
	switch {
	case ctx.Err() != nil:
		return res, nil
	case !r.Complete:
		return nil, fmt.Errorf("bench %s: search incomplete (limit %s) after %d states", sz.name, r.Limit, r.States)
	case sz.states != 0 && r.States != sz.states:
		return nil, fmt.Errorf("bench %s: %d states, want %d", sz.name, r.States, sz.states)
	}
	return res, nil
}

// resetPeakRSS resets the process's peak resident set size (Linux
// /proc/self/clear_refs); elsewhere it does nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// currentPeakRSS is the peak resident set size since the last resetPeakRSS
// (VmHWM of /proc/self/status), or the process's peak where that is not
// available.
func currentPeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for line := range bytes.Lines(b) {
			if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
				f := strings.Fields(string(v))
				if len(f) == 2 && f[1] == "kB" {
					if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
						return kb << 10
					}
				}
			}
		}
	}
	return peakRSS()
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
