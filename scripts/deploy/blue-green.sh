#!/usr/bin/env bash
# Blue-green deploy of the BFF behind the nginx gateway (docs/DEPLOYING.md).
#
#   blue-green.sh [deploy] [BUILD]   start BUILD as the idle colour, switch the gateway to it once it is
#                                    ready, let the old colour drain, stop it
#   blue-green.sh rollback           switch back to the previous colour (started again from its build
#                                    when it is not running), the same way
#   blue-green.sh status             the active colour, builds, processes
#
# BUILD: host mode (DEPLOY_MODE=host, default) a directory containing the app (default: this checkout);
# docker mode (DEPLOY_MODE=docker) an image tag of DEPLOY_IMAGE (default: latest) or a full reference.
#
# The switch: the new colour's BFF starts on its own port (blue 3001, green 3002), must answer /readyz
# with 200 (and name its colour in X-Served-By) within DEPLOY_READY_TIMEOUT seconds, else it is stopped
# and nothing is switched (exit 1, the include file untouched). Then the nginx include file
# (`upstream bff`) is rewritten atomically to point at it and nginx reloads; once nginx's previous
# workers have finished their requests (they hold the only connections to the old colour), the old BFF
# gets SIGTERM and drains itself. Settings: see lib.sh (DEPLOY_* variables).
#
# Exit status: 0 switched (or nothing to do), 1 failed without switching, 2 usage.
set -euo pipefail
# shellcheck source=scripts/deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

other_colour() { if [[ $1 == blue ]]; then echo green; else echo blue; fi; }
colour_port() { if [[ $1 == blue ]]; then echo "$BLUE_PORT"; else echo "$GREEN_PORT"; fi; }
# Where nginx and the readiness check reach a BFF listening on BFF_LISTEN_HOST.
bff_address() {
  case $BFF_LISTEN_HOST in
    0.0.0.0) echo 127.0.0.1 ;;
    ::) echo '[::1]' ;;
    *:*) echo "[$BFF_LISTEN_HOST]" ;;
    *) echo "$BFF_LISTEN_HOST" ;;
  esac
}
bff_container() { echo "$CONTAINER_PREFIX-bff-$1"; }

bff_running() {
  if [[ $DEPLOY_MODE == docker ]]; then
    container_running "$(bff_container "$1")"
  else
    pid_runs "$(state_get "bff-$1.pid")" bff/main
  fi
}

