#!/bin/sh
# Build the Debian package from a copy of the tree, install it with
# apt-get, and run the installed plugins: --help, the man page, the
# Icinga 2 definitions, and a check against the simulator.  Needs root.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
sim=
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "not ok - $1"; failed=$((failed + 1)); }

# The tracked and new files, as a clean checkout would have them.
mkdir "$tmp/src"
(cd "$top" && git ls-files -co --exclude-standard -z |
	xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$tmp/src"

# The tests ran already; the package build only needs to compile.
if (cd "$tmp/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
    dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	ok "dpkg-buildpackage"
else
	fail "dpkg-buildpackage"
	tail -40 "$tmp/build.log"
	echo "package: $passed passed, $failed failed"
	exit 1
fi
deb=$(ls "$tmp"/monitoring-plugins-sapera_*.deb)
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --reinstall "$deb" >"$tmp/install.log" 2>&1; then
	ok "apt-get install $(basename "$deb")"
else
	fail "apt-get install"
	cat "$tmp/install.log"
fi

dir=/usr/lib/nagios/plugins
for p in workers tenants services stalled; do
	if "$dir/check_sapera_$p" --help | head -1 |
	    grep -q "^check_sapera_$p "; then
		ok "installed check_sapera_$p --help"
	else
		fail "installed check_sapera_$p --help"
	fi
	if [ -f "/usr/share/man/man1/check_sapera_$p.1.gz" ]; then
		ok "man page of check_sapera_$p"
	else
		fail "man page of check_sapera_$p"
	fi
done
if [ -f /usr/share/icinga2/include/plugins-contrib.d/sapera.conf ]; then
	ok "Icinga 2 CheckCommands installed"
else
	fail "Icinga 2 CheckCommands installed"
fi

"$top/contrib/simulator/sapera-sim" --port 0 --ready-file "$tmp/ready" \
	>/dev/null 2>&1 &
sim=$!
n=0
while [ ! -s "$tmp/ready" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
out=$("$dir/check_sapera_workers" --base-url "$(cat "$tmp/ready")" \
	-w 50 -c 100)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | head -1 | grep -q "^SAPERA WORKERS OK - "
then
	ok "installed check_sapera_workers against the simulator"
else
	fail "installed check_sapera_workers against the simulator (rc $rc)"
	echo "$out" | head -3
fi

echo "package: $passed passed, $failed failed"
[ $failed -eq 0 ]
