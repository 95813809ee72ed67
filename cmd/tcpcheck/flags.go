package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tcpcheck/tcpcheck/model"
)

// settingFlags registers one flag per setting of MODEL.md on fs, named as
// in MODEL.md, and returns the settings they fill in. Values are checked
// by Validate after parsing.
func settingFlags(fs *flag.FlagSet) *model.Settings {
	s := model.Defaults()
	for _, name := range model.SettingNames() {
		doc, allowed, _ := model.SettingDoc(name)
		def, _ := s.Get(name)
		usage := fmt.Sprintf("%s (default %s)", doc, def)
		if values, _ := model.SettingValues(name); strings.Contains(values, "N") {
			usage = fmt.Sprintf("%s; %s (default %s)", doc, allowed, def) // the range, which N does not say
		}
		fs.Func(name, usage, func(v string) error {
			return s.Set(name, v)
		})
	}
	return &s
}

// searchFlags are the flags of every command that searches: the settings
// of MODEL.md and the limits.
type searchFlags struct {
	fs       *flag.FlagSet
	settings *model.Settings
	lim      limitFlags
}

func newSearchFlags(name string) *searchFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	f := &searchFlags{fs: fs, settings: settingFlags(fs)}
	f.lim.register(fs)
	return f
}

// parse parses args and validates the settings and limits. On -h it
// writes the help, headed by usage, and returns flag.ErrHelp.
func (f *searchFlags) parse(args []string, stdout io.Writer, usage string) error {
	if err := parseFlags(f.fs, args); err != nil {
		if err == flag.ErrHelp {
			printDefaults(f.fs, stdout, usage)
		}
		return err
	}
	if err := f.settings.Validate(); err != nil {
		return usageError{err.Error()}
	}
	return f.lim.validate()
}

// parseStatus is the result of a command whose flags did not parse: exit
// 0 after -h, else the error.
func parseStatus(err error) (int, error) {
	if err == flag.ErrHelp {
		return exitHolds, nil
	}
	return 0, err
}

// limitFlags are the options that bound a search.
type limitFlags struct {
	workers   int
	maxStates int64
	maxMemory byteSize
	maxTime   time.Duration
	progress  bool
	tmp       string // directory of the search's temporary files (checker.Options.TempDir)
}

func (l *limitFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&l.workers, "workers", 0, "run `N` worker goroutines (default: the number of CPUs)")
	fs.Int64Var(&l.maxStates, "max-states", 0, "stop after `N` distinct states (0: no limit)")
	fs.Var(&l.maxMemory, "max-memory", "stop when the search uses this much memory, a `SIZE` such as 4GiB (default: 3/4 of the machine's memory)")
	fs.Func("max-time", "stop after this long, a `DURATION` such as 30s or 5m (0: no limit)", func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("want a duration such as 30s, 5m or 1h30m")
		}
		l.maxTime = d
		return nil
	})
	fs.BoolVar(&l.progress, "progress", false, "report progress on stderr even when it is not a terminal")
	fs.StringVar(&l.tmp, "tmp", "", "the `DIR` of the search's temporary files: the frontier past its memory, the parent links (default: the system's)")
}

// validate checks the limits' ranges.
func (l *limitFlags) validate() error {
	switch {
	case l.workers < 0 || l.workers > 256:
		return usagef("--workers: %d is out of range (want 0 for every CPU, or 1 to 256)", l.workers)
	case l.maxStates < 0:
		return usagef("--max-states: %d is out of range (want 0 for no limit, or a positive count)", l.maxStates)
	}
	if l.tmp != "" {
		if st, err := os.Stat(l.tmp); err != nil || !st.IsDir() {
			return usagef("--tmp: %q is not a directory", l.tmp)
		}
	}
	return nil
}

// byteSize is a flag value such as 512MiB, 4GiB or 1000000.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(v string) error {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	num := v
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			mult, num = u.mult, strings.TrimSuffix(v, u.suffix)
			break
		}
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("want a positive size such as 512MiB or 4GiB")
	}
	*b = byteSize(n * float64(mult))
	return nil
}

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// parseFlags parses args, turning every flag error into a one-line usage
// error that names the flag.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// flagError turns an error of the flag package into a one-line usage
// error that says where the allowed flags are listed.
func flagError(fs *flag.FlagSet, err error) error {
	if err == flag.ErrHelp {
		return err
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		var flags []string
		fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f.Name) })
		guess := ""
		if g := closest(strings.TrimLeft(name, "-"), flags); g != "" {
			guess = fmt.Sprintf("; did you mean --%s?", g)
		}
		return usagef("unknown option -%s%s (see 'tcpcheck %s -h' for the settings and options)", name, guess, fs.Name())
	}
	if strings.HasPrefix(msg, "invalid value") {
		// "invalid value "x" for flag -msl: msl: ..." -> "--msl: ..."
		if i := strings.Index(msg, " for flag -"); i >= 0 {
			rest := msg[i+len(" for flag -"):]
			if name, detail, ok := strings.Cut(rest, ": "); ok {
				if strings.HasPrefix(detail, name+": ") {
					return usageError{detail}
				}
				return usagef("--%s: %s (got %s)", name, detail, msg[len("invalid value "):i])
			}
		}
	}
	return usageError{msg}
}

// printDefaults writes head and the help for fs's flags, spelt as Go
// users know them from kubectl and gh: --long-name, a one-letter -o, and
// what value a flag takes (N, on|off, a choice's names, or the name in
// backquotes in its usage, as package flag reads it). The settings of
// MODEL.md come first, under their own heading, then the other options.
func printDefaults(fs *flag.FlagSet, w io.Writer, head string) {
	fmt.Fprintln(w, head)
	var settings, options strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		b := &options
		if values, err := model.SettingValues(f.Name); err == nil {
			placeholder, b = values, &settings
		}
		line := "  --" + f.Name
		if len(f.Name) == 1 {
			line = "  -" + f.Name
		}
		if placeholder != "" {
			line += " " + placeholder
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "[]" && !strings.Contains(usage, "(default") {
			usage += fmt.Sprintf(" (default %s)", def)
		}
		fmt.Fprintf(b, "%s\n      %s\n", line, usage)
	})
	if settings.Len() > 0 {
		fmt.Fprintf(w, "\nSettings (docs/MODEL.md):\n%s", settings.String())
	}
	if options.Len() > 0 {
		fmt.Fprintf(w, "\nOptions:\n%s", options.String())
	}
}

// closest returns the name in names nearest to s, if it is a likely typo
// of it: at most two edits (one for a name of four letters or fewer), and
// nearer than any other. Otherwise it returns "".
func closest(s string, names []string) string {
	best, bestD, tie := "", 3, false
	if len(s) <= 4 {
		bestD = 2
	}
	for _, n := range names {
		switch d := editDistance(strings.ToLower(s), n); {
		case d < bestD:
			best, bestD, tie = n, d, false
		case d == bestD && best != "":
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
