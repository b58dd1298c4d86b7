#!/bin/sh
# From a fresh clone to a running demo: install the build dependencies,
# build into build/plain, start the simulator of the nine services on
# loopback and run each plugin against it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sh contrib/install-deps.sh
[ -x configure ] || ./autogen.sh >/dev/null 2>&1
mkdir -p build/plain
(cd build/plain && { [ -f Makefile ] || ../../configure -q; } &&
 make -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null)

tmp=$(mktemp -d)
contrib/simulator/sapera-sim --port 0 --ready-file "$tmp/ready" \
	>/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
while [ ! -s "$tmp/ready" ]; do
	kill -0 $sim 2>/dev/null || { echo "simulator failed" >&2; exit 1; }
	sleep 0.1
done
base=$(cat "$tmp/ready")

# demo PLUGIN ARGS...: run one plugin and show its exit code
demo() {
	echo "\$ $* --base-url $base"
	rc=0
	"build/plain/plugins/$@" --base-url "$base" || rc=$?
	echo "(exit code $rc)"
	echo
}
demo check_sapera_workers -w 20 -c 50
demo check_sapera_tenants --per-tenant -w 20 -c 40
demo check_sapera_services -w 1 -c 3
# The first run of check_sapera_stalled only learns; see doc/stalled.md.
demo check_sapera_stalled -w 15m -c 1h --state-dir "$tmp"
