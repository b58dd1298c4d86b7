#!/bin/sh
# Run the end-to-end suite: the built plugins against the simulator.
# make check sets SAPERA_BUILDDIR and SAPERA_SRCDIR; by hand it works
# from a source tree built in place.
here=$(cd "$(dirname "$0")" && pwd)
SAPERA_SRCDIR=${SAPERA_SRCDIR:-$(cd "$here/../.." && pwd)}
SAPERA_BUILDDIR=${SAPERA_BUILDDIR:-$SAPERA_SRCDIR}
export SAPERA_SRCDIR SAPERA_BUILDDIR
# Outside make check, find a python3 that has pytest (a version manager's
# python3 may come first in PATH without it).
if [ -z "${PYTHON3:-}" ]; then
	for PYTHON3 in python3 /usr/bin/python3; do
		"$PYTHON3" -c 'import pytest' 2>/dev/null && break
	done
fi
# pytest's cache would land in the source tree, read-only in distcheck.
exec "$PYTHON3" -m pytest -p no:cacheprovider -q "$here" "$@"
