package main

import (
	"fmt"
	"io"
	"strings"
)

// commands lists tcpcheck's commands, for the usage and for completion.
var commands = []string{"check", "compare", "reach", "hazards", "render", "list", "bench", "explore", "version", "completion", "help"}

// bashCompletion completes commands, then each command's flags as its own
// -h lists them, and the names that --property, --goal and --only take.
const bashCompletion = `# bash completion for tcpcheck: eval "$(tcpcheck completion bash)"
_tcpcheck() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "%s" -- "$cur"))
		return
	fi
	case $prev in
	--property|-property)
		COMPREPLY=($(compgen -W "$(tcpcheck list | sed -n 's/^  \([a-z][a-z0-9-]*\)$/\1/p')" -- "$cur")); return;;
	--goal|-goal)
		COMPREPLY=($(compgen -W "$(tcpcheck list | sed -n 's/^  \([AB]-[A-Z0-9-]*\|[a-z-]*-[a-z-]*\)  .*/\1/p')" -- "$cur")); return;;
	--only|-only)
		COMPREPLY=($(compgen -W "$(tcpcheck list | sed -n '/^Hazards/,/^Goals/s/^  \([a-z0-9-]*\) .*/\1/p')" -- "$cur")); return;;
	esac
	COMPREPLY=($(compgen -W "$(tcpcheck "${COMP_WORDS[1]}" -h 2>/dev/null | sed -n 's/^  \(--*[a-z0-9-]*\).*/\1/p')" -- "$cur"))
}
complete -o default -F _tcpcheck tcpcheck
`

// cmdCompletion writes a shell's completion script.
func cmdCompletion(args []string, stdout io.Writer) (int, error) {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stdout, "Usage: tcpcheck completion bash\n\nWrites bash's completion for tcpcheck; load it with: eval \"$(tcpcheck completion bash)\"")
		return exitHolds, nil
	}
	if len(args) != 1 || args[0] != "bash" {
		return 0, usagef("completion: want 'tcpcheck completion bash' (bash is the shell supported), got %q", strings.Join(args, " "))
	}
	_, err := fmt.Fprintf(stdout, bashCompletion, strings.Join(commands, " "))
	return exitHolds, err
}
