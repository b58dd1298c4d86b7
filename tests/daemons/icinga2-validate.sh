#!/bin/sh
# icinga2 daemon -C accepts contrib/icinga2/sapera.conf together with
# contrib/icinga2/example-services.conf, and the example creates the
# objects it is meant to: the four CheckCommands and five services on
# each of the two hosts.
#
# The configuration is a throwaway one under a temporary directory: a
# minimal icinga2.conf with the ITL, PluginDir pointing at the build
# tree, the master's Endpoint and Zone (zones.conf on a real master) and
# our two files.  Every path the daemon writes is moved there with -D, and
# it runs as the current user, so neither /etc/icinga2 nor root is needed.
# Exit status is the verdict; the log is printed only on failure.
set -u

NAME=icinga2-validate
. "$(dirname "$0")/common.sh"

command -v icinga2 >/dev/null 2>&1 ||
	fail "icinga2 not found; install tests/daemons/packages.txt"

for d in data logs cache spool run; do
	mkdir "$tmp/$d" || exit 1
done
cat >"$tmp/icinga2.conf" <<CONF
const PluginDir = "$builddir/plugins"
const NodeName = "icinga-master.example.com"
const ZoneName = "master"

include <itl>
include <plugins>

object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }

include "$srcdir/contrib/icinga2/sapera.conf"
include "$srcdir/contrib/icinga2/example-services.conf"
CONF

set -- -DDataDir="$tmp/data" -DLogDir="$tmp/logs" -DCacheDir="$tmp/cache" \
	-DSpoolDir="$tmp/spool" -DInitRunDir="$tmp/run" \
	-DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)"

icinga2 daemon -C -c "$tmp/icinga2.conf" "$@" >"$tmp/log" 2>&1 ||
	fail "icinga2 daemon -C refused the configuration"
if grep -E '(warning|critical)/' "$tmp/log" >/dev/null; then
	fail "icinga2 daemon -C warned"
fi

# The objects the validation created, by name.
icinga2 object list "$@" >"$tmp/objects" 2>>"$tmp/log" ||
	fail "icinga2 object list failed"
sed -n "s/^Object '\\(.*\\)' of type '\\([A-Za-z]*\\)':\$/\\2 \\1/p" \
	"$tmp/objects" | grep -E '^(CheckCommand|Service) ' | grep sapera |
	sort >"$tmp/got"
{
	for c in sapera_services sapera_stalled sapera_tenants sapera_workers; do
		echo "CheckCommand $c"
	done
	for h in sapera-prod sapera-prod-dc; do
		for s in payments-workers services stalled tenants workers; do
			echo "Service $h!sapera-$s"
		done
	done
} | sort >"$tmp/want"
diff "$tmp/want" "$tmp/got" >>"$tmp/log" ||
	fail "unexpected objects (diff want got follows the log)"
exit 0
