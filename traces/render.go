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
