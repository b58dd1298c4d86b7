#!/bin/sh
# The end-to-end cases with every plugin run under valgrind (see
# SAPERA_PLUGIN_WRAPPER in conftest.py); ends with a count line.
here=$(cd "$(dirname "$0")" && pwd)
SAPERA_PLUGIN_WRAPPER=${SAPERA_PLUGIN_WRAPPER:-"valgrind --leak-check=full \
--errors-for-leak-kinds=definite --error-exitcode=99 -q"}
export SAPERA_PLUGIN_WRAPPER
out=$(sh "$here/run-pytest.sh" "$@" 2>&1)
rc=$?
echo "$out" | tail -40
p=$(echo "$out" | grep -Eo '[0-9]+ passed' | tail -1 | cut -d' ' -f1)
f=$(echo "$out" | grep -Eo '[0-9]+ (failed|error)' | awk '{n += $1} END {print n + 0}')
echo "valgrind: ${p:-0} passed, ${f:-0} failed"
exit $rc
