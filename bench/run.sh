#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/..
# Builds a benchmark in Release and runs it against a throwaway MariaDB with durable settings
# (innodb_flush_log_at_trx_commit=1, binary log on with sync_binlog=1: what deploy/run-local.sh
# asks for, plus the binlog that makes sync_binlog mean something). Prints the report and
# writes it into bench/RESULTS.md, replacing the section of the same name.
#
#   bench/run.sh --all        # every benchmark below at its full size, one after the other
#   bench/run.sh --quick      # ledger smoke run (10^5 entries, short phases): "Ledger (quick)"
#   bench/run.sh              # the ledger's full run (10^7 entries): section "Ledger"
#   bench/run.sh --help       # every ledger_bench flag
#   bench/run.sh --distribution           # distribution_bench, 10^6 claims: section "Distribution"
#   bench/run.sh --distribution --quick   # 10^5 claims: section "Distribution (quick)"
#   bench/run.sh --distribution --claims N  # another size: section "Distribution (N claims)"
#   bench/run.sh --distribution --help    # every distribution_bench flag
#   bench/run.sh --rush       # registration rush over HTTPS (bench/rush.sh): "Registration rush"
#   bench/run.sh --rush --quick           # a short rush: section "Registration rush (quick)"
#   bench/run.sh --rush --help            # every bench/rush.sh flag
#
# The database lives under build/bench/ (a real disk: under a tmpfs /tmp an fsync costs nothing
# and "durable" would mean nothing); set RESTITUTION_BENCH_DIR to put it elsewhere. Extra
# mariadbd arguments can be given in RESTITUTION_BENCH_MARIADB_ARGS. Never touches a local
# instance: own directory, own socket, no TCP. Not part of ctest. RESTITUTION_BENCH_BUILD_DIR
# names another build directory than build/bench (it is configured Release, bench on, no tests).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=deploy/lib/mariadb.sh
source "$ROOT/deploy/lib/mariadb.sh"
set_log_tag bench

BUILD_DIR=${RESTITUTION_BENCH_BUILD_DIR:-$ROOT/build/bench}
RESULTS="$ROOT/bench/RESULTS.md"
JOBS=$(cpu_count)

