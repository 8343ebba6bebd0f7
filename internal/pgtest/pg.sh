#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `pg.sh start DIR PORT`
# creates a cluster in DIR (as the postgres user when run as root, since
# PostgreSQL refuses to run as root), starts it on 127.0.0.1:PORT and prints
# the URL to export as SHAKEOUT_TEST_POSTGRES; `pg.sh stop DIR` stops it and
# deletes DIR. `pg.sh install` installs PostgreSQL from the Debian packages
# when initdb is missing.
set -euo pipefail

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$d" ] && command -v pg_ctl >/dev/null 2>&1; then d=$(dirname "$(readlink -f "$(command -v pg_ctl)")"); fi
  if [ -n "$d" ]; then echo "$d"; fi
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}
case "$cmd" in
install)
  if [ -z "$(bindir)" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  ;;
start)
  dir=${2:?data directory}
  port=${3:-55432}
  bin=$(bindir)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed: run $0 install" >&2; exit 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U shakeout --auth=trust -E UTF8 --no-sync >"$dir/initdb.log"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U shakeout shakeout
  echo "postgres://shakeout@127.0.0.1:$port/shakeout?sslmode=disable"
  ;;
stop)
  dir=${2:?data directory}
  bin=$(bindir)
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 install | start DIR [PORT] | stop DIR" >&2; exit 2
  ;;
esac
