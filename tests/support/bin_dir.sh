# shellcheck shell=bash
# Where a stack test finds restitutiond and restitutionctl: $RESTITUTION_TEST_BIN_DIR (set by
# tests/run.sh), or the two paths the test was given, linked into WORK/bin. Sets BIN_DIR.
# Usage: resolve_test_bin_dir WORK "$@". Sources deploy/lib/common.sh first (abs_path, die).
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
