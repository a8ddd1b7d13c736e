#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# kill -9 of restitutiond during distribution steps: rounds of draft → endorse → approve →
# execute → bank results (all paid) run one after another over the confirmed claims of a
# case while the server is killed at random moments and restarted; each step is retried with
# its Idempotency-Key. Afterwards: every run the clients saw executed is executed exactly once
# and no other is, no claim is paid twice in a run, each run's payment lines add up to its
# allocations, the paid account equals the paid lines, every pool adds up to zero, and
# `restitutionctl ledger verify --replay` (which recomputes every run) passes.
#
#   tests/faults/distribution_kill_test.sh          # CI size: 12 kills
#   tests/faults/distribution_kill_test.sh --long   # 500 kills
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set_log_tag distribution_kill

KILLS=12
CLAIMANTS=150
((LONG)) && KILLS=500 && CLAIMANTS=600

fault_stack_up 1
driver setup "$WORK/state.json" "$CLAIMANTS" 1 >/dev/null
driver declare "$WORK/state.json" "$WORK/claims.log" 16 >/dev/null || die "declarations failed"
driver prepare "$WORK/state.json" "$WORK/claims.log" >/dev/null || die "confirming the claims failed"
log "rounds over $CLAIMANTS confirmed claims, $KILLS kills of restitutiond"
(exec_driver distribute "$WORK/state.json" "$WORK/runs.log" 100000 "$WORK/stop" >"$WORK/distribute.json") &
LOAD_PID=$!
BACKGROUND_PIDS+=("$LOAD_PID")
kills=0
while ((kills < KILLS)) && proc_alive "$LOAD_PID"; do
  random_sleep 100 1200
  proc_alive "$LOAD_PID" || break
  server_kill 1
  kills=$((kills + 1))
  random_sleep 0 300
  server_start 1
done
touch "$WORK/stop"
status=0
wait "$LOAD_PID" || status=$?
cat "$WORK/distribute.json" >&2
((status == 0)) || die "the distribution driver failed"
((kills >= KILLS)) || die "the rounds ended after $kills of $KILLS kills"
server_stop 1
server_start 1
verify_all "$WORK/claims.log" "$WORK/runs.log"
log "passed: $kills kills of restitutiond during distribution steps"
