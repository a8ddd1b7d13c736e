#!/usr/bin/env bash
# Runs every fault test one after another: kill -9 of restitutiond during a registration rush
# and during distribution steps, kill -9 of MariaDB, two instances on one database, slow
# clients. tests/run.sh runs the CI-sized versions through ctest; this script is the one
# command for the long mode (≥ 500 kills of the server in each kill test):
#
#   tests/faults/run.sh           # CI size (a few minutes)
#   tests/faults/run.sh --long    # long mode (hours on a 2-core machine)
#
# Uses build/test/bin and build/test/portal unless RESTITUTION_TEST_BIN_DIR /
# RESTITUTION_PORTAL_DIR say otherwise (build them with tests/run.sh first).
set -euo pipefail
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
failed=()
for test in server_kill db_kill distribution_kill two_instances slow_clients; do
  echo "=== $test $*" >&2
  started=$SECONDS
  if "$DIR/${test}_test.sh" "$@"; then
    echo "=== $test: passed in $((SECONDS - started)) s" >&2
  else
    echo "=== $test: FAILED after $((SECONDS - started)) s" >&2
    failed+=("$test")
  fi
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
echo "all fault tests passed" >&2
