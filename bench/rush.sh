#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/..
# Registration rush: many distinct claimants declaring claims at once over HTTPS through nginx
# into restitutiond and MariaDB at durable settings (the settings deploy/run-local.sh uses:
# innodb_flush_log_at_trx_commit=1), on the stack the fault tests use (tests/faults/stack.sh).
# The load is bench/rush_load, a C++ drop-in for tests/faults/driver.mjs `declare` (keep-alive
# TLS connections from many loopback addresses, each declaration with its own claimant token
# and Idempotency-Key; a Node client would spend a third of this machine's CPU on itself), at
# several levels of concurrency in turn (a load curve: throughput against latency), each level
# on cases of its own. Beside it, on the same MariaDB in the same run, before and after the
# rush: single-row durable commits from one client (bench/commit_reference): the physical
# limit. The claimants' set-up and the check afterwards are the driver's (driver.mjs setup,
# check): every 2xx is checked against the database, and the ledger is verified. Prints a
# Markdown report on stdout.
#
#   bench/rush.sh [--quick] [--claimants N] [--cases-per-level C] [--seconds T] [--levels "K1 K2 …"]
#
# Run it through `bench/run.sh --rush` (it builds the Release binaries and records the report in
# bench/RESULTS.md). Here: RESTITUTION_BENCH_BIN_DIR holds restitutiond, restitutionctl,
# commit_reference and rush_load; RESTITUTION_BENCH_DIR is where the stack lives (a real disk).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=deploy/lib/mariadb.sh
source "$ROOT/deploy/lib/mariadb.sh"
# shellcheck source=deploy/lib/nginx.sh
source "$ROOT/deploy/lib/nginx.sh"
# shellcheck source=tests/faults/stack.sh
source "$ROOT/tests/faults/stack.sh"
set_log_tag rush

CLAIMANTS=3000
CASES_PER_LEVEL=8
SECONDS_OF_RUSH=30
LEVELS="8 24 64"
REFERENCE_SECONDS=5
while (($#)); do
  case "$1" in
    --quick)
      CLAIMANTS=300
      CASES_PER_LEVEL=4
      SECONDS_OF_RUSH=8
      LEVELS="8 32"
      REFERENCE_SECONDS=2
      ;;
    --claimants) CLAIMANTS=${2:?--claimants needs a number}; shift ;;
    --cases-per-level) CASES_PER_LEVEL=${2:?--cases-per-level needs a number}; shift ;;
    --seconds) SECONDS_OF_RUSH=${2:?--seconds needs a number}; shift ;;
    --levels) LEVELS=${2:?--levels needs a list}; shift ;;
    --help | -h)
      sed -n '3,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
