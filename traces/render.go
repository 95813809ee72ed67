package traces

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// ErrNoGraphviz is the error Render returns when Graphviz's dot is not on
// the PATH. Test for it with errors.Is.
var ErrNoGraphviz = errors.New("Graphviz's dot is not installed: install it with 'apt-get install graphviz' (Debian/Ubuntu) or 'brew install graphviz'")

// RenderFormats lists the formats Render produces.
var RenderFormats = []string{"svg", "png"}

// Render turns DOT source (from WriteSequenceDOT or WritePathDOT) into an
// image by running Graphviz's `dot -T<format>`, and writes the image to w.
// format is "svg" or "png"; the other output formats (dot, text, json) need
// no rendering and are the caller's. Without dot on the PATH, Render
// returns ErrNoGraphviz.
func Render(w io.Writer, dotSrc []byte, format string) error {
	switch format {
	case "svg", "png":
	default:
		return fmt.Errorf("trace: cannot render format %q (Render makes %s; dot, text and json need no rendering)", format, strings.Join(RenderFormats, " or "))
	}
	path, err := exec.LookPath("dot")
	if err != nil {
		return ErrNoGraphviz
	}
	cmd := exec.Command(path, "-T"+format)
	cmd.Stdin = bytes.NewReader(dotSrc)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.Join(strings.Fields(stderr.String()), " ")
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("trace: dot -T%s: %s", format, msg)
	}
	_, err = w.Write(out.Bytes())
	return err
}

// Formats lists the forms Write writes a trace in, as help texts list
// them: one step a line, the versioned JSON, Graphviz DOT, and the images
// Render makes from it.
var Formats = []string{"text", "json", "dot", "svg", "png"}

// MediaType is the media type of a trace written in format, one of
// Formats, as a server sends it.
func MediaType(format string) string {
	switch format {
	case "json":
		return "application/json"
	case "dot":
		return "text/vnd.graphviz; charset=utf-8"
	case "svg":
		return "image/svg+xml"
	case "png":
		return "image/png"
	}
	return "text/plain; charset=utf-8"
}

// Extension is the file name extension of a trace written in format, one
// of Formats: the format's name, but txt for text.
func Extension(format string) string {
	if format == "text" {
		return "txt"
	}
	return format
}

// Views lists the charts of DOT, SVG and PNG: the sequence chart and the
// state path.
var Views = []string{"sequence", "path"}

// Write writes t in one of Formats; dot, svg and png draw the chart view,
// one of Views. An unknown format or view is an error that names the
// allowed ones; svg and png without Graphviz return ErrNoGraphviz.
func Write(w io.Writer, t *Trace, format, view string) error {
	switch format {
	case "text":
		return WriteText(w, t, "")
	case "json":
		return WriteJSON(w, t)
	case "dot", "svg", "png":
	default:
		return fmt.Errorf("format %q is not allowed (want %s)", format, strings.Join(Formats, ", "))
	}
	var dot bytes.Buffer
	var err error
	switch view {
	case "sequence":
		err = WriteSequenceDOT(&dot, t)
	case "path":
		err = WritePathDOT(&dot, t)
	default:
		return fmt.Errorf("view %q is not allowed (want %s)", view, strings.Join(Views, " or "))
	}
	if err != nil {
		return err
	}
	if format == "dot" {
		_, err = w.Write(dot.Bytes())
		return err
	}
	return Render(w, dot.Bytes(), format)
}
