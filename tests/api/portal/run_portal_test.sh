#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../../..
# Browser tests of the web portal: boots the real stack (deploy/run-local.sh: private MariaDB,
# nginx with the built portal, restitutiond) in a temp dir and drives Debian's Chromium
# through it with playwright-core (portal_flow.test.mjs). Screenshots go to
# $RESTITUTION_TEST_ARTIFACTS_DIR/portal (default: build/test/artifacts/portal).
#
# Needs RESTITUTION_TEST_BIN_DIR and RESTITUTION_PORTAL_DIR (tests/run.sh sets both).
# RESTITUTION_KEEP_TEST_DIR=1 keeps the temp dir for inspection.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=tests/support/local_stack.sh
source "$ROOT/tests/support/local_stack.sh"
set_log_tag portal_test

[[ -n "${RESTITUTION_TEST_BIN_DIR:-}" ]] || die "set RESTITUTION_TEST_BIN_DIR (tests/run.sh does)"
[[ -n "${RESTITUTION_PORTAL_DIR:-}" ]] || die "set RESTITUTION_PORTAL_DIR (tests/run.sh does)"
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing (deploy/install-deps.sh --browser)"
BIN_DIR=$(abs_path "$RESTITUTION_TEST_BIN_DIR")
export RESTITUTION_PORTAL_DIR
ARTIFACTS=$(abs_path "${RESTITUTION_TEST_ARTIFACTS_DIR:-$ROOT/build/test/artifacts}")/portal
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"

WORK=$(mktemp -d /tmp/restitution-portal.XXXXXX)
VAR="$WORK/var"
RUN_LOG="$WORK/run-local.log"
RUN_PID=""
PORT=$(random_free_port) || die "no free port"
BACKEND_PORT=$(random_free_port "$PORT") || die "no free port"
BOOTSTRAP_PASSWORD="Bootstrap-Admin-$(random_secret 10)"

# shellcheck disable=SC2317  # invoked from traps
cleanup() {
  local status=$?
  trap '' INT TERM HUP
  stop_stack
  if ((status != 0)); then
    local f
    for f in "$RUN_LOG" "$VAR/log/mariadb.err" "$VAR/nginx/error.log"; do
      [[ -s "$f" ]] && { echo "----- last lines of $f" >&2; tail -n 40 "$f" >&2; }
    done
    echo "portal test: FAILED; screenshots in $ARTIFACTS; work dir $WORK" >&2
  fi
  if [[ "${RESTITUTION_KEEP_TEST_DIR:-0}" == 1 ]]; then
    echo "portal test: keeping $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

start_run_local
wait_serving || die "the stack did not come up"
log "stack serving https://127.0.0.1:$PORT; running the browser tests"

PORTAL_BASE_URL="https://127.0.0.1:$PORT" \
  PORTAL_ADMIN_PASSWORD="$BOOTSTRAP_PASSWORD" \
  PORTAL_SMS_LOG="$VAR/outbox/sms.log" \
  PORTAL_ARTIFACTS_DIR="$ARTIFACTS" \
  PORTAL_EVIDENCE_FILE="$ROOT/tests/api/portal/fixtures/bank-statement.png" \
  NODE_PATH="$ROOT/api/portal/node_modules" \
  NODE_EXTRA_CA_CERTS="$VAR/tls/cert.pem" \
  node --test --test-reporter=spec "$ROOT/tests/api/portal/portal_flow.test.mjs"
