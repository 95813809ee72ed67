package traces

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tcpcheck/tcpcheck/model"
)

// smallSettings draws valid settings small enough to walk quickly. A
// time-wait equal to 2*msl is drawn as "follows msl" (-1), the form
// ReadJSON reads it back in.
func smallSettings(t *rapid.T) model.Settings {
	s := model.Defaults()
	s.SeqSpace = rapid.SampledFrom([]int{4, 8, 16}).Draw(t, "seq-space")
	s.Window = rapid.IntRange(1, s.SeqSpace/2).Draw(t, "window")
	s.Capacity = rapid.IntRange(1, 2).Draw(t, "capacity")
	s.Loss = rapid.SampledFrom([]int{0, 1, 2, model.Unbounded}).Draw(t, "loss")
	s.Dup = rapid.IntRange(0, 1).Draw(t, "dup")
	s.Data = rapid.IntRange(0, 2).Draw(t, "data")
	s.Opens = rapid.IntRange(1, 2).Draw(t, "opens")
	s.Handshake = rapid.SampledFrom([]model.Handshake{model.ThreeWay, model.TwoWay}).Draw(t, "handshake")
	s.ISN = rapid.SampledFrom([]model.ISNPolicy{model.ISNClock, model.ISNZero, model.ISNAny}).Draw(t, "isn")
	s.Open = rapid.SampledFrom([]model.OpenMode{model.ClientServer, model.Simultaneous, model.AnyOpen}).Draw(t, "open")
	s.MSL = rapid.IntRange(1, 3).Draw(t, "msl")
	s.RTO = rapid.IntRange(1, 3).Draw(t, "rto")
	s.Retries = rapid.IntRange(0, 2).Draw(t, "retries")
	s.Horizon = rapid.IntRange(0, 12).Draw(t, "horizon")
	if tw := rapid.IntRange(-1, 6).Draw(t, "time-wait"); tw != 2*s.MSL {
		s.TimeWait = tw
	}
	s.Reorder = rapid.Bool().Draw(t, "reorder")
	s.Retransmit = rapid.Bool().Draw(t, "retransmit")
	s.Abort = rapid.Bool().Draw(t, "abort")
	s.RSTInTimeWait = rapid.SampledFrom([]model.RSTInTimeWait{model.RFC793, model.RFC1337}).Draw(t, "rst-in-time-wait")
	if err := s.Validate(); err != nil {
		t.Fatalf("drew invalid settings: %v", err)
	}
	return s
}

// randomTrace walks the model from its initial state, up to 30 random
// enabled actions.
func randomTrace(t *rapid.T) *Trace {
	s := smallSettings(t)
	m, err := model.New(s)
	if err != nil {
		t.Fatal(err)
	}
	tr := &Trace{
		Settings: s,
		Kind:     rapid.SampledFrom([]Kind{Violation, Witness}).Draw(t, "kind"),
		Name:     rapid.StringMatching(`[a-z-]{0,12}`).Draw(t, "name"),
	}
	m.Init(func(s model.State) { tr.Init = s })
	cur := tr.Init
	for range rapid.IntRange(0, 30).Draw(t, "length") {
		var next []Step
		m.Next(cur, func(a model.Action, s model.State) { next = append(next, Step{Action: a, Index: len(next), State: s}) })
		if len(next) == 0 {
			break
		}
		st := next[rapid.IntRange(0, len(next)-1).Draw(t, "choice")]
		tr.Steps = append(tr.Steps, st)
		cur = st.State
	}
	return tr
}

func TestJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tr := randomTrace(t)
		var b bytes.Buffer
		if err := WriteJSON(&b, tr); err != nil {
			t.Fatal(err)
		}
		got, err := ReadJSON(&b)
		if err != nil {
			t.Fatalf("ReadJSON: %v", err)
		}
		if diff := cmp.Diff(tr, got); diff != "" {
			t.Fatalf("decode(encode(t)) differs (-want +got):\n%s", diff)
		}
	})
}

func TestJSONForm(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, staleSYN(t)); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if v["version"] != 2.0 || v["kind"] != "violation" || v["name"] != "no-stale-syn" {
		t.Errorf("header: version %v kind %v name %v", v["version"], v["kind"], v["name"])
	}
	set := v["settings"].(map[string]any)
	for _, name := range model.SettingNames() {
		if _, ok := set[name]; !ok {
			t.Errorf("settings lack %q", name)
		}
	}
	if set["handshake"] != "two-way" || set["time-wait"] != "4" {
		t.Errorf("settings: handshake %v time-wait %v", set["handshake"], set["time-wait"])
	}
	steps := v["steps"].([]any)
	first := steps[0].(map[string]any)
	wantAction := map[string]any{"kind": "connect", "who": "A", "iss": 0.0, "lost": false}
	if diff := cmp.Diff(wantAction, first["action"]); diff != "" {
		t.Errorf("step 1 action (-want +got):\n%s", diff)
	}
	if first["text"] != "connect A ISS=0" {
		t.Errorf("step 1 text %v", first["text"])
	}
	state := first["state"].(map[string]any)
	a := state["endpoints"].(map[string]any)["A"].(map[string]any)
	if a["state"] != "SYN-SENT" || a["rtx"] != 2.0 || a["tw"] != nil || a["snd_nxt"] != 1.0 {
		t.Errorf("step 1 endpoint A: %v", a)
	}
	syn := state["network"].(map[string]any)["A->B"].([]any)[0]
	wantSyn := map[string]any{"flags": []any{"SYN"}, "seq": 0.0, "ack": 0.0, "len": 0.0, "age": 0.0, "src": 1.0, "dst": 0.0, "unit": 0.0}
	if diff := cmp.Diff(wantSyn, syn); diff != "" {
		t.Errorf("step 1 segment (-want +got):\n%s", diff)
	}
	last := steps[3].(map[string]any)["action"].(map[string]any)
	if _, ok := last["segment"]; !ok {
		t.Errorf("deliver has no segment: %v", last)
	}
	if _, ok := last["iss"]; ok {
		t.Errorf("deliver with isn=clock has an iss: %v", last)
	}
}

