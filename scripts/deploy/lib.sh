# shellcheck shell=bash
# Shared by blue-green.sh, rollback.sh and roll-workers.sh: settings, logging, the lock, processes and
# containers, and the nginx gateway. Sourced, never run. Every wait here is bounded.
#
# Settings (environment; defaults in brackets), see docs/DEPLOYING.md:
#   DEPLOY_MODE            host | docker [host]
#   DEPLOY_RUN_DIR         state, pid files and logs [<repo>/.tmp/deploy]
#   DEPLOY_ENV_FILE        the processes' configuration, KEY=value lines [<repo>/.env]
#   DEPLOY_GATEWAY_ENV_FILE  the gateway's, when it is started here [DEPLOY_ENV_FILE]; it needs only
#                          GATEWAY_SECRET, JWT_PUBLIC_KEYS (or JWT_PRIVATE_KEY), GATEWAY_HOST/PORT
#   DEPLOY_BFF_HOST        address the BFF colours listen on [127.0.0.1]
#   DEPLOY_BLUE_PORT       [3001]    DEPLOY_GREEN_PORT [3002]
#   DEPLOY_UPSTREAM_FILE   the nginx include defining `upstream bff` [<run dir>/gateway/upstream.conf]
#   DEPLOY_GATEWAY_PREFIX  nginx prefix of the running gateway [host: <repo>/nginx/.run;
#                          docker: /app/dist/nginx/.run inside the gateway container]
#   DEPLOY_START_GATEWAY   start the gateway when it is not running [true]
#   DEPLOY_READY_TIMEOUT   seconds for a new colour to answer /readyz [60]
#   DEPLOY_DRAIN_TIMEOUT   seconds for nginx's old workers to finish their requests [30]
#   DEPLOY_STOP_TIMEOUT    seconds for a SIGTERMed BFF to exit before SIGKILL [40]
#   DEPLOY_MIGRATE         run migrations with the new build before starting it [true]
#   DEPLOY_RUNTIME         host mode: tsx | dist | auto (tsx when the build has it installed) [auto]
#   DEPLOY_IMAGE           docker mode: app image without tag, e.g. docker.io/acme/voltmall-app
#   DEPLOY_GATEWAY_IMAGE   docker mode: gateway image without tag
#   DEPLOY_GATEWAY_CONTAINER  docker mode [voltmall-gateway]
#   NGINX_BIN              host mode [/usr/sbin/nginx, else nginx on PATH]
#
# SC2034: the settings are read by the scripts that source this file. SC2016: the snippets given to gw_sh
# are meant to be expanded by the sh that runs them (here or inside the gateway container), not here.
# shellcheck disable=SC2034,SC2016

DEPLOY_SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEPLOY_ROOT=$(cd "$DEPLOY_SCRIPT_DIR/../.." && pwd)

DEPLOY_MODE=${DEPLOY_MODE:-host}
RUN_DIR=${DEPLOY_RUN_DIR:-$DEPLOY_ROOT/.tmp/deploy}
ENV_FILE=${DEPLOY_ENV_FILE:-$DEPLOY_ROOT/.env}
BFF_LISTEN_HOST=${DEPLOY_BFF_HOST:-127.0.0.1}
BLUE_PORT=${DEPLOY_BLUE_PORT:-3001}
GREEN_PORT=${DEPLOY_GREEN_PORT:-3002}
START_GATEWAY=${DEPLOY_START_GATEWAY:-true}
READY_TIMEOUT=${DEPLOY_READY_TIMEOUT:-60}
DRAIN_TIMEOUT=${DEPLOY_DRAIN_TIMEOUT:-30}
STOP_TIMEOUT=${DEPLOY_STOP_TIMEOUT:-40}
MIGRATE=${DEPLOY_MIGRATE:-true}
RUNTIME=${DEPLOY_RUNTIME:-auto}
GATEWAY_CONTAINER=${DEPLOY_GATEWAY_CONTAINER:-voltmall-gateway}
CONTAINER_PREFIX=voltmall
NODE=${NODE_BIN:-node}

