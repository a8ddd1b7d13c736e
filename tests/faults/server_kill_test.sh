#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# kill -9 of restitutiond during a registration rush: claimants declare claims concurrently
# through nginx (tests/faults/driver.mjs, retrying with the same Idempotency-Key), while the
# server is killed with SIGKILL at random moments and started again; meanwhile officers move
# money through a case's pool (deposits, sales, reversals). Afterwards every 2xx is in the
# database exactly once and nothing else is (claims, their ledger entries, transfers), every
# pool adds up to zero and to what the 2xx answers announced, the ledger is gapless and
# `restitutionctl ledger verify --replay` passes.
#
#   tests/faults/server_kill_test.sh          # CI size: 12 kills
#   tests/faults/server_kill_test.sh --long   # 500 kills
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set_log_tag server_kill

KILLS=12
CLAIMANTS=120
CASES=40
if ((LONG)); then
  KILLS=500
  CLAIMANTS=600
  CASES=400
fi

fault_stack_up 1
driver setup "$WORK/state.json" "$CLAIMANTS" "$CASES" >/dev/null
log "rush: $CLAIMANTS claimants x $CASES cases, $KILLS kills of restitutiond"
start_rush_load
kills=0
restart_ms_total=0
while ((kills < KILLS)) && proc_alive "$LOAD_PID"; do
  random_sleep 200 1500
  proc_alive "$LOAD_PID" || break
  server_kill 1
  kills=$((kills + 1))
  random_sleep 0 300
  started=$(date +%s%N)
  server_start 1
  restart_ms_total=$((restart_ms_total + ($(date +%s%N) - started) / 1000000))
done
touch "$WORK/stop"
load_status=0
wait "$LOAD_PID" || load_status=$?
money_status=0
wait "$MONEY_PID" || money_status=$?
cat "$WORK/declare.json" "$WORK/money.json" >&2
((load_status == 0)) || die "the declaration driver failed"
((money_status == 0)) || die "the money driver failed"
((kills >= KILLS)) || die "the rush ended after $kills of $KILLS kills (make it longer)"
log "$kills kills, mean restart-to-ready $((restart_ms_total / kills)) ms"
server_stop 1
server_start 1
verify_all "$WORK/claims.log" "$WORK/money.log"
log "passed: $kills kills of restitutiond during the rush"
