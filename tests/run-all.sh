#!/bin/sh
# Run every test: the whole suite in a plain build and again in a build
# with AddressSanitizer and UndefinedBehaviorSanitizer, then, where their
# programs are installed (contrib/install-deps.sh --all), the end-to-end
# cases under valgrind, bounded fuzzing, the Icinga 2 and Nagios tests
# and the Debian package.  Builds go to build/; the source tree stays
# clean.
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

# build NAME CONFIGURE-ARGS...: configure (again when the arguments
# differ from last time, e.g. after quickstart.sh) and build into
# build/NAME
build() {
	name=$1
	shift
	mkdir -p "build/$name"
	(cd "build/$name" &&
	 if [ ! -f Makefile ] ||
	    [ "$(cat .configure-args 2>/dev/null)" != "$*" ]; then
		../../configure -q "$@" && echo "$*" >.configure-args
	 fi &&
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

# extra NAME COMMAND...: an integration test that ends with a line
# "NAME: N passed, M failed"; its log is shown only when it fails
extra() {
	name=$1
	shift
	log=build/$name.log
	"$@" >"$log" 2>&1
	rc=$?
	line=$(grep -E "^[a-z-]+: [0-9]+ passed, [0-9]+ failed" "$log" |
	       tail -1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*, \([0-9]*\) failed.*/\1/p')
	if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	echo "$name: ${p:-0} passed, ${f:-0} failed"
	if [ $rc -ne 0 ]; then
		echo "run-all: $name failed; log:" >&2
		tail -60 "$log" >&2
		status=1
	fi
}

has() { command -v "$1" >/dev/null 2>&1; }

# missing NAME WHAT: a part that cannot run here.  By hand that is a
# note; in CI, which installs everything (install-deps.sh --all), it
# is a failure, so that a green run never hides a skipped part.
missing() {
	if [ -n "${CI:-}" ]; then
		echo "$1: 0 passed, 1 failed ($2 not available)"
		failed=$((failed + 1))
		status=1
	else
		echo "$1: skipped ($2 not available)"
	fi
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

# The release tarball builds and passes on its own (make distcheck).
extra distcheck sh -c 'make -s -C build/plain distcheck >/dev/null &&
	echo "distcheck: 1 passed, 0 failed"'
if has valgrind; then
	extra valgrind make -s -C build/plain check-valgrind
else
	missing valgrind valgrind
fi
if has clang; then
	extra fuzz env SAPERA_BUILDDIR="$top/build/plain" \
		sh tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"
else
	missing fuzz clang
fi
if has icinga2 && has nagios4; then
	extra daemons env SAPERA_BUILDDIR="$top/build/plain" \
		sh tests/daemons/run.sh
else
	missing daemons "icinga2 and nagios4"
fi
if [ "$(id -u)" -eq 0 ] && has dpkg-buildpackage && [ -d .git ]; then
	extra package sh tests/package/run.sh
else
	missing package "root, dpkg-buildpackage and a git checkout"
fi
echo "all: $passed passed, $failed failed"
exit $status
