#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/..
# Builds the test tree (Debug + ASan/UBSan) and runs the whole suite against a
# throwaway MariaDB that lives only as long as this script.
#
#   tests/run.sh              # everything
#   tests/run.sh -R money     # extra arguments go to ctest
#
# Never touches a local instance: own temp dir, own socket, no TCP.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=deploy/lib/mariadb.sh
source "$ROOT/deploy/lib/mariadb.sh"
set_log_tag tests

BUILD_DIR="$ROOT/build/test"
JOBS=$(cpu_count)

# 1. packages (Chromium too: the portal's browser tests)
"$ROOT/deploy/install-deps.sh" --browser

# 2. build
log "building $BUILD_DIR (Debug, ASan/UBSan)"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DRESTITUTION_SANITIZE=ON
cmake --build "$BUILD_DIR" -j"$JOBS"

# Both binaries in one directory, as deploy/run-local.sh expects.
mkdir -p "$BUILD_DIR/bin"
ln -sfn ../api/restitutiond "$BUILD_DIR/bin/restitutiond"
ln -sfn ../tools/restitutionctl "$BUILD_DIR/bin/restitutionctl"

# The web portal, served by every stack the tests boot.
"$ROOT/deploy/build-portal.sh" "$BUILD_DIR/portal"

# 3. throwaway MariaDB
DB_BASE=$(mktemp -d /tmp/restitution-test-db.XXXXXX)
DB_READY=0
# shellcheck disable=SC2317  # invoked from traps
cleanup() {
  trap '' INT TERM HUP
  if ((DB_READY)) || [[ -n "${MARIADB_PID:-}" ]]; then
    mariadb_stop
  fi
  rm -rf "$DB_BASE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mariadb_paths "$DB_BASE"
mariadb_init
DB_READY=1
mariadb_start --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 --max-connections=500

TEST_DB_PASSWORD=$(random_secret 24)
mariadb_sql <<SQL
CREATE USER 'rtest'@'localhost' IDENTIFIED BY '$TEST_DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'rtest'@'localhost';
SQL

export RESTITUTION_TEST_DB_SOCKET="$MARIADB_SOCKET"
export RESTITUTION_TEST_DB_USER=rtest
export RESTITUTION_TEST_DB_PASSWORD="$TEST_DB_PASSWORD"
export RESTITUTION_TEST_BIN_DIR="$BUILD_DIR/bin"
export RESTITUTION_SOURCE_DIR="$ROOT"
export RESTITUTION_PORTAL_DIR="$BUILD_DIR/portal"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

# 4. tests
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS" "$@" || status=$?

# 5. ctest's verdict (the EXIT trap stops the database)
exit "$status"
