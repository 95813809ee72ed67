package traces

// Fuzz targets for the trace formats. `go test ./traces/` runs their seeds
// (f.Add below and testdata/fuzz/<Name>/); `go test -run XXX -fuzz
// FuzzReadJSON ./traces/` fuzzes. The seed files were written by
// TestWriteFuzzSeeds (TCPCHECK_WRITE_SEEDS=1 go test -run TestWriteFuzzSeeds
// ./traces/) from real traces made by walking the model.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/tcpcheck/tcpcheck/model"
)

// seedTraces are real traces of the model: the golden ones and a few more
// that touch retransmission, give-up, RSTs, data and simultaneous open.
func seedTraces(t testing.TB) []*Trace {
	simul := walk(t, settings(t, "open", "simultaneous", "isn", "zero", "capacity", "2"),
		"connect A ISS=0", "connect B ISS=0", "deliver A->B <SEQ=0><CTL=SYN>", "deliver B->A <SEQ=0><CTL=SYN>")
	simul.Kind, simul.Name = Witness, "simultaneous-open"
	data := walk(t, settings(t, "loss", "unbounded", "abort", "on"),
		"connect A ISS=0", "listen B", "deliver A->B <SEQ=0><CTL=SYN>",
		"deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>", "deliver A->B <SEQ=1><ACK=2><CTL=ACK>",
		"send A", "drop A->B <SEQ=1><ACK=2><CTL=ACK><DATA=1>", "tick", "tick", "retransmit A",
		"deliver A->B <SEQ=1><ACK=2><CTL=ACK><DATA=1>", "deliver B->A <SEQ=2><ACK=2><CTL=ACK>", "abort B")
	data.Kind, data.Name = Violation, `name with "quotes" and \backslash`
	giveUp := walk(t, settings(t, "loss", "unbounded", "retries", "0", "dup", "1", "reorder", "off", "capacity", "2"),
		"connect A ISS=0", "dup A->B <SEQ=0><CTL=SYN>", "drop A->B <SEQ=0><CTL=SYN>", "listen B",
		"deliver A->B <SEQ=0><CTL=SYN>", "tick", "tick", "give-up A")
	giveUp.Kind, giveUp.Name = Witness, "A-CLOSED"
	empty := walk(t, settings(t, "isn", "any", "seq-space", "8", "window", "4"))
	empty.Kind, empty.Name = Witness, ""
	return []*Trace{staleSYN(t), timeWait(t), simul, data, giveUp, empty}
}

func encodeTrace(t testing.TB, tr *Trace) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, tr); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// addSeeds adds every seed trace, and a few broken forms of the first.
func addSeeds(f *testing.F) {
	for _, tr := range seedTraces(f) {
		f.Add(encodeTrace(f, tr))
	}
	for _, s := range []string{``, `{}`, `{"version": 1}`, `{"version": 2}`, `[]`, `null`, `{"version": 1, "settings": {"seq-space": "7"}}`} {
		f.Add([]byte(s))
	}
}

// TestWriteFuzzSeeds writes the seed corpora of the fuzz targets below
// into testdata/fuzz/ when TCPCHECK_WRITE_SEEDS is set.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("TCPCHECK_WRITE_SEEDS") == "" {
		t.Skip("set TCPCHECK_WRITE_SEEDS=1 to rewrite testdata/fuzz/")
	}
	names := []string{"stale-syn", "time-wait", "simultaneous-open", "data-abort", "give-up", "empty"}
	for _, target := range []string{"FuzzReadJSON", "FuzzRender"} {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, tr := range seedTraces(t) {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(encodeTrace(t, tr))))
			if err := os.WriteFile(filepath.Join(dir, names[i]), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// FuzzReadJSON: ReadJSON never panics, and a trace it accepts encodes to
// JSON that reads back to the same trace and encodes to the same bytes.
func FuzzReadJSON(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			if tr != nil {
				t.Fatalf("ReadJSON returned a trace and an error: %v", err)
			}
			if msg := err.Error(); bytes.ContainsRune([]byte(msg), '\n') {
				t.Fatalf("error is not one line: %q", msg)
			}
			return
		}
		b1 := encodeTrace(t, tr)
		tr2, err := ReadJSON(bytes.NewReader(b1))
		if err != nil {
			t.Fatalf("ReadJSON refuses what WriteJSON wrote of an accepted trace: %v\n%s", err, b1)
		}
		if diff := cmp.Diff(tr, tr2); diff != "" {
			t.Fatalf("decode(encode(t)) differs (-first +second):\n%s", diff)
		}
		if b2 := encodeTrace(t, tr2); !bytes.Equal(b1, b2) {
			t.Fatalf("encoding is not stable:\n%s\n---\n%s", b1, b2)
		}
	})
}

