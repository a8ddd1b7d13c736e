#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck disable=SC2317  # functions called from traps and wait_for
# End-to-end proof of deploy/run-local.sh: boots the whole stack (private
# MariaDB, nginx with a generated certificate, restitutiond) in a temp dir,
# walks the main API flows over HTTPS, stops it with SIGINT, checks nothing is
# left running, restarts on the same data and stops it with SIGTERM.
#
# Binaries: $RESTITUTION_TEST_BIN_DIR (set by tests/run.sh), or the two paths
# given as arguments: run_local_test.sh RESTITUTIOND RESTITUTIONCTL.
# RESTITUTION_KEEP_TEST_DIR=1 keeps the temp dir for inspection.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=tests/support/local_stack.sh
source "$ROOT/tests/support/local_stack.sh"
# shellcheck source=tests/support/stack_test.sh
source "$ROOT/tests/support/stack_test.sh"
set_log_tag run_local_test

WORK=$(mktemp -d /tmp/restitution-e2e.XXXXXX)
VAR="$WORK/var"
RUN_LOG="$WORK/run-local.log"
RUN_PID=""
PHONE=13800138000

resolve_test_bin_dir "$WORK" "$@"

PORT=$(random_free_port) || die "no free port"
BACKEND_PORT=$(random_free_port "$PORT") || die "no free port"
BOOTSTRAP_PASSWORD="Bootstrap-Admin-$(random_secret 10)"
CLAIMANT_PASSWORD="Claimant-Pass-$(random_secret 8)"

# ------------------------------------------------------------------ helpers
run_local_exited() { ! proc_alive "$RUN_PID"; }

show_logs() {
  local f
  for f in "$RUN_LOG" "$VAR/log/mariadb.err" "$VAR/nginx/error.log"; do
    if [[ -s "$f" ]]; then
      echo "----- last lines of $f" >&2
      tail -n 60 "$f" >&2
    fi
  done
}

