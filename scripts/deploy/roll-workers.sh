#!/usr/bin/env bash
# Rolling restart of the BullMQ workers (docs/DEPLOYING.md).
#
#   roll-workers.sh [roll] [BUILD]   start the new workers from BUILD, wait until each one runs, then
#                                    SIGTERM the old ones (they stop taking jobs and finish their active
#                                    ones) and wait for them to exit
#   roll-workers.sh stop             SIGTERM every worker of this run dir and wait for them
#   roll-workers.sh status           the workers of this run dir
#
# BUILD as for blue-green.sh: a directory (host mode, default this checkout) or an image tag (docker).
# DEPLOY_WORKERS: groups "<queues>:<processes>" separated by spaces, e.g. "orders,stock:1 payments:2
# stats,notifications:1" (default "all:1"); each process runs with WORKER_QUEUES=<queues>.
# DEPLOY_WORKER_START_TIMEOUT (60 s): for a new worker to be running. DEPLOY_WORKER_STOP_TIMEOUT (40 s;
# keep it above WORKER_SHUTDOWN_TIMEOUT_MS + 5 s): for an old one to exit after SIGTERM before SIGKILL
# (its jobs then go back to the queue through BullMQ's stall check). When a new worker does not start,
# the new ones are stopped and the old ones keep running (exit 1).
# DEPLOY_WORKER_METRICS_PORTS: each process serves Prometheus metrics on its own port, since old and new
# ones run side by side during a roll: a range FROM-TO (default 9464-9479; each new worker takes the
# first free one, and <run dir>/workers/metrics-targets.json lists them for Prometheus' file_sd), 0 (any
# free port) or off. Other settings: lib.sh.
set -euo pipefail
# shellcheck source=scripts/deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WORKER_GROUPS=${DEPLOY_WORKERS:-all:1}
WORKER_START_TIMEOUT=${DEPLOY_WORKER_START_TIMEOUT:-60}
WORKER_STOP_TIMEOUT=${DEPLOY_WORKER_STOP_TIMEOUT:-40}
CONTAINER_READY_FILE=/tmp/voltmall-worker.ready
METRICS_PORTS=${DEPLOY_WORKER_METRICS_PORTS:-9464-9479}

