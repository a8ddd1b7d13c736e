# shellcheck shell=bash
# What the shell tests of a whole stack share: finding the binaries, and counting checks.
# Source deploy/lib/common.sh first (abs_path, die).

FAILURES=0

# A check that failed; the test goes on and exits non-zero at the end (FAILURES).
fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}
pass() { echo "ok: $*"; }

# check DESCRIPTION COMMAND...: passes when the command succeeds; check_not: when it fails.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
check_not() {
  local what=$1
  shift
  if "$@"; then fail "$what"; else pass "$what"; fi
}

# Fatal: later steps depend on this one.
fatal() {
  echo "FAIL (fatal): $*" >&2
  FAILURES=$((FAILURES + 1))
  exit 1
}

# Where the test finds restitutiond and restitutionctl: $RESTITUTION_TEST_BIN_DIR (set by
# tests/run.sh), or the two paths the test was given, linked into WORK/bin. Sets BIN_DIR.
# Usage: resolve_test_bin_dir WORK "$@".
resolve_test_bin_dir() {
  local work=$1
  shift
  if [[ -n "${RESTITUTION_TEST_BIN_DIR:-}" ]]; then
    BIN_DIR=$(abs_path "$RESTITUTION_TEST_BIN_DIR")
  elif (($# == 2)); then
    BIN_DIR="$work/bin"
    mkdir -p "$BIN_DIR"
    ln -s "$(abs_path "$1")" "$BIN_DIR/restitutiond"
    ln -s "$(abs_path "$2")" "$BIN_DIR/restitutionctl"
  else
    rm -rf "$work"
    die "set RESTITUTION_TEST_BIN_DIR or pass RESTITUTIOND and RESTITUTIONCTL paths"
  fi
}
