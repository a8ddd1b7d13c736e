#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# kill -9 of MariaDB during a registration rush (and officers moving money through a pool). While the database is down the server must
# answer 503 with a JSON error (never a 502/504 from nginx, a 500 or garbage); once MariaDB is
# back (InnoDB crash recovery) the same restitutiond process serves again without a restart of
# its own. Afterwards the same checks as after a server kill.
#
#   tests/faults/db_kill_test.sh          # CI size: 3 kills of MariaDB
#   tests/faults/db_kill_test.sh --long   # 50 kills
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set_log_tag db_kill

KILLS=3
CLAIMANTS=100
CASES=40
if ((LONG)); then
  KILLS=50
  CLAIMANTS=400
  CASES=400
fi

# GET PATH through nginx: "STATUS ERROR_CODE" (ERROR_CODE "-" when the body is no JSON error).
answer() {
  local body code
  body=$(curl -s --max-time 10 --cacert "$CA_FILE" -w '\n%{http_code}' "$BASE_URL$1" 2>/dev/null) || true
  code=${body##*$'\n'}
  body=${body%$'\n'*}
  printf '%s %s\n' "$code" "$(jq -r '.error.code // "-"' <<<"$body" 2>/dev/null || echo -)"
}

fault_stack_up 1
SERVER_PID=${SERVER_PIDS[1]}
driver setup "$WORK/state.json" "$CLAIMANTS" "$CASES" >/dev/null
log "rush: $CLAIMANTS claimants x $CASES cases, $KILLS kills of MariaDB"
start_rush_load
kills=0
down_answers=""
recovery_ms_total=0
db_ms_total=0
while ((kills < KILLS)) && proc_alive "$LOAD_PID"; do
  random_sleep 500 2000
  proc_alive "$LOAD_PID" || break
  db_kill
  kills=$((kills + 1))
  # While it is down: the readiness probe and an API read answer 503 in the JSON shape.
  sleep 0.5
  for path in /readyz /api/v1/cases; do
    got=$(answer "$path")
    [[ " $down_answers " == *" $path:$got "* ]] || down_answers+="$path:$got "
    [[ "$got" == "503 unavailable" || "$got" == 503\ * && "$got" != "503 -" ]] ||
      die "with MariaDB down, GET $path answered '$got' (want 503 with a JSON error)"
  done
  random_sleep 500 1500
  started=$(date +%s%N)
  db_start 2>/dev/null
  db_ms_total=$((db_ms_total + ($(date +%s%N) - started) / 1000000))
  wait_for 60 "restitutiond ready again" \
    curl -fsS -o /dev/null --max-time 2 --cacert "$CA_FILE" "$BASE_URL/readyz" ||
    die "restitutiond did not recover after MariaDB came back"
  recovery_ms_total=$((recovery_ms_total + ($(date +%s%N) - started) / 1000000))
  if [[ "${SERVER_PIDS[1]}" != "$SERVER_PID" ]] || ! proc_alive "$SERVER_PID"; then
    die "restitutiond was restarted or died"
  fi
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
# Only 2xx, 503s (database down) and 429s (nginx's per-address limit) reached the clients,
# and every 5xx was a JSON error.
jq -e '(.statuses | keys - ["200", "201", "503", "429"] | length == 0) and (.garbage | length == 0)' \
  "$WORK/declare.json" "$WORK/money.json" >/dev/null || die "answers other than 201/503/429, or a 5xx that is no JSON error"
log "answers while MariaDB was down: $down_answers"
log "$kills kills; mean MariaDB restart (crash recovery) $((db_ms_total / kills)) ms, restart to served through nginx $((recovery_ms_total / kills)) ms; same restitutiond pid $SERVER_PID"
verify_all "$WORK/claims.log" "$WORK/money.log"
log "passed: $kills kills of MariaDB during the rush"
