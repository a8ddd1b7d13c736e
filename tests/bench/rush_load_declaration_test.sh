#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# bench/rush_load stands in for `driver.mjs declare` in the registration rush, and
# `driver.mjs check` judges its claims log: the two must send every claimant the same ID
# number, principal and declaration body, byte for byte. Compares `rush_load --declaration I`
# with `driver.mjs declaration I` at the edges of each formula (birth day, sequence, principal)
# and at pseudo-random claimants; checks that all 100000 claimants are different people, and
# that a claimant outside the range is refused.
#
#   rush_load_declaration_test.sh RUSH_LOAD
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUSH_LOAD=${1:?usage: rush_load_declaration_test.sh RUSH_LOAD}
[[ -x "$RUSH_LOAD" ]] || {
  echo "not an executable: $RUSH_LOAD" >&2
  exit 1
}

# 0..99999 (kMaxClaimants): the birth day changes every 1000, the principal's fen every 1,
# its yuan wraps every 9000/gcd(37,9000) claimants.
claimants=(0 1 2 9 10 99 100 101 243 244 999 1000 1001 8999 9000 9001 27999 28000 28001 99998 99999)
seed=20261207
for _ in $(seq 1 40); do
  seed=$(((seed * 1103515245 + 12345) % 2147483648))
  claimants+=($((seed % 100000)))
done

expected=$(BASE_URL=https://127.0.0.1:1 node "$ROOT/tests/faults/driver.mjs" declaration "${claimants[@]}")
actual=$(for i in "${claimants[@]}"; do "$RUSH_LOAD" --declaration "$i"; done)
if [[ "$actual" != "$expected" ]]; then
  echo "FAIL: rush_load and driver.mjs differ:" >&2
  diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | head -n 20 >&2
  exit 1
fi
echo "ok: ${#claimants[@]} claimants' ID numbers, principals and bodies are the same in both"

# A rush of N claimants needs N different people: the service rightly refuses a second claim
# of one person in a case.
repeats=$(BASE_URL=https://127.0.0.1:1 node "$ROOT/tests/faults/driver.mjs" declaration $(seq 0 99999) |
  sed -n '1~3p' | sort | uniq -d | head -n 3)
if [[ -n "$repeats" ]]; then
  echo "FAIL: claimants 0..99999 share ID numbers, e.g. $(tr '\n' ' ' <<<"$repeats")" >&2
  exit 1
fi
echo "ok: claimants 0..99999 have 100000 different ID numbers"

rc=0
"$RUSH_LOAD" --declaration 100000 >/dev/null 2>&1 || rc=$?
if ((rc != 2)); then
  echo "FAIL: rush_load --declaration 100000 exited $rc, not 2 (a usage error)" >&2
  exit 1
fi
echo "ok: a claimant beyond the driver's range is a usage error"
