#!/usr/bin/env bash
# A local Redis Cluster for tests and development (issue #19): six redis-server processes in cluster mode on
# 127.0.0.1, three primaries and three replicas, no persistence, no Docker.
#
#   bash scripts/redis-cluster.sh start    # idempotent: a running, healthy cluster is left as it is; returns
#                                          # once every replica has synced (only then can it take over)
#   bash scripts/redis-cluster.sh stop     # stops only the processes this script started (pid files)
#   bash scripts/redis-cluster.sh status   # cluster_state of every node; exit 1 unless all say ok
#   bash scripts/redis-cluster.sh nodes    # prints REDIS_CLUSTER_NODES for the stack
#   bash scripts/redis-cluster.sh kill-node PORT    # failover drills: kills one node, keeps its cluster config
#   bash scripts/redis-cluster.sh revive-node PORT  # restarts it with that config: it rejoins (as a replica)
#
# Environment: REDIS_CLUSTER_HOST (127.0.0.1), REDIS_CLUSTER_PORT (first port, 7100), REDIS_CLUSTER_SIZE (6,
# a multiple of 2 and at least 6), REDIS_CLUSTER_DIR (.run/redis-cluster under the checkout, gitignored).
# Point the stack at it with REDIS_CLUSTER_NODES=$(bash scripts/redis-cluster.sh nodes).
set -euo pipefail

HOST=${REDIS_CLUSTER_HOST:-127.0.0.1}
FIRST_PORT=${REDIS_CLUSTER_PORT:-7100}
SIZE=${REDIS_CLUSTER_SIZE:-6}
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
DIR=${REDIS_CLUSTER_DIR:-$ROOT_DIR/.run/redis-cluster}

