#!/usr/bin/env bash
# Makes sure the services Voltmall needs are installed and running: MariaDB/MySQL, Redis, and nginx with
# its Lua module. Installs them with apt on Debian/Ubuntu when missing and running as root; otherwise says
# exactly what to install. Idempotent and quick when everything is already there.
set -euo pipefail

MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
DB_USER=${VOLTMALL_DB_USER:-voltmall}
DB_PASSWORD=${VOLTMALL_DB_PASSWORD:-voltmall}
NGINX_PACKAGES="nginx libnginx-mod-http-lua lua-resty-core lua-cjson"
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing: $*. Install it with: sudo apt-get install -y $* (Debian/Ubuntu), then run this again."
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing $*"
  # policy-rc.d stops Debian's postinst from starting system services we run ourselves.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || {
    rm -f /usr/sbin/policy-rc.d
    die "apt-get install $* failed"
  }
  rm -f /usr/sbin/policy-rc.d
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&-; }

wait_for_port() {
  local host=$1 port=$2 what=$3
  for _ in $(seq 1 60); do
    port_open "$host" "$port" && return 0
    sleep 0.5
  done
  die "$what did not start listening on $host:$port within 30 s"
}

# --- MariaDB / MySQL ---------------------------------------------------------------------------
if ! port_open "$MYSQL_HOST" "$MYSQL_PORT"; then
  if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server mariadb-client
  fi
  log "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ -x /usr/sbin/mariadbd ]; then
    if [ "$(id -u)" -eq 0 ]; then
      start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql >/dev/null 2>&1 \
        || (service mariadb start >/dev/null 2>&1 || true)
    else
      die "MariaDB is installed but not running; start it (sudo service mariadb start)"
    fi
  else
    service mysql start >/dev/null 2>&1 || die "could not start MySQL; start it yourself"
  fi
  wait_for_port "$MYSQL_HOST" "$MYSQL_PORT" MariaDB
fi

mysql_client=$(command -v mariadb || command -v mysql || true)
[ -n "$mysql_client" ] || apt_install mariadb-client
mysql_client=$(command -v mariadb || command -v mysql)

# The project connects as its own user; create it with whatever admin access this machine gives root.
if ! "$mysql_client" -h"$MYSQL_HOST" -P"$MYSQL_PORT" -u"$DB_USER" -p"$DB_PASSWORD" -e 'SELECT 1' >/dev/null 2>&1; then
  grant="CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
         CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
         CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED BY '$DB_PASSWORD';
         GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'localhost';
         GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
         GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'%';
         FLUSH PRIVILEGES;"
  if "$mysql_client" -h"$MYSQL_HOST" -P"$MYSQL_PORT" -uroot -e "$grant" >/dev/null 2>&1 \
    || { [ "$(id -u)" -eq 0 ] && "$mysql_client" -uroot -e "$grant" >/dev/null 2>&1; }; then
    log "created database user $DB_USER"
  else
    die "cannot create the MySQL user $DB_USER. As a MySQL admin run: $grant"
  fi
fi
log "MySQL ready on $MYSQL_HOST:$MYSQL_PORT (user $DB_USER)"

# --- Redis -------------------------------------------------------------------------------------
if ! port_open "$REDIS_HOST" "$REDIS_PORT"; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  log "starting Redis"
  mkdir -p "$ROOT_DIR/.tmp/redis"
  # BullMQ needs noeviction; AOF keeps carts and queues across a restart.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$ROOT_DIR/.tmp/redis" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --logfile "$ROOT_DIR/.tmp/redis/redis.log" >/dev/null
  wait_for_port "$REDIS_HOST" "$REDIS_PORT" Redis
fi
log "Redis ready on $REDIS_HOST:$REDIS_PORT"

# --- nginx with the Lua module ------------------------------------------------------------------
lua_ready() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || return 1
  [ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ] || return 1
  [ -f /usr/share/lua/5.1/resty/core.lua ] || return 1
  [ -f /usr/lib/x86_64-linux-gnu/lua/5.1/cjson.so ] || ls /usr/lib/*/lua/5.1/cjson.so >/dev/null 2>&1 || return 1
}
if ! lua_ready; then
  # shellcheck disable=SC2086
  apt_install $NGINX_PACKAGES
  lua_ready || die "nginx with the Lua module is still missing after installing $NGINX_PACKAGES"
fi
log "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///') with the Lua module ready"

# --- chromium, for the admin console's browser tests (playwright-core drives /usr/bin/chromium) -----
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    # A Korean font too, so that the console's pages and screenshots render Hangul.
    apt_install chromium fonts-nanum
  else
    log "WARNING: /usr/bin/chromium is missing: the admin console's browser tests (test/admin-console) will fail." \
      "Install it with: sudo apt-get install -y chromium"
  fi
fi

# --- the admin console (admin-ui/dist), built when missing or stale --------------------------------
if [ -d "$ROOT_DIR/node_modules/vite" ]; then
  node "$ROOT_DIR/scripts/build-admin-ui.mjs"
else
  log "admin console not built yet: run npm ci, then this again (or npm run build:admin)"
fi
