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
		return 0, err
	}
	var b strings.Builder
	b.WriteString("Properties (checked together by 'tcpcheck check'):\n\n")
	for _, p := range properties.All() {
		fmt.Fprintf(&b, "  %s\n      holds when: %s\n      why: %s\n", p.Name, p.Statement, p.Reason)
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