read -r -a LEVEL_LIST <<<"$LEVELS"
((${#LEVEL_LIST[@]} >= 1 && ${#LEVEL_LIST[@]} <= 8)) || die "--levels takes 1 to 8 numbers"
for n in "$CLAIMANTS" "$CASES_PER_LEVEL" "$SECONDS_OF_RUSH" "${LEVEL_LIST[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]{0,6}$ ]] || die "counts must be positive integers, got $n"
done
for n in "${LEVEL_LIST[@]}"; do ((n <= 1024)) || die "a level is at most 1024 in flight"; done
CASES=$((CASES_PER_LEVEL * ${#LEVEL_LIST[@]}))
MAX_LEVEL=$(printf '%s\n' "${LEVEL_LIST[@]}" | sort -n | tail -n1)
((CLAIMANTS <= 100000)) || die "--claimants is at most 100000 (the driver's ID numbers)"

BIN_DIR=$(abs_path "${RESTITUTION_BENCH_BIN_DIR:?set RESTITUTION_BENCH_BIN_DIR (bench/run.sh --rush does)}")
for program in restitutiond restitutionctl commit_reference rush_load; do
  [[ -x "$BIN_DIR/$program" ]] || die "no $BIN_DIR/$program"
done
DRIVER="$ROOT/tests/faults/driver.mjs"
PARENT=${RESTITUTION_BENCH_DIR:-$ROOT/build/bench}
mkdir -p "$PARENT"
WORK=$(mktemp -d "$PARENT/rush.XXXXXX")
# nginx wants a portal; the rush does not load it.
PORTAL_DIR="$WORK/portal"
mkdir -p "$PORTAL_DIR"
printf '<!doctype html><title>rush</title>\n' >"$PORTAL_DIR/index.html"
LOAD_PID=""
# Loopback addresses the load comes from (nginx limits each to 20 requests/s, burst 40).
SOURCE_ADDRESSES=256

# shellcheck disable=SC2317  # invoked from traps
cleanup() {
  local status=$?
  trap '' INT TERM HUP
  if [[ -n "$LOAD_PID" ]] && proc_alive "$LOAD_PID"; then kill -KILL "$LOAD_PID" 2>/dev/null || true; fi
  fault_stack_down 2>/dev/null || true
  if ((status != 0)); then
    log "FAILED; the stack's files are kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

driver() {
  env BASE_URL="$BASE_URL" SMS_LOG="$VAR/outbox/sms.log" ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    SQL_SOCKET="$MARIADB_SOCKET" DB_NAME="$DB_NAME" NODE_EXTRA_CA_CERTS="$CA_FILE" \
    SOURCE_ADDRESSES="$SOURCE_ADDRESSES" node "$DRIVER" "$@"
}

# CPU seconds (user + system) of the given pids, summed; pids that are gone count 0.
cpu_seconds() {
  local ticks=0 pid fields
  for pid in "$@"; do
    # Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name.
    fields=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f12,13) || continue
    [[ -n "$fields" ]] || continue
    ticks=$((ticks + ${fields% *} + ${fields#* }))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# The server-side counters of the rush, as JSON.
db_status() {
  mariadb --no-defaults --socket="$MARIADB_SOCKET" --user=root --batch --skip-column-names -e \
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_commit', 'Innodb_data_fsyncs', 'Handler_write', 'Questions', 'Innodb_row_lock_waits',
       'Com_stmt_prepare', 'Com_stmt_execute', 'Com_begin', 'Com_select', 'Com_insert', 'Com_update',
       'Handler_read_key', 'Handler_read_next', 'Handler_read_rnd_next',
       'Innodb_row_lock_time')" |
    awk 'BEGIN { printf "{" } { printf "%s\"%s\": %s", (NR > 1 ? ", " : ""), $1, $2 } END { print "}" }'
}

reference() {
  RESTITUTION_DB_SOCKET="$MARIADB_SOCKET" RESTITUTION_DB_USER=rbench \
    RESTITUTION_DB_PASSWORD="$BENCH_DB_PASSWORD" \
    "$BIN_DIR/commit_reference" --database rush_commit_reference --seconds "$REFERENCE_SECONDS" \
    --clients "$1"
}

log "stack: MariaDB (durable), nginx, restitutiond (Release) under $WORK"
fault_stack_up 1
BENCH_DB_PASSWORD=$(random_secret 24)
mariadb_sql <<SQL
CREATE USER 'rbench'@'localhost' IDENTIFIED BY '$BENCH_DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`rush_commit_reference\`.* TO 'rbench'@'localhost';
SQL

log "reference: single-row durable commits, 1 client, ${REFERENCE_SECONDS} s"
reference 1 >"$WORK/reference_before.json"
log "reference: $MAX_LEVEL clients (group commit)"
reference "$MAX_LEVEL" >"$WORK/reference_group.json"

log "set-up: $CLAIMANTS claimants register (SMS code) and log in; $CASES cases"
driver setup "$WORK/state.json" "$CLAIMANTS" "$CASES" >"$WORK/setup.json"

NGINX_PIDS=$(nginx_master_pids "$NGINX_CONF" | tr '\n' ' ')
for pid in $NGINX_PIDS; do NGINX_PIDS+=" $(pgrep -P "$pid" | tr '\n' ' ')"; done
SERVER_PID=${SERVER_PIDS[1]}
DB_PID=$(read_pid_file "$MARIADB_PID_FILE")
counters() {
  # shellcheck disable=SC2086  # pid lists
  printf '{"server": %s, "database": %s, "nginx": %s, "status": %s, "load": "%s"}\n' \
    "$(cpu_seconds "$SERVER_PID")" "$(cpu_seconds "$DB_PID")" "$(cpu_seconds $NGINX_PIDS)" \
    "$(db_status)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# One level: its own cases (every claimant declares once in each), for up to SECONDS_OF_RUSH.
level=0
for concurrency in "${LEVEL_LIST[@]}"; do
  level=$((level + 1))
  node -e '
    const fs = require("fs");
    const [from, to, first, count] = process.argv.slice(1);
    const state = JSON.parse(fs.readFileSync(from, "utf8"));
    state.cases = state.cases.slice(Number(first), Number(first) + Number(count));
    fs.writeFileSync(to, JSON.stringify(state));
  ' "$WORK/state.json" "$WORK/state.$level.json" $(((level - 1) * CASES_PER_LEVEL)) "$CASES_PER_LEVEL"
  log "level $level: $concurrency in flight, up to $((CLAIMANTS * CASES_PER_LEVEL)) declarations, up to ${SECONDS_OF_RUSH} s"
  counters >"$WORK/before.$level.json"
  rm -f "$WORK/stop"
  "$BIN_DIR/rush_load" --base-url "$BASE_URL" --ca "$CA_FILE" --state "$WORK/state.$level.json" \
    --log "$WORK/claims.log" --concurrency "$concurrency" --stop "$WORK/stop" \
    --source-addresses "$SOURCE_ADDRESSES" >"$WORK/declare.$level.json" &
  LOAD_PID=$!
  deadline=$((SECONDS + SECONDS_OF_RUSH))
  while proc_alive "$LOAD_PID" && ((SECONDS < deadline)); do sleep 0.2; done
  touch "$WORK/stop"
  load_status=0
  wait "$LOAD_PID" || load_status=$?
  LOAD_PID=""
  counters >"$WORK/after.$level.json"
  ((load_status == 0)) || {
    cat "$WORK/declare.$level.json" >&2
    die "the load generator (rush_load) failed"
  }
done

# The receipts: the sequencer catching up with what the rush queued.
log "waiting for the ledger sequencer to catch up"
started_ms=$(date +%s%3N)
for ((i = 0; i < 600; i++)); do
  unsequenced=$(sql "SELECT COUNT(*) FROM ledger_queue q WHERE NOT EXISTS
    (SELECT 1 FROM ledger_entries e WHERE e.queue_id = q.id)")
  ((unsequenced == 0)) && break
  sleep 0.1
done
((unsequenced == 0)) || die "$unsequenced ledger entries still unsequenced after 60 s"
catch_up_ms=$(($(date +%s%3N) - started_ms))

log "reference again, 1 client"
reference 1 >"$WORK/reference_after.json"

log "checking every 2xx against the database and verifying the ledger"
driver check "$WORK/state.json" "$WORK/claims.log" >"$WORK/check.json" || {
  cat "$WORK/check.json" >&2
  die "the database does not match the 2xx answers"
}
verify_started=$(date +%s%3N)
ctl ledger verify --replay >"$WORK/verify.txt" 2>&1 || {
  cat "$WORK/verify.txt" >&2
  die "restitutionctl ledger verify --replay failed"
}
verify_ms=$(($(date +%s%3N) - verify_started))
ledger_size=$(sql "SELECT size FROM ledger_head")
claims_bytes=$(sql "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES
  WHERE TABLE_SCHEMA = '$DB_NAME' AND TABLE_NAME = 'claims'")

node "$ROOT/bench/rush_report.mjs" "$WORK" <<JSON
{"claimants": $CLAIMANTS, "cases_per_level": $CASES_PER_LEVEL, "seconds_limit": $SECONDS_OF_RUSH,
 "levels": ${#LEVEL_LIST[@]}, "catch_up_ms": $catch_up_ms, "verify_ms": $verify_ms,
 "ledger_size": $ledger_size, "claims_bytes": $claims_bytes, "load_before": "$LOAD_BEFORE",
 "mariadb": "$(sql "SELECT CONCAT(VERSION(), ', innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit, ', sync_binlog=', @@sync_binlog, ', log_bin=', @@log_bin, ', buffer pool ', @@innodb_buffer_pool_size DIV 1048576, ' MiB')")",
 "cpu": "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)", "cores": $(nproc)}
JSON