log() { printf '[deploy %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
warn() { printf '[deploy %s] WARNING: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[deploy %s] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
  exit 1
}

is_true() { [[ ${1,,} == true || $1 == 1 || ${1,,} == yes ]]; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# Validates the settings and prepares the run dir; every script calls it first.
deploy_init() {
  [[ $DEPLOY_MODE == host || $DEPLOY_MODE == docker ]] || die "DEPLOY_MODE must be host or docker, got '$DEPLOY_MODE'"
  local name
  for name in BLUE_PORT GREEN_PORT READY_TIMEOUT DRAIN_TIMEOUT STOP_TIMEOUT; do
    is_uint "${!name}" || die "$name must be a whole number, got '${!name}'"
  done
  [[ $BLUE_PORT != "$GREEN_PORT" ]] || die "DEPLOY_BLUE_PORT and DEPLOY_GREEN_PORT must differ"
  [[ -f $ENV_FILE ]] || die "DEPLOY_ENV_FILE not found: $ENV_FILE (KEY=value lines, see docs/DEPLOYING.md)"
  ENV_FILE=$(cd "$(dirname "$ENV_FILE")" && pwd)/$(basename "$ENV_FILE")
  GATEWAY_ENV_FILE=${DEPLOY_GATEWAY_ENV_FILE:-$ENV_FILE}
  [[ -f $GATEWAY_ENV_FILE ]] || die "DEPLOY_GATEWAY_ENV_FILE not found: $GATEWAY_ENV_FILE"
  GATEWAY_ENV_FILE=$(cd "$(dirname "$GATEWAY_ENV_FILE")" && pwd)/$(basename "$GATEWAY_ENV_FILE")
  command -v curl >/dev/null || die "curl is needed (readiness checks)"
  command -v flock >/dev/null || die "flock is needed (util-linux)"
  if [[ $DEPLOY_MODE == docker ]]; then
    command -v docker >/dev/null || die "DEPLOY_MODE=docker needs the docker CLI"
  else
    command -v "$NODE" >/dev/null || die "node not found (set NODE_BIN)"
    command -v setsid >/dev/null || die "setsid is needed (util-linux)"
  fi
  mkdir -p "$RUN_DIR"
  RUN_DIR=$(cd "$RUN_DIR" && pwd)
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/workers"
  UPSTREAM_FILE=${DEPLOY_UPSTREAM_FILE:-$RUN_DIR/gateway/upstream.conf}
  mkdir -p "$(dirname "$UPSTREAM_FILE")"
  UPSTREAM_FILE=$(cd "$(dirname "$UPSTREAM_FILE")" && pwd)/$(basename "$UPSTREAM_FILE")
  # nginx workers (nobody, or the image's user) read the include: the directory must be traversable.
  chmod 0755 "$(dirname "$UPSTREAM_FILE")"
  if [[ $DEPLOY_MODE == docker ]]; then
    GATEWAY_PREFIX=${DEPLOY_GATEWAY_PREFIX:-/app/dist/nginx/.run}
    NGINX=nginx
  else
    GATEWAY_PREFIX=${DEPLOY_GATEWAY_PREFIX:-$DEPLOY_ROOT/nginx/.run}
    NGINX=${NGINX_BIN:-$(if [[ -x /usr/sbin/nginx ]]; then echo /usr/sbin/nginx; else echo nginx; fi)}
  fi
}

# One deploy or worker roll at a time per run dir (fd 9 stays open until the script exits).
take_lock() {
  exec 9>"$RUN_DIR/lock"
  flock -n 9 || die "another deploy holds $RUN_DIR/lock"
}

# --- small state files (written atomically) --------------------------------------------------------
state_get() { if [[ -f $RUN_DIR/$1 ]]; then cat "$RUN_DIR/$1"; fi; }
state_set() {
  printf '%s\n' "$2" >"$RUN_DIR/$1.tmp.$$"
  mv -f "$RUN_DIR/$1.tmp.$$" "$RUN_DIR/$1"
}

# --- processes (host mode) -------------------------------------------------------------------------
# Alive and not a zombie (a child started and stopped by this script stays a zombie until it exits).
pid_alive() {
  local state
  [[ -n ${1:-} ]] || return 1
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $state && $state != Z* ]]
}

# True when pid $1 is alive and its command line contains $2 (guards against a reused pid).
pid_runs() {
  local args
  pid_alive "$1" || return 1
  args=$(ps -o args= -p "$1" 2>/dev/null) || return 1
  [[ $args == *"$2"* ]]
}

