#!/usr/bin/env bash
# A local MariaDB read replica for tests and development (issue #19, DATABASE_REPLICA_URL): a second mariadbd
# with its own datadir under .run/ (gitignored), replicating with GTID through a replication user.
#
#   bash scripts/mariadb-replica.sh start    # replica on 127.0.0.1:3307 of the machine's MariaDB (3306)
#   bash scripts/mariadb-replica.sh start --own-primary
#                                            # a primary of its own on 3316 (binary log on) and its replica on
#                                            # 3317: what `npm run test:cluster` uses, since a machine's MariaDB
#                                            # usually writes no binary log and is not ours to restart
#   bash scripts/mariadb-replica.sh stop [--own-primary]    # stops only the servers this script started
#   bash scripts/mariadb-replica.sh status [--own-primary]  # Slave_IO/SQL_Running, Seconds_Behind_Master
#   bash scripts/mariadb-replica.sh url [--own-primary]     # the replica's server URL (app user, read-only)
#   bash scripts/mariadb-replica.sh primary-url [--own-primary]
#
# Each `start` is idempotent: servers already running and replicating are left as they are.
# Without --own-primary the primary must write a binary log: `start` checks @@log_bin and, when it is off,
# stops with the lines to add to the primary's configuration; it never restarts the primary itself.
# The app user (VOLTMALL_DB_USER/PASSWORD, voltmall/voltmall like scripts/ensure-services.sh) gets every
# privilege on the own primary and SELECT only on the replica, which also runs read_only.
# Environment: MARIADB_PRIMARY_HOST/PORT/USER (127.0.0.1, 3306 or 3316, root; no password, like the tests),
# MARIADB_REPLICA_PORT (3307 or 3317), MARIADB_REPLICA_DIR (.run/mariadb-replica[-pair]),
# MARIADB_REPLICATION_PASSWORD.
set -euo pipefail

OWN_PRIMARY=0
[ "${2:-}" = --own-primary ] && OWN_PRIMARY=1
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
PRIMARY_HOST=${MARIADB_PRIMARY_HOST:-127.0.0.1}
PRIMARY_USER=${MARIADB_PRIMARY_USER:-root}
APP_USER=${VOLTMALL_DB_USER:-voltmall}
APP_PASSWORD=${VOLTMALL_DB_PASSWORD:-voltmall}
if [ "$OWN_PRIMARY" = 1 ]; then
  PRIMARY_HOST=127.0.0.1
  PRIMARY_PORT=${MARIADB_PRIMARY_PORT:-3316}
  PORT=${MARIADB_REPLICA_PORT:-3317}
  DIR=${MARIADB_REPLICA_DIR:-$ROOT_DIR/.run/mariadb-replica-pair}
  PRIMARY_DIR=$DIR/primary
  DIR=$DIR/replica
else
  PRIMARY_PORT=${MARIADB_PRIMARY_PORT:-3306}
  PORT=${MARIADB_REPLICA_PORT:-3307}
  DIR=${MARIADB_REPLICA_DIR:-$ROOT_DIR/.run/mariadb-replica}
fi
REPL_USER=vm_replication
REPL_PASSWORD=${MARIADB_REPLICATION_PASSWORD:-vm-replication-local}
SERVER_ID=$((1000 + PORT))

log() { printf '[mariadb-replica] %s\n' "$*"; }
die() { printf '[mariadb-replica] ERROR: %s\n' "$*" >&2; exit 1; }

MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
[ -x "$MARIADBD" ] || die "mariadbd is not installed (apt-get install mariadb-server)"
command -v mariadb-install-db >/dev/null 2>&1 || die "mariadb-install-db is not installed"

