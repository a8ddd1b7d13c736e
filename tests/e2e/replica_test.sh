#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck disable=SC2317  # functions called from traps
# A primary and a read replica on this machine (deploy/SCALING.md): two private MariaDB
# instances (GTID replication over 127.0.0.1, semi-synchronous, the replica read-only) and one
# restitutiond configured with both (RESTITUTION_DB_REPLICA_*). Checks that writes go to the
# primary and reach the replica; that public reads are answered by the replica (with
# replication stopped a new case is missing from the public list but not from a staff read)
# except what the replica cannot answer (a case or a proof it does not have yet); that a
# replica too far behind is left for the primary; that with the replica killed public reads
# and writes go on from the primary; and that no answer is a 5xx.
#
# Binaries: $RESTITUTION_TEST_BIN_DIR (set by tests/run.sh), or the two paths given as
# arguments: replica_test.sh RESTITUTIOND RESTITUTIONCTL. RESTITUTION_KEEP_TEST_DIR=1 keeps
# the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=deploy/lib/mariadb.sh
source "$ROOT/deploy/lib/mariadb.sh"
# shellcheck source=tests/support/stack_test.sh
source "$ROOT/tests/support/stack_test.sh"
set_log_tag replica_test

# Short: both MariaDB socket paths must stay under 108 bytes.
WORK=$(mktemp -d /tmp/rrepl.XXXXXX)
VAR="$WORK/var"
SERVER_LOG="$WORK/restitutiond.log"
SERVER_PID=""
PRIMARY_UP=0
REPLICA_UP=0
FIVE_XX=0
# Public reads leave the replica once it is this far behind (the lag check below waits for it).
MAX_LAG_MS=6000

resolve_test_bin_dir "$WORK" "$@"