log() { printf '[redis-cluster] %s\n' "$*"; }
die() { printf '[redis-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$SIZE" -ge 6 ] && [ $((SIZE % 2)) -eq 0 ] || die "REDIS_CLUSTER_SIZE must be even and at least 6"
command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (apt-get install redis-server)"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli is not installed (apt-get install redis-tools)"

ports() { seq "$FIRST_PORT" $((FIRST_PORT + SIZE - 1)); }
cli() { redis-cli -h "$HOST" -p "$1" --no-raw "${@:2}" 2>/dev/null; }
pid_of() { cat "$DIR/$1/redis.pid" 2>/dev/null || true; }
# A pid file only counts while its process is a redis-server (a reused pid is not ours).
running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null
}
state_of() { redis-cli -h "$HOST" -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p'; }
all_ok() {
  local port
  for port in $(ports); do [ "$(state_of "$port")" = ok ] || return 1; done
}
# Every node agrees the slots are covered and sees all its peers (a fresh node knows only itself).
all_joined() {
  local port known
  for port in $(ports); do
    known=$(redis-cli -h "$HOST" -p "$port" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')
    [ "${known:-0}" -eq "$SIZE" ] || return 1
  done
}
# Every replica has finished its sync with its primary (master_link_status:up), and there are SIZE/2 of them.
# Until then a primary that dies has no replica able to take over: one that never synced refuses the failover
# ("Disconnected from master for longer than allowed") and the cluster stays down.
all_synced() {
  local port info replicas=0
  for port in $(ports); do
    info=$(redis-cli -h "$HOST" -p "$port" info replication 2>/dev/null | tr -d '\r')
    case "$info" in
      *role:slave*)
        printf '%s\n' "$info" | grep -q '^master_link_status:up$' || return 1
        replicas=$((replicas + 1))
        ;;
    esac
  done
  [ "$replicas" -eq $((SIZE / 2)) ]
}

start_node() {
  local port=$1 keep_config=${2:-} node_dir="$DIR/$1"
  mkdir -p "$node_dir"
  if running "$port"; then return 0; fi
  # A node that is not running starts clean (its cluster config would name peers that no longer exist),
  # unless it is revived into the cluster it left.
  # A replica's full sync leaves the primary's RDB on disk even without persistence: a node that starts
  # clean must not load it (redis-cli --cluster create refuses a node that holds keys).
  [ -n "$keep_config" ] || rm -f "$node_dir/nodes.conf" "$node_dir/dump.rdb"
  rm -f "$node_dir/redis.pid"
  redis-server --bind "$HOST" --port "$port" --daemonize yes --cluster-enabled yes \
    --cluster-config-file "$node_dir/nodes.conf" --cluster-node-timeout 3000 \
    --save '' --appendonly no --dir "$node_dir" --pidfile "$node_dir/redis.pid" \
    --logfile "$node_dir/redis.log" --protected-mode no --repl-diskless-sync-delay 0 >/dev/null
}

wait_until() {
  local what=$1 check=$2
  for _ in $(seq 1 120); do
    "$check" && return 0
    sleep 0.25
  done
  die "$what not reached within 30 s (logs: $DIR/<port>/redis.log)"
}

ports_up() {
  local port
  for port in $(ports); do [ "$(cli "$port" ping)" = PONG ] || return 1; done
}

start() {
  if all_ok && all_joined; then
    wait_until "every replica in sync with its primary" all_synced
    log "already running: $(nodes)"
    return 0
  fi
  local port
  for port in $(ports); do
    # A node running on one of our ports that is not ours: refuse rather than join a stranger's cluster.
    if ! running "$port" && (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
      die "port $HOST:$port is taken by a process this script did not start"
    fi
  done
  # A half-made cluster (some nodes died) is rebuilt from scratch: stop what is left, start all six.
  for port in $(ports); do running "$port" && stop_node "$port"; done
  for port in $(ports); do start_node "$port"; done
  wait_until "every node answering PING" ports_up
  local addresses=()
  for port in $(ports); do addresses+=("$HOST:$port"); done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/create.log" 2>&1 \
    || die "redis-cli --cluster create failed (see $DIR/create.log)"
  wait_until "cluster_state:ok on every node" all_ok
  wait_until "every node knowing all $SIZE nodes" all_joined
  wait_until "every replica in sync with its primary" all_synced
  log "started: $(nodes)"
}

stop_node() {
  local port=$1 pid
  pid=$(pid_of "$port")
  if running "$port"; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$DIR/$port/redis.pid" "$DIR/$port/nodes.conf"
}

stop() {
  local port
  for port in $(ports); do stop_node "$port"; done
  log "stopped"
}

nodes() {
  local list=() port
  for port in $(ports); do list+=("$HOST:$port"); done
  (IFS=,; printf '%s\n' "${list[*]}")
}

status() {
  local port failed=0 role
  for port in $(ports); do
    role=$(redis-cli -h "$HOST" -p "$port" role 2>/dev/null | head -1 || true)
    printf '%s:%s pid=%s state=%s role=%s\n' "$HOST" "$port" "$(pid_of "$port")" "$(state_of "$port" || true)" "${role:-down}"
    [ "$(state_of "$port")" = ok ] || failed=1
  done
  return "$failed"
}

kill_node() {
  local port=${1:?port} pid
  running "$port" || die "no node of ours runs on $port"
  pid=$(pid_of "$port")
  kill -9 "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$DIR/$port/redis.pid"
  log "killed the node on $port (pid $pid)"
}

revive_node() {
  local port=${1:?port}
  [ -f "$DIR/$port/nodes.conf" ] || die "the node on $port has no cluster config to rejoin with"
  start_node "$port" keep
  wait_until "cluster_state:ok on every node" all_ok
  log "revived the node on $port"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  nodes) nodes ;;
  kill-node) kill_node "${2:-}" ;;
  revive-node) revive_node "${2:-}" ;;
  *) die "usage: $0 start|stop|status|nodes|kill-node PORT|revive-node PORT" ;;
esac
