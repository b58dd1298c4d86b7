#!/bin/sh
# Build the libFuzzer targets with clang and run each for a bounded time.
#   tests/fuzz/run.sh [SECONDS]   (default 60 per target)
# A crash fails the run; its input is copied to tests/fuzz/regressions/
# so that make check replays it from then on.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out=$top/build/fuzz
cfg=${SAPERA_BUILDDIR:-$top/build/plain}

command -v clang >/dev/null || { echo "fuzz: clang not found" >&2; exit 1; }
[ -f "$cfg/config.h" ] || { echo "fuzz: no $cfg/config.h; build first" >&2
	exit 1; }
mkdir -p "$out"

flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
inc="-I$cfg -I$top/lib $(pkg-config --cflags libcurl)"
lib="$top/lib"
status=0

# fuzz NAME SOURCES...: build and run one target on a copy of its corpus
fuzz() {
	name=$1
	shift
	# shellcheck disable=SC2086
	clang $flags $inc -o "$out/fuzz_$name" "$top/tests/fuzz/fuzz_$name.c" \
		"$@" $(pkg-config --libs libcurl) -lm || return 1
	rm -rf "$out/corpus_$name" "$out/crash_$name"
	mkdir -p "$out/corpus_$name" "$out/crash_$name"
	cp "$top/tests/fuzz/corpus/$name"/* "$out/corpus_$name/"
	if ! "$out/fuzz_$name" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/crash_$name/" "$out/corpus_$name" \
	    >"$out/fuzz_$name.log" 2>&1; then
		echo "not ok - fuzz_$name found a crash:" >&2
		tail -40 "$out/fuzz_$name.log" >&2
		cp "$out/crash_$name"/* "$top/tests/fuzz/regressions/$name/" \
			2>/dev/null
		return 1
	fi
	echo "ok - fuzz_$name ($(grep -m1 'stat::number_of_executed_units' \
		"$out/fuzz_$name.log" | awk '{print $2}') runs in $secs s)"
	passed=$((passed + 1))
}

passed=0

# The report target links the whole library: a hand-kept list of its
# files falls behind whenever one of them starts to call another.
fuzz report "$lib"/*.c || status=1
fuzz range "$lib"/sp_range.c || status=1
echo "fuzz: $passed passed, $((2 - passed)) failed"
exit $status
