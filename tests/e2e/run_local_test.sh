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
set_log_tag run_local_test

WORK=$(mktemp -d /tmp/restitution-e2e.XXXXXX)
VAR="$WORK/var"
RUN_LOG="$WORK/run-local.log"
RUN_PID=""
FAILURES=0
PHONE=13800138000

if [[ -n "${RESTITUTION_TEST_BIN_DIR:-}" ]]; then
  BIN_DIR=$(abs_path "$RESTITUTION_TEST_BIN_DIR")
elif (($# == 2)); then
  BIN_DIR="$WORK/bin"
  mkdir -p "$BIN_DIR"
  ln -s "$(abs_path "$1")" "$BIN_DIR/restitutiond"
  ln -s "$(abs_path "$2")" "$BIN_DIR/restitutionctl"
else
  rm -rf "$WORK"
  die "set RESTITUTION_TEST_BIN_DIR or pass RESTITUTIOND and RESTITUTIONCTL paths"
fi

PORT=$(random_free_port) || die "no free port"
BACKEND_PORT=$(random_free_port "$PORT") || die "no free port"
BOOTSTRAP_PASSWORD="Bootstrap-Admin-$(random_secret 10)"
CLAIMANT_PASSWORD="Claimant-Pass-$(random_secret 8)"

# ------------------------------------------------------------------ helpers
fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}
pass() { echo "ok: $*"; }

# Fatal: later steps depend on this one.
fatal() {
  echo "FAIL (fatal): $*" >&2
  FAILURES=$((FAILURES + 1))
  exit 1
}

show_logs() {
  local f
  for f in "$RUN_LOG" "$VAR/log/mariadb.err" "$VAR/nginx/error.log"; do
    if [[ -s "$f" ]]; then
      echo "----- last lines of $f" >&2
      tail -n 60 "$f" >&2
    fi
  done
}

# Pids of every process belonging to the stack of this var dir.
stack_pids() {
  local dir pid
  {
    # mariadbd and the nginx master carry the var dir on their command line.
    pids_with_cmdline "$VAR/"
    # restitutiond, restitutionctl and anything else run-local.sh started.
    for dir in /proc/[0-9]*; do
      pid=${dir#/proc/}
      if { tr '\0' '\n' <"$dir/environ"; } 2>/dev/null | grep -qxF "RESTITUTION_VAR=$VAR"; then
        proc_alive "$pid" && printf '%s\n' "$pid"
      fi
    done
  } | sort -u
}

# Stack pids plus the children of the recorded nginx master (its workers do
# not show the var dir on their command line).
stack_pids_with_workers() {
  local master dir ppid
  stack_pids
  master=$(read_pid_file "$VAR/nginx/nginx.pid")
  if [[ -n "$master" ]]; then
    for dir in /proc/[0-9]*; do
      ppid=$(sed -e 's/^.*) //' "$dir/stat" 2>/dev/null | cut -d' ' -f2) || continue
      if [[ "$ppid" == "$master" ]] && proc_alive "${dir#/proc/}"; then
        printf '%s\n' "${dir#/proc/}"
      fi
    done
  fi
}

cleanup() {
  local status=$? pid
  trap '' INT TERM HUP
  if [[ -n "$RUN_PID" ]] && proc_alive "$RUN_PID"; then
    stop_pid "$RUN_PID" "run-local.sh" TERM 60
  fi
  for pid in $(stack_pids_with_workers); do
    stop_pid "$pid" "leftover $(cat "/proc/$pid/comm" 2>/dev/null || echo process)" TERM 30
  done
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

start_run_local() {
  # env --default-signal: a background job of a non-interactive shell would
  # otherwise start with SIGINT ignored, and bash cannot trap it then.
  env --default-signal=INT,TERM \
    -u RESTITUTION_DB_HOST -u RESTITUTION_DB_PORT -u RESTITUTION_DB_SOCKET \
    -u RESTITUTION_DB_USER -u RESTITUTION_DB_PASSWORD -u RESTITUTION_DB_NAME \
    -u RESTITUTION_CONFIG -u RESTITUTION_KEYS_DIR \
    -u RESTITUTION_TLS_CERT -u RESTITUTION_TLS_KEY \
    RESTITUTION_SKIP_BUILD=1 \
    RESTITUTION_BIN_DIR="$BIN_DIR" \
    RESTITUTION_VAR="$VAR" \
    RESTITUTION_PORT="$PORT" \
    RESTITUTION_BACKEND_PORT="$BACKEND_PORT" \
    RESTITUTION_BOOTSTRAP_PASSWORD="$BOOTSTRAP_PASSWORD" \
    "$ROOT/deploy/run-local.sh" >>"$RUN_LOG" 2>&1 </dev/null &
  RUN_PID=$!
}

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

wait_serving() {
  local deadline=$((SECONDS + 120)) code
  while true; do
    if ! proc_alive "$RUN_PID"; then
      local rc=0
      wait "$RUN_PID" || rc=$?
      RUN_PID=""
      fatal "deploy/run-local.sh exited (status $rc) before serving"
    fi
    if [[ -s "$VAR/tls/cert.pem" ]]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$VAR/tls/cert.pem" \
        "https://127.0.0.1:$PORT/healthz" 2>/dev/null) || code=000
      if [[ "$code" == 200 ]]; then
        return 0
      fi
    fi
    if ((SECONDS >= deadline)); then
      fatal "https://127.0.0.1:$PORT/healthz did not answer 200 within 120s (last: $code)"
    fi
    sleep 0.5
  done
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
wait_serving
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
wait_serving
pass "stack is up again"
http POST /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$BOOTSTRAP_PASSWORD\"}"
expect_status 200 "admin login after restart (data reused)" || true
http POST /api/v1/auth/login "{\"username\":\"$PHONE\",\"password\":\"$CLAIMANT_PASSWORD\"}"
expect_status 200 "claimant login after restart" || true
stop_and_check TERM

if ((FAILURES == 0)); then
  echo "run_local: all checks passed"
  exit 0
fi
echo "run_local: $FAILURES checks failed" >&2
exit 1
