package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Unbounded is the value of Settings.Loss or Settings.Dup that sets no bound.
const Unbounded = -1

// MaxCapacity is the largest number of segments one direction of the
// network can hold.
const MaxCapacity = 4

// Handshake is a connection-establishment variant (MODEL.md "Handshake
// variants"; setting handshake).
type Handshake uint8

// Handshake variants.
const (
	ThreeWay Handshake = iota // RFC 9293's three-way handshake
	TwoWay                    // LISTEN enters ESTABLISHED on the SYN; no third segment
)

// ISNPolicy is how initial sequence numbers are chosen (MODEL.md "The ISN
// policy"; setting isn).
type ISNPolicy uint8

// ISN policies.
const (
	ISNClock ISNPolicy = iota // the ISN clock (RFC 9293 3.4.1)
	ISNAny                    // any value: a branch per sequence number
	ISNZero                   // always 0
)

// RSTInTimeWait is what TIME-WAIT does with an acceptable RST (setting
// rst-in-time-wait).
type RSTInTimeWait uint8

// TIME-WAIT behaviours on an acceptable RST.
const (
	RFC793  RSTInTimeWait = iota // enter CLOSED (RFC 793, RFC 9293)
	RFC1337                      // ignore it (RFC 1337)
)

// TimeWaitACK is what TIME-WAIT does with a segment that reaches the ACK
// step (setting time-wait-ack).
type TimeWaitACK uint8

// TIME-WAIT behaviours on a segment that reaches the ACK step.
const (
	TimeWaitACKRFC9293 TimeWaitACK = iota // acknowledge it and restart the timer (RFC 9293 3.10.7.4)
	TimeWaitACKBSD                        // drop a segment without FIN silently (4.4BSD, Linux)
)

// MaxFinWait2Timeout is the largest fin-wait-2-timeout, in ticks (the
// bound of time-wait).
const MaxFinWait2Timeout = 60

// OpenMode says who may open, and how (MODEL.md "Actors"; setting open).
type OpenMode uint8

// Who may open, and how.
const (
	ClientServer OpenMode = iota // A actively, B passively
	Simultaneous                 // both actively
	AnyOpen                      // both, actively or passively
)

// The names of the enum values, indexed by value: the only spelling of
// each, read by String, MarshalText, UnmarshalText and the settings table.
var (
	handshakeNames     = []string{ThreeWay: "three-way", TwoWay: "two-way"}
	isnNames           = []string{ISNClock: "clock", ISNAny: "any", ISNZero: "zero"}
	rstInTimeWaitNames = []string{RFC793: "rfc793", RFC1337: "rfc1337"}
	timeWaitACKNames   = []string{TimeWaitACKRFC9293: "rfc9293", TimeWaitACKBSD: "bsd"}
	openNames          = []string{ClientServer: "client-server", Simultaneous: "simultaneous", AnyOpen: "any"}
)

// enumString spells value v of an enum whose names are names, or
// type(v) for a value out of range.
func enumString[E ~uint8](names []string, v E, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, uint8(v))
}