usage() {
  sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Worker ids of this run dir (host: pid files; docker: containers), one per line.
current_workers() {
  local file
  if [[ $DEPLOY_MODE == docker ]]; then
    docker ps -a --filter label=voltmall.role=worker --format '{{.Names}}'
  else
    for file in "$RUN_DIR"/workers/*.pid; do
      [[ -e $file ]] || continue
      basename "$file" .pid
    done
  fi
}

worker_pid() { cat "$RUN_DIR/workers/$1.pid" 2>/dev/null || true; }

worker_alive() {
  if [[ $DEPLOY_MODE == docker ]]; then
    container_running "$1"
  else
    pid_runs "$(worker_pid "$1")" workers/main
  fi
}

worker_ready() {
  if [[ $DEPLOY_MODE == docker ]]; then
    docker exec "$1" test -f "$CONTAINER_READY_FILE" 2>/dev/null
  else
    [[ -s $RUN_DIR/workers/$1.ready ]]
  fi
}

# Sets NEXT_METRICS_PORT, the WORKER_METRICS_PORT of the next new worker: the first port of the range
# that nothing listens on and that no worker of this roll took yet (TAKEN_PORTS).
TAKEN_PORTS=()
next_metrics_port() {
  local from to port used taken
  case $METRICS_PORTS in
    off | 0)
      NEXT_METRICS_PORT=$METRICS_PORTS
      return 0
      ;;
  esac
  from=${METRICS_PORTS%-*}
  to=${METRICS_PORTS#*-}
  for ((port = from; port <= to; port++)); do
    taken=false
    for used in "${TAKEN_PORTS[@]}"; do [[ $used == "$port" ]] && taken=true; done
    if ! $taken && ! port_open 127.0.0.1 "$port"; then
      NEXT_METRICS_PORT=$port
      return 0
    fi
  done
  return 1
}

# Prometheus file_sd: the metrics endpoints of the running workers.
write_metrics_targets() {
  local id port targets=()
  [[ $METRICS_PORTS =~ ^[0-9]+-[0-9]+$ ]] || return 0
  while IFS= read -r id; do
    [[ -n $id ]] || continue
    port=$(cat "$RUN_DIR/workers/$id.metrics-port" 2>/dev/null || true)
    [[ -n $port ]] && targets+=("\"127.0.0.1:$port\"")
  done < <(current_workers)
  local IFS=,
  state_set workers/metrics-targets.json "[{\"targets\":[${targets[*]}],\"labels\":{\"job\":\"voltmall-workers\"}}]"
}

forget_worker() {
  if [[ $DEPLOY_MODE == docker ]]; then remove_container "$1"; fi
  rm -f "$RUN_DIR/workers/$1".{pid,ready,queues,metrics-port}
}

start_worker() {
  local id=$1 queues=$2 build=$3 metrics_port=$4 pid
  TAKEN_PORTS+=("$metrics_port")
  if [[ $DEPLOY_MODE == docker ]]; then
    docker_common_args
    docker run -d --name "$id" "${DOCKER_ARGS[@]}" --restart unless-stopped --no-healthcheck \
      --stop-timeout "$WORKER_STOP_TIMEOUT" -e "WORKER_QUEUES=$queues" -e "WORKER_METRICS_PORT=$metrics_port" \
      -e "WORKER_READY_FILE=$CONTAINER_READY_FILE" --label voltmall.role=worker \
      --label "voltmall.queues=$queues" "$(image_ref "$DEPLOY_IMAGE" "$build")" \
      node dist/workers/main.js >/dev/null
  else
    rm -f "$RUN_DIR/workers/$id.ready"
    pid=$(spawn_detached "$build" "$RUN_DIR/logs/worker-$id.log" "WORKER_QUEUES=$queues" \
      "WORKER_METRICS_PORT=$metrics_port" "WORKER_READY_FILE=$RUN_DIR/workers/$id.ready")
    printf '%s\n' "$pid" >"$RUN_DIR/workers/$id.pid"
    printf '%s\n' "$queues" >"$RUN_DIR/workers/$id.queues"
  fi
  printf '%s\n' "$metrics_port" >"$RUN_DIR/workers/$id.metrics-port"
  log "started worker $id (WORKER_QUEUES=$queues, metrics port $metrics_port)"
}

# SIGTERM every worker named in $@ at once, then wait for all of them (bounded), SIGKILL the rest.
stop_workers() {
  local id pid deadline left
  (($# > 0)) || return 0
  if [[ $DEPLOY_MODE == docker ]]; then
    log "stopping workers $*: SIGTERM, they finish their active jobs"
    docker stop --time "$WORKER_STOP_TIMEOUT" "$@" >/dev/null || true
    for id in "$@"; do forget_worker "$id"; done
    return 0
  fi
  log "stopping workers $*: SIGTERM, they finish their active jobs"
  for id in "$@"; do
    pid=$(worker_pid "$id")
    if pid_runs "$pid" workers/main; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  deadline=$((SECONDS + WORKER_STOP_TIMEOUT))
  for (( ; ; )); do
    left=()
    for id in "$@"; do
      pid=$(worker_pid "$id")
      if pid_runs "$pid" workers/main; then left+=("$id"); fi
    done
    ((${#left[@]} > 0)) || break
    if ((SECONDS >= deadline)); then
      for id in "${left[@]}"; do
        warn "worker $id still running ${WORKER_STOP_TIMEOUT}s after SIGTERM: SIGKILL"
        stop_pid "$(worker_pid "$id")" 0 "worker $id" || true
      done
      break
    fi
    sleep 0.2
  done
  for id in "$@"; do forget_worker "$id"; done
}

cmd_roll() {
  local build=${1:-} old=() new=() group queues count generation id i n deadline waiting
  if [[ $DEPLOY_MODE == docker ]]; then
    [[ -n ${DEPLOY_IMAGE:-} ]] || die "DEPLOY_MODE=docker needs DEPLOY_IMAGE"
    build=${build:-latest}
    docker pull -q "$(image_ref "$DEPLOY_IMAGE" "$build")" >/dev/null
  else
    build=${build:-$DEPLOY_ROOT}
    [[ -d $build ]] || die "build directory not found: $build"
    build=$(cd "$build" && pwd)
    app_command "$build" workers/main
  fi
  for group in $WORKER_GROUPS; do
    [[ $group =~ ^[a-z,]+:[1-9][0-9]*$ ]] || die "DEPLOY_WORKERS: '$group' is not <queues>:<processes>"
  done
  [[ $METRICS_PORTS =~ ^([0-9]+-[0-9]+|0|off)$ ]] ||
    die "DEPLOY_WORKER_METRICS_PORTS must be FROM-TO, 0 or off, got '$METRICS_PORTS'"
  while IFS= read -r id; do
    [[ -n $id ]] || continue
    if worker_alive "$id"; then old+=("$id"); else forget_worker "$id"; fi
  done < <(current_workers)

  generation="$CONTAINER_PREFIX-worker-$(date -u +%Y%m%dT%H%M%S)-$$"
  n=0
  for group in $WORKER_GROUPS; do
    queues=${group%:*}
    count=${group##*:}
    for ((i = 0; i < count; i++)); do
      n=$((n + 1))
      id="$generation-$n"
      if ! next_metrics_port; then
        stop_workers "${new[@]}"
        die "no free port in DEPLOY_WORKER_METRICS_PORTS=$METRICS_PORTS: widen it; the old workers keep running"
      fi
      start_worker "$id" "$queues" "$build" "$NEXT_METRICS_PORT"
      new+=("$id")
    done
  done

  deadline=$((SECONDS + WORKER_START_TIMEOUT))
  for (( ; ; )); do
    waiting=0
    for id in "${new[@]}"; do
      worker_ready "$id" && continue
      waiting=1
      if ! worker_alive "$id"; then
        warn "worker $id exited during start-up"
        if [[ $DEPLOY_MODE == host ]]; then tail -n 5 "$RUN_DIR/logs/worker-$id.log" | cut -c1-400 >&2 || true; fi
        stop_workers "${new[@]}"
        die "the new workers did not start: the old ones (${old[*]:-none}) keep running"
      fi
    done
    ((waiting)) || break
    if ((SECONDS >= deadline)); then
      stop_workers "${new[@]}"
      die "the new workers were not running within ${WORKER_START_TIMEOUT}s: the old ones keep running"
    fi
    sleep 0.2
  done
  log "new workers running: ${new[*]}"
  stop_workers "${old[@]}"
  write_metrics_targets
  state_set workers-build "$build"
  log "done: ${#new[@]} worker process(es) from $build"
}

cmd_stop() {
  local ids=()
  mapfile -t ids < <(current_workers)
  stop_workers "${ids[@]}"
  write_metrics_targets
}

cmd_status() {
  local id state
  echo "build: $(state_get workers-build)"
  while IFS= read -r id; do
    [[ -n $id ]] || continue
    if worker_alive "$id"; then state=running; else state=stopped; fi
    if worker_ready "$id"; then state="$state, ready"; fi
    echo "$id: $state, metrics port $(cat "$RUN_DIR/workers/$id.metrics-port" 2>/dev/null || echo '?')"
  done < <(current_workers)
}

main() {
  local command=${1:-roll}
  case $command in
    -h | --help | help) usage ;;
    roll | stop | status) shift || true ;;
    *) command=roll ;;
  esac
  for name in WORKER_START_TIMEOUT WORKER_STOP_TIMEOUT; do
    is_uint "${!name}" || die "$name must be a whole number, got '${!name}'"
  done
  deploy_init
  case $command in
    roll)
      take_lock
      cmd_roll "$@"
      ;;
    stop)
      take_lock
      cmd_stop
      ;;
    status) cmd_status ;;
  esac
}

main "$@"
