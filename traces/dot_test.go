package traces

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/tcpcheck/tcpcheck/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// parses checks that gonum's DOT parser reads src into a simple graph.
func parses(t *testing.T, src []byte) *simple.DirectedGraph {
	t.Helper()
	g := simple.NewDirectedGraph()
	if err := dot.Unmarshal(src, g); err != nil {
		t.Fatalf("gonum cannot parse the DOT: %v", err)
	}
	return g
}

// graphvizAccepts runs dot -Tsvg on src when Graphviz is installed.
func graphvizAccepts(t *testing.T, src []byte) {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("Graphviz's dot is not on PATH")
	}
	var svg bytes.Buffer
	if err := Render(&svg, src, "svg"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg.Bytes(), []byte("<svg")) {
		t.Fatalf("dot -Tsvg wrote no SVG: %.200s", svg.String())
	}
}

var goldenTraces = []struct {
	name  string
	trace func(testing.TB) *Trace
}{
	{"stale-syn", staleSYN},
	{"time-wait", timeWait},
}

func TestSequenceDOT(t *testing.T) {
	for _, tc := range goldenTraces {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSequenceDOT(&b, tc.trace(t)); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".sequence.golden", b.Bytes())
			if g := parses(t, b.Bytes()); g.Nodes().Len() == 0 {
				t.Error("parsed graph has no nodes")
			}
			graphvizAccepts(t, b.Bytes())
		})
	}
}

func TestPathDOT(t *testing.T) {
	for _, tc := range goldenTraces {
		t.Run(tc.name, func(t *testing.T) {
			tr := tc.trace(t)
			var b bytes.Buffer
			if err := WritePathDOT(&b, tr); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".path.golden", b.Bytes())
			g := parses(t, b.Bytes())
			if got, want := g.Nodes().Len(), tr.Depth()+1; got != want {
				t.Errorf("parsed path has %d nodes, want %d (one per state)", got, want)
			}
			if got, want := g.Edges().Len(), tr.Depth(); got != want {
				t.Errorf("parsed path has %d edges, want %d (one per step)", got, want)
			}
			graphvizAccepts(t, b.Bytes())
		})
	}
}

// The chart's data: each segment's flight, from the step that sent it to
// the step that ended it.
func TestFlights(t *testing.T) {
	// A1's SYN, delivered to LISTEN after A1 closed, is stale but not old:
	// LISTEN has no incarnation for it to be old for (MODEL.md).
	syn := model.Segment{Flags: model.SYN, Src: 1}
	synAck := model.Segment{Flags: model.SYN | model.ACK, Seq: 1, Ack: 1, Src: 1, Dst: 1}
	want := []Flight{
		{Dir: model.A, Seg: syn, From: 1, To: 4, End: Delivered, By: model.Connect},
		{Dir: model.B, Seg: synAck, From: 4, To: -1, End: InFlight, By: model.Deliver},
	}
	if diff := cmp.Diff(want, Flights(staleSYN(t))); diff != "" {
		t.Errorf("stale SYN flights (-want +got):\n%s", diff)
	}

	// A SYN that is duplicated; one copy expires, the other is dropped.
	s := settings(t, "capacity", "2", "dup", "1", "loss", "unbounded", "msl", "1", "retransmit", "off")
	tr := walk(t, s, "connect A ISS=0", "dup A->B <SEQ=0><CTL=SYN>", "drop A->B <SEQ=0><CTL=SYN>", "tick")
	want = []Flight{
		{Dir: model.A, Seg: syn, From: 1, To: 3, End: Dropped, By: model.Connect},
		{Dir: model.A, Seg: syn, From: 2, To: 4, End: Expired, By: model.Dup},
	}
	if diff := cmp.Diff(want, Flights(tr)); diff != "" {
		t.Errorf("dup/drop/expire flights (-want +got):\n%s", diff)
	}
	var b bytes.Buffer
	if err := WriteSequenceDOT(&b, tr); err != nil {
		t.Fatal(err)
	}
	for _, mark := range []string{"duplicate", "dropped", "expired (MSL)"} {
		if !strings.Contains(b.String(), mark) {
			t.Errorf("chart does not say %q", mark)
		}
	}
	parses(t, b.Bytes())
}

func TestSequenceMarksLostReply(t *testing.T) {
	s := settings(t, "capacity", "1", "loss", "unbounded", "open", "any", "isn", "zero", "retransmit", "off")
	tr := walk(t, s, "connect B ISS=0", "connect A ISS=0", "deliver B->A <SEQ=0><CTL=SYN> (reply lost: no room)")
	var b bytes.Buffer
	if err := WriteSequenceDOT(&b, tr); err != nil {
		t.Fatal(err)
	}
	for _, mark := range []string{"lost: no room", "in flight", "step 3 violates test"} {
		if !strings.Contains(b.String(), mark) {
			t.Errorf("chart does not say %q", mark)
		}
	}
	parses(t, b.Bytes())
	graphvizAccepts(t, b.Bytes())
}

