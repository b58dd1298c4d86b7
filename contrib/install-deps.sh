#!/bin/sh
# Install what building and testing monitoring-plugins-sapera needs, from
# Debian's packages.  Safe to run again: it only calls apt-get when a
# package is missing.  Needs root (or sudo).
#   install-deps.sh         build and unit/end-to-end tests
#   install-deps.sh --all   also fuzzing, valgrind, the Debian package
#                           and the Icinga 2 and Nagios daemons
#   install-deps.sh --bench also what bench/run compares the plugins
#                           with and measures them by
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

PACKAGES="autoconf automake make gcc pkg-config libc6-dev
libcurl4-openssl-dev libjsmn-dev libcmocka-dev python3 python3-pytest
help2man openssl locales"
if [ "${1:-}" = --all ]; then
	PACKAGES="$PACKAGES clang valgrind debhelper dpkg-dev fakeroot
$(cat "$top/tests/daemons/packages.txt")"
fi
if [ "${1:-}" = --bench ]; then
	PACKAGES="$PACKAGES curl jq monitoring-plugins-basic time valgrind
linux-perf"
fi
PACKAGES="$PACKAGES ${SAPERA_EXTRA_PACKAGES:-}"

missing=
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing:$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	--no-install-recommends $missing >/dev/null
