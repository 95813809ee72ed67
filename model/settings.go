package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Unbounded is the value of Settings.Loss or Settings.Dup that sets no bound.
const Unbounded = -1

// MaxCapacity is the largest number of segments one direction of the
// network can hold.
const MaxCapacity = 4

// Handshake variants.
const (
	ThreeWay = "three-way"
	TwoWay   = "two-way"
)

// ISN policies (MODEL.md "The ISN policy").
const (
	ISNClock = "clock"
	ISNAny   = "any"
	ISNZero  = "zero"
)

// TIME-WAIT behaviour on an acceptable RST.
const (
	RFC793  = "rfc793"
	RFC1337 = "rfc1337"
)

// TIME-WAIT behaviour on a segment that reaches the ACK step
// (time-wait-ack).
const (
	TimeWaitACKRFC9293 = "rfc9293"
	TimeWaitACKBSD     = "bsd"
)

// MaxFinWait2Timeout is the largest fin-wait-2-timeout, in ticks (the
// bound of time-wait).
const MaxFinWait2Timeout = 60

// Who may open, and how.
const (
	ClientServer = "client-server"
	Simultaneous = "simultaneous"
	AnyOpen      = "any"
)

// Settings are the parameters of the TCP model, named as in MODEL.md. The
// zero value is not valid: start from Defaults.
type Settings struct {
	Handshake     string // three-way or two-way
	TimeWait      int    // TIME-WAIT length in ticks; negative means 2*MSL
	MSL           int    // maximum segment lifetime in ticks
	RTO           int    // retransmission timeout in ticks
	Retries       int    // retransmissions before giving up (RFC 9293 3.8.3, R2)
	Horizon       int    // ticks a run may last; 0 means unbounded
	SeqSpace      int    // size of the sequence-number space
	Window        int    // receive window
	ISN           string // clock, any or zero
	Capacity      int    // segments one direction holds
	Reorder       bool   // a direction is a multiset (true) or a FIFO (false)
	Loss          int    // segments lost in a run; Unbounded for no bound
	Dup           int    // duplicates made in a run; Unbounded for no bound
	Opens         int    // opens per endpoint
	Data          int    // data units each endpoint may send per incarnation
	Retransmit    bool   // whether the retransmission timer runs
	RSTInTimeWait string // rfc793 or rfc1337
	Open          string // client-server, simultaneous or any
	Abort         bool   // whether the ABORT call is available

	// Optional behaviours (MODEL.md version 2); the defaults are RFC
	// 9293's base behaviour.
	RFC5961         bool   // RFC 5961's challenge ACKs (RFC 9293 3.10.7.4)
	TimeWaitReopen  bool   // a SYN in TIME-WAIT may open a new incarnation (RFC 9293 3.6, MAY-2)
	TimeWaitACK     string // rfc9293 or bsd
	FinWait2Timeout int    // ticks FIN-WAIT-2 lasts before it closes; 0 means no timer
}

// Defaults returns the default settings of MODEL.md.
func Defaults() Settings {
	return Settings{
		Handshake:     ThreeWay,
		TimeWait:      -1,
		MSL:           2,
		RTO:           2,
		Retries:       2,
		Horizon:       12,
		SeqSpace:      16,
		Window:        2,
		ISN:           ISNClock,
		Capacity:      1,
		Reorder:       true,
		Loss:          1,
		Dup:           0,
		Opens:         2,
		Data:          1,
		Retransmit:    true,
		RSTInTimeWait: RFC793,
		Open:          ClientServer,
		Abort:         false,

		RFC5961:         false,
		TimeWaitReopen:  false,
		TimeWaitACK:     TimeWaitACKRFC9293,
		FinWait2Timeout: 0,
	}
}

// TimeWaitTicks is the TIME-WAIT length in ticks: TimeWait, or 2*MSL when
// TimeWait is negative.
func (s Settings) TimeWaitTicks() int {
	if s.TimeWait < 0 {
		return 2 * s.MSL
	}
	return s.TimeWait
}