# SIGTERM, wait up to $2 seconds, then SIGKILL. Returns 1 when SIGKILL was needed.
stop_pid() {
  local pid=$1 timeout=$2 what=$3 deadline
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      warn "$what (pid $pid) still running ${timeout}s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 5))
      while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
      return 1
    fi
    sleep 0.1
  done
  return 0
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Sets CMD to the command that runs entry $2 (bff/main, workers/main, nginx/run, scripts/db/migrate) of
# the app in directory $1: TypeScript through tsx when the build has it, else the compiled dist/.
app_command() {
  local dir=$1 entry=$2 runtime=$RUNTIME
  if [[ $runtime == auto ]]; then
    if [[ -d $dir/node_modules/tsx && -f $dir/$entry.ts ]]; then runtime=tsx; else runtime=dist; fi
  fi
  case $runtime in
    tsx)
      [[ -f $dir/$entry.ts ]] || die "$dir/$entry.ts not found"
      CMD=("$NODE" --import tsx "$entry.ts")
      ;;
    dist)
      [[ -f $dir/dist/$entry.js ]] || die "$dir/dist/$entry.js not found (run npm run build there, or DEPLOY_RUNTIME=tsx)"
      CMD=("$NODE" "dist/$entry.js")
      ;;
    *) die "DEPLOY_RUNTIME must be tsx, dist or auto, got '$RUNTIME'" ;;
  esac
}

# Starts CMD (see app_command) in app dir $1 detached (own session: it outlives this script and a CI
# job's process group), stdout and stderr appended to $2; extra environment as NAME=value in $3...;
# prints the pid.
spawn_detached() {
  local dir=$1 logfile=$2
  shift 2
  (
    cd "$dir" || exit 1
    exec 9>&- # the deploy lock: a long-running child must not hold it
    export DOTENV_CONFIG_PATH="$ENV_FILE"
    for assignment in "$@"; do export "${assignment?}"; done
    exec setsid "${CMD[@]}" >>"$logfile" 2>&1 </dev/null
  ) &
  echo $!
}

# --- containers (docker mode) ----------------------------------------------------------------------
container_running() { [[ $(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null) == true ]]; }

remove_container() { docker rm -f "$1" >/dev/null 2>&1 || true; }

# `docker run` options shared by every container: init, configuration (env file $1, default the app's)
# and the host's network, so that the gateway, the colours and the workers reach each other, MySQL and
# Redis at the same addresses as in host mode (long-running containers add `--restart unless-stopped`;
# one-shot ones `--rm`).
docker_common_args() {
  DOCKER_ARGS=(--init --env-file "${1:-$ENV_FILE}" --network host)
}