// encoded returns the stale-SYN trace's JSON with edit applied to its
// generic form.
func encoded(t *testing.T, edit func(v map[string]any)) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, staleSYN(t)); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	edit(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func step(v map[string]any, i int) map[string]any {
	return v["steps"].([]any)[i-1].(map[string]any)
}

func TestReadJSONRefuses(t *testing.T) {
	var good bytes.Buffer
	if err := WriteJSON(&good, staleSYN(t)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, input, want string
	}{
		{"version", encoded(t, func(v map[string]any) { v["version"] = 3 }),
			"trace: version 3 is not supported (want 2)"},
		{"version 1", encoded(t, func(v map[string]any) { v["version"] = 1 }),
			"trace: version 1 is not supported: it was written by tcpcheck under MODEL.md version 1, whose incarnation ghosts differ; run the check again to get a version 2 trace"},
		{"no version", encoded(t, func(v map[string]any) { delete(v, "version") }),
			"trace: no version (want 2)"},
		{"window", encoded(t, func(v map[string]any) { v["settings"].(map[string]any)["window"] = "9" }),
			"trace: settings: window: 9 is out of range (want an integer from 1 to seq-space/2 = 8)"},
		{"setting syntax", encoded(t, func(v map[string]any) { v["settings"].(map[string]any)["msl"] = "two" }),
			`trace: settings: msl: "two" is not an integer`},
		{"unknown setting", encoded(t, func(v map[string]any) { v["settings"].(map[string]any)["speed"] = "9" }),
			`trace: settings: unknown setting "speed"`},
		{"other settings", encoded(t, func(v map[string]any) { v["settings"].(map[string]any)["handshake"] = "three-way" }),
			`trace: step 4 does not replay: action "deliver A->B <SEQ=0><CTL=SYN>" leads to another state than the trace's`},
		{"action", encoded(t, func(v map[string]any) {
			step(v, 4)["action"].(map[string]any)["segment"].(map[string]any)["flags"] = []string{"SYN", "ACK"}
		}), `trace: step 4 does not replay: no action "deliver A->B <SEQ=0><ACK=0><CTL=SYN,ACK>" from the state before it`},
		{"state", encoded(t, func(v map[string]any) {
			step(v, 2)["state"].(map[string]any)["clock"] = 7
		}), `trace: step 2 does not replay: action "close A" leads to another state than the trace's`},
		{"init", encoded(t, func(v map[string]any) { v["init"].(map[string]any)["ticks"] = 3 }),
			"trace: the initial state is not an initial state of the model"},
		{"kind", encoded(t, func(v map[string]any) { v["kind"] = "bug" }),
			`trace: kind "bug" is not allowed (want violation or witness)`},
		{"action kind", encoded(t, func(v map[string]any) { step(v, 1)["action"].(map[string]any)["kind"] = "jump" }),
			`trace: step 1: action: unknown action "jump"`},
		{"who", encoded(t, func(v map[string]any) { step(v, 1)["action"].(map[string]any)["who"] = "C" }),
			`trace: step 1: action: who: "C" is not an endpoint (want A or B)`},
		{"tcp state", encoded(t, func(v map[string]any) {
			step(v, 1)["state"].(map[string]any)["endpoints"].(map[string]any)["A"].(map[string]any)["state"] = "SYN-WAIT"
		}), `trace: step 1: state: A: unknown TCP state "SYN-WAIT"`},
		{"flag", encoded(t, func(v map[string]any) {
			step(v, 1)["state"].(map[string]any)["network"].(map[string]any)["A->B"].([]any)[0].(map[string]any)["flags"] = []string{"URG"}
		}), `trace: step 1: state: A->B: segment 1: unknown flag "URG"`},
		{"unknown field", encoded(t, func(v map[string]any) { v["comment"] = "hi" }),
			`trace: invalid JSON: unknown field "comment"`},
		{"unknown nested field", encoded(t, func(v map[string]any) { step(v, 1)["action"].(map[string]any)["why"] = 1 }),
			`trace: invalid JSON: unknown field "why"`},
		{"out of range", encoded(t, func(v map[string]any) { v["init"].(map[string]any)["clock"] = 300 }),
			"trace: invalid JSON at offset"},
		{"truncated", good.String()[:good.Len()/2], "trace: invalid JSON at offset"},
		{"broken", `{"version": 2, "kind": violation}`, "trace: invalid JSON at offset 24: invalid character 'v'"},
		{"trailing", good.String() + "{}", "trace: invalid JSON at offset"},
		{"empty", "", "trace: invalid JSON at offset 0: unexpected end of input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.input))
			if err == nil {
				t.Fatalf("ReadJSON accepted it; want an error starting %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("ReadJSON error\n got: %v\nwant: %s...", err, tc.want)
			}
			t.Log(err)
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestReplay(t *testing.T) {
	tr := staleSYN(t)
	m, err := model.New(tr.Settings)
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(m, tr); err != nil {
		t.Fatalf("Replay of a walked trace: %v", err)
	}
	three, err := model.New(model.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(three, tr); err == nil || !strings.HasPrefix(err.Error(), "trace: step 4 does not replay") {
		t.Errorf("Replay under three-way: %v; want step 4 to fail", err)
	}
}
