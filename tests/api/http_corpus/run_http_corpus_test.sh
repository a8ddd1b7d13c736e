#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../../..
# The HTTP bad-input corpus (issue 7): boots the real stack (deploy/run-local.sh: private
# MariaDB, nginx, restitutiond) in a temp dir, runs http_corpus.test.mjs against it through
# nginx, then checks that restitutiond is the same process it was before (no crash, no
# restart) and that its log holds no sanitizer report.
#
#   run_http_corpus_test.sh              # CI size: the generated corpus, then 20 s of random
#                                        # mutations (about 90 s in all)
#   run_http_corpus_test.sh --long HOURS # the same, then HOURS of random mutations
# CORPUS_SEED=N replays a random phase (its seed is printed).
#
# Needs RESTITUTION_TEST_BIN_DIR and RESTITUTION_PORTAL_DIR (tests/run.sh sets both);
# RESTITUTION_KEEP_TEST_DIR=1 keeps the temp dir (tests/support/local_stack.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=deploy/lib/common.sh
source "$ROOT/deploy/lib/common.sh"
# shellcheck source=tests/support/local_stack.sh
source "$ROOT/tests/support/local_stack.sh"
set_log_tag http_corpus

RANDOM_SECONDS=20
if [[ "${1:-}" == --long ]]; then
  [[ "${2:-}" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "usage: $0 --long HOURS"
  RANDOM_SECONDS=$(awk -v h="$2" 'BEGIN { printf "%d", h * 3600 }')
fi

prepare_test_stack http_corpus

start_run_local
wait_serving || die "the stack did not come up"
SERVER_PID=$(stack_server_pid) || die "no restitutiond process for $VAR"
log "stack serving https://127.0.0.1:$PORT (restitutiond pid $SERVER_PID); running the corpus"

status=0
CORPUS_BASE_URL="https://127.0.0.1:$PORT" \
  CORPUS_CA_FILE="$VAR/tls/cert.pem" \
  CORPUS_ADMIN_PASSWORD="$BOOTSTRAP_PASSWORD" \
  CORPUS_SMS_LOG="$VAR/outbox/sms.log" \
  CORPUS_EVIDENCE_FILE="$ROOT/tests/api/portal/fixtures/bank-statement.png" \
  CORPUS_OPENAPI="$ROOT/api/openapi.json" \
  CORPUS_DB_SOCKET="$VAR/mysqld.sock" \
  CORPUS_DB_NAME=restitution \
  CORPUS_RANDOM_SECONDS="$RANDOM_SECONDS" \
  node --test --test-concurrency=1 --test-reporter=spec "$ROOT/tests/api/http_corpus/http_corpus.test.mjs" ||
  status=$?

# The server must have survived every request as the same process.
if ! proc_alive "$SERVER_PID" || [[ "$(stack_server_pid || true)" != "$SERVER_PID" ]]; then
  echo "http corpus: restitutiond (pid $SERVER_PID) died or was restarted during the corpus" >&2
  status=1
fi
if grep -E 'runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer' "$RUN_LOG" >&2; then
  echo "http corpus: sanitizer report in the server's log (above)" >&2
  status=1
fi
exit "$status"
