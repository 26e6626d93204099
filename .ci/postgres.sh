#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage tests and benchmarks.
#   bash .ci/postgres.sh start   # installs the server if missing, initdb in a temp dir, starts it on 127.0.0.1
#                                # on a free port; prints the connection string and writes it to $STATE/connection
#   bash .ci/postgres.sh stop    # stops the cluster and deletes its directory
#   eval "$(bash .ci/postgres.sh env)"   # exports COMMUNITYFUNNEL_PG for the running cluster
# STATE defaults to ${TMPDIR:-/tmp}/communityfunnel-pg; set COMMUNITYFUNNEL_PG_STATE to use another one.
set -euo pipefail
state="${COMMUNITYFUNNEL_PG_STATE:-${TMPDIR:-/tmp}/communityfunnel-pg}"

find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  return 1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ -f "$state/connection" ] && [ -f "$state/data/postmaster.pid" ]; then
    cat "$state/connection"; return
  fi
  local bin
  if ! bin=$(find_bin); then
    echo "postgres.sh: PostgreSQL server binaries not found; installing them with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2 && apt-get install -y postgresql >&2
    bin=$(find_bin)
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir "$state" --shell /usr/sbin/nologin postgres
  fi
  rm -rf "$state"
  mkdir -p "$state"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 )))
  if [ "$(id -u)" = "0" ]; then chown postgres "$state"; fi
  as_pg "$bin/initdb" -D "$state/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 \
    || as_pg "$bin/initdb" -D "$state/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$state/initdb.log" 2>&1 \
    || { cat "$state/initdb.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $state -c fsync=on -c max_connections=200" start >&2 \
    || { cat "$state/server.log" >&2; exit 1; }
  echo "$bin" >"$state/bin"
  local cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "$cs" >"$state/connection"
  echo "$cs"
}

stop() {
  if [ -d "$state/data" ]; then
    local bin
    bin=$(cat "$state/bin" 2>/dev/null || find_bin)
    as_pg "$bin/pg_ctl" -D "$state/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) if [ -f "$state/connection" ]; then echo "export COMMUNITYFUNNEL_PG='$(cat "$state/connection")'"; fi ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
