package traces

import (
	"testing"

	"github.com/tcpcheck/tcpcheck/model"
)

// TestExplainArrivalAgreesWithModel: for every deliver action in the first
// states of a breadth-first search, under settings that reach every rule
// of SEGMENT ARRIVES, explainArrival predicts the reply the model sends
// (or, when the reply was lost for want of room, that there was one), and
// a reset always comes with a reason.
func TestExplainArrivalAgreesWithModel(t *testing.T) {
	cases := [][]string{
		{},
		{"data", "2", "capacity", "2", "loss", "unbounded"},
		{"rfc5961", "on", "capacity", "2", "loss", "unbounded", "abort", "on"},
		{"rst-in-time-wait", "rfc1337", "abort", "on", "capacity", "2"},
		{"time-wait-ack", "bsd", "capacity", "2", "dup", "1"},
		{"time-wait-reopen", "on", "open", "any", "capacity", "2"},
		{"handshake", "two-way", "open", "any", "isn", "any", "seq-space", "8", "window", "3"},
		{"open", "simultaneous", "isn", "zero", "capacity", "2", "reorder", "off", "dup", "1"},
		{"seq-space", "8", "window", "4", "isn", "any", "opens", "1", "loss", "unbounded", "capacity", "2"},
		{"fin-wait-2-timeout", "3", "retransmit", "off", "capacity", "2", "loss", "2"},
	}
	const limit = 60000 // states per case
	reasons := map[string]int{}
	for _, pairs := range cases {
		s := settings(t, pairs...)
		m, err := model.New(s)
		if err != nil {
			t.Fatal(err)
		}
		var queue []model.State
		seen := map[model.State]bool{}
		m.Init(func(st model.State) { queue = append(queue, st); seen[st] = true })
		checked := 0
		for len(queue) > 0 && len(seen) < limit {
			cur := queue[0]
			queue = queue[1:]
			m.Next(cur, func(a model.Action, next model.State) {
				if !seen[next] {
					seen[next] = true
					queue = append(queue, next)
				}
				if a.Kind == model.Deliver {
					checked++
					reasons[checkArrival(t, s, cur, a, next)]++
				}
			})
			if t.Failed() {
				return
			}
		}
		if checked == 0 {
			t.Errorf("%v: no deliver action", pairs)
		}
	}
	// States the search above does not reach in its first states: a RST
	// in TIME-WAIT under RFC 1337, a SYN that reopens from TIME-WAIT,
	// data ahead of RCV.NXT.
	tw := model.TCB{State: model.TimeWait, ISS: 1, SndUna: 3, SndNxt: 3, RcvNxt: 2, Opens: 1, Peer: 1, TW: 5}
	est := model.TCB{State: model.Established, ISS: 1, SndUna: 2, SndNxt: 2, IRS: 0, RcvNxt: 1, Opens: 1, Peer: 1}
	for _, tc := range []struct {
		pairs []string
		b     model.TCB
		a     model.TCB
		seg   model.Segment
	}{
		{[]string{"rst-in-time-wait", "rfc1337"}, tw, model.TCB{State: model.Closed, Opens: 1}, model.Segment{Flags: model.RST, Seq: 2, Src: 1, Dst: 1}},
		{[]string{"time-wait-reopen", "on"}, tw, model.TCB{State: model.SynSent, ISS: 5, SndUna: 5, SndNxt: 6, Opens: 2, Rtx: 3}, model.Segment{Flags: model.SYN, Seq: 5, Src: 2}},
		{[]string{"data", "2"}, est, model.TCB{State: model.Established, ISS: 0, SndUna: 1, SndNxt: 2, IRS: 1, RcvNxt: 2, Opens: 1, Peer: 1, Sent: 1}, model.Segment{Flags: model.ACK, Seq: 2, Ack: 2, Len: 1, Unit: 2, Src: 1, Dst: 1}},
	} {
		s := settings(t, tc.pairs...)
		m, err := model.New(s)
		if err != nil {
			t.Fatal(err)
		}
		var cur model.State
		cur.TCB[model.A], cur.TCB[model.B] = tc.a, tc.b
		cur.Net[model.A].N, cur.Net[model.A].Segs[0] = 1, tc.seg
		found := false
		m.Next(cur, func(a model.Action, next model.State) {
			if a.Kind == model.Deliver {
				found = true
				reasons[checkArrival(t, s, cur, a, next)]++
			}
		})
		if !found {
			t.Errorf("%v: no deliver in %s", tc.pairs, cur)
		}
	}
	// Every reason the charts can give came up at least once.
	for _, why := range []string{
		"CLOSED: reset", "RST in CLOSED: ignored", "ACK in LISTEN: reset", "RST in LISTEN: ignored",
		"unacceptable ACK: reset", "unacceptable ACK: ignored", "RST with acceptable ACK", "no SYN: dropped",
		"not acceptable: ACK", "not acceptable: ignored", "RST in window", "SYN in window: reset",
		"SYN in window: back to LISTEN", "FIN again: ACK", "new SYN: reopens as B2", "RST in TIME-WAIT: ignored (RFC 1337)",
		"RST not at RCV.NXT: challenge ACK", "SYN: challenge ACK", "TIME-WAIT (bsd): dropped", "TIME-WAIT: ACK",
		"duplicate ACK: ignored", "out-of-order data: ACK",
	} {
		if reasons[why] == 0 {
			t.Errorf("no deliver gave the reason %q", why)
		}
	}
	t.Logf("reasons: %v", reasons)
}