// enumParse returns the value spelt text among names.
func enumParse[E ~uint8](names []string, text string) (E, error) {
	for i, n := range names {
		if n == text {
			return E(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not allowed (want one of %s)", text, strings.Join(names, ", "))
}

// String spells the handshake variant as the setting does.
func (h Handshake) String() string { return enumString(handshakeNames, h, "Handshake") }

// MarshalText returns the setting's spelling of h.
func (h Handshake) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses a handshake variant as the setting spells it.
func (h *Handshake) UnmarshalText(b []byte) (err error) {
	*h, err = enumParse[Handshake](handshakeNames, string(b))
	return err
}

// String spells the ISN policy as the setting does.
func (p ISNPolicy) String() string { return enumString(isnNames, p, "ISNPolicy") }

// MarshalText returns the setting's spelling of p.
func (p ISNPolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses an ISN policy as the setting spells it.
func (p *ISNPolicy) UnmarshalText(b []byte) (err error) {
	*p, err = enumParse[ISNPolicy](isnNames, string(b))
	return err
}

// String spells the rst-in-time-wait behaviour as the setting does.
func (r RSTInTimeWait) String() string { return enumString(rstInTimeWaitNames, r, "RSTInTimeWait") }

// MarshalText returns the setting's spelling of r.
func (r RSTInTimeWait) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses a rst-in-time-wait behaviour as the setting spells
// it.
func (r *RSTInTimeWait) UnmarshalText(b []byte) (err error) {
	*r, err = enumParse[RSTInTimeWait](rstInTimeWaitNames, string(b))
	return err
}

// String spells the time-wait-ack behaviour as the setting does.
func (w TimeWaitACK) String() string { return enumString(timeWaitACKNames, w, "TimeWaitACK") }

// MarshalText returns the setting's spelling of w.
func (w TimeWaitACK) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText parses a time-wait-ack behaviour as the setting spells it.
func (w *TimeWaitACK) UnmarshalText(b []byte) (err error) {
	*w, err = enumParse[TimeWaitACK](timeWaitACKNames, string(b))
	return err
}

// String spells the open mode as the setting does.
func (o OpenMode) String() string { return enumString(openNames, o, "OpenMode") }

// MarshalText returns the setting's spelling of o.
func (o OpenMode) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText parses an open mode as the setting spells it.
func (o *OpenMode) UnmarshalText(b []byte) (err error) {
	*o, err = enumParse[OpenMode](openNames, string(b))
	return err
}

// Settings are the parameters of the TCP model, named as in MODEL.md. The
// zero value is not valid: start from Defaults.
type Settings struct {
	Handshake     Handshake     // three-way or two-way
	TimeWait      int           // TIME-WAIT length in ticks; negative means 2*MSL
	MSL           int           // maximum segment lifetime in ticks
	RTO           int           // retransmission timeout in ticks
	Retries       int           // retransmissions before giving up (RFC 9293 3.8.3, R2)
	Horizon       int           // ticks a run may last; 0 means unbounded
	SeqSpace      int           // size of the sequence-number space
	Window        int           // receive window
	ISN           ISNPolicy     // clock, any or zero
	Capacity      int           // segments one direction holds
	Reorder       bool          // a direction is a multiset (true) or a FIFO (false)
	Loss          int           // segments lost in a run; Unbounded for no bound
	Dup           int           // duplicates made in a run; Unbounded for no bound
	Opens         int           // opens per endpoint
	Data          int           // data units each endpoint may send per incarnation
	Retransmit    bool          // whether the retransmission timer runs
	RSTInTimeWait RSTInTimeWait // rfc793 or rfc1337
	Open          OpenMode      // client-server, simultaneous or any
	Abort         bool          // whether the ABORT call is available

	// Optional behaviours (MODEL.md version 2); the defaults are RFC
	// 9293's base behaviour.
	RFC5961         bool        // RFC 5961's challenge ACKs (RFC 9293 3.10.7.4)
	TimeWaitReopen  bool        // a SYN in TIME-WAIT may open a new incarnation (RFC 9293 3.6, MAY-2)
	TimeWaitACK     TimeWaitACK // rfc9293 or bsd
	FinWait2Timeout int         // ticks FIN-WAIT-2 lasts before it closes; 0 means no timer
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

// A setting describes one field of Settings: its name, what values it
// allows, its help, how to read and parse it, and its range. The table
// below is the only place where these are written: Set, Get, String,
// SettingDoc and Validate all read it.
type setting struct {
	name    string
	allowed string // what values are allowed, for help and messages
	values  string // the same in short, for a command line's help: N, on|off, ...
	doc     string
	get     func(*Settings) string
	set     func(*Settings, string) error // the syntax of a value
	check   func(*Settings) error         // the range of the value, alone
	// cross checks the value against settings earlier in the table
	// (window against seq-space); Validate runs it once every setting
	// has passed check.
	cross func(*Settings) error
}

// intRange is an integer setting's range: lo to hi.
type intRange struct{ lo, hi int }

// String says what the range allows, for help and messages.
func (r intRange) String() string { return fmt.Sprintf("an integer from %d to %d", r.lo, r.hi) }

// outOfRange is the message for an integer v of setting name outside the
// range described by allowed.
func outOfRange(name string, v int, allowed string) error {
	return fmt.Errorf("%s: %d is out of range (want %s)", name, v, allowed)
}

func intSetting(name, doc string, r intRange, field func(*Settings) *int) setting {
	return setting{
		name:    name,
		allowed: r.String(),
		values:  "N",
		doc:     doc,
		get:     func(s *Settings) string { return strconv.Itoa(*field(s)) },
		set: func(s *Settings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%s: %q is not an integer (want %s)", name, v, r)
			}
			*field(s) = n
			return nil
		},
		check: func(s *Settings) error {
			if v := *field(s); v < r.lo || v > r.hi {
				return outOfRange(name, v, r.String())
			}
			return nil
		},
	}
}

// budgetRange is the range of a budget (loss, dup) other than Unbounded.
var budgetRange = intRange{0, 255}

func budgetSetting(name, doc string, field func(*Settings) *int) setting {
	allowed := budgetRange.String() + ", or unbounded"
	return setting{
		name:    name,
		allowed: allowed,
		values:  "N|unbounded",
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
				return fmt.Errorf("%s: %q is not allowed (want %s)", name, v, allowed)
			}
			*field(s) = n
			return nil
		},
		check: func(s *Settings) error {
			if v := *field(s); v != Unbounded && (v < budgetRange.lo || v > budgetRange.hi) {
				return outOfRange(name, v, allowed)
			}
			return nil
		},
	}
}

// choiceSetting is a setting whose values are the names of an enum type E.
func choiceSetting[E ~uint8](name, doc string, names []string, field func(*Settings) *E) setting {
	allowed := "one of " + strings.Join(names, ", ")
	return setting{
		name:    name,
		allowed: allowed,
		values:  strings.Join(names, "|"),
		doc:     doc,
		get:     func(s *Settings) string { return enumString(names, *field(s), name) },
		set: func(s *Settings, v string) error {
			e, err := enumParse[E](names, v)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			*field(s) = e
			return nil
		},
		check: func(s *Settings) error {
			if v := *field(s); int(v) >= len(names) {
				return fmt.Errorf("%s: %d is not allowed (want %s)", name, v, allowed)
			}
			return nil
		},
	}
}

func onOffSetting(name, doc string, field func(*Settings) *bool) setting {
	return setting{
		name:    name,
		allowed: "on or off",
		values:  "on|off",
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

// The ranges of the integer settings whose range another check reads.
var (
	timeWaitRange = intRange{0, 60}
	seqSpaceRange = intRange{4, 256}
	windowRange   = intRange{1, seqSpaceRange.hi / 2}
)

// maxSeqSpaceISNAny is the largest seq-space with isn=any, which branches
// once per sequence number.
const maxSeqSpaceISNAny = 64

// settings lists every setting in the order of MODEL.md's defaults line.
var settings = []setting{
	choiceSetting("handshake", "connection establishment: the RFC's three-way handshake or a two-way one without the third segment", handshakeNames, func(s *Settings) *Handshake { return &s.Handshake }),
	{
		name:    "time-wait",
		allowed: timeWaitRange.String(),
		values:  "N",
		doc:     "ticks an endpoint stays in TIME-WAIT (RFC 9293 3.4.2: 2*MSL); follows --msl unless given",
		get:     func(s *Settings) string { return strconv.Itoa(s.TimeWaitTicks()) },
		set: func(s *Settings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("time-wait: %q is not allowed (want %s)", v, timeWaitRange)
			}
			s.TimeWait = n
			return nil
		},
		// Checked after msl, which it follows unless given.
		cross: func(s *Settings) error {
			if tw := s.TimeWaitTicks(); tw < timeWaitRange.lo || tw > timeWaitRange.hi {
				return outOfRange("time-wait", tw, timeWaitRange.String())
			}
			return nil
		},
	},
	intSetting("msl", "maximum segment lifetime in ticks: a segment leaves the network at this age", intRange{1, 30}, func(s *Settings) *int { return &s.MSL }),
	intSetting("rto", "retransmission timeout in ticks", intRange{1, 30}, func(s *Settings) *int { return &s.RTO }),
	intSetting("retries", "unanswered retransmissions before the connection is given up (RFC 9293 3.8.3, R2)", intRange{0, 15}, func(s *Settings) *int { return &s.Retries }),
	intSetting("horizon", "ticks a run may last; 0 means time is unbounded", intRange{0, 255}, func(s *Settings) *int { return &s.Horizon }),
	func() setting {
		st := intSetting("seq-space", "size of the sequence-number space (even)", seqSpaceRange, func(s *Settings) *int { return &s.SeqSpace })
		inRange := st.check
		st.check = func(s *Settings) error {
			if err := inRange(s); err != nil {
				return err
			}
			if s.SeqSpace%2 != 0 {
				return fmt.Errorf("seq-space: %d is odd (want an even integer from %d to %d)", s.SeqSpace, seqSpaceRange.lo, seqSpaceRange.hi)
			}
			return nil
		}
		return st
	}(),
	func() setting {
		st := intSetting("window", "receive window, at most seq-space/2", windowRange, func(s *Settings) *int { return &s.Window })
		st.check = nil
		st.cross = func(s *Settings) error {
			if s.Window < windowRange.lo || s.Window > s.SeqSpace/2 {
				return outOfRange("window", s.Window, fmt.Sprintf("an integer from %d to seq-space/2 = %d", windowRange.lo, s.SeqSpace/2))
			}
			return nil
		}
		return st
	}(),
	func() setting {
		st := choiceSetting("isn", "initial sequence numbers: a clock (RFC 9293 3.4.1), any value, or always zero", isnNames, func(s *Settings) *ISNPolicy { return &s.ISN })
		st.cross = func(s *Settings) error {
			if s.ISN == ISNAny && s.SeqSpace > maxSeqSpaceISNAny {
				return fmt.Errorf("isn: any branches once per sequence number and needs seq-space at most %d (got %d)", maxSeqSpaceISNAny, s.SeqSpace)
			}
			return nil
		}
		return st
	}(),
	intSetting("capacity", "segments in flight per direction", intRange{1, MaxCapacity}, func(s *Settings) *int { return &s.Capacity }),
	onOffSetting("reorder", "segments in one direction may overtake each other (off: FIFO)", func(s *Settings) *bool { return &s.Reorder }),
	budgetSetting("loss", "segments the network may lose in a run (dropped or expired)", func(s *Settings) *int { return &s.Loss }),
	budgetSetting("dup", "duplicates the network may make in a run", func(s *Settings) *int { return &s.Dup }),
	intSetting("opens", "opens (active or passive) per endpoint", intRange{1, 8}, func(s *Settings) *int { return &s.Opens }),
	intSetting("data", "data units each endpoint may send per incarnation", intRange{0, 8}, func(s *Settings) *int { return &s.Data }),
	onOffSetting("retransmit", "whether the retransmission timer runs", func(s *Settings) *bool { return &s.Retransmit }),
	choiceSetting("rst-in-time-wait", "an acceptable RST in TIME-WAIT closes (rfc793) or is ignored (rfc1337)", rstInTimeWaitNames, func(s *Settings) *RSTInTimeWait { return &s.RSTInTimeWait }),
	choiceSetting("open", "who opens: A actively and B passively, both actively, or either in any way", openNames, func(s *Settings) *OpenMode { return &s.Open }),
	onOffSetting("abort", "whether the ABORT call is available (RFC 9293 3.10.5: an RST from SYN-RECEIVED to CLOSE-WAIT, none from CLOSING, LAST-ACK, TIME-WAIT)", func(s *Settings) *bool { return &s.Abort }),
	onOffSetting("rfc5961", "RFC 5961 as RFC 9293 3.10.7.4 describes it, from SYN-RECEIVED on: an in-window RST off RCV.NXT, an in-window SYN (not in a passive SYN-RECEIVED) and, from ESTABLISHED on, an ACK below SND.UNA-window get a challenge ACK and are dropped", func(s *Settings) *bool { return &s.RFC5961 }),
	onOffSetting("time-wait-reopen", "in TIME-WAIT, a SYN (without ACK or RST) above RCV.NXT, at an endpoint that may listen and has an open left, opens a new passive incarnation with ISS = SND.NXT+window, as Linux does (RFC 9293 3.6, MAY-2)", func(s *Settings) *bool { return &s.TimeWaitReopen }),
	choiceSetting("time-wait-ack", "a segment without FIN reaching TIME-WAIT's ACK step restarts the timer and is acknowledged (rfc9293, RFC 9293 3.10.7.4) or is dropped silently (bsd, as 4.4BSD and Linux)", timeWaitACKNames, func(s *Settings) *TimeWaitACK { return &s.TimeWaitACK }),
	intSetting("fin-wait-2-timeout", "ticks after which FIN-WAIT-2 closes without a segment, as Linux's tcp_fin_timeout (0: no timer, as in RFC 9293)", intRange{0, MaxFinWait2Timeout}, func(s *Settings) *int { return &s.FinWait2Timeout }),
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

// SettingValues returns the values a setting takes, in short, as a command
// line's help writes them after the flag: N, N|unbounded, on|off, or the
// names of its choices (three-way|two-way).
func SettingValues(name string) (string, error) {
	st, err := lookup(name)
	if err != nil {
		return "", err
	}
	return st.values, nil
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

// Validate checks every setting against its range, then the combinations
// MODEL.md forbids, both as the settings table says. The error is one line
// that names the setting and what is allowed.
func (s Settings) Validate() error {
	for i := range settings {
		if c := settings[i].check; c != nil {
			if err := c(&s); err != nil {
				return err
			}
		}
	}
	for i := range settings {
		if c := settings[i].cross; c != nil {
			if err := c(&s); err != nil {
				return err
			}
		}
	}
	return nil
}
