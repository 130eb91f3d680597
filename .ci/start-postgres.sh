#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the test suite.
#
#   URL=$(.ci/start-postgres.sh)            # prints only the URL on stdout
#   eval "$(.ci/start-postgres.sh --env)"   # exports TEST_DATABASE_URL and AUTHNEST_PG_DATADIR
#   .ci/stop-postgres.sh                    # stops the last one started (see below)
#
# The cluster lives in a fresh temp dir (/tmp/authnest-pg.XXXXXX): data in
# data/, the Unix socket in the dir itself, the server log in postgres.log.
# It listens on 127.0.0.1 only, on a free port, and has a database
# `authnest_test` owned by the role authnest/authnest (LOGIN CREATEDB,
# scram-sha-256 over TCP). Durability is off (fsync etc.): it is for tests only.
#
# Options:
#   --env               print `export TEST_DATABASE_URL=...` lines instead of the bare URL
#   --state-file FILE   where to write the data dir path for stop-postgres.sh
#                       (default: $AUTHNEST_PG_STATE_FILE or /tmp/authnest-pg-last.datadir);
#                       the last cluster started wins, so pass your own file (or the
#                       data dir itself to stop-postgres.sh) when running several.
#   --port N            use this port instead of a free one picked at random
#
# Environment: PG_BINDIR overrides where initdb/pg_ctl/psql are looked up.
# Runs as root (the server then runs as the `postgres` OS user) or as any
# other user (the server then runs as that user).
set -euo pipefail

mode="url"
state_file="${AUTHNEST_PG_STATE_FILE:-/tmp/authnest-pg-last.datadir}"
fixed_port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --env) mode="env" ;;
    --state-file) state_file="${2:?--state-file needs a path}"; shift ;;
    --state-file=*) state_file="${1#*=}" ;;
    --port) fixed_port="${2:?--port needs a number}"; shift ;;
    --port=*) fixed_port="${1#*=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) echo "start-postgres.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

DB_NAME=authnest_test
DB_USER=authnest
DB_PASSWORD=authnest

log() { echo "start-postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# --- locate the PostgreSQL server binaries ---------------------------------
find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  # Debian/Ubuntu: /usr/lib/postgresql/<version>/bin; take the newest version.
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    if [ -x "$d/initdb" ]; then echo "$d"; return; fi
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return
  fi
  return 1
}
BIN=$(find_bindir) || die "no PostgreSQL server binaries found (apt-get install postgresql, or set PG_BINDIR)"
for b in initdb pg_ctl psql pg_isready; do
  [ -x "$BIN/$b" ] || die "$BIN/$b is missing"
done

# --- run as the postgres OS user when we are root ---------------------------
if [ "$(id -u)" = 0 ]; then
  PG_OS_USER=postgres
  id "$PG_OS_USER" >/dev/null 2>&1 || die "running as root but there is no '$PG_OS_USER' OS user"
  if command -v runuser >/dev/null 2>&1; then
    as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
  else
    as_pg() { setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups -- "$@"; }
  fi
else
  PG_OS_USER=$(id -un)
  as_pg() { "$@"; }
fi

pick_port() {
  if command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
  else
    echo $(( 20000 + RANDOM % 20000 ))
  fi
}

# --- create the cluster ------------------------------------------------------
BASE=$(mktemp -d /tmp/authnest-pg.XXXXXX)
DATA="$BASE/data"
LOG="$BASE/postgres.log"
started=""
cleanup_on_error() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    if [ -f "$LOG" ]; then log "server log ($LOG):"; tail -n 30 "$LOG" >&2 || true; fi
    if [ -n "$started" ]; then as_pg "$BIN/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true; fi
    rm -rf "$BASE"
  fi
}
trap cleanup_on_error EXIT

chmod 700 "$BASE"
[ "$PG_OS_USER" = "$(id -un)" ] || chown "$PG_OS_USER:" "$BASE"
cd "$BASE"  # the postgres user may not be able to read the caller's cwd

if ! as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
      --auth-local=trust --auth-host=scram-sha-256 >"$BASE/initdb.log" 2>&1; then
  cat "$BASE/initdb.log" >&2
  die "initdb failed"
fi

cat >>"$DATA/postgresql.conf" <<EOF

# --- authnest throwaway test cluster (.ci/start-postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF

# --- start it on a free port (retry if someone grabbed the port meanwhile) --
port=""
for attempt in 1 2 3 4 5; do
  port=${fixed_port:-$(pick_port)}
  if as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 -o "-p $port" start >/dev/null 2>&1; then
    started=1
    break
  fi
  [ -z "$fixed_port" ] || die "could not start PostgreSQL on port $port"
  log "start on port $port failed (attempt $attempt), retrying on another port"
  as_pg "$BIN/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true
done
[ -n "$started" ] || die "could not start PostgreSQL"

# Wait until it accepts TCP connections (pg_ctl -w already waited for the socket).
for _ in $(seq 1 100); do
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.1
done
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || die "server on 127.0.0.1:$port is not accepting connections"

# --- role and database ----------------------------------------------------------
as_pg "$BIN/psql" -X -q -h "$BASE" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
SQL

URL="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$port/$DB_NAME"
"$BIN/psql" -X -q -At "$URL" -c 'select 1' >/dev/null || die "cannot connect to $URL"

# Remember the data dir for stop-postgres.sh.
mkdir -p "$(dirname "$state_file")"
printf '%s\n' "$DATA" >"$state_file"
printf '%s\n' "$URL" >"$BASE/url"

trap - EXIT
log "PostgreSQL $("$BIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$port, data dir $DATA (log: $LOG)"
if [ "$mode" = env ]; then
  printf 'export TEST_DATABASE_URL=%q\n' "$URL"
  printf 'export AUTHNEST_PG_DATADIR=%q\n' "$DATA"
else
  printf '%s\n' "$URL"
fi
