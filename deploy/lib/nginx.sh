# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# The project's own nginx (TLS front end), never the system one.
#
#   nginx_render TEMPLATE OUT VAR PORT BACKEND_PORT TLS_CERT TLS_KEY PORTAL_DIR
#   nginx_start PREFIX CONF     # daemonizes; pid file PREFIX/nginx.pid
#   nginx_stop PREFIX CONF
#
# The template must put the pid file at @VAR@/nginx/nginx.pid, i.e. PREFIX is
# VAR/nginx.

if [[ -n "${RESTITUTION_LIB_NGINX_LOADED:-}" ]]; then
  return 0
fi
RESTITUTION_LIB_NGINX_LOADED=1

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Paths end up inside double-quoted nginx strings; refuse characters that
# would break out of them or be read as nginx variables.
_nginx_check_path() {
  local what=$1 value=$2
  case "$value" in
    *'"'* | *'$'* | *\\* | *$'\n'*)
      die "$what contains a character nginx cannot take in a path (\" \$ \\ or newline): $value"
      ;;
  esac
}

nginx_render() {
  local template=$1 out=$2 var=$3 port=$4 backend_port=$5 cert=$6 key=$7 portal=$8
  _nginx_check_path "RESTITUTION_VAR" "$var"
  _nginx_check_path "TLS certificate path" "$cert"
  _nginx_check_path "TLS key path" "$key"
  _nginx_check_path "portal directory" "$portal"
  [[ -f "$portal/index.html" ]] || die "the portal is not built: no $portal/index.html"
  [[ "$port" =~ ^[0-9]+$ ]] || die "invalid port: $port"
  [[ "$backend_port" =~ ^[0-9]+$ ]] || die "invalid backend port: $backend_port"
  # nginx creates only the last component of its temp paths.
  mkdir -p "$(dirname "$out")" "$var/nginx/tmp"
  sed -e "s|@VAR@|$(sed_replacement_escape "$var")|g" \
    -e "s|@PORT@|$port|g" \
    -e "s|@BACKEND_PORT@|$backend_port|g" \
    -e "s|@TLS_CERT@|$(sed_replacement_escape "$cert")|g" \
    -e "s|@TLS_KEY@|$(sed_replacement_escape "$key")|g" \
    -e "s|@PORTAL@|$(sed_replacement_escape "$portal")|g" \
    "$template" >"$out.tmp"
  if grep -nE '@[A-Z_]+@' "$out.tmp" >&2; then
    rm -f "$out.tmp"
    die "unreplaced placeholders in $template (see above)"
  fi
  mv -f "$out.tmp" "$out"
}

# Pids of nginx master processes started with this config file.
nginx_master_pids() {
  pids_with_cmdline "-c $1 " nginx
}

# Child processes (workers, cache helpers) of a pid.
_child_pids() {
  local parent=$1 dir ppid
  for dir in /proc/[0-9]*; do
    ppid=$(sed -e 's/^.*) //' "$dir/stat" 2>/dev/null | cut -d' ' -f2) || continue
    [[ "$ppid" == "$parent" ]] && printf '%s\n' "${dir#/proc/}"
  done
  return 0
}

nginx_stop() {
  local prefix=$1 conf=$2 pid child children
  for pid in $( (
    read_pid_file "$prefix/nginx.pid"
    echo
    nginx_master_pids "$conf"
  ) | sort -u); do
    proc_alive "$pid" || continue
    [[ "$(proc_cmdline "$pid")" == *"-c $conf "* ]] || continue
    children=$(_child_pids "$pid")
    # QUIT: graceful (finish in-flight requests), then escalate.
    stop_pid "$pid" "nginx" QUIT 15
    for child in $children; do
      if proc_alive "$child"; then
        stop_pid "$child" "nginx worker" TERM 5
      fi
    done
  done
  rm -f "$prefix/nginx.pid"
}

nginx_start() {
  local prefix=$1 conf=$2 pid out
  mkdir -p "$prefix/tmp"
  if ! out=$(nginx -t -q -p "$prefix" -c "$conf" 2>&1); then
    printf '%s\n' "$out" >&2
    die "nginx rejected $conf"
  fi
  # An nginx left behind by an earlier run that was killed.
  for pid in $(nginx_master_pids "$conf"); do
    warn "nginx (pid $pid) from an earlier run is still using $conf; stopping it"
    nginx_stop "$prefix" "$conf"
  done
  rm -f "$prefix/nginx.pid"
  log "starting nginx (config $conf)"
  if ! out=$(nginx -p "$prefix" -c "$conf" 2>&1 </dev/null 9>&-); then
    printf '%s\n' "$out" >&2
    die "nginx failed to start (error log: $prefix/error.log)"
  fi
  if ! wait_for 10 "nginx pid file" test -s "$prefix/nginx.pid"; then
    die "nginx did not write $prefix/nginx.pid"
  fi
  pid=$(read_pid_file "$prefix/nginx.pid")
  proc_alive "$pid" || die "nginx exited right after starting (error log: $prefix/error.log)"
  log "nginx is up (pid $pid)"
}
