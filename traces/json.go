package traces

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
)

// JSONVersion is the version of the JSON form that WriteJSON writes and
// ReadJSON reads.
const JSONVersion = 2

// The JSON form of a trace, version 2 (MODEL.md version 2's ghosts). Field
// names are part of the format: change them only with a new version.

type jsonTrace struct {
	Version  int               `json:"version"`
	Settings map[string]string `json:"settings"`
	Kind     Kind              `json:"kind"`
	Name     string            `json:"name"`
	Note     string            `json:"note,omitempty"`    // Trace.Note
	LoopAt   *int              `json:"loop_at,omitempty"` // a lasso's Trace.LoopAt; absent when it is not a lasso
	Init     jsonState         `json:"init"`
	Steps    []jsonStep        `json:"steps"`
}

type jsonStep struct {
	Action jsonAction `json:"action"`
	Index  *int       `json:"index,omitempty"` // Step.Index; checked when present
	Text   string     `json:"text,omitempty"`  // Action.String(), informative: never read
	State  jsonState  `json:"state"`
}

type jsonAction struct {
	Kind    string       `json:"kind"`
	Who     string       `json:"who,omitempty"` // absent for tick
	Segment *jsonSegment `json:"segment,omitempty"`
	ISS     *int         `json:"iss,omitempty"` // absent when the action chooses no ISS
	Lost    bool         `json:"lost"`
}

type jsonState struct {
	Endpoints jsonEndpoints `json:"endpoints"`
	Network   jsonNetwork   `json:"network"`
	Clock     uint8         `json:"clock"`
	Lost      uint8         `json:"lost"`
	Duped     uint8         `json:"duped"`
	Ticks     uint8         `json:"ticks"`
}

type jsonEndpoints struct {
	A jsonTCB `json:"A"`
	B jsonTCB `json:"B"`
}

type jsonNetwork struct {
	AB []jsonSegment `json:"A->B"`
	BA []jsonSegment `json:"B->A"`
}

type jsonTCB struct {
	State     string `json:"state"`
	ISS       uint8  `json:"iss"`
	SndUna    uint8  `json:"snd_una"`
	SndNxt    uint8  `json:"snd_nxt"`
	IRS       uint8  `json:"irs"`
	RcvNxt    uint8  `json:"rcv_nxt"`
	Opens     uint8  `json:"opens"`
	Passive   bool   `json:"passive"`
	Sent      uint8  `json:"sent"`
	Delivered uint8  `json:"delivered"`
	Tries     uint8  `json:"tries"`
	Rtx       *int   `json:"rtx"`  // null when stopped, else ticks left
	TW        *int   `json:"tw"`   // null when stopped, else ticks left
	Peer      uint8  `json:"peer"` // the peer's incarnation this one is bound to, 0 for none
	Stale     bool   `json:"stale"`
}

type jsonSegment struct {
	Flags []string `json:"flags"`
	Seq   uint8    `json:"seq"`
	Ack   uint8    `json:"ack"`
	Len   uint8    `json:"len"`
	Age   uint8    `json:"age"`
	Src   uint8    `json:"src"` // the sender's incarnation
	Dst   uint8    `json:"dst"` // the receiver's incarnation it is addressed to, 0 for unknown
	Unit  uint8    `json:"unit"`
}

