#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 for tests on 127.0.0.1:55432 and prints its URL on stdout
# (progress goes to stderr), so: export REFUNDGUARD_TEST_PG_URL="$(scripts/start-postgres.sh)".
# For Debian 12 without systemd, as root (or as a user who can run the server binaries).
# Safe to run again: an already running server is reused. fsync=off: test data only.
set -euo pipefail

PORT="${REFUNDGUARD_PG_PORT:-55432}"
DATA_DIR="${REFUNDGUARD_PG_DATA:-/tmp/refundguard-postgres-${PORT}}"
BIN_DIR="${REFUNDGUARD_PG_BIN:-/usr/lib/postgresql/15/bin}"
URL="postgres://postgres:postgres@127.0.0.1:${PORT}/postgres"

log() { echo "start-postgres: $*" >&2; }

# The server refuses to run as root: run its tools as the postgres user when we are root.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -x "${BIN_DIR}/pg_ctl" ] || [ ! -x "${BIN_DIR}/initdb" ]; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
fi

if "${BIN_DIR}/pg_isready" -q -h 127.0.0.1 -p "${PORT}"; then
  log "already running on port ${PORT}"
  echo "${URL}"
  exit 0
fi

if [ ! -f "${DATA_DIR}/PG_VERSION" ]; then
  log "creating a cluster in ${DATA_DIR}"
  rm -rf "${DATA_DIR}"
  mkdir -p "${DATA_DIR}"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "${DATA_DIR}"; fi
  # Trust on 127.0.0.1 only (listen_addresses below): any password in the URL is accepted.
  as_postgres "${BIN_DIR}/initdb" -D "${DATA_DIR}" -U postgres --auth=trust --no-sync --encoding=UTF8 --locale=C.UTF-8 >&2
fi

# A server killed earlier (CI ends what a session left running) leaves lock files behind
# (postmaster.pid and the socket's lock in /tmp), and a container whose init does not reap
# may keep the old PID as a zombie, which postgres takes for a running server. Remove a lock
# file unless a live postgres process owns it.
remove_if_stale() {
  local file="$1" pid state name
  [ -f "${file}" ] || return 0
  pid="$(head -n 1 "${file}")"
  state="$(awk '{print $3}' "/proc/${pid}/stat" 2>/dev/null || true)"
  name="$(cat "/proc/${pid}/comm" 2>/dev/null || true)"
  if [ "${name}" != "postgres" ] || [ "${state}" = "Z" ]; then
    log "removing the stale ${file} (PID ${pid} is gone)"
    rm -f "${file}"
  fi
}
remove_if_stale "${DATA_DIR}/postmaster.pid"
remove_if_stale "/tmp/.s.PGSQL.${PORT}.lock"

log "starting on 127.0.0.1:${PORT}"
as_postgres "${BIN_DIR}/pg_ctl" -D "${DATA_DIR}" -l "${DATA_DIR}/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p ${PORT} -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2

# A password too, so the URL also works if someone later switches the cluster to md5/scram.
as_postgres "${BIN_DIR}/psql" -q -h 127.0.0.1 -p "${PORT}" -U postgres -d postgres \
  -c "ALTER USER postgres PASSWORD 'postgres'" >&2

echo "${URL}"
