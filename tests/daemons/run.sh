#!/bin/sh
# Run the tests against real monitoring daemons: Icinga 2 validates the
# CheckCommands with the examples, Nagios 4 verifies the command samples,
# and a throwaway Icinga 2 runs check_sapera_workers against the
# simulator.  The daemons come from the Debian packages listed in
# packages.txt beside this script.
#
# Prints "ok - NAME" or "not ok - NAME" per test (a failed test's output
# follows as "# " lines) and a closing "daemons: N passed, M failed";
# exits 0 only if every test passed.
#
# SAPERA_BUILDDIR: where plugins/ was built (default: the source tree).
# SAPERA_SRCDIR: the source tree (default: the tree this script is in).
set -u

here=$(cd "$(dirname "$0")" && pwd)
SAPERA_SRCDIR=${SAPERA_SRCDIR:-$(cd "$here/../.." && pwd)}
SAPERA_BUILDDIR=${SAPERA_BUILDDIR:-$SAPERA_SRCDIR}
export SAPERA_SRCDIR SAPERA_BUILDDIR

log=$(mktemp "${TMPDIR:-/tmp}/sapera-daemons.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

passed=0
failed=0

# run NAME COMMAND...: one test; its output is shown only if it fails
run() {
	name=$1
	shift
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "not ok - $name"
		sed 's/^/# /' "$log"
	fi
}

run icinga2-validate sh "$here/icinga2-validate.sh"
run nagios4-verify sh "$here/nagios4-verify.sh"
run icinga2-e2e python3 "$here/icinga2-e2e.py"

echo "daemons: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
