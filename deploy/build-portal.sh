#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the web portal (api/portal) into a directory nginx serves:
#
#   deploy/build-portal.sh OUT_DIR
#
# npm packages are installed exactly as package-lock.json pins them (npm ci), and only
# when the lock file changed since the last install.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# shellcheck source=lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"
set_log_tag build-portal

(($# == 1)) || die "usage: deploy/build-portal.sh OUT_DIR"
OUT=$(abs_path "$1")
PORTAL="$ROOT/api/portal"

command -v node >/dev/null 2>&1 || die "node is missing (deploy/install-deps.sh installs it)"
command -v npm >/dev/null 2>&1 || die "npm is missing (deploy/install-deps.sh installs it)"

stamp="$PORTAL/node_modules/.restitution-lock"
if [[ ! -f "$stamp" ]] || ! cmp -s "$PORTAL/package-lock.json" "$stamp"; then
  log "installing the portal's npm packages (npm ci)"
  (cd "$PORTAL" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$PORTAL/package-lock.json" "$stamp"
fi

log "building the portal into $OUT"
node "$PORTAL/build.mjs" --out "$OUT" >&2
[[ -f "$OUT/index.html" ]] || die "the portal build left no $OUT/index.html"
