// Package model is the TCP connection-management model that tcpcheck
// checks, as docs/MODEL.md (version 2 of the model) specifies it: two
// endpoints, each an RFC 9293 TCB with its 11 states, joined by a bounded,
// lossy, reordering network, with discrete time (segment lifetimes, the
// retransmission timer, TIME-WAIT), the optional behaviours of RFC 5961,
// TIME-WAIT reopening, BSD's TIME-WAIT and a FIN-WAIT-2 timeout, and the
// ghost incarnations that the properties read. Every rule cites the section
// of RFC 9293 (or of docs/MODEL.md where the model pins a detail down) that
// it follows.
//
// Model implements checker.Model[State, Action]. It is pure and
// deterministic: no I/O, no clocks, no randomness. A State is a fixed-size
// value, comparable and cheap to copy.
package model
