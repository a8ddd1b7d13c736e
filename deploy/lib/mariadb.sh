# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# Private MariaDB instances owned by the project (never the system one).
#
# Layout under a base directory BASE:
#   BASE/mariadb          datadir
#   BASE/mysqld.sock      unix socket (no TCP: --skip-networking)
#   BASE/mariadb.pid      pid file
#   BASE/log/mariadb.err  error log
#
# Usage:
#   mariadb_paths BASE
#   mariadb_init                      # mariadb-install-db on first use
#   mariadb_start [extra mariadbd args...]
#   mariadb_sql <<<"select 1"         # SQL on stdin, as root over the socket
#   mariadb_stop
#
# Daemons are started with file descriptor 9 closed: callers may hold a lock
# on fd 9 that must not be inherited by long-running children.

if [[ -n "${RESTITUTION_LIB_MARIADB_LOADED:-}" ]]; then
  return 0
fi
RESTITUTION_LIB_MARIADB_LOADED=1

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MARIADB_BASE=""
MARIADB_DATADIR=""
MARIADB_SOCKET=""
MARIADB_PID_FILE=""
MARIADB_ERR_LOG=""
MARIADB_PID=""

mariadb_paths() {
  MARIADB_BASE=$(abs_path "$1")
  MARIADB_DATADIR="$MARIADB_BASE/mariadb"
  MARIADB_SOCKET="$MARIADB_BASE/mysqld.sock"
  MARIADB_PID_FILE="$MARIADB_BASE/mariadb.pid"
  MARIADB_ERR_LOG="$MARIADB_BASE/log/mariadb.err"
  MARIADB_PID=""
  # sun_path holds 108 bytes including the terminating NUL.
  if ((${#MARIADB_SOCKET} > 107)); then
    die "MariaDB socket path is too long (${#MARIADB_SOCKET} > 107 bytes): $MARIADB_SOCKET; use a shorter RESTITUTION_VAR"
  fi
}

# Pids of mariadbd processes serving this datadir (there should be at most one).
mariadb_running_pids() {
  pids_with_cmdline "--datadir=$MARIADB_DATADIR " mariadbd
  pids_with_cmdline "--datadir=$MARIADB_DATADIR " mysqld
}

# Creates the datadir with the system tables on first use. The install runs in
# a scratch directory that is renamed into place only when it succeeded, so an
# interrupted first run never leaves a half-initialised datadir behind.
mariadb_init() {
  local scratch="$MARIADB_DATADIR.init-tmp" install_log="$MARIADB_BASE/log/mariadb-install.log"
  mkdir -p "$MARIADB_BASE/log"
  if [[ -d "$MARIADB_DATADIR/mysql" ]]; then
    return 0
  fi
  if [[ -d "$MARIADB_DATADIR" ]]; then
    if [[ -n "$(ls -A "$MARIADB_DATADIR")" ]]; then
      die "$MARIADB_DATADIR exists but is not a MariaDB datadir (no mysql/ schema); move it away"
    fi
    rmdir "$MARIADB_DATADIR"
  fi
  rm -rf "$scratch"
  log "initialising MariaDB datadir $MARIADB_DATADIR"
  if ! mariadb-install-db --no-defaults --datadir="$scratch" --user=root \
    --auth-root-authentication-method=socket --skip-test-db \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    >"$install_log" 2>&1 9>&-; then
    tail -n 40 "$install_log" >&2 || true
    rm -rf "$scratch"
    die "mariadb-install-db failed (log: $install_log)"
  fi
  mv "$scratch" "$MARIADB_DATADIR"
}

mariadb_ping() {
  mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" --user=root \
    --connect-timeout=2 ping >/dev/null 2>&1
}

# Stops a mariadbd left running on this datadir by an earlier run that was
# killed without cleaning up. Callers must make sure no live run owns it.
mariadb_stop_orphans() {
  local pid
  for pid in $(mariadb_running_pids); do
    warn "MariaDB (pid $pid) from an earlier run is still serving $MARIADB_DATADIR; stopping it"
    stop_pid "$pid" "orphaned MariaDB" TERM "${MARIADB_STOP_TIMEOUT:-120}"
  done
}

mariadb_start() {
  local pid timeout=${MARIADB_START_TIMEOUT:-60} deadline
  mkdir -p "$MARIADB_BASE/log"
  [[ -d "$MARIADB_DATADIR/mysql" ]] || die "MariaDB datadir $MARIADB_DATADIR is not initialised"

  pid=$(mariadb_running_pids | head -n1)
  if [[ -n "$pid" ]]; then
    die "a MariaDB (pid $pid) is already running on $MARIADB_DATADIR; only one instance per var dir"
  fi
  pid=$(read_pid_file "$MARIADB_PID_FILE")
  if [[ -n "$pid" ]]; then
    warn "removing stale MariaDB pid file $MARIADB_PID_FILE (pid $pid is not a MariaDB of this datadir)"
    rm -f "$MARIADB_PID_FILE"
  fi
  rm -f "$MARIADB_SOCKET"

  log "starting MariaDB (socket $MARIADB_SOCKET, log $MARIADB_ERR_LOG)"
  # setsid: the terminal's Ctrl-C goes to the calling script only, which then
  # shuts the services down in order.
  setsid mariadbd --no-defaults \
    --datadir="$MARIADB_DATADIR" \
    --socket="$MARIADB_SOCKET" \
    --pid-file="$MARIADB_PID_FILE" \
    --log-error="$MARIADB_ERR_LOG" \
    --skip-networking \
    --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci \
    --user=root \
    "$@" </dev/null >>"$MARIADB_ERR_LOG" 2>&1 9>&- &
  MARIADB_PID=$!

  deadline=$((SECONDS + timeout))
  until mariadb_ping; do
    if ! proc_alive "$MARIADB_PID"; then
      tail -n 40 "$MARIADB_ERR_LOG" >&2 || true
      MARIADB_PID=""
      die "MariaDB exited during startup (log: $MARIADB_ERR_LOG)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$MARIADB_ERR_LOG" >&2 || true
      mariadb_stop
      die "MariaDB did not accept connections within ${timeout}s (log: $MARIADB_ERR_LOG)"
    fi
    sleep 0.25
  done
  log "MariaDB is up (pid $MARIADB_PID)"
}

# Runs the SQL on stdin as root over the socket.
mariadb_sql() {
  mariadb --no-defaults --socket="$MARIADB_SOCKET" --user=root --batch --skip-column-names
}

# Clean shutdown: SIGTERM (what mariadb-admin shutdown does), bounded wait,
# SIGKILL only as a last resort. Safe to call more than once.
mariadb_stop() {
  local pid pids
  pids=$(
    [[ -n "$MARIADB_PID" ]] && printf '%s\n' "$MARIADB_PID"
    read_pid_file "$MARIADB_PID_FILE"
    echo
    mariadb_running_pids
  )
  for pid in $(printf '%s\n' "$pids" | sort -u); do
    proc_alive "$pid" || continue
    # Only signal a pid file's process if it really serves this datadir.
    if [[ "$pid" != "$MARIADB_PID" && "$(proc_cmdline "$pid")" != *"--datadir=$MARIADB_DATADIR "* ]]; then
      continue
    fi
    stop_pid "$pid" "MariaDB" TERM "${MARIADB_STOP_TIMEOUT:-120}"
  done
  MARIADB_PID=""
}

# ------------------------------------------------- a primary and a read replica on one machine
# (deploy/SCALING.md). The primary is the instance above, started with MARIADB_PRIMARY_ARGS:
#   mariadb_primary_args PORT [SEMI_SYNC_TIMEOUT_MS]   # sets MARIADB_PRIMARY_ARGS
#   mariadb_start <durability args...> "${MARIADB_PRIMARY_ARGS[@]}"
#   mariadb_replication_user USER PASSWORD             # on the primary, as root
# The replica is a second instance with its own MARIADB_REPLICA_* paths (the MARIADB_* of the
# primary stay as they are); it follows the primary from its first GTID, read-only:
#   mariadb_replica_paths BASE
#   mariadb_replica_init
#   mariadb_replica_start PRIMARY_PORT USER PASSWORD [extra mariadbd args...]
#   mariadb_replica_sql <<<"STOP SLAVE"
#   mariadb_replica_stop
# Replication runs over TCP on 127.0.0.1 only; restitutiond reaches both over their sockets.

MARIADB_PRIMARY_ARGS=()
MARIADB_REPLICA_BASE=""
MARIADB_REPLICA_DATADIR=""
MARIADB_REPLICA_SOCKET=""
MARIADB_REPLICA_PID_FILE=""
MARIADB_REPLICA_ERR_LOG=""
MARIADB_REPLICA_PID=""

# Semi-synchronous AFTER_SYNC: a commit is acknowledged once the replica has it in its relay
# log. When no replica acknowledges within the timeout (default 10 s) MariaDB goes on
# asynchronously and reports Rpl_semi_sync_master_status=OFF: alarm on it in production.
mariadb_primary_args() {
  local port=$1 semi_sync_timeout_ms=${2:-10000}
  # shellcheck disable=SC2034  # read by the caller
  MARIADB_PRIMARY_ARGS=(
    --skip-networking=0 --bind-address=127.0.0.1 --port="$port"
    --server-id=1 --log-bin=mysql-bin --binlog-format=ROW --gtid-strict-mode=ON
    --rpl-semi-sync-master-enabled=ON --rpl-semi-sync-master-wait-point=AFTER_SYNC
    --rpl-semi-sync-master-timeout="$semi_sync_timeout_ms"
  )
}

# The account the replica connects with (REPLICATION SLAVE only, from 127.0.0.1). Kept out of
# the binary log: the replica does not need it, and a logged change made before any replica is
# connected would wait out the whole semi-sync timeout.
mariadb_replication_user() {
  local user=$1 password=$2
  [[ "$user" =~ ^[A-Za-z0-9_]+$ && "$password" =~ ^[A-Za-z0-9_.-]+$ ]] ||
    die "replication user and password: letters, digits and _ . - only"
  mariadb_sql <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT REPLICATION SLAVE ON *.* TO '$user'@'127.0.0.1';
SQL
}

# The same layout as mariadb_paths under BASE, kept in MARIADB_REPLICA_*.
mariadb_replica_paths() {
  (mariadb_paths "$1") || return 1 # checks the socket path's length; MARIADB_* untouched
  MARIADB_REPLICA_BASE=$(abs_path "$1")
  MARIADB_REPLICA_DATADIR="$MARIADB_REPLICA_BASE/mariadb"
  MARIADB_REPLICA_SOCKET="$MARIADB_REPLICA_BASE/mysqld.sock"
  MARIADB_REPLICA_PID_FILE="$MARIADB_REPLICA_BASE/mariadb.pid"
  MARIADB_REPLICA_ERR_LOG="$MARIADB_REPLICA_BASE/log/mariadb.err"
  MARIADB_REPLICA_PID=""
}

# Runs one of the functions above on the replica. This library keeps one instance's paths in
# MARIADB_*, so they are set to the replica's in a subshell: a die() there cannot leave the
# caller (and its clean-up) pointing at the wrong instance.
mariadb_on_replica() {
  [[ -n "$MARIADB_REPLICA_BASE" ]] || die "call mariadb_replica_paths first"
  (MARIADB_BASE=$MARIADB_REPLICA_BASE MARIADB_DATADIR=$MARIADB_REPLICA_DATADIR \
    MARIADB_SOCKET=$MARIADB_REPLICA_SOCKET MARIADB_PID_FILE=$MARIADB_REPLICA_PID_FILE \
    MARIADB_ERR_LOG=$MARIADB_REPLICA_ERR_LOG MARIADB_PID=$MARIADB_REPLICA_PID "$@")
}

mariadb_replica_init() { mariadb_on_replica mariadb_init; }
mariadb_replica_sql() { mariadb_on_replica mariadb_sql; }
mariadb_replica_stop() {
  mariadb_on_replica mariadb_stop
  MARIADB_REPLICA_PID=""
}

# Starts the replica read-only and points it at the primary (on every start, so a primary
# on a new port is followed); it resumes from its own GTID position (mysql.gtid_slave_pos,
# transactional, so also after a kill), which on first start is nothing: it then replays the
# primary's binary log from the beginning (both datadirs were created by mariadb-install-db,
# which writes no binary log, so they start out the same).
mariadb_replica_start() {
  local primary_port=$1 user=$2 password=$3
  shift 3
  [[ "$primary_port" =~ ^[1-9][0-9]{0,4}$ ]] || die "invalid primary port: $primary_port"
  [[ "$user" =~ ^[A-Za-z0-9_]+$ && "$password" =~ ^[A-Za-z0-9_.-]+$ ]] ||
    die "replication user and password: letters, digits and _ . - only"
  mariadb_on_replica mariadb_start --server-id=2 --read-only=ON --gtid-strict-mode=ON \
    --relay-log=relay-bin --rpl-semi-sync-slave-enabled=ON --skip-slave-start "$@"
  MARIADB_REPLICA_PID=$(read_pid_file "$MARIADB_REPLICA_PID_FILE")
  mariadb_replica_sql <<SQL
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='$user',
  MASTER_PASSWORD='$password', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;
SQL
}