func TestRender(t *testing.T) {
	if err := Render(&bytes.Buffer{}, []byte("digraph{}"), "gif"); err == nil || !strings.Contains(err.Error(), "svg or png") {
		t.Errorf("Render gif: %v; want an error naming svg and png", err)
	}
	t.Run("no graphviz", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		err := Render(&bytes.Buffer{}, []byte("digraph{}"), "svg")
		if !errors.Is(err, ErrNoGraphviz) {
			t.Fatalf("Render without dot: %v; want ErrNoGraphviz", err)
		}
		if want := "Graphviz's dot is not installed: install it with 'apt-get install graphviz' (Debian/Ubuntu) or 'brew install graphviz'"; err.Error() != want {
			t.Errorf("message %q", err)
		}
	})
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("Graphviz's dot is not on PATH")
	}
	var png bytes.Buffer
	if err := Render(&png, []byte("digraph { a -> b }"), "png"); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Errorf("not a PNG: % x", png.Bytes()[:8])
	}
	if err := Render(&bytes.Buffer{}, []byte("digraph { a -> "), "svg"); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("Render of broken DOT: %v; want a one-line error", err)
	}
}

func TestTextSaysExpired(t *testing.T) {
	s := settings(t, "msl", "1", "loss", "unbounded", "retransmit", "off")
	tr := walk(t, s, "connect A ISS=0", "tick")
	var b strings.Builder
	if err := WriteText(&b, tr, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "A->B expired <SEQ=0><CTL=SYN>") {
		t.Errorf("text does not say the SYN expired:\n%s", b.String())
	}
}

// TestSequenceMergesQuietTicks: ticks in which nothing happens on the lanes
// are one row; a tick that ends a segment's flight keeps its own.
func TestSequenceMergesQuietTicks(t *testing.T) {
	s := model.Defaults()
	s.Data = 0
	tr := walk(t, s,
		"connect A ISS=0", "listen B",
		"deliver A->B <SEQ=0><CTL=SYN>", "deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>", "deliver A->B <SEQ=1><ACK=2><CTL=ACK>",
		"tick", "tick", "tick", // quiet: both ESTABLISHED, nothing in flight, no timer
		"close A", "tick", "tick", // the FIN ages; the second tick expires it
	)
	c := NewChart(tr)
	var steps []string
	for _, r := range c.Rows {
		steps = append(steps, r.Step)
	}
	want := []string{"step", "1", "2", "3", "4", "5", "6-8\nticks 1-3", "9", "10\ntick 4", "11\ntick 5"}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The FIN sent at step 9 (row 7 now) expires at step 11 (row 9).
	var fin *Arrow
	for k, a := range c.Arrows {
		if strings.Contains(a.Label, "FIN") {
			fin = &c.Arrows[k]
		}
	}
	if fin == nil || fin.From != 7 || fin.End < 0 || c.Ends[fin.End].Row != 9 {
		t.Errorf("FIN arrow %+v, ends %+v", fin, c.Ends)
	}
	parses(t, []byte(sequenceDOT(c)))
}

// TestLassoChart: a lasso's chart marks where the cycle starts, draws an
// arrow back to it, and says that the run repeats; the text and the JSON
// say so too.
func TestLassoChart(t *testing.T) {
	s := settings(t, "seq-space", "4", "window", "1", "opens", "1", "loss", "unbounded", "data", "0", "msl", "1", "horizon", "0", "retransmit", "off")
	tr := walk(t, s, "connect A ISS=0", "drop A->B <SEQ=0><CTL=SYN>", "tick", "tick", "tick", "tick")
	tr.Kind, tr.Name, tr.Note = Violation, "syn-sent-resolves", "A1 stays in SYN-SENT forever"
	tr.Lasso, tr.LoopAt = true, 2
	var dot bytes.Buffer
	if err := WriteSequenceDOT(&dot, tr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"↻ cycle", "-> lp2 [color=", "repeats", "syn-sent-resolves is violated: after step 2 the run repeats steps 3 to 6 forever"} {
		if !strings.Contains(dot.String(), want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	graphvizAccepts(t, dot.Bytes())
	var text bytes.Buffer
	if err := WriteText(&text, tr, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "loop: after step 2 the run repeats steps 3 to 6 forever (state 6 is state 2)") {
		t.Errorf("text:\n%s", text.String())
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, tr); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&js)
	if err != nil || !back.Lasso || back.LoopAt != 2 {
		t.Fatalf("JSON round trip: %v, %+v", err, back)
	}
	// A loop_at whose state is not the last one does not replay.
	tr.LoopAt = 1
	js.Reset()
	if err := WriteJSON(&js, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJSON(&js); err == nil || !strings.Contains(err.Error(), "the lasso does not close") {
		t.Errorf("a lasso that does not close: %v", err)
	}
}
