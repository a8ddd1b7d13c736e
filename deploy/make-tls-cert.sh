#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Creates a self-signed TLS certificate for local use:
#   DIR/cert.pem  (EC P-256, CN=localhost, SAN DNS:localhost, IP:127.0.0.1)
#   DIR/key.pem   (mode 0600)
# Usage: deploy/make-tls-cert.sh DIR
# Idempotent: an existing pair that matches and is valid for more than a day
# is kept.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"
set_log_tag make-tls-cert

[[ $# -eq 1 ]] || die "usage: $0 DIR"
dir=$(abs_path "$1")
cert="$dir/cert.pem"
key="$dir/key.pem"

pair_is_usable() {
  [[ -s "$cert" && -s "$key" ]] || return 1
  openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1 || return 1
  # The key must belong to the certificate.
  [[ "$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null)" == \
    "$(openssl pkey -in "$key" -pubout 2>/dev/null)" ]]
}

mkdir -p "$dir"
chmod 0700 "$dir"
if pair_is_usable; then
  chmod 0600 "$key"
  exit 0
fi

log "creating self-signed certificate $cert"
tmp=$(mktemp -d "$dir/.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(
  umask 077
  openssl req -x509 -new -nodes \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -pkeyopt ec_param_enc:named_curve \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
    -days 825 -sha256 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -addext "keyUsage=critical,digitalSignature,keyCertSign" \
    -addext "extendedKeyUsage=serverAuth" 2>"$tmp/openssl.err" ||
    {
      cat "$tmp/openssl.err" >&2
      exit 1
    }
) || die "openssl failed to create the certificate"
chmod 0600 "$tmp/key.pem"
chmod 0644 "$tmp/cert.pem"
# Key first: a cert.pem is never left next to a key that does not match it
# for longer than the two renames.
mv -f "$tmp/key.pem" "$key"
mv -f "$tmp/cert.pem" "$cert"