primary() { mariadb -h "$PRIMARY_HOST" -P "$PRIMARY_PORT" -u "$PRIMARY_USER" --batch --skip-column-names "$@"; }
replica() { mariadb -h 127.0.0.1 -P "$PORT" -u root --batch --skip-column-names "$@"; }
slave_status() { mariadb -h 127.0.0.1 -P "$PORT" -u root -e 'SHOW SLAVE STATUS\G' 2>/dev/null; }
# Is the mariadbd whose datadir is $1 (pid file there) running?
running_in() {
  local pid
  pid=$(cat "$1/mariadbd.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q mariadbd "/proc/$pid/cmdline" 2>/dev/null
}
running() { running_in "$DIR"; }

# Both replication threads running.
replicating() {
  [ "$(slave_status | grep -cE 'Slave_(IO|SQL)_Running: Yes')" = 2 ]
}

# start_server DIR PORT SERVER_ID [mariadbd options...]: a mariadbd of ours, its datadir initialised once.
# Durability is relaxed (no fsync per commit): these servers hold test and development data only.
start_server() {
  local dir=$1 port=$2 server_id=$3
  shift 3
  # A server on the port that is not this datadir's (another checkout's pair, a system one): refuse rather
  # than configure a stranger's server as ours.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port 127.0.0.1:$port is taken by a server this script did not start from $dir (stop it first)"
  fi
  mkdir -p "$dir/data" "$dir/tmp"
  chown -R mysql:mysql "$dir" 2>/dev/null || true
  if [ ! -d "$dir/data/mysql" ]; then
    log "initialising $dir/data"
    mariadb-install-db --user=mysql --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1 || die "mariadb-install-db failed (see $dir/install.log)"
  fi
  "$MARIADBD" --no-defaults --user=mysql --datadir="$dir/data" --tmpdir="$dir/tmp" \
    --bind-address=127.0.0.1 --port="$port" --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" \
    --server-id="$server_id" --log-error="$dir/error.log" \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=48M --innodb-flush-log-at-trx-commit=2 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=500 \
    "$@" >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    mariadb -h 127.0.0.1 -P "$port" -u root -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  die "mariadbd did not start on port $port within 30 s (see $dir/error.log)"
}

# The primary of --own-primary: binary log on, the app user with every privilege (as on the machine's).
start_own_primary() {
  running_in "$PRIMARY_DIR" && return 0
  start_server "$PRIMARY_DIR" "$PRIMARY_PORT" 1 --log-bin=mariadb-bin --binlog-format=ROW --sync-binlog=0
  primary -e "CREATE USER IF NOT EXISTS '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$APP_PASSWORD';
    CREATE USER IF NOT EXISTS '$APP_USER'@'localhost' IDENTIFIED BY '$APP_PASSWORD';
    GRANT ALL PRIVILEGES ON *.* TO '$APP_USER'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO '$APP_USER'@'localhost';"
  log "own primary on 127.0.0.1:$PRIMARY_PORT (binary log on)"
}

start() {
  [ "$OWN_PRIMARY" = 1 ] && start_own_primary
  primary -e 'SELECT 1' >/dev/null || die "the primary $PRIMARY_HOST:$PRIMARY_PORT does not answer"
  if [ "$(primary -e 'SELECT @@log_bin')" != 1 ]; then
    die "the primary writes no binary log, so nothing can replicate from it. Add to its configuration
  (e.g. /etc/mysql/mariadb.conf.d/60-voltmall-replication.cnf):
    [mariadbd]
    log_bin = mariadb-bin
    server_id = 1
    binlog_format = ROW
  and restart it (service mariadb restart), then run this again."
  fi
  if running && replicating; then
    log "already running on 127.0.0.1:$PORT"
    status
    return 0
  fi
  running || start_server "$DIR" "$PORT" "$SERVER_ID" --read-only=1 --relay-log="$DIR/data/relay-bin" \
    --slave-parallel-threads=2 --gtid-strict-mode=1

  # The replication user, on the primary (idempotent).
  primary -e "CREATE USER IF NOT EXISTS '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
    CREATE USER IF NOT EXISTS '$REPL_USER'@'localhost' IDENTIFIED BY '$REPL_PASSWORD';
    GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';
    GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'localhost';"

  # A consistent copy of the primary's databases with the GTID position it stands for, then replication
  # from that position on. System schemas stay the replica's own.
  local databases
  databases=$(primary -e "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN
    ('mysql','information_schema','performance_schema','sys')" | tr '\n' ' ')
  log "copying ${databases:-no databases }from the primary"
  replica -e "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = 0" >/dev/null 2>&1 || true
  local gtid
  if [ -z "$databases" ]; then
    gtid=$(primary -e 'SELECT @@gtid_binlog_pos')
  else
    # shellcheck disable=SC2086
    mariadb-dump -h "$PRIMARY_HOST" -P "$PRIMARY_PORT" -u "$PRIMARY_USER" --single-transaction --gtid \
      --master-data=1 --routines --triggers --events --add-drop-database --databases $databases \
      >"$DIR/seed.sql" 2>"$DIR/dump.log" || die "mariadb-dump failed (see $DIR/dump.log)"
    gtid=$(sed -n "s/^\(-- \)\{0,1\}SET GLOBAL gtid_slave_pos='\(.*\)';/\2/p" "$DIR/seed.sql" | tail -1)
    grep -v '^CHANGE MASTER TO' "$DIR/seed.sql" | replica || die "loading the copy into the replica failed"
  fi
  replica -e "SET GLOBAL gtid_slave_pos = '$gtid';
    CHANGE MASTER TO MASTER_HOST='$PRIMARY_HOST', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='$REPL_USER',
      MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
    START SLAVE; SET GLOBAL read_only = 1;
    CREATE USER IF NOT EXISTS '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$APP_PASSWORD';
    CREATE USER IF NOT EXISTS '$APP_USER'@'localhost' IDENTIFIED BY '$APP_PASSWORD';
    GRANT SELECT ON *.* TO '$APP_USER'@'127.0.0.1';
    GRANT SELECT ON *.* TO '$APP_USER'@'localhost';"
  rm -f "$DIR/seed.sql"
  for _ in $(seq 1 120); do
    if replicating; then
      log "replicating from $PRIMARY_HOST:$PRIMARY_PORT at gtid ${gtid:-(empty)}; $(url)"
      return 0
    fi
    sleep 0.25
  done
  status || true
  die "replication did not start within 30 s (see SHOW SLAVE STATUS on port $PORT)"
}

# stop_server DIR: stops the mariadbd this script started there (pid file), never another one.
stop_server() {
  local dir=$1 pid
  if running_in "$dir"; then
    pid=$(cat "$dir/mariadbd.pid")
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  fi
  rm -f "$dir/mariadbd.pid"
}

stop() {
  running && { replica -e 'STOP SLAVE' >/dev/null 2>&1 || true; }
  stop_server "$DIR"
  if [ "$OWN_PRIMARY" = 1 ]; then
    stop_server "$PRIMARY_DIR"
    # The pair serves tests only: the next start begins from empty servers.
    rm -rf "$PRIMARY_DIR" "$DIR"
    log "stopped the own primary and its replica (data removed)"
  else
    log "stopped (data kept in $DIR/data; delete it to start from a fresh copy)"
  fi
}

status() {
  running || { log "not running"; return 1; }
  slave_status | grep -E 'Slave_(IO|SQL)_Running:|Seconds_Behind_Master|Gtid_IO_Pos|Last_(IO|SQL)_Error:' || true
}

url() { printf 'mysql://%s:%s@127.0.0.1:%s\n' "$APP_USER" "$APP_PASSWORD" "$PORT"; }
primary_url() { printf 'mysql://%s:%s@%s:%s\n' "$APP_USER" "$APP_PASSWORD" "$PRIMARY_HOST" "$PRIMARY_PORT"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  primary-url) primary_url ;;
  *) die "usage: $0 start|stop|status|url|primary-url [--own-primary]" ;;
esac
