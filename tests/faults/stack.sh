# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR/../..
# A Restitution stack owned by a fault test: private MariaDB, nginx (TLS) in front of one or
# more restitutiond instances, all in the test's temp dir on random free ports. Unlike
# deploy/run-local.sh (which stops everything when restitutiond dies) every process here can
# be killed with SIGKILL and started again on its own.
#
# The caller sources deploy/lib/{common,mariadb,nginx}.sh, sets ROOT, BIN_DIR, PORTAL_DIR and
# WORK, then:
#   fault_stack_up N       # database, keys, schema, admin, TLS, nginx with N backends, N servers
#   server_start I / server_kill I / server_stop I       (I = 1..N)
#   db_kill / db_start
#   fault_stack_down       # stops every process it started (call it from an EXIT trap)
# Afterwards: PORT, BASE_URL, CA_FILE, ADMIN_PASSWORD, SQL_SOCKET, DB_NAME, and ctl_env (the
# environment restitutionctl needs) are set.

VAR=""
PORT=""
BASE_URL=""
CA_FILE=""
ADMIN_PASSWORD=""
DB_NAME=restitution
DB_USER=restitution
NGINX_PREFIX=""
NGINX_CONF=""
NGINX_UP=0
DB_UP=0
declare -a BACKEND_PORTS=()
declare -a SERVER_PIDS=()
declare -a STACK_ENV=()

# The environment of restitutiond and restitutionctl (password from the keys dir).
stack_env() { "${STACK_ENV[@]}" "$@"; }
stack_env_init() {
  STACK_ENV=(env -u RESTITUTION_CONFIG -u RESTITUTION_DB_HOST -u RESTITUTION_DB_PORT \
    -u RESTITUTION_DB_PASSWORD -u RESTITUTION_KEYS_DIR \
    RESTITUTION_VAR="$VAR" RESTITUTION_DB_SOCKET="$MARIADB_SOCKET" \
    RESTITUTION_DB_USER="$DB_USER" RESTITUTION_DB_NAME="$DB_NAME" \
    RESTITUTION_SCRYPT_LOG2_N=10)
}

ctl() { stack_env "$BIN_DIR/restitutionctl" "$@" 9>&-; }

db_start() {
  # Durable settings, as in production (deploy/run-local.sh).
  mariadb_start --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 --max-connections=300
  DB_UP=1
}

# SIGKILL of mariadbd: no shutdown, InnoDB recovers from its redo log at the next start.
db_kill() {
  local pid=$MARIADB_PID
  [[ -n "$pid" ]] || pid=$(read_pid_file "$MARIADB_PID_FILE")
  proc_alive "$pid" || die "MariaDB is not running"
  kill -KILL "$pid"
  wait_gone "$pid" 30 || die "MariaDB (pid $pid) survived SIGKILL"
  MARIADB_PID=""
}

server_start() {
  local i=$1 port=${BACKEND_PORTS[$1]} deadline
  # exec: $! must be restitutiond itself, not a subshell, so that SIGKILL reaches it.
  (exec "${STACK_ENV[@]}" RESTITUTION_BACKEND_PORT="$port" RESTITUTION_WORKER_QUEUE_LIMIT=512 \
    "$BIN_DIR/restitutiond" </dev/null >>"$WORK/restitutiond.$i.log" 2>&1 9>&-) &
  SERVER_PIDS[i]=$!
  deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    proc_alive "${SERVER_PIDS[i]}" || die "restitutiond $i exited during start-up (log: $WORK/restitutiond.$i.log)"
    ((SECONDS < deadline)) || die "restitutiond $i not ready within 60s"
    sleep 0.1
  done
}

server_kill() {
  local i=$1 pid=${SERVER_PIDS[$1]:-}
  proc_alive "$pid" || die "restitutiond $i is not running"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  SERVER_PIDS[i]=""
}

