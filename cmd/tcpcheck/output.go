package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/traces"
)

// writeFileAtomic writes the output of write to path through a temporary
// file in the same directory, renamed into place only when write and the
// close succeed: a failed run leaves no partial file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("cannot write %s: it is a directory", path)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tcpcheck-*")
	if err != nil {
		return usagef("cannot write %s: %v", path, unwrapPathError(err))
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return usagef("cannot write %s: %v", path, unwrapPathError(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return usagef("cannot write %s: %v", path, unwrapPathError(err))
	}
	return nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// writeTraceDir writes one JSON trace per violation and per goal reached
// into dir, named after the property or goal, and says on w which files it
// wrote (files of earlier runs stay as they are).
func writeTraceDir(dir string, r *report, w io.Writer) error {
	if dir == "" {
		return nil
	}
	var wrote []string
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usagef("--trace-dir: cannot create %s: %v", dir, unwrapPathError(err))
	}
	for _, v := range slices.Concat(r.Properties, r.Goals, r.Liveness) {
		if v.Trace == nil {
			continue
		}
		t := v.Trace
		path := filepath.Join(dir, v.Name+".json")
		if err := writeFileAtomic(path, func(w io.Writer) error {
			return traces.WriteJSON(w, t)
		}); err != nil {
			return err
		}
		wrote = append(wrote, path)
	}
	if len(wrote) == 0 {
		fmt.Fprintf(w, "tcpcheck: --trace-dir: no trace to write to %s\n", dir)
	} else {
		fmt.Fprintf(w, "tcpcheck: wrote %s\n", strings.Join(wrote, ", "))
	}
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// renderTrace is traces.Write, with a missing Graphviz as a usage error
// (exit status 2 and how to install it). Callers check format and view.
func renderTrace(w io.Writer, t *traces.Trace, format, view string) error {
	err := traces.Write(w, t, format, view)
	if errors.Is(err, traces.ErrNoGraphviz) {
		return usageError{err.Error()}
	}
	return err
}

// output writes through write to path, atomically, or to stdout when path
// is empty.
func output(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(path, write)
}