# 200 from /readyz, answered by the process of this colour (not some other process on the port).
bff_ready() {
  local colour=$1 port=$2 headers
  headers=$(curl -sS -m 3 -o /dev/null -D - "http://$(bff_address):$port/readyz" 2>/dev/null) || return 1
  headers=${headers//$'\r'/}
  [[ $headers =~ ^HTTP/[0-9.]+\ 200 ]] && grep -qix "x-served-by: $colour" <<<"$headers"
}

run_migrations() {
  local build=$1
  log "migrating the database with build $build"
  if [[ $DEPLOY_MODE == docker ]]; then
    docker_common_args
    docker run --rm "${DOCKER_ARGS[@]}" "$(image_ref "$DEPLOY_IMAGE" "$build")" \
      node dist/scripts/db/migrate.js latest </dev/null || die "migrations failed: nothing switched"
  else
    app_command "$build" scripts/db/migrate
    (cd "$build" && DOTENV_CONFIG_PATH="$ENV_FILE" "${CMD[@]}" latest) </dev/null >>"$RUN_DIR/logs/migrate.log" 2>&1 ||
      die "migrations failed (see $RUN_DIR/logs/migrate.log): nothing switched"
  fi
}

start_bff() {
  local colour=$1 build=$2 port pid image name
  port=$(colour_port "$colour")
  if port_open "$(bff_address | tr -d '[]')" "$port"; then
    die "port $port (the $colour colour's) is taken by another process: nothing switched"
  fi
  log "starting the $colour BFF on port $port from $build"
  if [[ $DEPLOY_MODE == docker ]]; then
    image=$(image_ref "$DEPLOY_IMAGE" "$build")
    name=$(bff_container "$colour")
    docker pull -q "$image" >/dev/null
    remove_container "$name"
    docker_common_args
    docker run -d --name "$name" "${DOCKER_ARGS[@]}" --restart unless-stopped \
      --stop-timeout "$STOP_TIMEOUT" -e "BFF_HOST=$BFF_LISTEN_HOST" -e "BFF_PORT=$port" -e "BFF_COLOUR=$colour" \
      --label voltmall.role=bff --label "voltmall.colour=$colour" "$image" >/dev/null
  else
    app_command "$build" bff/main
    pid=$(spawn_detached "$build" "$RUN_DIR/logs/bff-$colour.log" \
      "BFF_HOST=$BFF_LISTEN_HOST" "BFF_PORT=$port" "BFF_COLOUR=$colour")
    state_set "bff-$colour.pid" "$pid"
  fi
}

stop_bff() {
  local colour=$1 pid name
  if [[ $DEPLOY_MODE == docker ]]; then
    name=$(bff_container "$colour")
    if docker inspect "$name" >/dev/null 2>&1; then
      log "stopping the $colour BFF (container $name)"
      docker stop --time "$STOP_TIMEOUT" "$name" >/dev/null || true
      remove_container "$name"
    fi
  else
    pid=$(state_get "bff-$colour.pid")
    if pid_runs "$pid" bff/main; then
      log "stopping the $colour BFF (pid $pid): SIGTERM, it finishes its requests"
      stop_pid "$pid" "$STOP_TIMEOUT" "the $colour BFF" || true
    fi
    rm -f "$RUN_DIR/bff-$colour.pid"
  fi
}

show_log_tail() {
  if [[ $DEPLOY_MODE == docker ]]; then
    docker logs --tail 5 "$(bff_container "$1")" 2>&1 | cut -c1-400 >&2 || true
  else
    tail -n 5 "$RUN_DIR/logs/bff-$1.log" 2>/dev/null | cut -c1-400 >&2 || true
  fi
}

wait_ready() {
  local colour=$1 port=$2 deadline=$((SECONDS + READY_TIMEOUT))
  until bff_ready "$colour" "$port"; do
    if ! bff_running "$colour"; then
      warn "the $colour BFF exited during start-up; its last lines:"
      show_log_tail "$colour"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      warn "the $colour BFF did not answer /readyz with 200 within ${READY_TIMEOUT}s; its last lines:"
      show_log_tail "$colour"
      return 1
    fi
    sleep 0.5
  done
  log "the $colour BFF is ready on port $port"
}

write_upstream() {
  local colour=$1 port=$2 tmp="$UPSTREAM_FILE.tmp.$$"
  cat >"$tmp" <<EOF
# Written by scripts/deploy/blue-green.sh; the active BFF colour is $colour. Do not edit by hand.
upstream bff {
    server $(bff_address):$port;
    keepalive 32;
    keepalive_timeout 4s;
}
EOF
  chmod 0644 "$tmp"
  mv -f "$tmp" "$UPSTREAM_FILE"
}

# Points the gateway at the colour; on failure puts the include file back as it was and returns 1.
# Sets SWITCHED_MASTER (the nginx master that reloaded, for the drain) when a running gateway switched.
switch_to() {
  local colour=$1 port=$2 build=$3 master had_include=false
  SWITCHED_MASTER=
  if [[ -f $UPSTREAM_FILE ]]; then
    cp -p "$UPSTREAM_FILE" "$UPSTREAM_FILE.previous"
    had_include=true
  fi
  write_upstream "$colour" "$port"
  master=$(gateway_master_pid)
  if [[ -n $master ]]; then
    log "switching the gateway (nginx master $master) to $colour"
    if reload_gateway "$master"; then
      SWITCHED_MASTER=$master
      return 0
    fi
  elif is_true "$START_GATEWAY"; then
    log "no gateway running: starting it"
    start_gateway "$build" && return 0
  else
    warn "no gateway running (no live pid in $GATEWAY_PREFIX/logs/nginx.pid); start it with" \
      "GATEWAY_UPSTREAM_INCLUDE=$UPSTREAM_FILE"
    return 0
  fi
  if $had_include; then
    mv -f "$UPSTREAM_FILE.previous" "$UPSTREAM_FILE"
    # In case nginx did take the new file after all (its answer came late), make it read the old one.
    [[ -z $master ]] || reload_gateway "$master" >/dev/null 2>&1 || true
  else
    rm -f "$UPSTREAM_FILE"
  fi
  return 1
}

# Makes $1 the active colour running build $2; $3: run migrations first; $4: reuse a running, ready
# process of that colour instead of restarting it (rollback).
activate() {
  local colour=$1 build=$2 migrate=$3 reuse=$4 old port started=false
  old=$(state_get active)
  port=$(colour_port "$colour")
  if $reuse && bff_running "$colour" && bff_ready "$colour" "$port"; then
    log "the $colour BFF is running and ready: reusing it"
  else
    stop_bff "$colour" # a leftover of an earlier, failed attempt
    if $migrate; then run_migrations "$build"; fi
    start_bff "$colour" "$build"
    started=true
    if ! wait_ready "$colour" "$port"; then
      stop_bff "$colour"
      die "the $colour BFF never became ready: nothing switched, traffic stays on ${old:-the current upstream}"
    fi
  fi
  if ! switch_to "$colour" "$port" "$build"; then
    if $started; then stop_bff "$colour"; fi
    die "the gateway did not switch to $colour: traffic stays on ${old:-the current upstream}"
  fi
  state_set "build-$colour" "$build"
  if [[ -n $old && $old != "$colour" ]]; then state_set previous "$old"; fi
  state_set active "$colour"
  log "$colour is active"
  if [[ -n $old && $old != "$colour" ]]; then
    if [[ -n $SWITCHED_MASTER ]]; then
      log "waiting for nginx's previous workers to finish their requests (at most ${DRAIN_TIMEOUT}s)"
      drain_gateway "$SWITCHED_MASTER"
    fi
    stop_bff "$old"
  fi
  log "done: $colour serves on port $port, build $build"
}

cmd_deploy() {
  local build=${1:-} active colour
  if [[ $DEPLOY_MODE == docker ]]; then
    [[ -n ${DEPLOY_IMAGE:-} ]] || die "DEPLOY_MODE=docker needs DEPLOY_IMAGE (e.g. docker.io/acme/voltmall-app)"
    build=${build:-latest}
  else
    build=${build:-$DEPLOY_ROOT}
    [[ -d $build ]] || die "build directory not found: $build"
    build=$(cd "$build" && pwd)
    [[ -f $build/package.json ]] || die "$build does not look like the app (no package.json)"
  fi
  active=$(state_get active)
  if [[ -n $active ]]; then colour=$(other_colour "$active"); else colour=blue; fi
  log "deploying $build as $colour (active: ${active:-none})"
  activate "$colour" "$build" "$(is_true "$MIGRATE" && echo true || echo false)" false
}

cmd_rollback() {
  local previous build
  previous=$(state_get previous)
  [[ -n $previous ]] || die "no previous colour recorded in $RUN_DIR: nothing to roll back to"
  build=$(state_get "build-$previous")
  [[ -n $build ]] || die "no build recorded for $previous"
  log "rolling back to $previous ($build); active: $(state_get active)"
  # Migrations are not undone: they must stay compatible with the previous build (docs/DEPLOYING.md).
  activate "$previous" "$build" false true
}

cmd_status() {
  local colour state
  printf '%-9s %s\n' mode: "$DEPLOY_MODE" 'run dir:' "$RUN_DIR" active: "$(state_get active)" \
    previous: "$(state_get previous)"
  for colour in blue green; do
    if bff_running "$colour"; then state=running; else state=stopped; fi
    printf '%-9s %s\n' "$colour:" "port $(colour_port "$colour"), $state, build $(state_get "build-$colour")"
  done
  printf '%-9s %s\n' gateway: "nginx master $(gateway_master_pid), upstream file $UPSTREAM_FILE"
}

main() {
  local command=${1:-deploy}
  case $command in
    -h | --help | help) usage ;;
    deploy | rollback | status) shift || true ;;
    *) command=deploy ;; # blue-green.sh BUILD
  esac
  deploy_init
  case $command in
    deploy)
      take_lock
      cmd_deploy "$@"
      ;;
    rollback)
      take_lock
      cmd_rollback
      ;;
    status) cmd_status ;;
  esac
}

main "$@"
