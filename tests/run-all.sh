#!/bin/sh
# Run every test: the whole suite in a plain build and again in a build
# with AddressSanitizer and UndefinedBehaviorSanitizer.  Builds go to
# build/plain and build/sanitize; the source tree stays clean.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)

if [ -f config.status ]; then
	echo "run-all: the source tree is configured in place;" \
	     "run 'make distclean' first" >&2
	exit 1
fi
[ -x configure ] || ./autogen.sh >/dev/null 2>&1 || exit 1

# build NAME CONFIGURE-ARGS...: configure (once) and build into build/NAME
build() {
	name=$1
	shift
	mkdir -p "build/$name"
	(cd "build/$name" &&
	 { [ -f Makefile ] || ../../configure -q "$@"; } &&
	 make -s -j"$jobs" >/dev/null) || {
		echo "run-all: $name build failed" >&2
		return 1
	}
}

# check NAME: make check there; keep the logs of failures only
check() {
	(cd "build/$1" && make -s -j"$jobs" check >/dev/null 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "run-all: $1: make check failed; logs:" >&2
		cat "build/$1/test-suite.log" >&2
	fi
	return $rc
}

# count NAME: add the build's passed and failed tests to the totals
count() {
	p=$(cat "build/$1"/tests/*/*.trs 2>/dev/null |
	    grep -c '^:test-result: \(PASS\|XFAIL\|SKIP\)')
	f=$(cat "build/$1"/tests/*/*.trs 2>/dev/null |
	    grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)')
	passed=$((passed + p))
	failed=$((failed + f))
	echo "$1: $p passed, $f failed"
}

passed=0
failed=0
status=0
build plain --enable-werror || exit 1
check plain || status=1
count plain
build sanitize --enable-werror --enable-sanitizers || exit 1
check sanitize || status=1
count sanitize
echo "all: $passed passed, $failed failed"
exit $status