// A setting describes one field of Settings for parsers and help texts.
type setting struct {
	name    string
	allowed string // what values are allowed, for messages
	doc     string
	get     func(*Settings) string
	set     func(*Settings, string) error
}

func intSetting(name, doc string, lo, hi int, field func(*Settings) *int) setting {
	return setting{
		name:    name,
		allowed: fmt.Sprintf("an integer from %d to %d", lo, hi),
		doc:     doc,
		get:     func(s *Settings) string { return strconv.Itoa(*field(s)) },
		set: func(s *Settings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%s: %q is not an integer (want an integer from %d to %d)", name, v, lo, hi)
			}
			*field(s) = n
			return nil
		},
	}
}

func budgetSetting(name, doc string, field func(*Settings) *int) setting {
	return setting{
		name:    name,
		allowed: "an integer from 0 to 255, or unbounded",
		doc:     doc,
		get: func(s *Settings) string {
			if *field(s) == Unbounded {
				return "unbounded"
			}
			return strconv.Itoa(*field(s))
		},
		set: func(s *Settings, v string) error {
			if v == "unbounded" {
				*field(s) = Unbounded
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("%s: %q is not allowed (want an integer from 0 to 255, or unbounded)", name, v)
			}
			*field(s) = n
			return nil
		},
	}
}

func choiceSetting(name, doc string, field func(*Settings) *string, choices ...string) setting {
	return setting{
		name:    name,
		allowed: "one of " + strings.Join(choices, ", "),
		doc:     doc,
		get:     func(s *Settings) string { return *field(s) },
		set: func(s *Settings, v string) error {
			for _, c := range choices {
				if v == c {
					*field(s) = v
					return nil
				}
			}
			return fmt.Errorf("%s: %q is not allowed (want one of %s)", name, v, strings.Join(choices, ", "))
		},
	}
}

func onOffSetting(name, doc string, field func(*Settings) *bool) setting {
	return setting{
		name:    name,
		allowed: "on or off",
		doc:     doc,
		get: func(s *Settings) string {
			if *field(s) {
				return "on"
			}
			return "off"
		},
		set: func(s *Settings, v string) error {
			switch v {
			case "on", "true":
				*field(s) = true
			case "off", "false":
				*field(s) = false
			default:
				return fmt.Errorf("%s: %q is not allowed (want on or off)", name, v)
			}
			return nil
		},
	}
}

