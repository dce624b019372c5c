#!/bin/bash
# The entrypoint of Ripcord's local stand-in for the postgres image (deploy/image/stack-images.sh): the same contract
# for what docker-compose.yml uses, POSTGRES_USER and POSTGRES_PASSWORD for a new data directory and
# `postgres -c setting=value ...` as the command, on Debian's PostgreSQL 15.
set -euo pipefail
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
BIN=/usr/lib/postgresql/15/bin
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required for a new database}"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  chown postgres "$pwfile"
  as_postgres "$BIN/initdb" -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 > /dev/null
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  # As the postgres image does: a database named after the user.
  as_postgres "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start > /dev/null
  as_postgres psql -q -U "${POSTGRES_USER:-postgres}" -d postgres \
    -c "CREATE DATABASE \"${POSTGRES_DB:-${POSTGRES_USER:-postgres}}\"" || true
  as_postgres "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop > /dev/null
fi
if [ "${1:-postgres}" = postgres ]; then
  shift || true
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BIN/postgres" -D "$PGDATA" "$@"
fi
exec "$@"