# An image reference for build $2 of repository $1: a bare tag, or a full reference left as it is.
image_ref() {
  if [[ $2 == */* ]]; then echo "$2"; else echo "$1:$2"; fi
}

# --- the gateway (nginx) ---------------------------------------------------------------------------
# Runs a POSIX sh script where nginx runs: here, or inside the gateway container.
gw_sh() {
  local script=$1
  shift
  if [[ $DEPLOY_MODE == docker ]]; then
    docker exec "$GATEWAY_CONTAINER" sh -c "$script" sh "$@" </dev/null
  else
    sh -c "$script" sh "$@" </dev/null
  fi
}

# Pid of the running nginx master, or nothing.
gateway_master_pid() {
  if [[ $DEPLOY_MODE == docker ]]; then
    container_running "$GATEWAY_CONTAINER" || return 0
  fi
  gw_sh 'p=$(cat "$1" 2>/dev/null) && [ -n "$p" ] && [ -d "/proc/$p" ] && echo "$p"; :' \
    "$GATEWAY_PREFIX/logs/nginx.pid"
}

# Pids of the children (workers) of nginx master $1. /proc/<pid>/stat is "pid (comm) state ppid ...".
nginx_workers() {
  gw_sh 'for d in /proc/[0-9]*; do
      read -r pid comm state ppid rest 2>/dev/null <"$d/stat" || continue
      [ "$ppid" = "$1" ] && echo "$pid"
    done; :' "$1"
}

nginx_config_test() {
  gw_sh '"$1" -t -q -p "$2/" -c "$2/conf/nginx.conf" -e "$2/logs/error.log"' "$NGINX" "$GATEWAY_PREFIX"
}

error_log_size() { gw_sh 'wc -c <"$1" 2>/dev/null || echo 0' "$GATEWAY_PREFIX/logs/error.log"; }

error_log_since() { gw_sh 'tail -c "+$(($2 + 1))" "$1" 2>/dev/null; :' "$GATEWAY_PREFIX/logs/error.log" "$1"; }

# Reloads nginx (config test, SIGHUP to the master) and waits, bounded, until a new worker runs.
# Sets OLD_NGINX_WORKERS to the workers that were serving before, for drain_gateway.
reload_gateway() {
  local master=$1 offset before now pid deadline fresh
  nginx_config_test || {
    warn "nginx config test failed"
    return 1
  }
  offset=$(error_log_size | tr -d ' ')
  before=$(nginx_workers "$master")
  gw_sh 'kill -HUP "$1"' "$master"
  deadline=$((SECONDS + 15))
  for (( ; ; )); do
    now=$(nginx_workers "$master")
    fresh=0
    for pid in $now; do
      grep -qx "$pid" <<<"$before" || fresh=1
    done
    if ((fresh)); then
      # shellcheck disable=SC2034 # read by drain_gateway
      OLD_NGINX_WORKERS=$before
      return 0
    fi
    if error_log_since "$offset" | grep -qE '\[emerg\]|init_by_lua error'; then
      warn "nginx rejected the new config and keeps the old one:"
      error_log_since "$offset" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      warn "nginx started no new worker within 15 s of SIGHUP"
      return 1
    fi
    sleep 0.1
  done
}

# Waits, up to DRAIN_TIMEOUT, until the workers of the previous configuration have finished their
# requests and exited; they hold the only connections to the old colour.
drain_gateway() {
  local master=$1 deadline now pid left
  [[ -n ${OLD_NGINX_WORKERS:-} ]] || return 0
  deadline=$((SECONDS + DRAIN_TIMEOUT))
  for (( ; ; )); do
    now=$(nginx_workers "$master")
    left=0
    for pid in $OLD_NGINX_WORKERS; do
      grep -qx "$pid" <<<"$now" && left=1
    done
    ((left)) || return 0
    if ((SECONDS >= deadline)); then
      warn "nginx's old workers still busy after ${DRAIN_TIMEOUT}s (long requests such as SSE); going on"
      return 0
    fi
    sleep 0.2
  done
}

# Starts the gateway with GATEWAY_UPSTREAM_INCLUDE=UPSTREAM_FILE and waits, bounded, for nginx.
start_gateway() {
  local build=${1:-} pid deadline
  if [[ $DEPLOY_MODE == docker ]]; then
    [[ -n ${DEPLOY_GATEWAY_IMAGE:-} ]] || die "DEPLOY_GATEWAY_IMAGE is needed to start the gateway"
    [[ -n $build ]] || die "no image tag to start the gateway with"
    [[ $UPSTREAM_FILE == "$RUN_DIR"/gateway/* ]] || die "docker mode keeps the include in $RUN_DIR/gateway/"
    local image
    image=$(image_ref "$DEPLOY_GATEWAY_IMAGE" "$build")
    docker pull -q "$image" >/dev/null
    remove_container "$GATEWAY_CONTAINER"
    docker_common_args "$GATEWAY_ENV_FILE"
    # The directory is mounted, not the file: the switch replaces the file (rename), which a file
    # bind mount would not see.
    docker run -d --name "$GATEWAY_CONTAINER" "${DOCKER_ARGS[@]}" --restart unless-stopped --stop-timeout 30 \
      -e "GATEWAY_UPSTREAM_INCLUDE=/deploy/$(basename "$UPSTREAM_FILE")" \
      -v "$(dirname "$UPSTREAM_FILE"):/deploy:ro" \
      --label voltmall.role=gateway "$image" >/dev/null
  else
    app_command "$DEPLOY_ROOT" nginx/run
    pid=$(spawn_detached "$DEPLOY_ROOT" "$RUN_DIR/logs/gateway.log" "DOTENV_CONFIG_PATH=$GATEWAY_ENV_FILE" \
      "GATEWAY_UPSTREAM_INCLUDE=$UPSTREAM_FILE" "GATEWAY_PREFIX_DIR=$GATEWAY_PREFIX")
    state_set gateway.pid "$pid"
  fi
  deadline=$((SECONDS + 30))
  until [[ -n $(gateway_master_pid) ]]; do
    if [[ $DEPLOY_MODE == host ]] && ! pid_alive "$pid"; then
      tail -n 5 "$RUN_DIR/logs/gateway.log" | cut -c1-400 >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      warn "the gateway did not start within 30 s"
      return 1
    fi
    sleep 0.2
  done
  log "gateway running (nginx master $(gateway_master_pid)), upstream from $UPSTREAM_FILE"
}
