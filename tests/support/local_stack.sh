# shellcheck shell=bash
# A whole stack booted by deploy/run-local.sh for a test (private MariaDB, nginx, restitutiond,
# the built portal), and the means to find every process of it afterwards.
#
# The caller sets ROOT, VAR, PORT, BACKEND_PORT, BIN_DIR, BOOTSTRAP_PASSWORD and RUN_LOG, and
# sources deploy/lib/common.sh first. start_run_local sets RUN_PID.

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

# Waits until https://127.0.0.1:$PORT/healthz answers 200 through nginx. Returns 1 (with the
# reason on stderr) when run-local.sh exits first or 120 s pass.
wait_serving() {
  local deadline=$((SECONDS + 120)) code=000
  while true; do
    if ! proc_alive "$RUN_PID"; then
      local rc=0
      wait "$RUN_PID" || rc=$?
      RUN_PID=""
      echo "deploy/run-local.sh exited (status $rc) before serving" >&2
      return 1
    fi
    if [[ -s "$VAR/tls/cert.pem" ]]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$VAR/tls/cert.pem" \
        "https://127.0.0.1:$PORT/healthz" 2>/dev/null) || code=000
      if [[ "$code" == 200 ]]; then
        return 0
      fi
    fi
    if ((SECONDS >= deadline)); then
      echo "https://127.0.0.1:$PORT/healthz did not answer 200 within 120s (last: $code)" >&2
      return 1
    fi
    sleep 0.5
  done
}

# Stops run-local.sh (SIGTERM), then anything of the stack still running.
stop_stack() {
  local pid
  if [[ -n "${RUN_PID:-}" ]] && proc_alive "$RUN_PID"; then
    stop_pid "$RUN_PID" "run-local.sh" TERM 60
  fi
  RUN_PID=""
  for pid in $(stack_pids_with_workers); do
    stop_pid "$pid" "leftover $(cat "/proc/$pid/comm" 2>/dev/null || echo process)" TERM 30
  done
}

# For a test that boots its own stack: binaries from RESTITUTION_TEST_BIN_DIR, the portal from
# RESTITUTION_PORTAL_DIR (tests/run.sh sets both), a temp work dir, free ports, a bootstrap
# password, and traps that stop the stack and show its logs when the test fails.
# RESTITUTION_KEEP_TEST_DIR=1 keeps the work dir. TEST_STACK_FAILURE_NOTE is printed on failure.
prepare_test_stack() {
  TEST_STACK_NAME=$1
  [[ -n "${RESTITUTION_TEST_BIN_DIR:-}" ]] || die "set RESTITUTION_TEST_BIN_DIR (tests/run.sh does)"
  [[ -n "${RESTITUTION_PORTAL_DIR:-}" ]] || die "set RESTITUTION_PORTAL_DIR (tests/run.sh does)"
  BIN_DIR=$(abs_path "$RESTITUTION_TEST_BIN_DIR")
  export RESTITUTION_PORTAL_DIR
  WORK=$(mktemp -d "/tmp/restitution-$TEST_STACK_NAME.XXXXXX")
  VAR="$WORK/var"
  RUN_LOG="$WORK/run-local.log"
  RUN_PID=""
  PORT=$(random_free_port) || die "no free port"
  BACKEND_PORT=$(random_free_port "$PORT") || die "no free port"
  BOOTSTRAP_PASSWORD="Bootstrap-Admin-$(random_secret 10)"
  TEST_STACK_FAILURE_NOTE=${TEST_STACK_FAILURE_NOTE:-}
  trap _test_stack_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# shellcheck disable=SC2317  # invoked from traps
_test_stack_cleanup() {
  local status=$? f
  trap '' INT TERM HUP
  stop_stack
  if ((status != 0)); then
    for f in "$RUN_LOG" "$VAR/log/mariadb.err" "$VAR/nginx/error.log"; do
      [[ -s "$f" ]] && { echo "----- last lines of $f" >&2; tail -n 40 "$f" >&2; }
    done
    echo "$TEST_STACK_NAME: FAILED; ${TEST_STACK_FAILURE_NOTE:+$TEST_STACK_FAILURE_NOTE; }work dir $WORK" >&2
  fi
  if [[ "${RESTITUTION_KEEP_TEST_DIR:-0}" == 1 ]]; then
    echo "$TEST_STACK_NAME: keeping $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}

# The restitutiond of this stack (run-local.sh's child with this var dir).
stack_server_pid() {
  local pid
  for pid in $(stack_pids); do
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == restitutiond ]]; then
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 1
}
