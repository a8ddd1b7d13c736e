#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# Builds the libFuzzer harnesses (clang-14, ASan + UBSan, build/fuzz) and runs each one from
# its seed corpus. Fails when any harness crashes, trips an invariant or a sanitizer, and
# prints the reproducer's path (crash inputs are kept under build/fuzz/artifacts/).
#
#   tests/fuzz/run.sh                  # CI size: 60 s per harness, two at a time
#   tests/fuzz/run.sh --seconds 600    # any length per harness
#   tests/fuzz/run.sh --long 4         # hours per harness; the corpus grows in build/fuzz/corpus
#   tests/fuzz/run.sh money proof      # only these harnesses (names without _fuzzer)
#
# Reproduce a crash: build/fuzz/fuzzers/<name>_fuzzer <artifact path>
# The seed corpora in tests/fuzz/corpus/ are only read; the CI run fuzzes a temporary copy.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
set_log_tag fuzz

BUILD_DIR="$ROOT/build/fuzz"
SEEDS="$ROOT/tests/fuzz/corpus"
SECONDS_EACH=60
LONG=0
JOBS=2
NAMES=()
while (($# > 0)); do
  case "$1" in
    --seconds)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--seconds needs a positive number"
      SECONDS_EACH=$2
      shift 2
      ;;
    --long)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--long needs a whole number of hours"
      SECONDS_EACH=$(($2 * 3600))
      LONG=1
      shift 2
      ;;
    --jobs)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"
      JOBS=$2
      shift 2
      ;;
    -h | --help)
      sed -n '3,13p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    -*) die "unknown option: $1" ;;
    *)
      NAMES+=("$1")
      shift
      ;;
  esac
done

command -v clang++-14 >/dev/null || die "clang++-14 is missing: run deploy/install-deps.sh"

# 1. build the harnesses only (the libraries they need come along)
log "building $BUILD_DIR (clang-14, libFuzzer, ASan/UBSan)"
CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRESTITUTION_FUZZ=ON -DRESTITUTION_TESTS=OFF -DRESTITUTION_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" --target fuzzers -j"$JOBS"

if ((${#NAMES[@]} == 0)); then
  for bin in "$BUILD_DIR"/fuzzers/*_fuzzer; do
    name=$(basename "$bin")
    NAMES+=("${name%_fuzzer}")
  done
fi
((${#NAMES[@]} > 0)) || die "no harnesses were built"

# Longest input worth trying, per input type (libFuzzer's default is 4096).
max_len() {
  case "$1" in
    money | resident_id) echo 64 ;;
    multipart) echo 8192 ;;
    checkpoint) echo 2048 ;;
    json_decoders | books_csv) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

ARTIFACTS="$BUILD_DIR/artifacts"
LOGS="$BUILD_DIR/logs"
mkdir -p "$ARTIFACTS" "$LOGS"
WORK=$(mktemp -d /tmp/restitution-fuzz.XXXXXX)
# shellcheck disable=SC2317  # invoked from traps
cleanup() {
  trap '' INT TERM HUP
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Sanitizers stop at the first report; libFuzzer then saves the input and exits non-zero.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Runs one harness and records libFuzzer's exit code in $WORK/status/<name>.
run_one() {
  local name=$1 bin="$BUILD_DIR/fuzzers/$1_fuzzer" corpus
  [[ -x "$bin" ]] || {
    echo "no such harness: $bin" >"$LOGS/$name.log"
    return 1
  }
  if ((LONG)); then
    corpus="$BUILD_DIR/corpus/$name"  # grows from run to run; never in the repository
  else
    corpus="$WORK/corpus/$name"
  fi
  mkdir -p "$corpus" "$ARTIFACTS/$name"
  if [[ -d "$SEEDS/$name" ]]; then
    cp -n "$SEEDS/$name"/* "$corpus"/
  fi
  "$bin" -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$name")" -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$name/" \
    "$corpus" >"$LOGS/$name.log" 2>&1
}

log "running ${#NAMES[@]} harnesses, $SECONDS_EACH s each, $JOBS at a time (logs: $LOGS)"
mkdir -p "$WORK/status"
for name in "${NAMES[@]}"; do
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n || true; done
  (
    status=0
    run_one "$name" || status=$?
    echo "$status" >"$WORK/status/$name"
  ) &
done
wait

failed=0
printf '%-16s %12s %10s %8s  %s\n' harness executions exec/s corpus result
for name in "${NAMES[@]}"; do
  status=$(cat "$WORK/status/$name" 2>/dev/null || echo 1)
  log_file="$LOGS/$name.log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log_file" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log_file" | tail -1)
  units=$(sed -n 's/^#[0-9]*.*DONE.*corp: \([0-9]*\).*/\1/p' "$log_file" | tail -1)
  if ((status == 0)); then
    result=ok
  else
    result="FAILED (exit $status)"
    failed=1
  fi
  printf '%-16s %12s %10s %8s  %s\n' "$name" "${runs:-?}" "${speed:-?}" "${units:-?}" "$result"
  if ((status != 0)); then
    grep -E 'ERROR: |invariant failed|runtime error|Test unit written to|deadly signal' \
      "$log_file" | head -20 >&2 || true
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log_file" | tail -1)
    echo "  log: $log_file" >&2
    [[ -n "$reproducer" ]] &&
      echo "  reproduce: $BUILD_DIR/fuzzers/${name}_fuzzer $reproducer" >&2
  fi
done
exit "$failed"
