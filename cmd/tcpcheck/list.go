package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tcpcheck/tcpcheck/model"
	"github.com/tcpcheck/tcpcheck/properties"
)

func cmdList(args []string, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		if err == flag.ErrHelp {
			printDefaults(fs, stdout, "Usage: tcpcheck list\n\nPrints the catalog: properties, liveness properties, hazard scenarios, goals and settings.")
		}
		return parseStatus(err)
	}
	var b strings.Builder
	b.WriteString("Properties (checked together by 'tcpcheck check'):\n\n")
	for _, p := range properties.All() {
		fmt.Fprintf(&b, "  %s\n      holds when: %s\n      why: %s\n", p.Name, p.Statement, p.Reason)
	}
	b.WriteString("\nLiveness properties (checked by 'tcpcheck check --horizon 0', tick weakly fair; a counterexample is a lasso):\n\n")
	for _, l := range properties.LivenessCatalog() {
		fmt.Fprintf(&b, "  %s\n      holds when: %s\n      why: %s\n", l.Name, l.Statement, l.Reason)
	}
	b.WriteString("\nHazards (scenarios run by 'tcpcheck hazards', each with its fix):\n\n")
	for _, h := range properties.Hazards() {
		fmt.Fprintf(&b, "  %-34s %s\n", h.Name, h.Source)
	}
	b.WriteString("\nGoals (proved reachable with a shortest witness by 'tcpcheck reach'):\n\n")
	for _, g := range properties.Goals() {
		fmt.Fprintf(&b, "  %-24s %s\n", g.Name, g.Statement)
	}
	b.WriteString("\nSettings (flags of check, reach and compare; MODEL.md):\n\n")
	d := model.Defaults()
	for _, n := range model.SettingNames() {
		doc, allowed, _ := model.SettingDoc(n)
		def, _ := d.Get(n)
		fmt.Fprintf(&b, "  --%-18s %s\n  %-20s   %s; default %s\n", n, doc, "", allowed, def)
	}
	_, err := io.WriteString(stdout, b.String())
	return 0, err
}