// lenientTrace decodes data as ReadJSON does but without the replay: the
// trace may be no path of the model (any states, any actions), though its
// settings are valid. Renderers should not panic on it either.
func lenientTrace(data []byte) *Trace {
	var jt jsonTrace
	if err := json.Unmarshal(data, &jt); err != nil {
		return nil
	}
	tr, err := traceFromJSON(&jt)
	if err != nil {
		return nil
	}
	return tr
}

// parsesDOT checks src with gonum's DOT parser. That parser refuses
// U+FFFD in a quoted string, which Graphviz accepts (and which a name read
// from JSON with invalid UTF-8 becomes): such DOT is not checked.
func parsesDOT(src []byte) error {
	if bytes.ContainsRune(src, utf8.RuneError) {
		return nil
	}
	return dot.Unmarshal(src, simple.NewDirectedGraph())
}

// renderAll runs every writer of traces on tr; the DOT must parse.
func renderAll(t *testing.T, tr *Trace) {
	var b bytes.Buffer
	if err := WriteSequenceDOT(&b, tr); err != nil {
		t.Fatalf("WriteSequenceDOT: %v", err)
	}
	if err := parsesDOT(b.Bytes()); err != nil {
		t.Fatalf("the sequence chart is not DOT that parses: %v\n%s", err, b.Bytes())
	}
	b.Reset()
	if err := WritePathDOT(&b, tr); err != nil {
		t.Fatalf("WritePathDOT: %v", err)
	}
	if err := parsesDOT(b.Bytes()); err != nil {
		t.Fatalf("the path graph is not DOT that parses: %v\n%s", err, b.Bytes())
	}
	b.Reset()
	if err := WriteText(&b, tr, "  "); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	for i := range tr.Steps {
		_ = Changes(tr.Before(i), tr.Steps[i].State)
	}
	_ = Flights(tr)
}

// FuzzRender: the DOT and text writers never panic, and write DOT that
// parses, on traces ReadJSON accepts and on traces decoded leniently
// (without the replay) from fuzzed JSON.
func FuzzRender(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if tr, err := ReadJSON(bytes.NewReader(data)); err == nil {
			renderAll(t, tr)
		}
		if tr := lenientTrace(data); tr != nil {
			renderAll(t, tr)
		}
	})
}

// TestSeedTracesReplay keeps the seed traces honest.
func TestSeedTracesReplay(t *testing.T) {
	for _, tr := range seedTraces(t) {
		m, err := model.New(tr.Settings)
		if err != nil {
			t.Fatal(err)
		}
		if err := Replay(m, tr); err != nil {
			t.Errorf("%s: %v", tr.Name, err)
		}
	}
}

// TestDOTEscapesBackslash: text with a backslash before a quote, such as a
// trace name read from JSON, must not end a DOT string early.
func TestDOTEscapesBackslash(t *testing.T) {
	tr := staleSYN(t)
	tr.Name = `x\"y`
	var b bytes.Buffer
	if err := WriteSequenceDOT(&b, tr); err != nil {
		t.Fatal(err)
	}
	if err := parsesDOT(b.Bytes()); err != nil {
		t.Fatalf("a trace named %q gives a sequence chart that is not DOT: %v", tr.Name, err)
	}
	b.Reset()
	if err := WritePathDOT(&b, tr); err != nil {
		t.Fatal(err)
	}
	if err := parsesDOT(b.Bytes()); err != nil {
		t.Errorf("a trace named %q gives a path graph that is not DOT: %v", tr.Name, err)
	}
}
