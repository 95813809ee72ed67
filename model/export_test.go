package model

import (
	"fmt"
	"slices"
	"strings"
)

// mutantsByName names the seeded mistakes of model.go for tests only.
var mutantsByName = map[string]mutant{
	"no-third-segment":           mutNoThirdSegment,
	"any-rst":                    mutAnyRST,
	"syn-sent-no-ack-check":      mutSynSentNoACKCheck,
	"syn-received-any-ack":       mutSynRcvdAnyACK,
	"fin-no-seq":                 mutFINNoSeq,
	"no-retransmit":              mutNoRetransmit,
	"no-acceptability":           mutNoAcceptability,
	"out-of-order-data":          mutOutOfOrderData,
	"no-time-wait-restart":       mutNoTimeWaitRestart,
	"no-give-up":                 mutNoGiveUp,
	"listen-accepts-syn-ack":     mutListenAcceptsSynAck,
	"rst-in-syn-received-closes": mutRSTInListenCloses,
	"syn-sent-no-irs":            mutNoIRS,
	"data-rcv-nxt-stays":         mutDataRcvNxtStays,
	"in-window-syn-ignored":      mutStaleSynNoReset,
}

// MutantNames lists the seeded mistakes, sorted.
func MutantNames() []string {
	names := make([]string, 0, len(mutantsByName))
	for n := range mutantsByName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// NewMutant is New with the named mistake seeded into the model.
func NewMutant(s Settings, name string) (*Model, error) {
	mu, ok := mutantsByName[name]
	if !ok {
		return nil, fmt.Errorf("unknown mutant %q (known: %s)", name, strings.Join(MutantNames(), ", "))
	}
	m, err := New(s)
	if err != nil {
		return nil, err
	}
	m.mutant = mu
	return m, nil
}