// WriteJSON writes t in its stable, versioned JSON form (version 2):
//
//	{"version": 2, "settings": {"msl": "2", ...}, "kind": "violation",
//	 "name": "no-stale-syn", "init": state,
//	 "steps": [{"action": {...}, "index": 0, "text": "connect A ISS=0", "state": state}]}
//
// Settings are written as text, every one of model.SettingNames(). A
// state names its parts: "endpoints" ("A", "B": "state" as RFC 9293 spells
// it, "iss", "snd_una", ..., "rtx" and "tw" as ticks left or null when
// stopped), "network" ("A->B", "B->A": lists of segments with "flags" such
// as ["SYN","ACK"], "seq", "ack", "len", "age", "src", "dst", "unit") and the
// globals "clock", "lost", "duped", "ticks". A step's "text" is
// informative; ReadJSON ignores it. ReadJSON reads back exactly t.
func WriteJSON(w io.Writer, t *Trace) error {
	jt := jsonTrace{
		Version:  JSONVersion,
		Settings: map[string]string{},
		Kind:     t.Kind,
		Name:     t.Name,
		Note:     t.Note,
		Init:     stateToJSON(t.Init),
		Steps:    make([]jsonStep, len(t.Steps)),
	}
	if t.Lasso {
		jt.LoopAt = &t.LoopAt
	}
	for _, name := range model.SettingNames() {
		v, err := t.Settings.Get(name)
		if err != nil {
			return fmt.Errorf("trace: settings: %v", err)
		}
		jt.Settings[name] = v
	}
	for i, st := range t.Steps {
		jt.Steps[i] = jsonStep{Action: actionToJSON(st.Action), Index: &st.Index, Text: st.Action.String(), State: stateToJSON(st.State)}
	}
	b, err := json.MarshalIndent(jt, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// ReadJSON reads a trace that WriteJSON wrote. It refuses, with a one-line
// error that names the problem, input that is not JSON or is cut short,
// unknown fields, a version other than 2 (version 1 traces, written
// under MODEL.md version 1's ghosts, are refused: re-run the check), settings that model.Settings
// refuses, and a trace that does not replay under its own settings (see
// Replay). A setting that is absent takes its default; a time-wait equal
// to 2*msl reads as following msl (Settings.TimeWait = -1).
func ReadJSON(r io.Reader) (*Trace, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("trace: %v", err)
	}
	// The version first, leniently, so that a later version's new fields
	// are reported as a version problem rather than as unknown fields.
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(data, err)
	}
	switch {
	case head.Version == nil:
		return nil, fmt.Errorf("trace: no version (want %d)", JSONVersion)
	case *head.Version == 1:
		return nil, fmt.Errorf("trace: version 1 is not supported: it was written by tcpcheck under MODEL.md version 1, whose incarnation ghosts differ; run the check again to get a version %d trace", JSONVersion)
	case *head.Version != JSONVersion:
		return nil, fmt.Errorf("trace: version %d is not supported (want %d)", *head.Version, JSONVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var jt jsonTrace
	if err := dec.Decode(&jt); err != nil {
		return nil, jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trace: invalid JSON at offset %d: data after the trace", dec.InputOffset())
	}
	t, err := traceFromJSON(&jt)
	if err != nil {
		return nil, err
	}
	m, err := model.New(t.Settings)
	if err != nil {
		return nil, fmt.Errorf("trace: settings: %v", err)
	}
	if err := Replay(m, t); err != nil {
		return nil, err
	}
	return t, nil
}

// jsonError turns a decoding error into one line that says where.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("trace: invalid JSON at offset %d: unexpected end of input", len(data))
	case errors.As(err, &syn):
		if syn.Offset >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
			return fmt.Errorf("trace: invalid JSON at offset %d: unexpected end of input", syn.Offset)
		}
		return fmt.Errorf("trace: invalid JSON at offset %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		where := "the trace"
		if typ.Field != "" {
			where = fmt.Sprintf("%q", typ.Field)
		}
		return fmt.Errorf("trace: invalid JSON at offset %d: %s is a JSON %s, want %s", typ.Offset, where, typ.Value, jsonKind(typ.Type.Kind()))
	}
	return fmt.Errorf("trace: invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names the JSON value that decodes into a Go kind.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	}
	return "another type"
}

func traceFromJSON(jt *jsonTrace) (*Trace, error) {
	t := &Trace{Kind: jt.Kind, Name: jt.Name, Note: jt.Note}
	if jt.LoopAt != nil {
		if *jt.LoopAt < 0 || *jt.LoopAt >= len(jt.Steps) {
			return nil, fmt.Errorf("trace: loop_at %d is out of range (want 0 to %d, a state before the last)", *jt.LoopAt, len(jt.Steps)-1)
		}
		t.Lasso, t.LoopAt = true, *jt.LoopAt
	}
	if jt.Kind != Violation && jt.Kind != Witness {
		return nil, fmt.Errorf("trace: kind %q is not allowed (want %s or %s)", jt.Kind, Violation, Witness)
	}
	s, err := settingsFromJSON(jt.Settings)
	if err != nil {
		return nil, fmt.Errorf("trace: settings: %v", err)
	}
	t.Settings = s
	if t.Init, err = stateFromJSON(jt.Init); err != nil {
		return nil, fmt.Errorf("trace: init: %v", err)
	}
	for i, js := range jt.Steps {
		var st Step
		if st.Action, err = actionFromJSON(js.Action); err != nil {
			return nil, fmt.Errorf("trace: step %d: action: %v", i+1, err)
		}
		if st.State, err = stateFromJSON(js.State); err != nil {
			return nil, fmt.Errorf("trace: step %d: state: %v", i+1, err)
		}
		st.Index = -1 // found by Replay
		if js.Index != nil {
			st.Index = *js.Index
		}
		t.Steps = append(t.Steps, st)
	}
	return t, nil
}

// settingsFromJSON parses the settings onto the defaults and validates
// them, in MODEL.md's order so that messages come out the same every time.
func settingsFromJSON(m map[string]string) (model.Settings, error) {
	s := model.Defaults()
	names := model.SettingNames()
	for name := range m {
		found := false
		for _, n := range names {
			found = found || n == name
		}
		if !found {
			return s, fmt.Errorf("unknown setting %q (known: %s)", name, strings.Join(names, ", "))
		}
	}
	for _, name := range names {
		v, ok := m[name]
		if !ok {
			continue
		}
		if err := s.Set(name, v); err != nil {
			return s, err
		}
	}
	if s.TimeWait == 2*s.MSL {
		s.TimeWait = -1
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

func timerToJSON(t model.Timer) *int {
	if !t.Running() {
		return nil
	}
	n := t.Left()
	return &n
}

func timerFromJSON(name string, n *int) (model.Timer, error) {
	if n == nil {
		return 0, nil
	}
	if *n < 0 || *n > 254 {
		return 0, fmt.Errorf("%s: %d ticks is out of range (want 0 to 254, or null when stopped)", name, *n)
	}
	return model.Timer(*n + 1), nil
}

func tcbToJSON(t model.TCB) jsonTCB {
	return jsonTCB{
		State: t.State.String(), ISS: uint8(t.ISS), SndUna: uint8(t.SndUna), SndNxt: uint8(t.SndNxt),
		IRS: uint8(t.IRS), RcvNxt: uint8(t.RcvNxt), Opens: t.Opens, Passive: t.Passive,
		Sent: t.Sent, Delivered: t.Delivered, Tries: t.Tries,
		Rtx: timerToJSON(t.Rtx), TW: timerToJSON(t.TW), Peer: t.Peer, Stale: t.Stale,
	}
}

func tcbFromJSON(e model.Endpoint, j jsonTCB) (model.TCB, error) {
	st, err := model.ParseTCPState(j.State)
	if err != nil {
		return model.TCB{}, fmt.Errorf("%s: %v", e, err)
	}
	t := model.TCB{
		State: st, ISS: model.Seq(j.ISS), SndUna: model.Seq(j.SndUna), SndNxt: model.Seq(j.SndNxt),
		IRS: model.Seq(j.IRS), RcvNxt: model.Seq(j.RcvNxt), Opens: j.Opens, Passive: j.Passive,
		Sent: j.Sent, Delivered: j.Delivered, Tries: j.Tries, Peer: j.Peer, Stale: j.Stale,
	}
	if t.Rtx, err = timerFromJSON("rtx", j.Rtx); err != nil {
		return t, fmt.Errorf("%s: %v", e, err)
	}
	if t.TW, err = timerFromJSON("tw", j.TW); err != nil {
		return t, fmt.Errorf("%s: %v", e, err)
	}
	return t, nil
}

var flagNames = []struct {
	f    model.Flags
	name string
}{{model.SYN, "SYN"}, {model.RST, "RST"}, {model.FIN, "FIN"}, {model.ACK, "ACK"}}

func segmentToJSON(g model.Segment) jsonSegment {
	j := jsonSegment{Flags: []string{}, Seq: uint8(g.Seq), Ack: uint8(g.Ack), Len: g.Len, Age: g.Age, Src: g.Src, Dst: g.Dst, Unit: g.Unit}
	for _, f := range flagNames {
		if g.Flags.Has(f.f) {
			j.Flags = append(j.Flags, f.name)
		}
	}
	return j
}

func segmentFromJSON(j jsonSegment) (model.Segment, error) {
	g := model.Segment{Seq: model.Seq(j.Seq), Ack: model.Seq(j.Ack), Len: j.Len, Age: j.Age, Src: j.Src, Dst: j.Dst, Unit: j.Unit}
next:
	for _, name := range j.Flags {
		for _, f := range flagNames {
			if f.name == name {
				g.Flags |= f.f
				continue next
			}
		}
		return g, fmt.Errorf("unknown flag %q (want SYN, RST, FIN or ACK)", name)
	}
	return g, nil
}

func queueToJSON(q model.Queue) []jsonSegment {
	out := []jsonSegment{}
	for _, g := range q.Items() {
		out = append(out, segmentToJSON(g))
	}
	return out
}

func queueFromJSON(d model.Dir, js []jsonSegment) (model.Queue, error) {
	var q model.Queue
	if len(js) > model.MaxCapacity {
		return q, fmt.Errorf("%s: %d segments in flight (at most %d)", model.DirString(d), len(js), model.MaxCapacity)
	}
	for i, j := range js {
		g, err := segmentFromJSON(j)
		if err != nil {
			return q, fmt.Errorf("%s: segment %d: %v", model.DirString(d), i+1, err)
		}
		q.Segs[i] = g
	}
	q.N = uint8(len(js))
	return q, nil
}

func stateToJSON(s model.State) jsonState {
	return jsonState{
		Endpoints: jsonEndpoints{A: tcbToJSON(s.TCB[model.A]), B: tcbToJSON(s.TCB[model.B])},
		Network:   jsonNetwork{AB: queueToJSON(s.Net[model.A]), BA: queueToJSON(s.Net[model.B])},
		Clock:     uint8(s.Clock), Lost: s.Lost, Duped: s.Duped, Ticks: s.Ticks,
	}
}

func stateFromJSON(j jsonState) (model.State, error) {
	s := model.State{Clock: model.Seq(j.Clock), Lost: j.Lost, Duped: j.Duped, Ticks: j.Ticks}
	var err error
	if s.TCB[model.A], err = tcbFromJSON(model.A, j.Endpoints.A); err != nil {
		return s, err
	}
	if s.TCB[model.B], err = tcbFromJSON(model.B, j.Endpoints.B); err != nil {
		return s, err
	}
	if s.Net[model.A], err = queueFromJSON(model.A, j.Network.AB); err != nil {
		return s, err
	}
	if s.Net[model.B], err = queueFromJSON(model.B, j.Network.BA); err != nil {
		return s, err
	}
	return s, nil
}

func actionToJSON(a model.Action) jsonAction {
	j := jsonAction{Kind: a.Kind.String(), Lost: a.Lost}
	if a.Kind != model.Tick {
		j.Who = a.Who.String()
	}
	switch a.Kind {
	case model.Deliver, model.Drop, model.Dup:
		g := segmentToJSON(a.Seg)
		j.Segment = &g
	}
	if a.ISS != model.NoISS {
		iss := int(a.ISS)
		j.ISS = &iss
	}
	return j
}

func actionFromJSON(j jsonAction) (model.Action, error) {
	k, err := model.ParseActionKind(j.Kind)
	if err != nil {
		return model.Action{}, err
	}
	a := model.Action{Kind: k, ISS: model.NoISS, Lost: j.Lost}
	switch j.Who {
	case "A", "":
		a.Who = model.A
	case "B":
		a.Who = model.B
	default:
		return a, fmt.Errorf("who: %q is not an endpoint (want A or B)", j.Who)
	}
	if j.Segment != nil {
		if a.Seg, err = segmentFromJSON(*j.Segment); err != nil {
			return a, fmt.Errorf("segment: %v", err)
		}
	}
	if j.ISS != nil {
		if *j.ISS < 0 || *j.ISS > 255 {
			return a, fmt.Errorf("iss: %d is out of range (want 0 to 255)", *j.ISS)
		}
		a.ISS = int16(*j.ISS)
	}
	return a, nil
}

// Replay checks that t is a path of m: its initial state is one of m's
// initial states, and each step's action and state are exactly one of the
// successors m.Next yields from the state before it, at the step's Index
// (a negative Index is filled in). The error says which step does not
// replay, and how.
func Replay(m *model.Model, t *Trace) error {
	ok := false
	m.Init(func(s model.State) { ok = ok || s == t.Init })
	if !ok {
		return errors.New("trace: the initial state is not an initial state of the model")
	}
	prev := t.Init
	for i, st := range t.Steps {
		found, sameAction := false, false
		var other model.State
		n, at := 0, -1
		m.Next(prev, func(a model.Action, next model.State) {
			defer func() { n++ }()
			if a != st.Action || found {
				return
			}
			if next == st.State {
				found, at = true, n
				return
			}
			sameAction, other = true, next
		})
		switch {
		case found && st.Index >= 0 && st.Index != at:
			return fmt.Errorf("trace: step %d does not replay: its action is number %d of those enabled, not %d (index)", i+1, at, st.Index)
		case found:
			t.Steps[i].Index = at
		case sameAction:
			return fmt.Errorf("trace: step %d does not replay: action %q leads to another state than the trace's (%s)", i+1, st.Action, stateDiff(st.State, other))
		default:
			return fmt.Errorf("trace: step %d does not replay: no action %q from the state before it", i+1, st.Action)
		}
		prev = st.State
	}
	if t.Lasso && prev != t.Before(t.LoopAt) {
		return fmt.Errorf("trace: the lasso does not close: the last state is not state %d (loop_at)", t.LoopAt)
	}
	return nil
}

// stateDiff names the fields in which the trace's state differs from the
// model's, in the JSON form's terms: "clock: trace 7, model 1; ...".
func stateDiff(inTrace, inModel model.State) string {
	a, b := map[string]string{}, map[string]string{}
	flatten("", toGeneric(stateToJSON(inTrace)), a)
	flatten("", toGeneric(stateToJSON(inModel)), b)
	var keys []string
	for k := range a {
		if a[k] != b[k] {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: trace %s, model %s", k, orNone(a, k), orNone(b, k)))
	}
	return strings.Join(parts, "; ")
}

func orNone(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return "none"
}

func toGeneric(v any) any {
	b, _ := json.Marshal(v)
	var g any
	_ = json.Unmarshal(b, &g)
	return g
}

// flatten writes the leaves of a decoded JSON value as path -> value.
func flatten(path string, v any, out map[string]string) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			flatten(join(k), x, out)
		}
	case []any:
		if len(v) == 0 {
			out[path] = "[]"
		}
		for i, x := range v {
			flatten(join(fmt.Sprint(i)), x, out)
		}
	default:
		b, _ := json.Marshal(v)
		out[path] = string(b)
	}
}
