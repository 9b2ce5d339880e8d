#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and prints the
# address to give CASEBOOK_TEST_POSTGRES: `scripts/postgres.sh start DIR`, and
# `scripts/postgres.sh stop DIR` when done. Passwords are checked (scram-sha-256), so
# the tests can show a wrong one refused; fsync is off because nothing in a test
# cluster needs to survive a power cut, unless `durable` follows DIR (for the
# benchmarks, which compare with SQLite syncing every commit). As root it runs the
# server as `postgres`.
set -euo pipefail
action=$1
dir=$2
durability="-c fsync=off -c synchronous_commit=off"
if [ "${3:-}" = durable ]; then
    durability=""
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL's server is needed for the organisation store's tests: apt-get install postgresql" >&2
    exit 1
fi
as=()
if [ "$(id -u)" = 0 ]; then
    as=(runuser -u postgres --)
fi
case "$action" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    echo casebook-test > "$dir/password"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/password"
    "${as[@]}" "$bin/initdb" -D "$dir/data" --auth=scram-sha-256 --pwfile="$dir/password" -U casebook >/dev/null
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=400 $durability" \
        start >/dev/null
    echo "postgres://casebook:casebook-test@127.0.0.1:$port"
    ;;
stop)
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
