#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../../..
# Browser tests of the web portal: boots the real stack (deploy/run-local.sh: private MariaDB,
# nginx with the built portal, restitutiond) in a temp dir and drives Debian's Chromium
# through it with playwright-core (portal_flow.test.mjs). Screenshots go to
# $RESTITUTION_TEST_ARTIFACTS_DIR/portal (default: build/test/artifacts/portal).
#
# Needs RESTITUTION_TEST_BIN_DIR and RESTITUTION_PORTAL_DIR (tests/run.sh sets both);
# RESTITUTION_KEEP_TEST_DIR=1 keeps the temp dir (tests/support/local_stack.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=tests/support/local_stack.sh
source "$ROOT/tests/support/local_stack.sh"
set_log_tag portal_test

[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing (deploy/install-deps.sh --browser)"
ARTIFACTS=$(abs_path "${RESTITUTION_TEST_ARTIFACTS_DIR:-$ROOT/build/test/artifacts}")/portal
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
TEST_STACK_FAILURE_NOTE="screenshots in $ARTIFACTS"
prepare_test_stack portal

start_run_local
wait_serving || die "the stack did not come up"
log "stack serving https://127.0.0.1:$PORT; running the browser tests"

PORTAL_BASE_URL="https://127.0.0.1:$PORT" \
  PORTAL_ADMIN_PASSWORD="$BOOTSTRAP_PASSWORD" \
  PORTAL_SMS_LOG="$VAR/outbox/sms.log" \
  PORTAL_ARTIFACTS_DIR="$ARTIFACTS" \
  PORTAL_EVIDENCE_FILE="$ROOT/tests/api/portal/fixtures/bank-statement.png" \
  NODE_EXTRA_CA_CERTS="$VAR/tls/cert.pem" \
  node --test --test-reporter=spec "$ROOT/tests/api/portal/portal_flow.test.mjs"
