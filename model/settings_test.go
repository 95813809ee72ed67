package model

import (
	"encoding"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestEnumSettings: every value of every enum setting reads back as the
// name the settings table allows, parses from it, and an unknown name or an
// out-of-range value is refused with one line naming the setting.
func TestEnumSettings(t *testing.T) {
	type enum interface {
		encoding.TextMarshaler
		String() string
	}
	for _, tc := range []struct {
		name   string
		names  []string
		values []enum
		parse  func(string) (enum, error)
	}{
		{"handshake", handshakeNames, []enum{ThreeWay, TwoWay}, func(v string) (enum, error) { var e Handshake; err := e.UnmarshalText([]byte(v)); return e, err }},
		{"isn", isnNames, []enum{ISNClock, ISNAny, ISNZero}, func(v string) (enum, error) { var e ISNPolicy; err := e.UnmarshalText([]byte(v)); return e, err }},
		{"rst-in-time-wait", rstInTimeWaitNames, []enum{RFC793, RFC1337}, func(v string) (enum, error) { var e RSTInTimeWait; err := e.UnmarshalText([]byte(v)); return e, err }},
		{"open", openNames, []enum{ClientServer, Simultaneous, AnyOpen}, func(v string) (enum, error) { var e OpenMode; err := e.UnmarshalText([]byte(v)); return e, err }},
		{"time-wait-ack", timeWaitACKNames, []enum{TimeWaitACKRFC9293, TimeWaitACKBSD}, func(v string) (enum, error) { var e TimeWaitACK; err := e.UnmarshalText([]byte(v)); return e, err }},
	} {
		_, allowed, err := SettingDoc(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if want := "one of " + strings.Join(tc.names, ", "); allowed != want {
			t.Errorf("%s: allowed %q, want %q", tc.name, allowed, want)
		}
		if len(tc.values) != len(tc.names) {
			t.Errorf("%s: %d values, %d names", tc.name, len(tc.values), len(tc.names))
		}
		for i, v := range tc.values {
			text, _ := v.MarshalText()
			if v.String() != tc.names[i] || string(text) != tc.names[i] {
				t.Errorf("%s value %d: String %q, MarshalText %q, want %q", tc.name, i, v, text, tc.names[i])
			}
			if got, err := tc.parse(tc.names[i]); err != nil || got != v {
				t.Errorf("%s: parse(%q) = %v, %v; want %v", tc.name, tc.names[i], got, err, v)
			}
			s := Defaults()
			if err := s.Set(tc.name, tc.names[i]); err != nil {
				t.Errorf("Set(%s, %s): %v", tc.name, tc.names[i], err)
			}
			if got, _ := s.Get(tc.name); got != tc.names[i] {
				t.Errorf("Get(%s) = %q after Set %q", tc.name, got, tc.names[i])
			}
		}
		s := Defaults()
		err = s.Set(tc.name, "no-such")
		if err == nil || err.Error() != tc.name+`: "no-such" is not allowed (want `+allowed+")" {
			t.Errorf("Set(%s, no-such): %v", tc.name, err)
		}
	}
}

// TestValidateReadsTheTable: each integer setting's range in the table is
// the one Validate enforces, at both ends.
func TestValidateReadsTheTable(t *testing.T) {
	for _, st := range settings {
		var lo, hi int
		if n, _ := fmt.Sscanf(st.allowed, "an integer from %d to %d", &lo, &hi); n != 2 {
			continue
		}
		for _, c := range []struct {
			v  int
			ok bool
		}{{lo, true}, {hi, true}, {lo - 1, false}, {hi + 1, false}} {
			s := Defaults()
			s.SeqSpace = 256 // lets window reach the top of its range
			if err := s.Set(st.name, strconv.Itoa(c.v)); err != nil {
				if c.ok || !strings.HasPrefix(err.Error(), st.name+": ") {
					t.Errorf("Set(%s, %d): %v", st.name, c.v, err)
				}
				continue
			}
			err := s.Validate()
			if c.ok != (err == nil) {
				t.Errorf("%s=%d (allowed: %s): Validate = %v", st.name, c.v, st.allowed, err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), st.name+": ") {
				t.Errorf("%s=%d: error does not name the setting: %v", st.name, c.v, err)
			}
		}
	}
}

// TestSettingValues: every setting says its values in short, and each named
// value there is one Set takes.
func TestSettingValues(t *testing.T) {
	for _, name := range SettingNames() {
		values, err := SettingValues(name)
		if err != nil || values == "" {
			t.Errorf("SettingValues(%s) = %q, %v", name, values, err)
			continue
		}
		for _, v := range strings.Split(values, "|") {
			if v == "N" {
				continue
			}
			s := Defaults()
			if err := s.Set(name, v); err != nil {
				t.Errorf("%s: %q from %q: %v", name, v, values, err)
			}
		}
	}
	if _, err := SettingValues("no-such"); err == nil {
		t.Error("SettingValues(no-such): no error")
	}
}
