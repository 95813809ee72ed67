package properties_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/tcpcheck/tcpcheck/checker"
	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
	"github.com/tcpcheck/tcpcheck/traces"
)

// settingsOf returns the defaults of MODEL.md changed by name=value pairs.
func settingsOf(t *testing.T, pairs string) model.Settings {
	t.Helper()
	s := model.Defaults()
	f := strings.Fields(pairs)
	for i := 0; i+1 < len(f); i += 2 {
		if err := s.Set(f[i], f[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func property(t *testing.T, name string) properties.Property {
	t.Helper()
	ps, err := properties.Select([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	return ps[0]
}

// checkOne searches the model on pairs for the one property, as
// cmd/tcpcheck does, and returns its verdict.
func checkOne(t *testing.T, pairs, name string) (properties.Verdict, int64) {
	t.Helper()
	m, err := model.New(settingsOf(t, pairs))
	if err != nil {
		t.Fatal(err)
	}
	r, err := properties.CheckModel(context.Background(), m, []properties.Property{property(t, name)}, nil, nil, properties.Options{MaxStates: 2_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Complete() {
		t.Fatalf("%s: search incomplete (%s)", pairs, r.Search.Limit)
	}
	return r.Safety[0], r.Search.States
}

func actions(tr *checker.Trace[model.State, model.Action]) []string {
	var out []string
	for _, st := range tr.Steps {
		out = append(out, st.Action.String())
	}
	return out
}

// TestSeededBugs: each property is violated when the protocol mechanism it
// exists for is taken away by a setting, at the shortest depth, and holds
// on the same small settings with the mechanism in place.
func TestSeededBugs(t *testing.T) {
	const (
		small  = "seq-space 8 opens 1 loss unbounded data 0 horizon 6" // MODEL.md's fourth known count
		lossy  = "seq-space 8 opens 1 loss 1 data 0 horizon 8"
		reopen = "seq-space 16 opens 2 loss 1 data 0 horizon 6"
		live   = "seq-space 8 opens 1 loss unbounded data 0 horizon 6 retries 4"
		wrap   = "seq-space 12 opens 2 loss 1 data 0 horizon 8"
		data   = "seq-space 16 opens 2 loss 1 data 1 horizon 3"
	)
	for _, tc := range []struct {
		property    string
		bug, fixed  string // settings with the mechanism taken away, and in place
		depth       int    // the shortest counterexample with the bug
		wantActions []string
	}{
		// The third segment: a two-way handshake lets A's old SYN open a
		// connection at B (MODEL.md; RFC 9293 3.5).
		{"no-stale-syn", small + " handshake two-way", small, 4,
			[]string{"connect A ISS=0", "close A", "listen B", "deliver A->B <SEQ=0><CTL=SYN>"}},
		// The same old SYN leaves B ESTABLISHED and A CLOSED.
		{"no-half-open", lossy + " handshake two-way", lossy, 4,
			[]string{"connect A ISS=0", "close A", "listen B", "deliver A->B <SEQ=0><CTL=SYN>"}},
		// ISN selection by a clock that does not wrap within a connection:
		// with seq-space 8 the clock wraps, and an old SYN,ACK of the first
		// incarnation is taken by the second.
		{"isn-agreement", "seq-space 8 opens 2 loss 1 data 0 horizon 6", reopen, 19, nil},
		// 2*MSL of TIME-WAIT keeps old segments out of the next incarnation
		// (seq-space 12: the clock wraps within the horizon, so only
		// TIME-WAIT keeps the old FIN's retransmission out of the window).
		{"no-old-segment", wrap + " time-wait 0", wrap, 26, nil},
		// TIME-WAIT lets the last ACK be retransmitted: without it the
		// retransmitted FIN meets a CLOSED endpoint and is reset.
		{"graceful-close", lossy + " time-wait 0", lossy, 16, nil},
		// Retransmission: without it a lost segment leaves the connection
		// stuck.
		{"no-deadlock", live + " retransmit off", live, 7, nil},
		// ISN selection: with ISS always 0 a new incarnation's window is the
		// old one's, and an old data unit is delivered into it.
		{"stream-integrity", data + " isn zero", data, 10, nil},
	} {
		t.Run(tc.property, func(t *testing.T) {
			v, n := checkOne(t, tc.bug, tc.property)
			if v.Status != properties.Violated {
				t.Fatalf("%s on %q: %v in %d states, want violated", tc.property, tc.bug, v.Status, n)
			}
			got := actions(v.Trace)
			if tc.depth >= 0 && len(got) != tc.depth {
				t.Errorf("%s on %q: violated at depth %d, want %d:\n  %s", tc.property, tc.bug, len(got), tc.depth, strings.Join(got, "\n  "))
			}
			if tc.depth < 0 {
				t.Logf("%s on %q: violated at depth %d:\n  %s", tc.property, tc.bug, len(got), strings.Join(got, "\n  "))
			}
			if tc.wantActions != nil && strings.Join(got, "|") != strings.Join(tc.wantActions, "|") {
				t.Errorf("%s: counterexample\n  %s\nwant\n  %s", tc.property, strings.Join(got, "\n  "), strings.Join(tc.wantActions, "\n  "))
			}
			if v, n := checkOne(t, tc.fixed, tc.property); v.Status != properties.Holds {
				t.Errorf("%s on %q: %v (%d states), want holds", tc.property, tc.fixed, v.Status, n)
			}
		})
	}
}

// --- the predicates on hand-built states --------------------------------

// Hand-built states follow the conventions of model/rfc9293_test.go:
// seq-space 16, A opens actively with ISS=3, B passively with ISS=9.

// tcb builds a TCB in state st of incarnation opens, bound to the peer's
// incarnation peer (0: to none).
func tcb(st model.TCPState, iss, irs model.Seq, opens, peer uint8) model.TCB {
	return model.TCB{State: st, ISS: iss, SndUna: iss + 1, SndNxt: iss + 1, IRS: irs, RcvNxt: irs + 1, Opens: opens, Peer: peer}
}

func state(a, b model.TCB) model.State {
	var s model.State
	s.TCB[model.A], s.TCB[model.B] = a, b
	return s
}

func defaultModel(t *testing.T) *model.Model {
	m, err := model.New(model.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// stepByValue and stateByValue call p's predicate on states given by value,
// as the tests below write them.
func stepByValue(p properties.Property) func(*model.Model, model.State, model.Action, model.State) bool {
	return func(_ *model.Model, from model.State, a model.Action, to model.State) bool {
		return p.Step(&from, &a, &to)
	}
}

func stateByValue(p properties.Property) func(*model.Model, model.State) bool {
	return func(m *model.Model, s model.State) bool { return p.State(m, &s) }
}

func deliver(from model.Endpoint, g model.Segment) model.Action {
	return model.Action{Kind: model.Deliver, Who: from, Seg: g, ISS: model.NoISS}
}

var tick = model.Action{Kind: model.Tick, ISS: model.NoISS}

func TestNoStaleSynPredicate(t *testing.T) {
	p := stepByValue(property(t, "no-stale-syn"))
	m := defaultModel(t)
	synRcvd := tcb(model.SynReceived, 9, 3, 1, 1)
	synRcvd.Passive = true
	est := synRcvd
	est.State = model.Established
	ack := model.Segment{Flags: model.ACK, Seq: 4, Ack: 10, Src: 1, Dst: 1}
	from := state(tcb(model.Established, 3, 9, 1, 1), synRcvd)
	to := state(tcb(model.Established, 3, 9, 1, 1), est)
	if !p(m, from, deliver(model.A, ack), to) {
		t.Error("a fresh incarnation entering ESTABLISHED violates no-stale-syn")
	}
	from.TCB[model.B].Stale, to.TCB[model.B].Stale = true, true
	if p(m, from, deliver(model.A, ack), to) {
		t.Error("a stale incarnation entering ESTABLISHED does not violate no-stale-syn")
	}
	// Staying ESTABLISHED, or a stale SYN-RECEIVED that does not establish,
	// is no violation: the property is about entering ESTABLISHED.
	if !p(m, to, tick, to) || !p(m, from, tick, from) {
		t.Error("no-stale-syn is violated without entering ESTABLISHED")
	}
}

// TestNoHalfOpenPredicate: A1 enters ESTABLISHED bound to B1; each clause
// of MODEL.md's statement about B decides alone.
func TestNoHalfOpenPredicate(t *testing.T) {
	p := stepByValue(property(t, "no-half-open"))
	m := defaultModel(t)
	synSent := model.TCB{State: model.SynSent, ISS: 3, SndUna: 3, SndNxt: 4, Opens: 1}
	est := tcb(model.Established, 3, 9, 1, 1)
	synack := model.Segment{Flags: model.SYN | model.ACK, Seq: 9, Ack: 4, Src: 1, Dst: 1}
	for _, tc := range []struct {
		name string
		peer model.TCB
		ok   bool
	}{
		{"B1 SYN-RECEIVED bound to A1", tcb(model.SynReceived, 9, 3, 1, 1), true},
		{"B1 ESTABLISHED bound to A1", tcb(model.Established, 9, 3, 1, 1), true},
		{"B1 FIN-WAIT-1 bound to A1", tcb(model.FinWait1, 9, 3, 1, 1), true},
		{"B1 bound to nobody yet", tcb(model.SynSent, 9, 0, 1, 0), true},
		{"B CLOSED", model.TCB{State: model.Closed, Opens: 1}, false},
		{"B LISTEN", model.TCB{State: model.Listen, Opens: 1}, false},
		{"B2: not the incarnation A is bound to", tcb(model.SynReceived, 9, 3, 2, 1), false},
		{"B1 bound to A2", tcb(model.SynReceived, 9, 3, 1, 2), false},
	} {
		if got := p(m, state(synSent, tc.peer), deliver(model.B, synack), state(est, tc.peer)); got != tc.ok {
			t.Errorf("A1 enters ESTABLISHED, %s: %v, want %v", tc.name, got, tc.ok)
		}
	}
	// Already ESTABLISHED: nothing is entered.
	closed := model.TCB{State: model.Closed, Opens: 1}
	if !p(m, state(est, closed), tick, state(est, closed)) {
		t.Error("no-half-open is violated by a step that enters nothing")
	}
}

func TestISNAgreementPredicate(t *testing.T) {
	p := stateByValue(property(t, "isn-agreement"))
	m := defaultModel(t)
	for _, tc := range []struct {
		name string
		s    model.State
		ok   bool
	}{
		{"agree", state(tcb(model.Established, 3, 9, 1, 1), tcb(model.Established, 9, 3, 1, 1)), true},
		{"A's IRS wrong", state(tcb(model.Established, 3, 8, 1, 1), tcb(model.Established, 9, 3, 1, 1)), false},
		{"B's IRS wrong", state(tcb(model.FinWait2, 3, 9, 1, 1), tcb(model.CloseWait, 9, 4, 1, 1)), false},
		{"A bound to B1, B is B2", state(tcb(model.Established, 3, 8, 1, 1), tcb(model.Established, 9, 3, 2, 1)), true},
		{"B bound to A2, A is A1", state(tcb(model.Established, 3, 8, 1, 1), tcb(model.Established, 9, 3, 1, 2)), true},
		{"B not synchronized", state(tcb(model.Established, 3, 8, 1, 1), tcb(model.SynReceived, 9, 3, 1, 1)), true},
		{"TIME-WAIT counts", state(tcb(model.TimeWait, 3, 8, 1, 1), tcb(model.LastAck, 9, 3, 1, 1)), false},
	} {
		if got := p(m, tc.s); got != tc.ok {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.ok)
		}
	}
}

// TestNoOldSegmentPredicate: A2 is ESTABLISHED bound to B2. A segment is
// old for it when addressed to A1, or sent by B1.
func TestNoOldSegmentPredicate(t *testing.T) {
	p := stepByValue(property(t, "no-old-segment"))
	m := defaultModel(t)
	est := tcb(model.Established, 3, 9, 2, 2)
	old := model.Segment{Flags: model.ACK | model.FIN, Seq: 10, Ack: 4, Src: 2, Dst: 1} // addressed to A1
	closeWait := est
	closeWait.State, closeWait.RcvNxt = model.CloseWait, 11
	if p(m, state(est, est), deliver(model.B, old), state(closeWait, est)) {
		t.Error("an old FIN that moves A to CLOSE-WAIT does not violate no-old-segment")
	}
	fromB1 := old
	fromB1.Src, fromB1.Dst = 1, 0 // sent by B1 before it knew A
	if p(m, state(est, est), deliver(model.B, fromB1), state(closeWait, est)) {
		t.Error("a segment from an earlier incarnation of the peer does not violate no-old-segment")
	}
	moved := est
	moved.SndUna = 5
	if p(m, state(est, est), deliver(model.B, old), state(moved, est)) {
		t.Error("an old ACK that advances SND.UNA does not violate no-old-segment")
	}
	delivered := est
	delivered.Delivered = 1
	if p(m, state(est, est), deliver(model.B, old), state(delivered, est)) {
		t.Error("old data delivered does not violate no-old-segment")
	}
	if !p(m, state(est, est), deliver(model.B, old), state(est, est)) {
		t.Error("an old segment that changes nothing violates no-old-segment")
	}
	for _, cur := range []model.Segment{
		{Flags: model.ACK | model.FIN, Seq: 10, Ack: 4, Src: 2, Dst: 2},
		{Flags: model.ACK | model.FIN, Seq: 10, Ack: 4, Src: 2, Dst: 0}, // from B2, sent before it knew A
		{Flags: model.RST, Seq: 4, Src: 0, Dst: 2},                      // a reset answering a segment from A2 with no Dst
	} {
		if !p(m, state(est, est), deliver(model.B, cur), state(closeWait, est)) {
			t.Errorf("%v from B%d to A%d, not old for A2 bound to B2, violates no-old-segment", cur, cur.Src, cur.Dst)
		}
	}
	listen := model.TCB{State: model.Listen, Opens: 2}
	if !p(m, state(listen, est), deliver(model.B, old), state(est, est)) {
		t.Error("a LISTEN endpoint is judged by no-old-segment")
	}
	// Not a delivery: no segment to be old.
	if !p(m, state(est, est), tick, state(closeWait, est)) {
		t.Error("a tick violates no-old-segment")
	}
}

func TestGracefulClosePredicate(t *testing.T) {
	p := stepByValue(property(t, "graceful-close"))
	m := defaultModel(t)
	rst := model.Segment{Flags: model.RST, Seq: 10, Src: 1, Dst: 1}
	closed := model.TCB{State: model.Closed, Opens: 1}
	for _, st := range []model.TCPState{model.Closing, model.LastAck} {
		if p(m, state(tcb(st, 3, 9, 1, 1), closed), deliver(model.B, rst), state(closed, closed)) {
			t.Errorf("an RST that closes %s does not violate graceful-close", st)
		}
		if !p(m, state(tcb(st, 3, 9, 1, 1), closed), deliver(model.B, rst), state(tcb(st, 3, 9, 1, 1), closed)) {
			t.Errorf("an RST ignored in %s violates graceful-close", st)
		}
	}
	for _, st := range []model.TCPState{model.Established, model.FinWait1, model.TimeWait} {
		if !p(m, state(tcb(st, 3, 9, 1, 1), closed), deliver(model.B, rst), state(closed, closed)) {
			t.Errorf("an RST that closes %s violates graceful-close", st)
		}
	}
	ack := model.Segment{Flags: model.ACK, Seq: 10, Ack: 5, Src: 1, Dst: 1}
	if !p(m, state(tcb(model.LastAck, 3, 9, 1, 1), closed), deliver(model.B, ack), state(closed, closed)) {
		t.Error("LAST-ACK closed by an ACK violates graceful-close")
	}
}

// TestNoDeadlockPredicate follows MODEL.md version 2: stuck means nothing
// in flight and no endpoint action now or as time goes on, past the
// horizon and the loss budget.
func TestNoDeadlockPredicate(t *testing.T) {
	p := stateByValue(property(t, "no-deadlock"))
	m := defaultModel(t)
	closed := model.TCB{State: model.Closed, Opens: 2} // no opens left: B cannot listen again
	listen := model.TCB{State: model.Listen, Opens: 1}
	finWait2 := tcb(model.FinWait2, 3, 9, 1, 1)
	finWait2.SndNxt++
	finWait2.SndUna++
	timeWait := tcb(model.TimeWait, 3, 9, 1, 1)
	timeWait.TW = 5
	withSegment := func(s model.State, d model.Dir, g model.Segment) model.State {
		s.Net[d].N = 1
		s.Net[d].Segs[0] = g
		return s
	}
	spent := func(s model.State) model.State { s.Lost, s.Ticks = 1, 12; return s }
	for _, tc := range []struct {
		name string
		s    model.State
		ok   bool
	}{
		{"both CLOSED", state(closed, closed), true},
		{"CLOSED and LISTEN", state(closed, listen), true},
		{"ESTABLISHED can close", state(tcb(model.Established, 3, 9, 1, 1), closed), true},
		// RFC 9293's FIN-WAIT-2 has no timer: with the peer gone, nothing
		// will ever happen.
		{"FIN-WAIT-2 with the peer CLOSED for good", state(finWait2, closed), false},
		{"FIN-WAIT-2, and the peer may still listen", state(finWait2, model.TCB{State: model.Closed, Opens: 1}), true},
		{"TIME-WAIT expires", state(timeWait, closed), true},
		{"TIME-WAIT expires after the horizon", spent(state(timeWait, closed)), true},
		// A segment in flight is no deadlock, even when the loss budget is
		// spent and the horizon reached: that is the bounded network's
		// limit (MODEL.md, no-deadlock).
		{"a segment in flight to FIN-WAIT-2", withSegment(state(finWait2, closed), model.B, model.Segment{Flags: model.RST, Seq: 10, Src: 1, Dst: 1}), true},
		{"a segment in flight, budget spent", spent(withSegment(state(finWait2, closed), model.A, model.Segment{Flags: model.ACK, Seq: 4, Ack: 10, Src: 1, Dst: 1})), true},
	} {
		if got := p(m, tc.s); got != tc.ok {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func TestStreamIntegrityPredicate(t *testing.T) {
	p := stepByValue(property(t, "stream-integrity"))
	m := defaultModel(t)
	est := tcb(model.Established, 3, 9, 1, 1)
	got1 := est
	got1.Delivered, got1.RcvNxt = 1, 11
	for _, tc := range []struct {
		name string
		seg  model.Segment
		to   model.TCB
		ok   bool
	}{
		{"unit 1 from B1", model.Segment{Flags: model.ACK, Seq: 10, Ack: 4, Len: 1, Src: 1, Dst: 1, Unit: 1}, got1, true},
		{"unit 2 first", model.Segment{Flags: model.ACK, Seq: 10, Ack: 4, Len: 1, Src: 1, Dst: 1, Unit: 2}, got1, false},
		{"B2's unit 1", model.Segment{Flags: model.ACK, Seq: 10, Ack: 4, Len: 1, Src: 2, Dst: 1, Unit: 1}, got1, false},
		{"nothing delivered", model.Segment{Flags: model.ACK, Seq: 10, Ack: 4, Len: 1, Src: 2, Dst: 1, Unit: 1}, est, true},
	} {
		if got := p(m, state(est, est), deliver(model.B, tc.seg), state(tc.to, est)); got != tc.ok {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.ok)
		}
	}
	// Unit 1 again after unit 1: delivered twice.
	got2 := got1
	got2.Delivered = 2
	if p(m, state(got1, est), deliver(model.B, model.Segment{Flags: model.ACK, Seq: 11, Ack: 4, Len: 1, Src: 1, Dst: 1, Unit: 1}), state(got2, est)) {
		t.Error("unit 1 delivered twice does not violate stream-integrity")
	}
}

// TestCatalog: seven properties with a statement and a reason each, one
// of State and Step set, and Select refusing an unknown name.
func TestCatalog(t *testing.T) {
	want := []string{"no-stale-syn", "no-half-open", "isn-agreement", "no-old-segment", "graceful-close", "no-deadlock", "stream-integrity"}
	if got := properties.Names(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, p := range properties.All() {
		if p.Statement == "" || p.Reason == "" || (p.State == nil) == (p.Step == nil) {
			t.Errorf("%s: incomplete entry", p.Name)
		}
	}
	if _, err := properties.Select([]string{"no-such"}); err == nil || !strings.Contains(err.Error(), `unknown property "no-such"`) {
		t.Errorf("Select(no-such): %v", err)
	}
	if ps, _ := properties.Select([]string{"stream-integrity", "no-stale-syn"}); len(ps) != 2 || ps[0].Name != "no-stale-syn" {
		t.Errorf("Select does not keep catalog order: %v", ps)
	}
	if _, err := properties.SelectGoals([]string{"A-NO-SUCH"}); err == nil {
		t.Error("SelectGoals accepts an unknown goal")
	}
}

// --- random small settings: replays, determinism, the visited set ---------

// tinySettings draws valid settings whose state space is small (at most a
// few 10^4 states), so that a property test can search it many times.
func tinySettings(t *rapid.T) model.Settings {
	s := model.Defaults()
	s.SeqSpace = rapid.SampledFrom([]int{4, 8}).Draw(t, "seq-space")
	s.Window = rapid.IntRange(1, s.SeqSpace/2).Draw(t, "window")
	s.Opens = rapid.IntRange(1, 2).Draw(t, "opens")
	s.Data = rapid.IntRange(0, 1).Draw(t, "data")
	s.Loss = rapid.SampledFrom([]int{0, 1, model.Unbounded}).Draw(t, "loss")
	s.Dup = rapid.IntRange(0, 1).Draw(t, "dup")
	s.MSL = rapid.IntRange(1, 2).Draw(t, "msl")
	s.RTO = rapid.IntRange(1, 2).Draw(t, "rto")
	s.Retries = rapid.IntRange(0, 2).Draw(t, "retries")
	s.Horizon = rapid.IntRange(1, 2).Draw(t, "horizon")
	s.TimeWait = rapid.IntRange(-1, 3).Draw(t, "time-wait")
	s.Handshake = rapid.SampledFrom([]model.Handshake{model.ThreeWay, model.TwoWay}).Draw(t, "handshake")
	s.ISN = rapid.SampledFrom([]model.ISNPolicy{model.ISNClock, model.ISNZero, model.ISNAny}).Draw(t, "isn")
	s.Open = rapid.SampledFrom([]model.OpenMode{model.ClientServer, model.Simultaneous, model.AnyOpen}).Draw(t, "open")
	s.Reorder = rapid.Bool().Draw(t, "reorder")
	s.Retransmit = rapid.Bool().Draw(t, "retransmit")
	s.Abort = rapid.Bool().Draw(t, "abort")
	s.RSTInTimeWait = rapid.SampledFrom([]model.RSTInTimeWait{model.RFC793, model.RFC1337}).Draw(t, "rst-in-time-wait")
	if s.Open != model.ClientServer || s.Dup > 0 {
		s.Capacity = 2 // simultaneous opens and duplicates need room
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("drew invalid settings: %v", err)
	}
	return s
}

const tinyMax = 12_000

// TestCounterexamplesReplay: on random small settings, every trace the
// checker returns replays from the initial state through the same states
// (checker.Replay, and traces.Replay on its traces form), shows what it
// claims in its last step, and the results do not depend on the worker
// count.
func TestCounterexamplesReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := tinySettings(t)
		m, err := model.New(s)
		if err != nil {
			t.Fatal(err)
		}
		run := func(workers int) *checker.Result[model.State, model.Action] {
			r, err := properties.CheckModel(context.Background(), m, properties.All(), nil, properties.Goals(), properties.Options{Workers: workers, MaxStates: tinyMax})
			if err != nil {
				t.Fatal(err)
			}
			return r.Search
		}
		r1, r2 := run(1), run(2)
		if r1.States != r2.States || r1.Transitions != r2.Transitions || r1.Complete != r2.Complete || r1.Depth != r2.Depth {
			t.Fatalf("%s: workers 1: %d states %d transitions depth %d; workers 2: %d, %d, %d", s, r1.States, r1.Transitions, r1.Depth, r2.States, r2.Transitions, r2.Depth)
		}
		for i, v := range r1.Verdicts {
			w := r2.Verdicts[i]
			if v.Status != w.Status || (v.Trace == nil) != (w.Trace == nil) || (v.Trace != nil && len(v.Trace.Steps) != len(w.Trace.Steps)) {
				t.Fatalf("%s: %s: workers 1 and 2 disagree: %v / %v", s, v.Property, v.Status, w.Status)
			}
			if v.Trace == nil {
				continue
			}
			var idx []int
			for _, st := range v.Trace.Steps {
				idx = append(idx, st.Index)
			}
			re, err := checker.Replay[model.State, model.Action](m, 0, idx)
			if err != nil {
				t.Fatalf("%s: %s: %v", s, v.Property, err)
			}
			if re.Init != v.Trace.Init {
				t.Fatalf("%s: %s: replay starts elsewhere", s, v.Property)
			}
			for k := range re.Steps {
				if re.Steps[k].State != v.Trace.Steps[k].State || re.Steps[k].Action != v.Trace.Steps[k].Action {
					t.Fatalf("%s: %s: step %d replays to another state", s, v.Property, k+1)
				}
			}
			tr := &traces.Trace{Settings: s, Kind: traces.Violation, Name: v.Property, Init: v.Trace.Init}
			for _, st := range v.Trace.Steps {
				tr.Steps = append(tr.Steps, traces.Step{Action: st.Action, Index: st.Index, State: st.State})
			}
			if err := traces.Replay(m, tr); err != nil {
				t.Fatalf("%s: %s: %v", s, v.Property, err)
			}
			// The last step shows the violation (or the goal).
			last := v.Trace.Init
			var before model.State
			var act model.Action
			if n := len(v.Trace.Steps); n > 0 {
				last = v.Trace.Steps[n-1].State
				before = tr.Before(n - 1)
				act = v.Trace.Steps[n-1].Action
			}
			for _, p := range properties.All() {
				switch {
				case p.Name != v.Property:
				case p.State != nil && p.State(m, &last):
					t.Fatalf("%s: %s: the last state of the counterexample satisfies it", s, v.Property)
				case p.Step != nil && (len(v.Trace.Steps) == 0 || p.Step(&before, &act, &last)):
					t.Fatalf("%s: %s: the last step of the counterexample satisfies it", s, v.Property)
				}
			}
			for _, g := range properties.Goals() {
				if g.Name == v.Property && !g.Reached(last) {
					t.Fatalf("%s: %s: the witness does not end in the goal", s, v.Property)
				}
			}
		}
	})
}

// TestVisitedSetIsReachableSet: on random small settings, the checker
// stores exactly the states of a plain map-based breadth-first search, and
// every state of a random walk is one of them.
func TestVisitedSetIsReachableSet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := tinySettings(t)
		m, err := model.New(s)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[model.State]bool{}
		var queue []model.State
		m.Init(func(x model.State) { seen[x] = true; queue = append(queue, x) })
		for len(queue) > 0 && len(seen) <= tinyMax {
			x := queue[0]
			queue = queue[1:]
			m.Next(x, func(_ model.Action, n model.State) {
				if !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			})
		}
		if len(seen) > tinyMax {
			t.Skip("too many states")
		}
		r, err := checker.Check(context.Background(), m, nil, checker.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if r.States != int64(len(seen)) || !r.Complete {
			t.Fatalf("%s: the checker stored %d states, a map-based search finds %d", s, r.States, len(seen))
		}
		var cur model.State
		m.Init(func(x model.State) { cur = x })
		for i := range rapid.IntRange(0, 60).Draw(t, "walk") {
			var next []model.State
			m.Next(cur, func(_ model.Action, n model.State) { next = append(next, n) })
			if len(next) == 0 {
				break
			}
			cur = next[rapid.IntRange(0, len(next)-1).Draw(t, fmt.Sprint("choice", i))]
			if !seen[cur] {
				t.Fatalf("%s: step %d of a random walk reaches a state the search did not visit: %s", s, i+1, cur)
			}
		}
	})
}

// walkChecking takes the named actions from the initial state and returns,
// per step, the properties the step violates.
func walkChecking(t *testing.T, pairs string, steps ...string) []string {
	t.Helper()
	m, err := model.New(settingsOf(t, pairs))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := traces.Walk(m, steps...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, st := range tr.Steps {
		for _, p := range properties.All() {
			if !p.HoldsOn(m, tr.Before(i), st.Action, st.State) {
				out = append(out, fmt.Sprintf("step %d (%s): %s", i+1, st.Action, p.Name))
			}
		}
	}
	return out
}

// TestSimultaneousOpenIsNotStale is RFC 9293 Figure 7: both endpoints open
// actively, the SYNs cross, and each accepts the other's current SYN. No
// segment is old and no SYN is stale (MODEL.md version 2's ghosts), so no
// property is violated. Version 1's global counter flagged this trace.
func TestSimultaneousOpenIsNotStale(t *testing.T) {
	for _, open := range []string{"simultaneous", "any"} {
		t.Run(open, func(t *testing.T) { checkSimultaneousOpen(t, open) })
	}
}

func checkSimultaneousOpen(t *testing.T, open string) {
	got := walkChecking(t, "open "+open+" capacity 2 seq-space 8 isn zero",
		"connect A ISS=0", "connect B ISS=0",
		"deliver B->A <SEQ=0><CTL=SYN>", "deliver A->B <SEQ=0><CTL=SYN>",
		// Each SYN,ACK is below RCV.NXT, unacceptable (RFC 9293 3.10.7.4,
		// first): it is dropped with an ACK, and the ACKs establish.
		"deliver B->A <SEQ=0><ACK=1><CTL=SYN,ACK>", "deliver A->B <SEQ=1><ACK=1><CTL=ACK>",
		"deliver A->B <SEQ=0><ACK=1><CTL=SYN,ACK>", "deliver B->A <SEQ=1><ACK=1><CTL=ACK>")
	if len(got) > 0 {
		t.Errorf("a plain simultaneous open violates %s", strings.Join(got, ", "))
	}
}

// TestChangedPredicateIsChecked: a catalog property copied with its
// predicate replaced is searched with the replacement: here one that
// forbids A to reach ESTABLISHED, which it does in 4 steps: connect A,
// listen B, the SYN, the SYN,ACK.
func TestChangedPredicateIsChecked(t *testing.T) {
	p := property(t, "no-stale-syn")
	p.Step = func(_ *model.State, _ *model.Action, to *model.State) bool {
		return to.TCB[model.A].State != model.Established
	}
	r, err := properties.CheckModel(context.Background(), defaultModel(t), []properties.Property{p}, nil, nil, properties.Options{MaxStates: 2_000_000})
	if err != nil {
		t.Fatal(err)
	}
	v := r.Safety[0]
	if v.Status != properties.Violated || v.Trace == nil || len(v.Trace.Steps) != 4 {
		t.Fatalf("no-stale-syn with a replaced step: %v (trace %v), want violated in 4 steps", v.Status, v.Trace)
	}
}
