# Shared by the daemon tests, sourced with NAME set to the test's name:
# where the trees are, fail(), and a temporary directory $tmp that is
# removed on any exit.  fail() prints $tmp/log, where each test keeps
# what the daemon said.

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${SAPERA_SRCDIR:-$(cd "$here/../.." && pwd)}
builddir=${SAPERA_BUILDDIR:-$srcdir}
PATH=$PATH:/usr/sbin:/sbin

fail() {
	echo "$NAME: $*" >&2
	[ -f "$tmp/log" ] && cat "$tmp/log" >&2
	exit 1
}

tmp=
trap 'rm -rf "$tmp"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sapera-$NAME.XXXXXX") || exit 1
