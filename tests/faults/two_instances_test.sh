#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# Two restitutiond instances behind one nginx (round robin) on one database, loaded at once:
# officers move money through one case's pool concurrently (deposits taken in, sales,
# reversals of sales: the bank-style transfer test) while claimants declare claims. Afterwards
# the ledger is gapless and verifies with replay, every pool's accounts add up to zero, each
# balance equals the sum of the effects the 2xx answers announced (no lost update) and of the
# transfer rows, and every 2xx is in the database exactly once. Midway one instance, then the
# other, is killed with SIGKILL and restarted (the clients retry with their keys).
#
#   tests/faults/two_instances_test.sh          # CI size: 400 money operations
#   tests/faults/two_instances_test.sh --long   # 5000
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set_log_tag two_instances

OPS=400
CLAIMANTS=60
CASES=4
KILLS=4
if ((LONG)); then
  OPS=5000
  CLAIMANTS=300
  CASES=20
  KILLS=100
fi

fault_stack_up 2
driver setup "$WORK/state.json" "$CLAIMANTS" "$CASES" >/dev/null
log "two instances: $OPS money operations (16 at a time) and $((CLAIMANTS * CASES)) declarations at once"
(exec_driver declare "$WORK/state.json" "$WORK/claims.log" 16 >"$WORK/declare.json") &
DECLARE_PID=$!
BACKGROUND_PIDS+=("$DECLARE_PID")
(exec_driver money "$WORK/state.json" "$WORK/money.log" "$OPS" 16 >"$WORK/money.json") &
MONEY_PID=$!
BACKGROUND_PIDS+=("$MONEY_PID")
kills=0
while ((kills < KILLS)) && proc_alive "$MONEY_PID"; do
  random_sleep 1000 3000
  proc_alive "$MONEY_PID" || break
  victim=$((1 + kills % 2))
  server_kill "$victim"
  kills=$((kills + 1))
  random_sleep 0 500
  server_start "$victim"
done
status=0
wait "$MONEY_PID" || status=$?
cat "$WORK/money.json" >&2
((status == 0)) || die "the money driver failed"
status=0
wait "$DECLARE_PID" || status=$?
cat "$WORK/declare.json" >&2
((status == 0)) || die "the declaration driver failed"
# Both instances took writes.
for i in 1 2; do
  n=$(grep -c '"method":"POST".*"status":20[01]' "$WORK/restitutiond.$i.log" || true)
  log "instance $i answered $n writes with 2xx"
  ((n > 0)) || die "instance $i took no writes: nginx did not balance"
done
((kills >= KILLS)) || die "the money load ended after $kills of $KILLS kills"
log "$kills kills of one instance or the other"
# 502 only from a killed instance (nginx passes a POST to the other one only if it was not sent).
jq -e '(.statuses | keys - ["200", "201", "429", "502"] | length == 0) and (.garbage | length == 0)' \
  "$WORK/money.json" "$WORK/declare.json" >/dev/null || die "answers other than 200/201/429/502"
verify_all "$WORK/claims.log" "$WORK/money.log"
log "passed: two instances, one database"
