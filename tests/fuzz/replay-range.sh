#!/bin/sh
# Replay the range fuzz target's seeds and every crasher found so far.
src=${SAPERA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec "${SAPERA_BUILDDIR:-$src}/tests/fuzz/replay_range" \
	"$src"/tests/fuzz/corpus/range/* \
	$(find "$src/tests/fuzz/regressions/range" -type f ! -name .keep)
