# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR/../..
# Common set-up of the fault tests: sources the deploy libraries and tests/faults/stack.sh,
# makes the temp dir, installs the trap that stops every process the test started (also on
# failure or Ctrl-C), and offers the checks run after every fault.
#
# Needs RESTITUTION_TEST_BIN_DIR and RESTITUTION_PORTAL_DIR (tests/run.sh sets both; default:
# build/test/bin and build/test/portal). RESTITUTION_KEEP_TEST_DIR=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=deploy/lib/mariadb.sh
source "$ROOT/deploy/lib/mariadb.sh"
# shellcheck source=deploy/lib/nginx.sh
source "$ROOT/deploy/lib/nginx.sh"
# shellcheck source=tests/faults/stack.sh
source "$ROOT/tests/faults/stack.sh"

BIN_DIR=$(abs_path "${RESTITUTION_TEST_BIN_DIR:-$ROOT/build/test/bin}")
PORTAL_DIR=$(abs_path "${RESTITUTION_PORTAL_DIR:-$ROOT/build/test/portal}")
DRIVER="$ROOT/tests/faults/driver.mjs"
# Read by the test scripts that source this file.
# shellcheck disable=SC2034
LONG=0
if [[ "${1:-}" == --long ]]; then
  # shellcheck disable=SC2034
  LONG=1
fi
# Short: the MariaDB socket path must stay under 108 bytes.
WORK=$(mktemp -d /tmp/rfault.XXXXXX)
declare -a BACKGROUND_PIDS=()
# A private copy of the binaries: a rebuild of the tree while the test runs must not swap
# them under a restart.
mkdir -p "$WORK/bin"
cp -L "$BIN_DIR/restitutiond" "$BIN_DIR/restitutionctl" "$WORK/bin/" || {
  rm -rf "$WORK"
  die "cannot copy the binaries from $BIN_DIR"
}
BIN_DIR="$WORK/bin"

# shellcheck disable=SC2317  # invoked from traps
fault_cleanup() {
  local status=$? pid
  trap '' INT TERM HUP
  for pid in "${BACKGROUND_PIDS[@]}"; do
    if proc_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  fault_stack_down 2>/dev/null || true
  if ((status != 0)); then
    local f
    for f in "$WORK"/restitutiond.*.log "$WORK/var/log/mariadb.err" "$WORK/var/nginx/error.log"; do
      [[ -s "$f" ]] && { echo "----- last lines of $f" >&2; tail -n 15 "$f" >&2; }
    done
    echo "${RESTITUTION_LOG_TAG:-fault test}: FAILED (work dir $WORK)" >&2
  fi
  if [[ "${RESTITUTION_KEEP_TEST_DIR:-0}" == 1 || $status -ne 0 && "${RESTITUTION_KEEP_FAILED:-0}" == 1 ]]; then
    echo "keeping $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap fault_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

driver() {
  (exec_driver "$@")
}
# In the background run it as `(exec_driver ARGS) &`: then $! is node itself.
exec_driver() {
  exec env BASE_URL="$BASE_URL" SMS_LOG="$VAR/outbox/sms.log" ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    SQL_SOCKET="$MARIADB_SOCKET" DB_NAME="$DB_NAME" NODE_EXTRA_CA_CERTS="$CA_FILE" \
    node "$DRIVER" "$@"
}

# A random pause of MIN..MAX milliseconds.
random_sleep() {
  local ms=$(($1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1)))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

# The checks after every fault: the client logs against the database (every 2xx exactly
# once, pools sum to zero and match, no payment twice, gapless ledger), the ledger's full
# verification with replay, and no sanitizer report in any server log.
verify_all() {
  local out
  log "checking the client logs against the database"
  driver check "$WORK/state.json" "$@" || die "the database does not match the 2xx answers"
  log "restitutionctl ledger verify --replay"
  if ! out=$(ctl ledger verify --replay 2>&1); then
    printf '%s\n' "$out" >&2
    die "restitutionctl ledger verify --replay failed"
  fi
  printf '%s\n' "$out" | tail -n 3 >&2
  sanitizer_clean || die "a sanitizer report in the server log (above)"
}

# The rush both kill tests run: claimants declaring (32 at a time) while officers move money
# through the first case's pool (4 at a time), until $WORK/stop appears. Sets LOAD_PID and
# MONEY_PID.
start_rush_load() {
  (exec_driver declare "$WORK/state.json" "$WORK/claims.log" 32 "$WORK/stop" >"$WORK/declare.json") &
  LOAD_PID=$!
  BACKGROUND_PIDS+=("$LOAD_PID")
  (exec_driver money "$WORK/state.json" "$WORK/money.log" 1000000 4 "$WORK/stop" >"$WORK/money.json") &
  MONEY_PID=$!
  BACKGROUND_PIDS+=("$MONEY_PID")
}