// TestAckedItems: what an ACK of new data acknowledges, counted from what
// was sent, also when the sequence numbers wrap.
func TestAckedItems(t *testing.T) {
	s := settings(t, "seq-space", "4", "window", "1")
	for _, tc := range []struct {
		from, to model.TCB
		want     string
	}{
		{model.TCB{State: model.SynReceived, ISS: 3, SndUna: 3, SndNxt: 0}, model.TCB{SndUna: 0}, "SYN"},
		{model.TCB{State: model.Established, ISS: 3, SndUna: 0, SndNxt: 1, Sent: 1}, model.TCB{SndUna: 1}, "DATA=1"},
		{model.TCB{State: model.LastAck, ISS: 3, SndUna: 0, SndNxt: 2, Sent: 1}, model.TCB{SndUna: 1}, "DATA=1"},
		{model.TCB{State: model.LastAck, ISS: 3, SndUna: 0, SndNxt: 2, Sent: 1}, model.TCB{SndUna: 2}, "DATA=1, FIN"},
		{model.TCB{State: model.FinWait1, ISS: 2, SndUna: 2, SndNxt: 1, Sent: 1}, model.TCB{SndUna: 0}, "SYN, DATA=1"},
	} {
		if got := ackedItems(s, tc.from, tc.to); got != tc.want {
			t.Errorf("ackedItems(%+v -> %d) = %q, want %q", tc.from, tc.to.SndUna, got, tc.want)
		}
	}
}

// checkArrival checks explainArrival against the model for one deliver
// action a from cur to next, and returns the reason it gives.
func checkArrival(t *testing.T, s model.Settings, cur model.State, a model.Action, next model.State) string {
	t.Helper()
	r := a.Who.Peer()
	got := explainArrival(s, a.Who, cur, next, a.Seg)
	added, _, _ := queueDiff(cur.Net[r], next.Net[r], false)
	switch {
	case a.Lost && !got.Replied:
		t.Errorf("%s in %s: the model's reply was lost, explainArrival sees none (%q)", a, cur, got.Why)
	case a.Lost:
	case len(added) == 0 && got.Replied:
		t.Errorf("%s in %s: no reply, explainArrival predicts %s (%q)", a, cur, got.Reply, got.Why)
	case len(added) == 1 && (!got.Replied || got.Reply != added[0]):
		t.Errorf("%s in %s: reply %s, explainArrival predicts %v %s (%q)", a, cur, added[0], got.Replied, got.Reply, got.Why)
	case len(added) > 1:
		t.Errorf("%s: %d replies", a, len(added))
	}
	if got.Replied && got.Reply.Flags.Has(model.RST) && got.Why == "" {
		t.Errorf("%s in %s: a reset without a reason", a, cur)
	}
	return got.Why
}