if [[ "${1:-}" == --all ]]; then
  (($# == 1)) || die "--all takes no other argument"
  for bench in --distribution --rush ""; do
    # shellcheck disable=SC2086  # the empty word is the ledger's run
    "${BASH_SOURCE[0]}" $bench
  done
  exit 0
fi

# --distribution or --rush picks the benchmark; every other argument goes to it.
TARGET=ledger_bench
BENCH_ARGS=()
for arg in "$@"; do
  if [[ "$arg" == --distribution ]]; then
    TARGET=distribution_bench
  elif [[ "$arg" == --rush ]]; then
    TARGET=rush
  else
    BENCH_ARGS+=("$arg")
  fi
done
if [[ "$TARGET" == distribution_bench ]]; then
  SECTION="Distribution"
  BENCH_DB=distribution_bench
elif [[ "$TARGET" == rush ]]; then
  SECTION="Registration rush"
  BENCH_DB=""
else
  SECTION="Ledger"
  BENCH_DB=ledger_bench
fi
QUICK=0
HELP=0
CLAIMS=""
for ((i = 0; i < ${#BENCH_ARGS[@]}; i++)); do
  case "${BENCH_ARGS[i]}" in
    --quick) QUICK=1 ;;
    --help | -h) HELP=1 ;;
    --claims) CLAIMS=${BENCH_ARGS[i + 1]:-} ;;
  esac
done
if ((HELP)); then
  SECTION=""
elif [[ "$TARGET" == distribution_bench && -n "$CLAIMS" && "$CLAIMS" != 1000000 ]]; then
  # A run at another size than the issue's 10^6 never takes the place of the full one.
  SECTION="Distribution ($CLAIMS claims)"
elif ((QUICK)); then
  SECTION="$SECTION (quick)"
fi

# 1. packages
"$ROOT/deploy/install-deps.sh"

# 2. build (Release; the test suite is not needed)
log "building $BUILD_DIR (Release)"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DRESTITUTION_TESTS=OFF \
  -DRESTITUTION_BENCH=ON >/dev/null
if [[ "$TARGET" == rush ]]; then
  # The whole service, the commit reference and the load generator in one directory.
  cmake --build "$BUILD_DIR" -j"$JOBS" --target restitutiond restitutionctl commit_reference rush_load
  export RESTITUTION_BENCH_BIN_DIR="$BUILD_DIR/rush-bin"
  mkdir -p "$RESTITUTION_BENCH_BIN_DIR"
  ln -sf ../api/restitutiond ../tools/restitutionctl ../bench/commit_reference ../bench/rush_load \
    "$RESTITUTION_BENCH_BIN_DIR/"
  BENCH="$ROOT/bench/rush.sh"
else
  cmake --build "$BUILD_DIR" -j"$JOBS" --target "$TARGET"
  BENCH="$BUILD_DIR/bench/$TARGET"
fi

if [[ -z "$SECTION" ]]; then
  exec "$BENCH" --help
fi

# 3. throwaway MariaDB, durable (the rush boots its own stack, MariaDB included)
DB_PARENT=${RESTITUTION_BENCH_DIR:-$BUILD_DIR}
mkdir -p "$DB_PARENT"
OUTPUT=$(mktemp "${TMPDIR:-/tmp}/$TARGET.XXXXXX")
DB_BASE=""
DB_READY=0
# shellcheck disable=SC2317  # invoked from traps
cleanup() {
  trap '' INT TERM HUP
  if ((DB_READY)) || [[ -n "${MARIADB_PID:-}" ]]; then
    mariadb_stop
  fi
  rm -rf "$DB_BASE" "$OUTPUT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ "$TARGET" == rush ]]; then
  MARIADB_DATADIR=$DB_PARENT
  MARIADB_ARGS_TEXT="--innodb-flush-log-at-trx-commit=1 --sync-binlog=1, no binary log (deploy/run-local.sh's settings)"
else
  DB_BASE=$(mktemp -d "$DB_PARENT/db.XXXXXX")
  mariadb_paths "$DB_BASE"
  mariadb_init
  DB_READY=1
  # shellcheck disable=SC2086  # the extra arguments are meant to split
  mariadb_start --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 \
    --log-bin="$DB_BASE/mariadb-bin" --server-id=1 --max-connections=500 \
    ${RESTITUTION_BENCH_MARIADB_ARGS:-}
  MARIADB_ARGS_TEXT="--innodb-flush-log-at-trx-commit=1 --sync-binlog=1 --log-bin ${RESTITUTION_BENCH_MARIADB_ARGS:-}"

  BENCH_DB_PASSWORD=$(random_secret 24)
  mariadb_sql <<SQL
CREATE USER 'rbench'@'localhost' IDENTIFIED BY '$BENCH_DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'rbench'@'localhost';
SQL

  export RESTITUTION_DB_SOCKET="$MARIADB_SOCKET"
  export RESTITUTION_DB_USER=rbench
  export RESTITUTION_DB_PASSWORD="$BENCH_DB_PASSWORD"
  unset RESTITUTION_DB_HOST RESTITUTION_DB_PORT RESTITUTION_DB_NAME
  BENCH_ARGS=(--database "$BENCH_DB" ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"})
fi

# 4. the benchmark
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
DATADIR_FS="$(df --output=fstype "$MARIADB_DATADIR" | tail -n1) on $(df --output=source "$MARIADB_DATADIR" | tail -n1)"
log "load average before: $LOAD_BEFORE; datadir on $DATADIR_FS"
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
status=0
"$BENCH" ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"} | tee "$OUTPUT" || status=$?
if ((status != 0)); then
  log "$TARGET failed (exit $status); $RESULTS left as it was"
  exit "$status"
fi

# 5. bench/RESULTS.md: replace (or add) this section, keep the others
COMMAND="bench/run.sh"
for arg in "$@"; do COMMAND+=" $(printf '%q' "$arg")"; done
REVISION=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n1)" ]]; then
  REVISION+=" (with uncommitted changes)"
fi
SECTION_FILE=$(mktemp "${TMPDIR:-/tmp}/$TARGET-section.XXXXXX")
{
  printf '## %s\n\n' "$SECTION"
  # shellcheck disable=SC2016  # the backquotes are Markdown
  printf -- '- run: %s, `%s`, revision %s\n' "$STARTED" "$COMMAND" "$REVISION"
  printf -- '- host: %s, %s cores, %s MiB RAM; MariaDB datadir on %s\n' \
    "$(uname -srm)" "$(nproc)" "$(free -m | awk '/^Mem:/ {print $2}')" "$DATADIR_FS"
  printf -- '- load average before the run: %s (other builds and tests may share the machine)\n' \
    "$LOAD_BEFORE"
  printf -- '- mariadbd: %s\n\n' "$MARIADB_ARGS_TEXT"
  # The report's own headings become subsections of this one.
  sed -e 's/^### /#### /' "$OUTPUT"
  printf '\n'
} >"$SECTION_FILE"

if [[ ! -f "$RESULTS" ]]; then
  # shellcheck disable=SC2016  # the backquotes are Markdown
  printf '# Benchmark results\n\nWritten by `bench/run.sh`; each run replaces its own section.\n\n' \
    >"$RESULTS"
fi
NEW_RESULTS=$(mktemp "$RESULTS.XXXXXX")
# The old section (its heading up to the next "## " heading) is replaced where it stands; a
# section seen for the first time goes at the end. Other sections are kept as they are.
awk -v heading="## $SECTION" -v section_file="$SECTION_FILE" '
  function emit(  line) {
    while ((getline line <section_file) > 0) print line
    close(section_file)
    done = 1
  }
  $0 == heading { emit(); skipping = 1; next }
  skipping && /^## / { skipping = 0 }
  !skipping { print; last = $0 }
  END {
    if (!done) {
      if (last != "") print ""
      emit()
    }
  }
' "$RESULTS" >"$NEW_RESULTS"
mv "$NEW_RESULTS" "$RESULTS"
rm -f "$SECTION_FILE"
log "wrote section \"$SECTION\" of $RESULTS"
