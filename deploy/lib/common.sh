# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# Shared helpers for the Restitution deploy and test scripts.
# Source this file; it defines functions, adds sbin to PATH if missing and
# changes no shell options.

# Guard against double sourcing.
if [[ -n "${RESTITUTION_LIB_COMMON_LOADED:-}" ]]; then
  return 0
fi
RESTITUTION_LIB_COMMON_LOADED=1

# Daemons live in sbin; cron, ctest or sudo may hand us a PATH without it.
case ":$PATH:" in
  *:/usr/sbin:*) ;;
  *) PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" ;;
esac

# Prefix of every message (the name of the running script).
set_log_tag() { RESTITUTION_LOG_TAG=$1; }

# Messages go to stderr so that stdout stays for things the user must see
# (for example the generated admin password).
log() { printf '[%s] %s\n' "${RESTITUTION_LOG_TAG:-restitution}" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "${RESTITUTION_LOG_TAG:-restitution}" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "${RESTITUTION_LOG_TAG:-restitution}" "$*" >&2
  exit 1
}

require_root() {
  if [[ "$(id -u)" -ne 0 ]]; then
    die "$1 must run as root"
  fi
}

# Absolute form of a path (the path need not exist yet; no symlink resolution).
abs_path() {
  local p=$1
  if [[ "$p" != /* ]]; then
    p="$PWD/$p"
  fi
  # Collapse "/./" and trailing "/." so the path can be matched in process
  # command lines later.
  while [[ "$p" == *"/./"* ]]; do p=${p//\/.\//\/}; done
  p=${p%/.}
  while [[ "$p" == *"//"* ]]; do p=${p//\/\//\/}; done
  if [[ "$p" != / ]]; then p=${p%/}; fi
  printf '%s\n' "$p"
}

# A random secret of hex characters (safe inside SQL quotes and shell words).
random_secret() {
  openssl rand -hex "${1:-24}"
}

cpu_count() {
  nproc 2>/dev/null || echo 2
}

# True if the process exists and is not a zombie.
proc_alive() {
  local pid=$1 state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/stat" ]] || return 1
  # Field 3 of /proc/PID/stat is the state; the command name (field 2) may
  # contain spaces, so cut after the closing parenthesis.
  state=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# The NUL-separated command line of a process, with spaces instead of NULs.
proc_cmdline() {
  { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null || true
}

# Pids (one per line) of live processes whose command line contains $1.
# Optional $2 restricts to processes whose /proc/PID/comm equals it.
pids_with_cmdline() {
  local needle=$1 comm=${2:-} dir pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [[ "$pid" == "$$" || "$pid" == "${BASHPID:-$$}" ]] && continue
    if [[ -n "$comm" ]]; then
      [[ "$(cat "$dir/comm" 2>/dev/null || true)" == "$comm" ]] || continue
    fi
    if [[ "$(proc_cmdline "$pid")" == *"$needle"* ]] && proc_alive "$pid"; then
      printf '%s\n' "$pid"
    fi
  done
}

# Read a pid from a pid file; prints nothing if absent or malformed.
read_pid_file() {
  local f=$1 pid=""
  if [[ -r "$f" ]]; then
    pid=$(head -n1 "$f" 2>/dev/null | tr -cd '0-9') || true
  fi
  printf '%s' "$pid"
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.25 s until it
# succeeds or SECONDS have passed. Returns 1 on timeout.
wait_for() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      warn "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

# wait_gone PID SECONDS: waits until PID is gone. Returns 1 on timeout.
wait_gone() {
  local pid=$1 timeout=$2
  local deadline=$((SECONDS + timeout))
  while proc_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.2
  done
  return 0
}

# stop_pid PID NAME SIGNAL SECONDS: sends SIGNAL, waits up to SECONDS, then
# escalates to SIGTERM (if SIGNAL was not TERM) and finally SIGKILL.
stop_pid() {
  local pid=$1 name=$2 sig=${3:-TERM} timeout=${4:-30}
  proc_alive "$pid" || return 0
  log "stopping $name (pid $pid, SIG$sig)"
  kill -s "$sig" "$pid" 2>/dev/null || true
  if wait_gone "$pid" "$timeout"; then
    return 0
  fi
  if [[ "$sig" != TERM ]]; then
    warn "$name (pid $pid) did not stop within ${timeout}s; sending SIGTERM"
    kill -s TERM "$pid" 2>/dev/null || true
    if wait_gone "$pid" 10; then
      return 0
    fi
  fi
  warn "$name (pid $pid) did not stop; sending SIGKILL"
  kill -s KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || warn "$name (pid $pid) is still alive after SIGKILL"
}

# True if nothing accepts TCP connections on 127.0.0.1:PORT.
port_is_free() {
  local port=$1
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  return 0
}

# A random TCP port that nothing listens on, avoiding any ports given as
# arguments. It is drawn below the kernel's ephemeral range (normally
# 32768..60999): a port in that range can be taken at any moment as the local
# end of some outgoing connection, and then a server cannot bind it.
random_free_port() {
  local port tries=0 taken low=10000 high=32767 ephemeral_low
  if read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null &&
    ((ephemeral_low > low + 1000)); then
    high=$((ephemeral_low - 1))
  fi
  while ((tries < 200)); do
    tries=$((tries + 1))
    port=$((low + (RANDOM * 32768 + RANDOM) % (high - low + 1)))
    for taken in "$@"; do
      [[ "$port" == "$taken" ]] && continue 2
    done
    if port_is_free "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  return 1
}

# Escape a string for use as the replacement part of a sed s||| command.
sed_replacement_escape() {
  printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'
}
