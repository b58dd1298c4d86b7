#!/bin/sh
# Run the end-to-end suite: the built plugins against the simulator.
# make check sets SAPERA_BUILDDIR and SAPERA_SRCDIR; by hand it works
# from a source tree built in place.
here=$(cd "$(dirname "$0")" && pwd)
SAPERA_SRCDIR=${SAPERA_SRCDIR:-$(cd "$here/../.." && pwd)}
SAPERA_BUILDDIR=${SAPERA_BUILDDIR:-$SAPERA_SRCDIR}
export SAPERA_SRCDIR SAPERA_BUILDDIR
# pytest's cache would land in the source tree, read-only in distcheck.
exec "${PYTHON3:-python3}" -m pytest -p no:cacheprovider -q "$here" "$@"
