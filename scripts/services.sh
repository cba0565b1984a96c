#!/usr/bin/env bash
# Redis and PostgreSQL on loopback for the scale-out test (packages/backend/src/scaleOut), from
# Debian's packages (installed with apt-get when missing), with throwaway data under
# $KUPE_SERVICES_DIR. Idempotent: servers already answering on the ports are reused.
#
#   source scripts/services.sh && kupe_services_start   # exports KUPE_TEST_REDIS_URL, KUPE_TEST_POSTGRES_URL
#   scripts/services.sh start | stop                    # the same from a shell (start prints the exports)
#
# Returns non-zero, with the reason on stderr, when a server cannot be installed or started.

KUPE_SERVICES_DIR="${KUPE_SERVICES_DIR:-/tmp/kupe-services}"
KUPE_REDIS_PORT="${KUPE_REDIS_PORT:-6390}"
KUPE_POSTGRES_PORT="${KUPE_POSTGRES_PORT:-5440}"

_kupe_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}

# Runs a PostgreSQL server command as user postgres when we are root (initdb refuses root).
_kupe_as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_kupe_install_services() {
  if command -v redis-server >/dev/null && [ -n "$(_kupe_pg_bin)" ]; then return 0; fi
  local sudo=
  if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
  echo "Installing redis-server and postgresql from Debian's packages..." >&2
  $sudo apt-get update -qq && $sudo apt-get install -y -qq redis-server postgresql >/dev/null
}

_kupe_start_redis() {
  if redis-cli -h 127.0.0.1 -p "$KUPE_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then return 0; fi
  mkdir -p "$KUPE_SERVICES_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$KUPE_REDIS_PORT" --daemonize yes \
    --dir "$KUPE_SERVICES_DIR/redis" --save '' --appendonly no \
    --pidfile "$KUPE_SERVICES_DIR/redis/redis.pid" \
    --logfile "$KUPE_SERVICES_DIR/redis/redis.log" || return 1
  local _
  for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p "$KUPE_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.1
  done
  echo "redis-server did not answer on 127.0.0.1:$KUPE_REDIS_PORT (log: $KUPE_SERVICES_DIR/redis/redis.log)" >&2
  return 1
}

_kupe_start_postgres() {
  local bin data=$KUPE_SERVICES_DIR/postgres
  bin=$(_kupe_pg_bin)
  if [ -z "$bin" ]; then echo "PostgreSQL server binaries not found" >&2; return 1; fi
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$KUPE_POSTGRES_PORT"; then return 0; fi
  mkdir -p "$KUPE_SERVICES_DIR"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data" && mkdir -p "$data" || return 1
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data"; fi
    # Trust on loopback: a throwaway test server that listens on 127.0.0.1 only.
    _kupe_as_pg_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null || return 1
  fi
  _kupe_as_pg_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $KUPE_POSTGRES_PORT -k $data" start >/dev/null || {
    echo "PostgreSQL did not start (log: $data/server.log)" >&2
    return 1
  }
}

kupe_services_start() {
  _kupe_install_services || { echo "Could not install redis-server and postgresql" >&2; return 1; }
  _kupe_start_redis || return 1
  _kupe_start_postgres || return 1
  export KUPE_TEST_REDIS_URL="redis://127.0.0.1:$KUPE_REDIS_PORT"
  export KUPE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$KUPE_POSTGRES_PORT/postgres"
}

kupe_services_stop() {
  local bin
  bin=$(_kupe_pg_bin)
  if [ -n "$bin" ] && [ -f "$KUPE_SERVICES_DIR/postgres/postmaster.pid" ]; then
    _kupe_as_pg_owner "$bin/pg_ctl" -D "$KUPE_SERVICES_DIR/postgres" -m fast stop >/dev/null
  fi
  if [ -f "$KUPE_SERVICES_DIR/redis/redis.pid" ]; then
    redis-cli -h 127.0.0.1 -p "$KUPE_REDIS_PORT" shutdown nosave >/dev/null 2>&1
  fi
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start)
      kupe_services_start || exit 1
      echo "export KUPE_TEST_REDIS_URL=$KUPE_TEST_REDIS_URL"
      echo "export KUPE_TEST_POSTGRES_URL=$KUPE_TEST_POSTGRES_URL"
      ;;
    stop) kupe_services_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
