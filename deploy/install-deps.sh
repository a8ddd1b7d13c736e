#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs the Debian 12 packages Restitution needs to build, test and run.
# A fast no-op when everything is present. Never starts the system MariaDB or
# nginx: the project runs its own private instances.
#
#   deploy/install-deps.sh            # build and run (the portal needs Node.js and npm)
#   deploy/install-deps.sh --browser  # also Chromium, for the portal's browser tests
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"
set_log_tag install-deps

PACKAGES=(
  libpistache-dev
  libmysqlcppconn-dev
  mariadb-server
  mariadb-client
  nlohmann-json3-dev
  libssl-dev
  libgtest-dev
  cmake
  g++
  pkg-config
  curl
  openssl
  clang-format
  clang-14
  libclang-rt-14-dev
  ca-certificates
  iproute2
  jq
)
WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --browser) WITH_BROWSER=1 ;;
    *) die "unknown argument: $arg (expected --browser)" ;;
  esac
done
((WITH_BROWSER)) && PACKAGES+=(chromium fonts-noto-cjk)
# Any of these provides /usr/sbin/nginx (on Debian 12 the "nginx" package
# itself ships the binary; nginx-light only adds a module on top).
NGINX_PACKAGES=(nginx nginx-light nginx-core nginx-full nginx-extras)

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
have_nginx=0
for pkg in "${NGINX_PACKAGES[@]}"; do
  if is_installed "$pkg"; then
    have_nginx=1
    break
  fi
done
((have_nginx)) || missing+=(nginx)
# Node.js may come from elsewhere than Debian (a newer release); any node and npm on the
# PATH will do to build the portal.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} == 0)); then
  exit 0
fi

require_root "installing packages (${missing[*]})"
log "installing: ${missing[*]}"

# Keep package maintainer scripts from starting daemons (invoke-rc.d honours
# policy-rc.d; exit 101 = "action forbidden"). Any existing policy is put back
# afterwards.
POLICY=/usr/sbin/policy-rc.d
POLICY_BACKUP="$POLICY.restitution-backup"
if [[ -e "$POLICY_BACKUP" ]]; then
  # Left by an interrupted earlier run: it holds the original policy.
  mv -f "$POLICY_BACKUP" "$POLICY"
fi
had_policy=0
if [[ -e "$POLICY" ]]; then
  had_policy=1
  cp -p "$POLICY" "$POLICY_BACKUP"
fi

restore_policy() {
  if ((had_policy)); then
    mv -f "$POLICY_BACKUP" "$POLICY"
  else
    rm -f "$POLICY"
  fi
}
trap restore_policy EXIT
trap "exit 130" INT
trap "exit 143" TERM

printf '#!/bin/sh\n# Installed by restitution deploy/install-deps.sh for the duration of apt-get.\nexit 101\n' >"$POLICY.tmp"
chmod 0755 "$POLICY.tmp"
mv -f "$POLICY.tmp" "$POLICY"

# Daemons running before the install are not ours to touch. (procps may be
# missing on a fresh machine, so this reads /proc directly.)
daemon_pids() {
  local dir
  for dir in /proc/[0-9]*; do
    case "$(cat "$dir/comm" 2>/dev/null || true)" in
      mysqld_safe | mariadbd-safe | mariadbd | mysqld | nginx) printf '%s\n' "${dir#/proc/}" ;;
    esac
  done | sort -u
}
before=$(daemon_pids)

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"

# Should a maintainer script have started a system MariaDB or nginx anyway
# (policy-rc.d ignored), stop exactly those new processes: we never use them,
# and a system nginx would hold ports 80/443. Wrappers go first so that they
# do not restart the server; workers go with their master.
new_pids=$(comm -13 <(printf '%s\n' "$before") <(daemon_pids))
for wanted in wrappers servers; do
  for pid in $new_pids; do
    name=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    case "$wanted:$name" in
      wrappers:mysqld_safe | wrappers:mariadbd-safe) ;;
      servers:mariadbd | servers:mysqld | servers:nginx)
        ppid=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f2) || continue
        if [[ "$(cat "/proc/$ppid/comm" 2>/dev/null || true)" == "$name" ]]; then
          continue
        fi
        ;;
      *) continue ;;
    esac
    warn "package installation started $name (pid $pid); stopping it"
    stop_pid "$pid" "system $name" TERM 60
  done
done

log "dependencies installed"