# Clean stop; a sanitizer report at exit would be in the log (checked by sanitizer_clean).
server_stop() {
  local i=$1 pid=${SERVER_PIDS[$1]:-}
  [[ -n "$pid" ]] || return 0
  stop_pid "$pid" "restitutiond $i" TERM 30
  wait "$pid" 2>/dev/null || true
  SERVER_PIDS[i]=""
}

sanitizer_clean() {
  if grep -l -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$WORK"/restitutiond.*.log 2>/dev/null; then
    return 1
  fi
  return 0
}

fault_stack_up() {
  local n=$1 i upstream password_file password
  VAR="$WORK/var"
  mkdir -p "$VAR/keys" "$VAR/log"
  chmod 0700 "$VAR/keys"
  mariadb_paths "$VAR"
  stack_env_init
  mariadb_init
  db_start
  password_file="$VAR/keys/db.password"
  random_secret 24 | tr -d '\n' >"$password_file"
  chmod 0600 "$password_file"
  password=$(<"$password_file")
  mariadb_sql <<SQL
CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER '$DB_USER'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'localhost';
SQL
  ADMIN_PASSWORD="Fault-Admin-$(random_secret 8)"
  ctl keys init >/dev/null
  ctl migrate >/dev/null
  RESTITUTION_BOOTSTRAP_PASSWORD="$ADMIN_PASSWORD" ctl bootstrap-admin >/dev/null
  "$ROOT/deploy/make-tls-cert.sh" "$VAR/tls" >/dev/null 2>&1
  CA_FILE="$VAR/tls/cert.pem"

  PORT=$(random_free_port) || die "no free port"
  BACKEND_PORTS=()
  upstream=""
  for ((i = 1; i <= n; i++)); do
    BACKEND_PORTS[i]=$(random_free_port "$PORT" "${BACKEND_PORTS[@]}") || die "no free port"
    upstream+="        server 127.0.0.1:${BACKEND_PORTS[i]};\\n"
  done
  NGINX_PREFIX="$VAR/nginx"
  NGINX_CONF="$NGINX_PREFIX/nginx.conf"
  nginx_render "$ROOT/deploy/nginx.conf.in" "$NGINX_CONF" "$VAR" "$PORT" "${BACKEND_PORTS[1]}" \
    "$CA_FILE" "$VAR/tls/key.pem" "$PORTAL_DIR"
  # More than one backend: every instance in the upstream block (replacing the single one).
  sed -i -e "s|^        server 127.0.0.1:${BACKEND_PORTS[1]};\$|${upstream%\\n}|" "$NGINX_CONF"
  ((n == 1)) || grep -q "127.0.0.1:${BACKEND_PORTS[n]};" "$NGINX_CONF" || die "upstream not rendered"
  NGINX_UP=1
  nginx_start "$NGINX_PREFIX" "$NGINX_CONF" 2>/dev/null
  # shellcheck disable=SC2034  # read by the test scripts
  BASE_URL="https://127.0.0.1:$PORT"
  for ((i = 1; i <= n; i++)); do
    server_start "$i"
  done
}

fault_stack_down() {
  local i
  for i in "${!SERVER_PIDS[@]}"; do
    if [[ -n "${SERVER_PIDS[i]}" ]] && proc_alive "${SERVER_PIDS[i]}"; then
      stop_pid "${SERVER_PIDS[i]}" "restitutiond $i" TERM 20
    fi
  done
  SERVER_PIDS=()
  if ((NGINX_UP)); then
    nginx_stop "$NGINX_PREFIX" "$NGINX_CONF"
    NGINX_UP=0
  fi
  if ((DB_UP)); then
    MARIADB_STOP_TIMEOUT=60 mariadb_stop
    DB_UP=0
  fi
}

# SQL as root on the test database; rows tab-separated on stdout.
sql() {
  mariadb --no-defaults --socket="$MARIADB_SOCKET" --user=root --batch --skip-column-names \
    "$DB_NAME" -e "$1"
}