cleanup() {
  local status=$? f
  trap '' INT TERM HUP
  if [[ -n "$SERVER_PID" ]] && proc_alive "$SERVER_PID"; then
    stop_pid "$SERVER_PID" restitutiond TERM 30 || true
  fi
  ((REPLICA_UP)) && { MARIADB_STOP_TIMEOUT=60 mariadb_replica_stop || true; }
  ((PRIMARY_UP)) && { MARIADB_STOP_TIMEOUT=60 mariadb_stop || true; }
  if ((status != 0 || FAILURES != 0)); then
    for f in "$SERVER_LOG" "$WORK/p/log/mariadb.err" "$WORK/r/log/mariadb.err"; do
      [[ -s "$f" ]] && { echo "----- last lines of $f" >&2; tail -n 30 "$f" >&2; }
    done
    echo "replica_test: FAILED ($FAILURES failed checks); work dir $WORK" >&2
    status=1
  fi
  if [[ "${RESTITUTION_KEEP_TEST_DIR:-0}" == 1 ]]; then
    echo "replica_test: keeping $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------------------------ helpers
HTTP_STATUS=""
HTTP_BODY=""
# http METHOD PATH [JSON_BODY] [BEARER_TOKEN]; every 5xx is a failure of its own.
http() {
  local method=$1 path=$2 body=${3:-} token=${4:-}
  local args=(-sS --max-time 30 -X "$method" -o "$WORK/body" -w '%{http_code}')
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
  rm -f "$WORK/body"
  HTTP_STATUS=$(curl "${args[@]}" "http://127.0.0.1:$BACKEND_PORT$path" 2>"$WORK/curl.err") ||
    HTTP_STATUS=000
  HTTP_BODY=$(cat "$WORK/body" 2>/dev/null || true)
  if [[ "$HTTP_STATUS" == 5* || "$HTTP_STATUS" == 000 ]]; then
    FIVE_XX=$((FIVE_XX + 1))
    fail "$method $path answered $HTTP_STATUS: ${HTTP_BODY:0:300}"
  fi
}

expect_status() {
  if [[ "$HTTP_STATUS" == "$1" ]]; then
    pass "$2 -> $1"
  else
    fail "$2: expected $1, got $HTTP_STATUS: ${HTTP_BODY:0:300}"
  fi
}

json_string() {
  printf '%s' "$2" | tr -d '\n' | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" | head -n1
}
json_number() {
  printf '%s' "$2" | tr -d '\n' | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\\([0-9-]*\\).*/\\1/p" | head -n1
}

sql_primary() { mariadb_sql <<<"$1"; }
sql_replica() { mariadb_replica_sql <<<"$1"; }

ctl() {
  env -u RESTITUTION_CONFIG -u RESTITUTION_DB_HOST -u RESTITUTION_DB_PORT \
    -u RESTITUTION_DB_PASSWORD -u RESTITUTION_KEYS_DIR \
    RESTITUTION_VAR="$VAR" RESTITUTION_DB_SOCKET="$MARIADB_SOCKET" \
    RESTITUTION_DB_USER=restitution RESTITUTION_DB_NAME=restitution \
    RESTITUTION_SCRYPT_LOG2_N=10 "$BIN_DIR/restitutionctl" "$@" 9>&-
}

create_case() {
  http POST /api/v1/cases "{\"case_number\":\"REPL-2026-$1\",\"name\":\"Replica test case $1\",
    \"lead_region\":\"310104\",\"regions\":[\"310104\"],\"registration_opens\":\"2020-01-01\",
    \"registration_closes\":\"2099-12-31\",\"objection_window_days\":30,
    \"countersign_threshold\":\"100000.00\"}" "$ADMIN_TOKEN"
  expect_status 201 "admin creates case $1 (a write: the primary)"
  CASE_ID=$(json_number id "$HTTP_BODY")
}

# Public and staff views of the case list.
public_list_has() {
  http GET /api/v1/cases
  [[ "$HTTP_STATUS" == 200 && "$HTTP_BODY" == *"REPL-2026-$1"* ]]
}
staff_list_has() {
  http GET /api/v1/cases "" "$ADMIN_TOKEN"
  [[ "$HTTP_STATUS" == 200 && "$HTTP_BODY" == *"REPL-2026-$1"* ]]
}

replica_has_case() {
  [[ "$(sql_replica "SELECT COUNT(*) FROM restitution.cases WHERE case_number = 'REPL-2026-$1'" 2>/dev/null)" == 1 ]]
}
ledger_size() { $1 "SELECT size FROM restitution.ledger_head WHERE id = 1" 2>/dev/null; }
replica_caught_up() {
  local p r
  p=$(ledger_size sql_primary) r=$(ledger_size sql_replica)
  [[ -n "$p" && "$p" == "$r" ]]
}
readyz_state_is() {
  http GET /readyz
  [[ "$HTTP_STATUS" == 200 && "$(json_string state "$HTTP_BODY")" == "$1" ]]
}

# ------------------------------------------------------------------ the two databases
log "work dir $WORK"
mkdir -p "$VAR/keys" "$VAR/log"
chmod 0700 "$VAR/keys"
mariadb_paths "$WORK/p"
mariadb_replica_paths "$WORK/r"
mariadb_init
mariadb_replica_init
PRIMARY_PORT=$(random_free_port) || die "no free port"
BACKEND_PORT=$(random_free_port "$PRIMARY_PORT") || die "no free port"
# A short semi-sync timeout: with the replica stopped each commit would wait this long until
# the primary turns semi-sync off.
mariadb_primary_args "$PRIMARY_PORT" 1000
PRIMARY_UP=1
mariadb_start --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 "${MARIADB_PRIMARY_ARGS[@]}"
REPL_PASSWORD=$(random_secret 16 | tr -dc 'A-Za-z0-9')
mariadb_replication_user repl "$REPL_PASSWORD"
REPLICA_UP=1
mariadb_replica_start "$PRIMARY_PORT" repl "$REPL_PASSWORD"

DB_PASSWORD=$(random_secret 24 | tr -dc 'A-Za-z0-9')
printf '%s' "$DB_PASSWORD" >"$VAR/keys/db.password"
chmod 0600 "$VAR/keys/db.password"
# Created on the primary only: the replica gets the database, the account and the schema
# through replication.
sql_primary "CREATE DATABASE restitution CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'restitution'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON restitution.* TO 'restitution'@'localhost';"
ADMIN_PASSWORD="Replica-Admin-$(random_secret 8 | tr -dc 'A-Za-z0-9')"
ctl keys init >/dev/null
ctl migrate >/dev/null
RESTITUTION_BOOTSTRAP_PASSWORD="$ADMIN_PASSWORD" ctl bootstrap-admin >/dev/null

check "the replica is read-only" test "$(sql_replica "SELECT @@read_only")" == 1
wait_for 60 "replica_caught_up" replica_caught_up || fatal "the replica did not replay the schema within 60 s"
pass "the replica replayed database, account and schema from the primary"
if mariadb --no-defaults --socket="$MARIADB_REPLICA_SOCKET" --user=restitution \
  --password="$DB_PASSWORD" restitution -e "DELETE FROM ledger_head" >/dev/null 2>&1; then
  fail "the service account could write to the replica"
else
  pass "the service account cannot write to the replica (read_only)"
fi

# ------------------------------------------------------------------ restitutiond with both
(exec env -u RESTITUTION_CONFIG -u RESTITUTION_DB_HOST -u RESTITUTION_DB_PORT \
  -u RESTITUTION_DB_PASSWORD -u RESTITUTION_KEYS_DIR -u RESTITUTION_DB_REPLICA_HOST \
  -u RESTITUTION_DB_REPLICA_PASSWORD \
  RESTITUTION_VAR="$VAR" RESTITUTION_DB_SOCKET="$MARIADB_SOCKET" \
  RESTITUTION_DB_USER=restitution RESTITUTION_DB_NAME=restitution \
  RESTITUTION_DB_REPLICA_SOCKET="$MARIADB_REPLICA_SOCKET" \
  RESTITUTION_DB_REPLICA_MAX_LAG_MS="$MAX_LAG_MS" \
  RESTITUTION_SCRYPT_LOG2_N=10 RESTITUTION_BACKEND_PORT="$BACKEND_PORT" \
  "$BIN_DIR/restitutiond" </dev/null >>"$SERVER_LOG" 2>&1 9>&-) &
SERVER_PID=$!
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$BACKEND_PORT/readyz" 2>/dev/null; do
  proc_alive "$SERVER_PID" || fatal "restitutiond exited during start-up"
  ((SECONDS < deadline)) || fatal "restitutiond not ready within 60 s"
  sleep 0.1
done

http POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}"
expect_status 200 "admin logs in (sessions: the primary)"
ADMIN_TOKEN=$(json_string token "$HTTP_BODY")
[[ -n "$ADMIN_TOKEN" ]] || fatal "no token"