// settings lists every setting in the order of MODEL.md's defaults line.
var settings = []setting{
	choiceSetting("handshake", "connection establishment: the RFC's three-way handshake or a two-way one without the third segment", func(s *Settings) *string { return &s.Handshake }, ThreeWay, TwoWay),
	{
		name:    "time-wait",
		allowed: "an integer from 0 to 60",
		doc:     "ticks an endpoint stays in TIME-WAIT (RFC 9293 3.4.2: 2*MSL); follows --msl unless given",
		get:     func(s *Settings) string { return strconv.Itoa(s.TimeWaitTicks()) },
		set: func(s *Settings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("time-wait: %q is not allowed (want an integer from 0 to 60)", v)
			}
			s.TimeWait = n
			return nil
		},
	},
	intSetting("msl", "maximum segment lifetime in ticks: a segment leaves the network at this age", 1, 30, func(s *Settings) *int { return &s.MSL }),
	intSetting("rto", "retransmission timeout in ticks", 1, 30, func(s *Settings) *int { return &s.RTO }),
	intSetting("retries", "unanswered retransmissions before the connection is given up (RFC 9293 3.8.3, R2)", 0, 15, func(s *Settings) *int { return &s.Retries }),
	intSetting("horizon", "ticks a run may last; 0 means time is unbounded", 0, 255, func(s *Settings) *int { return &s.Horizon }),
	intSetting("seq-space", "size of the sequence-number space (even)", 4, 256, func(s *Settings) *int { return &s.SeqSpace }),
	intSetting("window", "receive window, at most seq-space/2", 1, 128, func(s *Settings) *int { return &s.Window }),
	choiceSetting("isn", "initial sequence numbers: a clock (RFC 9293 3.4.1), any value, or always zero", func(s *Settings) *string { return &s.ISN }, ISNClock, ISNAny, ISNZero),
	intSetting("capacity", "segments in flight per direction", 1, MaxCapacity, func(s *Settings) *int { return &s.Capacity }),
	onOffSetting("reorder", "segments in one direction may overtake each other (off: FIFO)", func(s *Settings) *bool { return &s.Reorder }),
	budgetSetting("loss", "segments the network may lose in a run (dropped or expired)", func(s *Settings) *int { return &s.Loss }),
	budgetSetting("dup", "duplicates the network may make in a run", func(s *Settings) *int { return &s.Dup }),
	intSetting("opens", "opens (active or passive) per endpoint", 1, 8, func(s *Settings) *int { return &s.Opens }),
	intSetting("data", "data units each endpoint may send per incarnation", 0, 8, func(s *Settings) *int { return &s.Data }),
	onOffSetting("retransmit", "whether the retransmission timer runs", func(s *Settings) *bool { return &s.Retransmit }),
	choiceSetting("rst-in-time-wait", "an acceptable RST in TIME-WAIT closes (rfc793) or is ignored (rfc1337)", func(s *Settings) *string { return &s.RSTInTimeWait }, RFC793, RFC1337),
	choiceSetting("open", "who opens: A actively and B passively, both actively, or either in any way", func(s *Settings) *string { return &s.Open }, ClientServer, Simultaneous, AnyOpen),
	onOffSetting("abort", "whether the ABORT call is available (RFC 9293 3.10.5: an RST from SYN-RECEIVED to CLOSE-WAIT, none from CLOSING, LAST-ACK, TIME-WAIT)", func(s *Settings) *bool { return &s.Abort }),
	onOffSetting("rfc5961", "RFC 5961 as RFC 9293 3.10.7.4 describes it, from SYN-RECEIVED on: an in-window RST off RCV.NXT, an in-window SYN (not in a passive SYN-RECEIVED) and, from ESTABLISHED on, an ACK below SND.UNA-window get a challenge ACK and are dropped", func(s *Settings) *bool { return &s.RFC5961 }),
	onOffSetting("time-wait-reopen", "in TIME-WAIT, a SYN (without ACK or RST) above RCV.NXT, at an endpoint that may listen and has an open left, opens a new passive incarnation with ISS = SND.NXT+window, as Linux does (RFC 9293 3.6, MAY-2)", func(s *Settings) *bool { return &s.TimeWaitReopen }),
	choiceSetting("time-wait-ack", "a segment without FIN reaching TIME-WAIT's ACK step restarts the timer and is acknowledged (rfc9293, RFC 9293 3.10.7.4) or is dropped silently (bsd, as 4.4BSD and Linux)", func(s *Settings) *string { return &s.TimeWaitACK }, TimeWaitACKRFC9293, TimeWaitACKBSD),
	intSetting("fin-wait-2-timeout", "ticks after which FIN-WAIT-2 closes without a segment, as Linux's tcp_fin_timeout (0: no timer, as in RFC 9293)", 0, MaxFinWait2Timeout, func(s *Settings) *int { return &s.FinWait2Timeout }),
}

func lookup(name string) (*setting, error) {
	for i := range settings {
		if settings[i].name == name {
			return &settings[i], nil
		}
	}
	return nil, fmt.Errorf("unknown setting %q (known: %s)", name, strings.Join(SettingNames(), ", "))
}

// SettingNames lists the names of all settings, as MODEL.md spells them.
func SettingNames() []string {
	names := make([]string, len(settings))
	for i, st := range settings {
		names[i] = st.name
	}
	return names
}

// SettingDoc returns a one-line description of a setting and what values it
// allows.
func SettingDoc(name string) (doc, allowed string, err error) {
	st, err := lookup(name)
	if err != nil {
		return "", "", err
	}
	return st.doc, st.allowed, nil
}

