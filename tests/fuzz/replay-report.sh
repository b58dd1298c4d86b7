#!/bin/sh
# Replay the report fuzz target's seeds and every crasher found so far.
src=${SAPERA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec "${SAPERA_BUILDDIR:-$src}/tests/fuzz/replay_report" \
	"$src"/tests/fuzz/corpus/report/* \
	$(find "$src/tests/fuzz/regressions/report" -type f ! -name .keep)
