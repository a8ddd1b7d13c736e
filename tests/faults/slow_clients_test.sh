#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# Slow clients: 200 connections through nginx that each send one byte a second (a third
# crawling through the TLS handshake, a third through request headers, a third through a
# request body) must not stop ordinary requests (GET /api/v1/cases anonymously, GET a pool
# with a token; new and kept-alive connections) from being answered 200 in under a second.
# The same probe runs first without the slow clients as the reference.
#
#   tests/faults/slow_clients_test.sh          # CI size: 200 connections, 20 s of probing
#   tests/faults/slow_clients_test.sh --long   # 1000 connections, 300 s
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set_log_tag slow_clients

CONNECTIONS=200
SECONDS_PROBED=20
if ((LONG)); then
  CONNECTIONS=1000
  SECONDS_PROBED=300
fi

fault_stack_up 1
driver setup "$WORK/state.json" 1 1 >/dev/null
driver probe "$WORK/state.json" 5 1000 >"$WORK/reference.json" || die "ordinary requests are slow even without slow clients: $(cat "$WORK/reference.json")"
log "reference (no slow clients): $(cat "$WORK/reference.json")"
(exec_driver slow "$WORK/state.json" "$CONNECTIONS" $((SECONDS_PROBED + 10)) >"$WORK/slow.json" 2>"$WORK/slow.err") &
SLOW_PID=$!
BACKGROUND_PIDS+=("$SLOW_PID")
sleep 5
open=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
log "$open client connections established to nginx"
((open >= CONNECTIONS)) || die "only $open of $CONNECTIONS slow connections are open"
status=0
driver probe "$WORK/state.json" "$SECONDS_PROBED" 1000 >"$WORK/probe.json" || status=$?
log "with $CONNECTIONS slow clients: $(cat "$WORK/probe.json")"
((status == 0)) || die "an ordinary request failed or took 1 s or more with slow clients connected"
proc_alive "$SLOW_PID" || die "the slow clients ended early"
log "passed"