# ------------------------------------------------------------------ 1. writes reach the replica
create_case A
check "case A reaches the replica" wait_for 30 "replica_has_case A" replica_has_case A
check "the replica's ledger catches up" wait_for 30 "replica_caught_up" replica_caught_up
semi_sync_on() {
  [[ "$(sql_primary "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'")" == *ON ]] &&
    [[ "$(sql_primary "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'")" == *1 ]]
}
check "the primary replicates semi-synchronously to one replica" \
  wait_for 10 "semi_sync_on" semi_sync_on
check "readyz reports the replica ok" wait_for 10 "readyz_state_is ok" readyz_state_is ok
echo "  readyz: $HTTP_BODY"
check "case A in the public list" public_list_has A
http GET /metrics
check "metrics: restitution_db_replica_usable 1" grep -q "^restitution_db_replica_usable 1$" <<<"$HTTP_BODY"

# ------------------------------------------------------------------ 2. public reads: the replica
sql_replica "STOP SLAVE"
log "replication stopped on the replica"
create_case B
CASE_B=$CASE_ID
PRIMARY_SIZE=$(ledger_size sql_primary)
REPLICA_SIZE=$(ledger_size sql_replica)
check_not "public list without case B: answered by the stopped replica" public_list_has B
check "staff list (authenticated: the primary) shows case B" staff_list_has B
http GET "/api/v1/cases/$CASE_B"
expect_status 200 "public GET of case B, missing on the replica (the primary answers)"
http GET "/api/v1/cases/$CASE_B/stats"
expect_status 200 "public stats of case B (the primary answers)"
if ((PRIMARY_SIZE > REPLICA_SIZE)); then
  http GET "/api/v1/ledger/proof/inclusion?index=$((PRIMARY_SIZE - 1))&size=$PRIMARY_SIZE"
  expect_status 200 "inclusion proof for size $PRIMARY_SIZE beyond the replica's $REPLICA_SIZE (the primary answers)"
  http GET "/api/v1/ledger/proof/consistency?from=1&to=$PRIMARY_SIZE"
  expect_status 200 "consistency proof to size $PRIMARY_SIZE (the primary answers)"
else
  fail "the primary's ledger ($PRIMARY_SIZE) did not grow past the replica's ($REPLICA_SIZE)"
fi
http GET /api/v1/ledger/checkpoint
expect_status 200 "public checkpoint"
http GET "/api/v1/ledger/proof/consistency?from=1&to=999999"
expect_status 400 "a proof beyond every head is still a 400"

# The replica is left for the primary once it is more than max_lag_ms behind.
check "readyz reports the stopped replica lagging (> $MAX_LAG_MS ms)" \
  wait_for 30 "readyz_state_is lagging" readyz_state_is lagging
echo "  readyz: $HTTP_BODY"
check "public list shows case B once the replica lags (the primary answers)" public_list_has B

sql_replica "START SLAVE"
log "replication started again"
check "case B reaches the replica after START SLAVE" wait_for 30 "replica_has_case B" replica_has_case B
check "readyz reports the replica ok again" wait_for 15 "readyz_state_is ok" readyz_state_is ok
check "public list shows case B from the caught-up replica" public_list_has B

# ------------------------------------------------------------------ 3. replica down: the primary
kill -KILL "$MARIADB_REPLICA_PID"
wait_gone "$MARIADB_REPLICA_PID" 30 || fatal "the replica survived SIGKILL"
wait "$MARIADB_REPLICA_PID" 2>/dev/null || true # reap it quietly (a child of this shell)
MARIADB_REPLICA_PID=""
log "replica killed (SIGKILL)"
check "public list answered (from the primary) with the replica down" public_list_has B
create_case C
check "case C written and publicly listed with the replica down" public_list_has C
http GET "/api/v1/cases/$CASE_ID"
expect_status 200 "public GET of case C with the replica down"
http GET /api/v1/ledger/checkpoint
expect_status 200 "public checkpoint with the replica down"
check "readyz stays 200 and reports the replica unreachable" \
  wait_for 10 "readyz_state_is unreachable" readyz_state_is unreachable
echo "  readyz: $HTTP_BODY"

# ------------------------------------------------------------------ 4. the replica comes back
mariadb_replica_start "$PRIMARY_PORT" repl "$REPL_PASSWORD"
check "case C reaches the restarted replica" wait_for 30 "replica_has_case C" replica_has_case C
check "readyz reports the restarted replica ok" wait_for 15 "readyz_state_is ok" readyz_state_is ok
check "public list from the restarted replica shows case C" public_list_has C

stop_pid "$SERVER_PID" restitutiond TERM 30
SERVER_PID=""
if grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$SERVER_LOG"; then
  fail "a sanitizer report in the server log"
fi
check "no 5xx answer in the whole run ($FIVE_XX)" test "$FIVE_XX" -eq 0
if ((FAILURES == 0)); then
  echo "replica_test: all checks passed"
fi
