#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs Restitution on this machine: private MariaDB (unless an external one is
# configured), TLS nginx in front, restitutiond behind it. Ctrl-C (SIGINT) or
# SIGTERM stops everything cleanly and exits 0. A second run reuses the data.
#
# Environment (all optional):
#   RESTITUTION_VAR            state directory (default: <repo>/var); made absolute
#   RESTITUTION_PORT           HTTPS port on 127.0.0.1 (default 8443)
#   RESTITUTION_BACKEND_PORT   restitutiond's plain HTTP port on 127.0.0.1 (default 8080)
#   RESTITUTION_SKIP_BUILD=1   do not build; take the binaries from RESTITUTION_BIN_DIR
#   RESTITUTION_BIN_DIR        directory with restitutiond and restitutionctl
#   RESTITUTION_PORTAL_DIR     an already built web portal (default: built into build/portal)
#   RESTITUTION_DB_HOST / RESTITUTION_DB_PORT / RESTITUTION_DB_SOCKET
#                              external database: no private MariaDB is started
#   RESTITUTION_DB_USER / RESTITUTION_DB_NAME (default restitution)
#   RESTITUTION_KEYS_DIR       key files and db.password (default $VAR/keys)
#   RESTITUTION_TLS_CERT + RESTITUTION_TLS_KEY
#                              certificate to serve (default: self-signed in $VAR/tls)
#   RESTITUTION_BOOTSTRAP_PASSWORD
#                              password for the first admin (default: generated, printed once)
#   RESTITUTION_START_TIMEOUT  seconds to wait for restitutiond to answer (default 90)
#   RESTITUTION_REPLICA=1      also run a read replica of the private MariaDB
#                              ($VAR/replica; deploy/SCALING.md): semi-synchronous GTID
#                              replication on 127.0.0.1, public reads served from it. Only
#                              with a new var dir (the replica replays the primary's binary
#                              log from its start); once a var dir has a replica, every
#                              later run starts it too
#   RESTITUTION_REPLICATION_PORT
#                              the primary's TCP port on 127.0.0.1 for the replica (default 3307)
#
# Note: a script started in the background by another non-interactive shell
# inherits SIGINT as ignored and bash cannot trap it; stop such a run with
# SIGTERM, or start it through `env --default-signal=INT`.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# shellcheck source=lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"
# shellcheck source=lib/mariadb.sh
source "$SCRIPT_DIR/lib/mariadb.sh"
# shellcheck source=lib/nginx.sh
source "$SCRIPT_DIR/lib/nginx.sh"
set_log_tag run-local

require_root "deploy/run-local.sh"
# Keys, TLS key, SMS outbox, logs: nothing we create is for other users.
umask 077

# ---------------------------------------------------------------- settings
VAR=$(abs_path "${RESTITUTION_VAR:-$ROOT/var}")
PORT=${RESTITUTION_PORT:-8443}
BACKEND_PORT=${RESTITUTION_BACKEND_PORT:-8080}
START_TIMEOUT=${RESTITUTION_START_TIMEOUT:-90}
for p in "$PORT" "$BACKEND_PORT"; do
  if [[ ! "$p" =~ ^[1-9][0-9]{0,4}$ ]] || ((p > 65535)); then
    die "invalid port: $p"
  fi
