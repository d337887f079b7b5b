#!/usr/bin/env bash
# A local MariaDB read replica for tests and development (issue #19, foundation for DATABASE_REPLICA_URL):
# a second mariadbd on 127.0.0.1:3307 with its own datadir under .run/mariadb-replica (gitignored),
# replicating from the machine's MariaDB on 3306 with GTID through a replication user.
#
#   bash scripts/mariadb-replica.sh start    # idempotent: a running replica is left as it is
#   bash scripts/mariadb-replica.sh stop     # stops only the mariadbd this script started (pid file)
#   bash scripts/mariadb-replica.sh status   # Slave_IO/SQL_Running, Seconds_Behind_Master, gtid positions
#   bash scripts/mariadb-replica.sh url      # prints a DATABASE_REPLICA_URL base (mysql://root@127.0.0.1:3307)
#
# The primary must write a binary log (replication reads it): `start` checks @@log_bin and, when it is off,
# stops with the two lines to add to the primary's configuration — it never restarts the primary itself.
# Environment: MARIADB_PRIMARY_HOST/PORT/USER (127.0.0.1, 3306, root; no password, like the tests),
# MARIADB_REPLICA_PORT (3307), MARIADB_REPLICA_DIR (.run/mariadb-replica), MARIADB_REPLICATION_PASSWORD.
set -euo pipefail

PRIMARY_HOST=${MARIADB_PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${MARIADB_PRIMARY_PORT:-3306}
PRIMARY_USER=${MARIADB_PRIMARY_USER:-root}
PORT=${MARIADB_REPLICA_PORT:-3307}
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
DIR=${MARIADB_REPLICA_DIR:-$ROOT_DIR/.run/mariadb-replica}
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
pid_of() { cat "$DIR/mariadbd.pid" 2>/dev/null || true; }
running() {
  local pid
  pid=$(pid_of)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q mariadbd "/proc/$pid/cmdline" 2>/dev/null
}

# Both replication threads running.
replicating() {
  [ "$(slave_status | grep -cE 'Slave_(IO|SQL)_Running: Yes')" = 2 ]
}

start_server() {
  mkdir -p "$DIR/data" "$DIR/tmp"
  chown -R mysql:mysql "$DIR" 2>/dev/null || true
  if [ ! -d "$DIR/data/mysql" ]; then
    log "initialising $DIR/data"
    mariadb-install-db --user=mysql --datadir="$DIR/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$DIR/install.log" 2>&1 || die "mariadb-install-db failed (see $DIR/install.log)"
  fi
  "$MARIADBD" --no-defaults --user=mysql --datadir="$DIR/data" --tmpdir="$DIR/tmp" \
    --bind-address=127.0.0.1 --port="$PORT" --socket="$DIR/mariadbd.sock" --pid-file="$DIR/mariadbd.pid" \
    --server-id="$SERVER_ID" --read-only=1 --relay-log="$DIR/data/relay-bin" --log-error="$DIR/error.log" \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=48M \
    --slave-parallel-threads=2 --gtid-strict-mode=1 >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    replica -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  die "the replica did not start on port $PORT within 30 s (see $DIR/error.log)"
}

start() {
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
  running || start_server

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
  log "copying ${databases:-no databases}from the primary"
  replica -e "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = 0" >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  mariadb-dump -h "$PRIMARY_HOST" -P "$PRIMARY_PORT" -u "$PRIMARY_USER" --single-transaction --gtid \
    --master-data=1 --routines --triggers --events --add-drop-database --databases $databases \
    >"$DIR/seed.sql" 2>"$DIR/dump.log" || die "mariadb-dump failed (see $DIR/dump.log)"
  local gtid
  gtid=$(sed -n "s/^\(-- \)\{0,1\}SET GLOBAL gtid_slave_pos='\(.*\)';/\2/p" "$DIR/seed.sql" | tail -1)
  grep -v '^CHANGE MASTER TO' "$DIR/seed.sql" | replica || die "loading the copy into the replica failed"
  replica -e "SET GLOBAL gtid_slave_pos = '$gtid';
    CHANGE MASTER TO MASTER_HOST='$PRIMARY_HOST', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='$REPL_USER',
      MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
    START SLAVE; SET GLOBAL read_only = 1;"
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

stop() {
  if running; then
    local pid
    pid=$(pid_of)
    replica -e 'STOP SLAVE' >/dev/null 2>&1 || true
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$DIR/mariadbd.pid"
  log "stopped (data kept in $DIR/data; delete it to start from a fresh copy)"
}

status() {
  running || { log "not running"; return 1; }
  slave_status | grep -E 'Slave_(IO|SQL)_Running:|Seconds_Behind_Master|Gtid_IO_Pos|Last_(IO|SQL)_Error:' || true
}

url() { printf 'mysql://root@127.0.0.1:%s\n' "$PORT"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *) die "usage: $0 start|stop|status|url" ;;
esac
