package traces

import (
	"testing"

	"github.com/tcpcheck/tcpcheck/model"
)

// walk is Walk on settings s, failing the test on error; the trace is a
// violation of "test" unless the caller changes it.
func walk(t testing.TB, s model.Settings, actions ...string) *Trace {
	t.Helper()
	m, err := model.New(s)
	if err != nil {
		t.Fatalf("model.New: %v", err)
	}
	tr, err := Walk(m, actions...)
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	tr.Kind, tr.Name = Violation, "test"
	return tr
}

// settings returns the defaults with name=value pairs applied.
func settings(t testing.TB, pairs ...string) model.Settings {
	t.Helper()
	s := model.Defaults()
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := s.Set(pairs[i], pairs[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

// staleSYN is the two-way handshake's stale SYN: A's SYN outlives A's
// connection attempt and opens a connection at B that A never asked for.
func staleSYN(t testing.TB) *Trace {
	tr := walk(t, settings(t, "handshake", "two-way"),
		"connect A ISS=0", "close A", "listen B", "deliver A->B <SEQ=0><CTL=SYN>")
	tr.Kind, tr.Name = Violation, "no-stale-syn"
	return tr
}

// timeWait is a whole connection whose last ACK is lost: B retransmits its
// FIN, A (in TIME-WAIT) acknowledges it again, and A's TIME-WAIT then
// runs out.
func timeWait(t testing.TB) *Trace {
	tr := walk(t, settings(t),
		"connect A ISS=0", "listen B", "deliver A->B <SEQ=0><CTL=SYN>",
		"deliver B->A <SEQ=1><ACK=1><CTL=SYN,ACK>", "deliver A->B <SEQ=1><ACK=2><CTL=ACK>",
		"close A", "deliver A->B <SEQ=1><ACK=2><CTL=FIN,ACK>", "deliver B->A <SEQ=2><ACK=2><CTL=ACK>",
		"close B", "deliver B->A <SEQ=2><ACK=2><CTL=FIN,ACK>", "drop A->B <SEQ=2><ACK=3><CTL=ACK>",
		"tick", "tick", "retransmit B", "deliver B->A <SEQ=2><ACK=2><CTL=FIN,ACK>",
		"deliver A->B <SEQ=2><ACK=3><CTL=ACK>", "tick", "tick", "tick", "tick", "expire A")
	tr.Kind, tr.Name = Witness, "A-CLOSED after TIME-WAIT"
	return tr
}