// Set parses value into the setting called name. It checks the syntax of
// the value only; Validate checks ranges and combinations.
func (s *Settings) Set(name, value string) error {
	st, err := lookup(name)
	if err != nil {
		return err
	}
	return st.set(s, value)
}

// Get returns the value of the setting called name as text.
func (s Settings) Get(name string) (string, error) {
	st, err := lookup(name)
	if err != nil {
		return "", err
	}
	return st.get(&s), nil
}

// String renders all settings as name=value pairs in MODEL.md's order.
func (s Settings) String() string {
	parts := make([]string, len(settings))
	for i, st := range settings {
		parts[i] = st.name + "=" + st.get(&s)
	}
	return strings.Join(parts, " ")
}

// Diff lists the settings whose values differ from those of base, as
// name=value pairs in MODEL.md's order.
func (s Settings) Diff(base Settings) []string {
	var out []string
	for _, st := range settings {
		if v := st.get(&s); v != st.get(&base) {
			out = append(out, st.name+"="+v)
		}
	}
	return out
}

// Validate checks every setting against its range and the combinations
// MODEL.md forbids. The error names the setting and what is allowed.
func (s Settings) Validate() error {
	type rng struct {
		name   string
		v      int
		lo, hi int
	}
	for _, r := range []rng{
		{"msl", s.MSL, 1, 30},
		{"rto", s.RTO, 1, 30},
		{"retries", s.Retries, 0, 15},
		{"horizon", s.Horizon, 0, 255},
		{"seq-space", s.SeqSpace, 4, 256},
		{"capacity", s.Capacity, 1, MaxCapacity},
		{"opens", s.Opens, 1, 8},
		{"data", s.Data, 0, 8},
		{"fin-wait-2-timeout", s.FinWait2Timeout, 0, MaxFinWait2Timeout},
	} {
		if r.v < r.lo || r.v > r.hi {
			return fmt.Errorf("%s: %d is out of range (want an integer from %d to %d)", r.name, r.v, r.lo, r.hi)
		}
	}
	if tw := s.TimeWaitTicks(); tw > 60 {
		return fmt.Errorf("time-wait: %d is out of range (want an integer from 0 to 60)", tw)
	}
	if s.SeqSpace%2 != 0 {
		return fmt.Errorf("seq-space: %d is odd (want an even integer from 4 to 256)", s.SeqSpace)
	}
	if s.Window < 1 || s.Window > s.SeqSpace/2 {
		return fmt.Errorf("window: %d is out of range (want an integer from 1 to seq-space/2 = %d)", s.Window, s.SeqSpace/2)
	}
	for _, b := range []struct {
		name string
		v    int
	}{{"loss", s.Loss}, {"dup", s.Dup}} {
		if b.v != Unbounded && (b.v < 0 || b.v > 255) {
			return fmt.Errorf("%s: %d is out of range (want an integer from 0 to 255, or unbounded)", b.name, b.v)
		}
	}
	for _, c := range []struct {
		name, v string
		choices []string
	}{
		{"handshake", s.Handshake, []string{ThreeWay, TwoWay}},
		{"isn", s.ISN, []string{ISNClock, ISNAny, ISNZero}},
		{"rst-in-time-wait", s.RSTInTimeWait, []string{RFC793, RFC1337}},
		{"open", s.Open, []string{ClientServer, Simultaneous, AnyOpen}},
		{"time-wait-ack", s.TimeWaitACK, []string{TimeWaitACKRFC9293, TimeWaitACKBSD}},
	} {
		if !slices.Contains(c.choices, c.v) {
			return fmt.Errorf("%s: %q is not allowed (want one of %s)", c.name, c.v, strings.Join(c.choices, ", "))
		}
	}
	if s.ISN == ISNAny && s.SeqSpace > 64 {
		return fmt.Errorf("isn: any branches once per sequence number and needs seq-space at most 64 (got %d)", s.SeqSpace)
	}
	return nil
}