done
[[ "$PORT" != "$BACKEND_PORT" ]] || die "RESTITUTION_PORT and RESTITUTION_BACKEND_PORT must differ"
[[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "invalid RESTITUTION_START_TIMEOUT: $START_TIMEOUT"
REPLICA=${RESTITUTION_REPLICA:-0}
[[ "$REPLICA" =~ ^[01]$ ]] || die "RESTITUTION_REPLICA must be 0 or 1, not: $REPLICA"
REPLICATION_PORT=${RESTITUTION_REPLICATION_PORT:-3307}

EXTERNAL_DB=0
if [[ -n "${RESTITUTION_DB_HOST:-}" || -n "${RESTITUTION_DB_SOCKET:-}" ]]; then
  EXTERNAL_DB=1
fi
# A replica once added stays: starting the primary without it would write changes the replica
# never sees in the binary log it follows.
if ((!EXTERNAL_DB)) && [[ -d "$VAR/replica/mariadb/mysql" ]]; then
  REPLICA=1
fi
if ((REPLICA)); then
  ((!EXTERNAL_DB)) || die "RESTITUTION_REPLICA=1 runs a private primary and replica; unset RESTITUTION_DB_HOST / RESTITUTION_DB_SOCKET"
  if [[ ! "$REPLICATION_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || ((REPLICATION_PORT > 65535)); then
    die "invalid RESTITUTION_REPLICATION_PORT: $REPLICATION_PORT"
  fi
  [[ "$REPLICATION_PORT" != "$PORT" && "$REPLICATION_PORT" != "$BACKEND_PORT" ]] ||
    die "RESTITUTION_REPLICATION_PORT must differ from RESTITUTION_PORT and RESTITUTION_BACKEND_PORT"
fi

NGINX_PREFIX="$VAR/nginx"
NGINX_CONF="$NGINX_PREFIX/nginx.conf"
DAEMON_PID_FILE="$VAR/restitutiond.pid"

# ------------------------------------------------------------ shutdown logic
DAEMON_PID=""
NGINX_STARTED=0
DB_STARTED=0
REPLICA_STARTED=0
CLEANED_UP=0
LOCKED=0

# The restitutiond recorded in the pid file, if it still runs for this var dir
# (its environment names the var dir; the pid was recorded by us).
daemon_from_pid_file() {
  local pid
  pid=$(read_pid_file "$DAEMON_PID_FILE")
  if [[ -z "$pid" ]] || ! proc_alive "$pid"; then
    return 0
  fi
  if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "RESTITUTION_VAR=$VAR"; then
    printf '%s\n' "$pid"
  fi
}

# shellcheck disable=SC2317  # invoked from traps
cleanup() {
  # A second Ctrl-C must not interrupt the database shutdown.
  trap '' INT TERM HUP
  ((CLEANED_UP)) && return 0
  CLEANED_UP=1
  if [[ -n "$DAEMON_PID" ]]; then
    stop_pid "$DAEMON_PID" restitutiond TERM 30
    DAEMON_PID=""
  fi
  if ((LOCKED)); then
    rm -f "$DAEMON_PID_FILE"
  fi
  if ((NGINX_STARTED)); then
    nginx_stop "$NGINX_PREFIX" "$NGINX_CONF"
    NGINX_STARTED=0
  fi
  if ((REPLICA_STARTED)); then
    mariadb_replica_stop
    REPLICA_STARTED=0
  fi
  if ((DB_STARTED)); then
    mariadb_stop
    DB_STARTED=0
  fi
  if ((LOCKED)); then
    log "stopped"
  fi
}

# shellcheck disable=SC2317  # invoked from traps
on_signal() {
  log "received SIG$1; shutting down"
  cleanup
  exit 0
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# ------------------------------------------------------------ one run per var
mkdir -p "$VAR" "$VAR/log"
# fd 9 holds the lock for the whole run; daemons are started with 9>&- so an
# orphan left by a killed run never holds it.
exec 9>"$VAR/run-local.lock"
if ! flock -n 9; then
  die "another deploy/run-local.sh is already running with RESTITUTION_VAR=$VAR"
fi
LOCKED=1

# Leftovers of an earlier run of this var dir that was killed (we hold the
# lock, so nothing else owns them).
for pid in $(daemon_from_pid_file); do
  warn "restitutiond (pid $pid) from an earlier run is still running; stopping it"
  stop_pid "$pid" "orphaned restitutiond" TERM 30
done
rm -f "$DAEMON_PID_FILE"
if [[ -n "$(nginx_master_pids "$NGINX_CONF")" ]]; then
  warn "nginx from an earlier run is still running; stopping it"
  nginx_stop "$NGINX_PREFIX" "$NGINX_CONF"
fi
if ((!EXTERNAL_DB)); then
  mariadb_paths "$VAR"
  mariadb_stop_orphans
fi
PORTS=("$PORT" "$BACKEND_PORT")
if ((REPLICA)); then
  mariadb_replica_paths "$VAR/replica"
  mariadb_on_replica mariadb_stop_orphans
  PORTS+=("$REPLICATION_PORT")
  # The replica replays the primary's binary log from its very start, so the primary must
  # have written one since it was created: this file marks a primary that has, and any start
  # without the binary log removes it. Checked before anything is installed or started.
  if [[ ! -d "$MARIADB_DATADIR/mysql" ]]; then
    touch "$VAR/primary-binlog-complete"
  elif [[ ! -d "$MARIADB_REPLICA_DATADIR/mysql" && ! -f "$VAR/primary-binlog-complete" ]]; then
    die "RESTITUTION_REPLICA=1: the database in $VAR has run without a binary log, so a new replica could not replay it; use a new RESTITUTION_VAR (or seed the replica from a backup, deploy/SCALING.md)"
  fi
elif ((!EXTERNAL_DB)); then
  rm -f "$VAR/primary-binlog-complete"
fi

for p in "${PORTS[@]}"; do
  port_is_free "$p" || die "port 127.0.0.1:$p is already in use (set RESTITUTION_PORT / RESTITUTION_BACKEND_PORT / RESTITUTION_REPLICATION_PORT)"
done

# ------------------------------------------------------------ 1. packages
"$SCRIPT_DIR/install-deps.sh"

# ------------------------------------------------------------ 2. binaries
if [[ "${RESTITUTION_SKIP_BUILD:-0}" == 1 ]]; then
  [[ -n "${RESTITUTION_BIN_DIR:-}" ]] || die "RESTITUTION_SKIP_BUILD=1 needs RESTITUTION_BIN_DIR"
  BIN_DIR=$(abs_path "$RESTITUTION_BIN_DIR")
  DAEMON="$BIN_DIR/restitutiond"
  CTL="$BIN_DIR/restitutionctl"
else
  BUILD_DIR="$ROOT/build/release"
  log "building Release binaries in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DRESTITUTION_TESTS=OFF >&2
  cmake --build "$BUILD_DIR" -j"$(cpu_count)" >&2
  DAEMON="$BUILD_DIR/api/restitutiond"
  CTL="$BUILD_DIR/tools/restitutionctl"
fi
for bin in "$DAEMON" "$CTL"; do
  [[ -x "$bin" ]] || die "missing executable: $bin"
done

export RESTITUTION_VAR="$VAR"
export RESTITUTION_BACKEND_PORT="$BACKEND_PORT"

# ------------------------------------------------------------ 3. database
if ((EXTERNAL_DB)); then
  log "using the external database (${RESTITUTION_DB_SOCKET:-${RESTITUTION_DB_HOST:-}:${RESTITUTION_DB_PORT:-3306}})"
else
  DB_USER=${RESTITUTION_DB_USER:-restitution}
  DB_NAME=${RESTITUTION_DB_NAME:-restitution}
  [[ "$DB_USER" =~ ^[A-Za-z0-9_]{1,80}$ ]] || die "invalid RESTITUTION_DB_USER for the private database: $DB_USER"
  [[ "$DB_NAME" =~ ^[A-Za-z0-9_]{1,64}$ ]] || die "invalid RESTITUTION_DB_NAME: $DB_NAME"
  if [[ -n "${RESTITUTION_DB_PASSWORD:-}" ]]; then
    warn "ignoring RESTITUTION_DB_PASSWORD: the private database uses the password in the keys dir (db.password)"
    unset RESTITUTION_DB_PASSWORD
  fi

  # The binaries read the password from <keys dir>/db.password (default
  # $VAR/keys/db.password) unless RESTITUTION_DB_PASSWORD is set.
  KEYS_DIR=$(abs_path "${RESTITUTION_KEYS_DIR:-$VAR/keys}")
  mkdir -p "$KEYS_DIR"
  chmod 0700 "$KEYS_DIR"
  DB_PASSWORD_FILE="$KEYS_DIR/db.password"
  if [[ -n "${RESTITUTION_KEYS_DIR:-}" ]]; then
    export RESTITUTION_KEYS_DIR="$KEYS_DIR"
  fi
  if [[ ! -s "$DB_PASSWORD_FILE" ]]; then
    (
      umask 077
      random_secret 24 | tr -d '\n' >"$DB_PASSWORD_FILE.tmp"
    )
    mv -f "$DB_PASSWORD_FILE.tmp" "$DB_PASSWORD_FILE"
  fi
  chmod 0600 "$DB_PASSWORD_FILE"
  DB_PASSWORD=$(<"$DB_PASSWORD_FILE")
  [[ "$DB_PASSWORD" =~ ^[A-Za-z0-9._~+/=-]+$ ]] ||
    die "$DB_PASSWORD_FILE holds characters other than [A-Za-z0-9._~+/=-]; remove it to generate a new one"

  mariadb_init
  DB_STARTED=1
  if ((REPLICA)); then
    mariadb_primary_args "$REPLICATION_PORT"
    mariadb_start --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 "${MARIADB_PRIMARY_ARGS[@]}"
    REPLICATION_PASSWORD_FILE="$KEYS_DIR/db-replication.password"
    if [[ ! -s "$REPLICATION_PASSWORD_FILE" ]]; then
      (
        umask 077
        random_secret 24 | tr -dc 'A-Za-z0-9' >"$REPLICATION_PASSWORD_FILE.tmp"
      )
      mv -f "$REPLICATION_PASSWORD_FILE.tmp" "$REPLICATION_PASSWORD_FILE"
    fi
    mariadb_replication_user repl "$(<"$REPLICATION_PASSWORD_FILE")"
    mariadb_replica_init
    REPLICA_STARTED=1
    mariadb_replica_start "$REPLICATION_PORT" repl "$(<"$REPLICATION_PASSWORD_FILE")" \
      --innodb-flush-log-at-trx-commit=1
  else
    mariadb_start --innodb-flush-log-at-trx-commit=1 --sync-binlog=1
  fi

  # Idempotent: also repairs a run that stopped between the steps.
  mariadb_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'localhost';
SQL
  unset DB_PASSWORD

  export RESTITUTION_DB_SOCKET="$MARIADB_SOCKET"
  export RESTITUTION_DB_USER="$DB_USER"
  export RESTITUTION_DB_NAME="$DB_NAME"
  unset RESTITUTION_DB_HOST RESTITUTION_DB_PORT
  unset RESTITUTION_DB_REPLICA_HOST RESTITUTION_DB_REPLICA_PORT RESTITUTION_DB_REPLICA_SOCKET
  if ((REPLICA)); then
    export RESTITUTION_DB_REPLICA_SOCKET="$MARIADB_REPLICA_SOCKET"
    log "read replica: $MARIADB_REPLICA_SOCKET (following 127.0.0.1:$REPLICATION_PORT)"
  fi
fi

# ------------------------------------------------------------ 4. keys, schema, admin
log "restitutionctl keys init"
"$CTL" keys init 9>&-
log "restitutionctl migrate"
"$CTL" migrate 9>&-
log "restitutionctl bootstrap-admin"
"$CTL" bootstrap-admin 9>&-

# ------------------------------------------------------------ 5. TLS
if [[ -n "${RESTITUTION_TLS_CERT:-}" || -n "${RESTITUTION_TLS_KEY:-}" ]]; then
  [[ -n "${RESTITUTION_TLS_CERT:-}" && -n "${RESTITUTION_TLS_KEY:-}" ]] ||
    die "set both RESTITUTION_TLS_CERT and RESTITUTION_TLS_KEY, or neither"
  TLS_CERT=$(abs_path "$RESTITUTION_TLS_CERT")
  TLS_KEY=$(abs_path "$RESTITUTION_TLS_KEY")
  [[ -r "$TLS_CERT" ]] || die "cannot read $TLS_CERT"
  [[ -r "$TLS_KEY" ]] || die "cannot read $TLS_KEY"
else
  "$SCRIPT_DIR/make-tls-cert.sh" "$VAR/tls"
  TLS_CERT="$VAR/tls/cert.pem"
  TLS_KEY="$VAR/tls/key.pem"
fi

# ------------------------------------------------------------ 6. portal and nginx
if [[ -n "${RESTITUTION_PORTAL_DIR:-}" ]]; then
  PORTAL_DIR=$(abs_path "$RESTITUTION_PORTAL_DIR")
else
  PORTAL_DIR="$ROOT/build/portal"
  "$SCRIPT_DIR/build-portal.sh" "$PORTAL_DIR"
fi
nginx_render "$SCRIPT_DIR/nginx.conf.in" "$NGINX_CONF" "$VAR" "$PORT" "$BACKEND_PORT" "$TLS_CERT" "$TLS_KEY" "$PORTAL_DIR"
NGINX_STARTED=1
nginx_start "$NGINX_PREFIX" "$NGINX_CONF"

# ------------------------------------------------------------ 7. restitutiond
log "starting restitutiond on 127.0.0.1:$BACKEND_PORT"
# setsid: the terminal's Ctrl-C reaches this script only, which stops the
# services in order.
setsid "$DAEMON" </dev/null 9>&- &
DAEMON_PID=$!
printf '%s\n' "$DAEMON_PID" >"$DAEMON_PID_FILE"

backend_healthy() {
  proc_alive "$DAEMON_PID" || return 2
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$BACKEND_PORT/healthz" 2>/dev/null
}
deadline=$((SECONDS + START_TIMEOUT))
while true; do
  status=0
  backend_healthy || status=$?
  ((status == 0)) && break
  if ((status == 2)); then
    rc=0
    wait "$DAEMON_PID" || rc=$?
    DAEMON_PID=""
    die "restitutiond exited during startup (status $rc)"
  fi
  if ((SECONDS >= deadline)); then
    die "restitutiond did not answer http://127.0.0.1:$BACKEND_PORT/healthz within ${START_TIMEOUT}s"
  fi
  sleep 0.25
done

echo "Restitution is serving https://127.0.0.1:$PORT"

rc=0
wait "$DAEMON_PID" || rc=$?
# Only reached when restitutiond stopped on its own (signals exit via on_signal).
DAEMON_PID=""
if ((rc != 0)); then
  warn "restitutiond exited with status $rc"
  exit "$rc"
fi
log "restitutiond exited"
exit 0