cleanup() {
  local status=$?
  trap '' INT TERM HUP
  stop_stack
  if ((status != 0 || FAILURES != 0)); then
    show_logs
    echo "run_local: FAILED ($FAILURES failed checks); work dir $WORK" >&2
  fi
  if [[ "${RESTITUTION_KEEP_TEST_DIR:-0}" == 1 ]]; then
    echo "run_local: keeping $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  if ((status == 0 && FAILURES != 0)); then
    exit 1
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

HTTP_STATUS=""
HTTP_BODY=""
# http METHOD PATH [JSON_BODY] [BEARER_TOKEN]
http() {
  local method=$1 path=$2 body=${3:-} token=${4:-}
  local args=(-sS --cacert "$VAR/tls/cert.pem" --max-time 30 -X "$method"
    -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}')
  if [[ -n "$body" ]]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$body")
  fi
  if [[ -n "$token" ]]; then
    args+=(-H "Authorization: Bearer $token")
  fi
  rm -f "$WORK/body" "$WORK/headers"
  HTTP_STATUS=$(curl "${args[@]}" "https://127.0.0.1:$PORT$path" 2>"$WORK/curl.err") || HTTP_STATUS=000
  HTTP_BODY=$(cat "$WORK/body" 2>/dev/null || true)
}

# The value of a string field of a flat JSON object (enough for our bodies).
json_field() {
  printf '%s' "$2" | tr -d '\n' |
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\(\\([^\"\\\\]\\|\\\\.\\)*\\)\".*/\\1/p" | head -n1
}

has_error_shape() {
  printf '%s' "$1" | tr -d '\n' |
    grep -Eq '"error"[[:space:]]*:[[:space:]]*\{.*"code"[[:space:]]*:[[:space:]]*"[a-z_]+"'
}

describe() { printf 'HTTP %s, body: %.300s' "$HTTP_STATUS" "$HTTP_BODY"; }

expect_status() {
  local want=$1 what=$2
  if [[ "$HTTP_STATUS" == "$want" ]]; then
    pass "$what -> $want"
    return 0
  fi
  fail "$what: expected $want, got $(describe)"
  [[ -s "$WORK/curl.err" ]] && sed 's/^/  curl: /' "$WORK/curl.err" >&2
  return 1
}

# stop_and_check SIGNAL: stops run-local.sh and checks it exits 0 within 30 s
# leaving no process of the stack behind.
stop_and_check() {
  local sig=$1 before rc=0 deadline left
  before=$(stack_pids_with_workers | tr '\n' ' ')
  kill -s "$sig" "$RUN_PID"
  deadline=$((SECONDS + 30))
  while proc_alive "$RUN_PID" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if proc_alive "$RUN_PID"; then
    fail "run-local.sh still running 30s after SIG$sig"
    stop_pid "$RUN_PID" "run-local.sh" TERM 30
  fi
  wait "$RUN_PID" || rc=$?
  RUN_PID=""
  if ((rc == 0)); then
    pass "run-local.sh exited 0 after SIG$sig"
  else
    fail "run-local.sh exited with status $rc after SIG$sig"
  fi
  left=""
  local pid
  for pid in $before $(stack_pids_with_workers); do
    if proc_alive "$pid"; then
      left+="$pid($(cat "/proc/$pid/comm" 2>/dev/null || true)) "
    fi
  done
  if [[ -z "$left" ]]; then
    pass "no restitutiond/nginx/mariadbd left after SIG$sig (had: $before)"
  else
    fail "processes left after SIG$sig: $left"
  fi
  if grep -q 'Restitution is serving https://127.0.0.1:' "$RUN_LOG"; then
    pass "run-local.sh announced the URL"
  else
    fail "run-local.sh never printed 'Restitution is serving https://127.0.0.1:PORT'"
  fi
}

# ------------------------------------------------------------------ run 1
echo "run_local: var=$VAR port=$PORT backend=$BACKEND_PORT bin=$BIN_DIR"
start_run_local
wait_serving || fatal "the stack did not come up"

# The web portal under /: index.html (never cached), its hashed bundle (cached for good),
# the CSP that keeps every request on this host, and a page path answered by the app.
http GET /
expect_status 200 "GET / (portal)"
if grep -q '<div id="app">' <<<"$HTTP_BODY"; then pass "/ serves the portal's index.html"; else fail "/ is not the portal: $(describe)"; fi
if grep -qi "^Content-Security-Policy: default-src 'self'" "$WORK/headers"; then
  pass "the portal is served with a same-origin CSP"
else
  fail "no Content-Security-Policy on /"
fi
grep -qi '^Cache-Control: no-cache' "$WORK/headers" && pass "index.html is revalidated" || fail "index.html lacks Cache-Control: no-cache"
bundle=$(grep -o '/assets/app-[0-9a-f]*\.js' <<<"$HTTP_BODY" | head -n1)
http GET "${bundle:-/assets/missing.js}"
expect_status 200 "GET the portal bundle ${bundle:-(none named in index.html)}"
grep -qi '^Cache-Control: max-age=[1-9]' "$WORK/headers" && pass "the bundle is cached" || fail "the bundle has no long Cache-Control"
http GET /my/claims/1/2
if [[ "$HTTP_STATUS" == 200 ]] && grep -q '<div id="app">' <<<"$HTTP_BODY"; then
  pass "a portal page path is answered with index.html"
else
  fail "GET /my/claims/1/2: $(describe)"
fi
pass "stack is up"

http GET /healthz
expect_status 200 "GET /healthz" || true
for header in 'Strict-Transport-Security' 'X-Content-Type-Options: nosniff' \
  'Referrer-Policy: no-referrer' 'X-Frame-Options: DENY'; do
  if grep -qi "^$header" "$WORK/headers"; then
    pass "header $header"
  else
    fail "missing response header $header"
  fi
done

http GET /readyz
expect_status 200 "GET /readyz" || true

http POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$BOOTSTRAP_PASSWORD\"}"
expect_status 200 "admin login" || true
ADMIN_TOKEN=$(json_field token "$HTTP_BODY")
if [[ -n "$ADMIN_TOKEN" ]]; then
  pass "admin login returned a token"
else
  fail "admin login: no token in $(describe)"
fi

SMS_LOG="$VAR/outbox/sms.log"
sms_lines_before=0
[[ -f "$SMS_LOG" ]] && sms_lines_before=$(wc -l <"$SMS_LOG")
http POST /api/v1/claimants/register "{\"phone\":\"$PHONE\",\"password\":\"$CLAIMANT_PASSWORD\"}"
expect_status 202 "claimant register" || fatal "cannot continue the claimant flow"

sms_arrived() {
  [[ -f "$SMS_LOG" ]] && (($(wc -l <"$SMS_LOG") > sms_lines_before)) &&
    tail -n 1 "$SMS_LOG" | grep -q "${PHONE:3}"
}
wait_for 15 "the verification SMS in $SMS_LOG" sms_arrived || fatal "no SMS for $PHONE in $SMS_LOG"
sms_text=$(json_field text "$(tail -n 1 "$SMS_LOG")")
# The code is the only run of exactly six digits in the text; \uXXXX escapes
# are blanked first so their hex digits cannot join a run.
code=$(printf '%s' "$sms_text" | sed -e 's/\\u[0-9a-fA-F]\{4\}/ /g' |
  grep -oE '(^|[^0-9])[0-9]{6}([^0-9]|$)' | tr -cd '0-9\n' | head -n1)
[[ "$code" =~ ^[0-9]{6}$ ]] || fatal "no six-digit code in the SMS text: $sms_text"
pass "verification code read from the SMS outbox"

http POST /api/v1/claimants/verify "{\"phone\":\"$PHONE\",\"code\":\"$code\"}"
expect_status 200 "claimant verify" || true

http POST /api/v1/auth/login "{\"username\":\"$PHONE\",\"password\":\"$CLAIMANT_PASSWORD\"}"
expect_status 200 "claimant login" || true
CLAIMANT_TOKEN=$(json_field token "$HTTP_BODY")
if [[ -n "$CLAIMANT_TOKEN" ]]; then
  pass "claimant login returned a token"
  http POST /api/v1/users "{\"username\":\"x1\",\"password\":\"Officer-Pass-$(random_secret 8)\",\"role\":\"officer\"}" "$CLAIMANT_TOKEN"
  expect_status 403 "claimant creating a user is forbidden" || true
  if has_error_shape "$HTTP_BODY"; then pass "403 has the JSON error shape"; else fail "403 body lacks .error.code: $(describe)"; fi
else
  fail "claimant login: no token in $(describe)"
fi

http GET /api/v1/no-such-route-e2e
if [[ "$HTTP_STATUS" =~ ^4[0-9][0-9]$ ]] && has_error_shape "$HTTP_BODY"; then
  pass "unknown route -> $HTTP_STATUS with .error.code"
else
  fail "unknown route: expected a 4xx JSON error with .error.code, got $(describe)"
fi

# An error nginx produces itself also has the JSON shape.
head -c $((13 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$WORK/big.json"
http POST /api/v1/auth/login "@$WORK/big.json"
if [[ "$HTTP_STATUS" == 413 ]] && has_error_shape "$HTTP_BODY" &&
  [[ "$(json_field code "$HTTP_BODY")" == payload_too_large ]] &&
  grep -qi '^Content-Type: application/json' "$WORK/headers"; then
  pass "oversized body -> 413 payload_too_large (JSON)"
else
  fail "oversized body: expected 413 payload_too_large JSON, got $(describe)"
fi
rm -f "$WORK/big.json"

if [[ -s "$VAR/nginx/access.log" ]] && grep -q '"uri":"/healthz"' "$VAR/nginx/access.log"; then
  pass "JSON access log written"
else
  fail "no JSON access log lines in $VAR/nginx/access.log"
fi

stop_and_check INT

# Secrets never reach logs.
for f in "$RUN_LOG" "$VAR/nginx/access.log" "$VAR/nginx/error.log" "$VAR/log/mariadb.err"; do
  [[ -f "$f" ]] || continue
  for secret in "$BOOTSTRAP_PASSWORD" "$CLAIMANT_PASSWORD" "$ADMIN_TOKEN" "$CLAIMANT_TOKEN"; do
    if [[ -n "$secret" ]] && grep -qF -- "$secret" "$f"; then
      fail "a password or token appears in $f"
    fi
  done
done

# ------------------------------------------------------------------ run 2: data reused
echo "run_local: restarting on the same var dir"
: >"$RUN_LOG"
start_run_local
wait_serving || fatal "the stack did not come up"
pass "stack is up again"
http POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$BOOTSTRAP_PASSWORD\"}"
expect_status 200 "admin login after restart (data reused)" || true
http POST /api/v1/auth/login "{\"username\":\"$PHONE\",\"password\":\"$CLAIMANT_PASSWORD\"}"
expect_status 200 "claimant login after restart" || true
stop_and_check TERM

# ------------------------------------------------------------------ run 3: no replica for old data
# This var dir's database has run without a binary log, so a replica could not replay it.
echo "run_local: RESTITUTION_REPLICA=1 on the same var dir"
: >"$RUN_LOG"
REPLICATION_PORT=$(random_free_port "$PORT" "$BACKEND_PORT") || die "no free port"
export RESTITUTION_REPLICATION_PORT="$REPLICATION_PORT"
RESTITUTION_REPLICA=1 start_run_local
rc=0
wait_for 60 "run-local.sh to refuse" run_local_exited || true
wait "$RUN_PID" || rc=$?
RUN_PID=""
if ((rc != 0)) && grep -q 'has run without a binary log' "$RUN_LOG"; then
  pass "a replica is refused for a database that ran without a binary log (exit $rc)"
else
  fail "RESTITUTION_REPLICA=1 on a var dir with history: exit $rc, log: $(tail -c 300 "$RUN_LOG")"
fi
check_not "no replica datadir was made" test -e "$VAR/replica/mariadb"
check "nothing left running after the refusal ($(stack_pids_with_workers | tr '\n' ' '))" \
  test -z "$(stack_pids_with_workers)"

# ------------------------------------------------------------------ run 4: a new var dir with a replica
echo "run_local: RESTITUTION_REPLICA=1 on a new var dir"
VAR="$WORK/rvar"
: >"$RUN_LOG"
RESTITUTION_REPLICA=1 start_run_local
wait_serving || fatal "the stack with a replica did not come up"
pass "stack with a replica is up"
replica_sql() {
  mariadb --no-defaults --socket="$VAR/replica/mysqld.sock" --user=root --batch \
    --skip-column-names -e "$1" 2>/dev/null
}
replica_ready() {
  http GET /readyz
  [[ "$HTTP_STATUS" == 200 ]] && tr -d ' \n' <<<"$HTTP_BODY" | grep -q '"replica":{[^}]*"state":"ok"'
}
check "readyz reports the replica ok" wait_for 30 "readyz to report the replica ok" replica_ready
http POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$BOOTSTRAP_PASSWORD\"}"
expect_status 200 "admin login (the primary)" || true
replica_has_admin() { [[ "$(replica_sql "SELECT COUNT(*) FROM restitution.users WHERE username = 'admin'")" == 1 ]]; }
check "the schema and the admin reached the replica" \
  wait_for 30 "the admin on the replica" replica_has_admin
check "the replica is read-only" test "$(replica_sql "SELECT @@read_only")" == 1
http GET /api/v1/cases
expect_status 200 "public case list with the replica configured" || true
stop_and_check TERM
check_not "the replica was shut down cleanly (no socket left)" test -e "$VAR/replica/mysqld.sock"

# ------------------------------------------------------------------ run 5: the replica stays
# Without RESTITUTION_REPLICA the replica is started all the same (the primary never runs
# unlogged under it), and it resumes where it stopped.
echo "run_local: the var dir with a replica, RESTITUTION_REPLICA unset"
: >"$RUN_LOG"
start_run_local
wait_serving || fatal "the stack with a replica did not come up again"
check "readyz reports the replica ok after the restart" \
  wait_for 30 "readyz to report the replica ok" replica_ready
http POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$BOOTSTRAP_PASSWORD\"}"
expect_status 200 "admin login after the restart (a write on the primary)" || true
replica_caught_up() {
  local primary
  primary=$(mariadb --no-defaults --socket="$VAR/mysqld.sock" --user=root --batch \
    --skip-column-names -e "SELECT @@gtid_binlog_pos" 2>/dev/null)
  [[ -n "$primary" && "$(replica_sql "SELECT @@gtid_slave_pos")" == "$primary" ]]
}
check "the replica has every transaction of the primary (GTID)" \
  wait_for 30 "the replica to catch up" replica_caught_up
stop_and_check INT

if ((FAILURES == 0)); then
  echo "run_local: all checks passed"
  exit 0
fi
echo "run_local: $FAILURES checks failed" >&2
exit 1
