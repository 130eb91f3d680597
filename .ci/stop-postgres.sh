#!/usr/bin/env bash
# Stop a cluster started by .ci/start-postgres.sh and delete its temp dir.
#
#   .ci/stop-postgres.sh [DATADIR | STATE_FILE]
#
# Without an argument it uses $AUTHNEST_PG_DATADIR (set by `start-postgres.sh --env`),
# else the state file ($AUTHNEST_PG_STATE_FILE or /tmp/authnest-pg-last.datadir).
# Stopping a cluster that is already gone is not an error.
set -euo pipefail

log() { echo "stop-postgres.sh: $*" >&2; }

state_file="${AUTHNEST_PG_STATE_FILE:-/tmp/authnest-pg-last.datadir}"
arg="${1:-}"
if [ -n "$arg" ]; then
  if [ -f "$arg" ]; then data=$(head -n 1 "$arg"); state_file="$arg"; else data="$arg"; fi
elif [ -n "${AUTHNEST_PG_DATADIR:-}" ]; then
  data="$AUTHNEST_PG_DATADIR"
elif [ -f "$state_file" ]; then
  data=$(head -n 1 "$state_file")
else
  log "nothing to stop (no argument, no \$AUTHNEST_PG_DATADIR, no $state_file)"
  exit 0
fi
data="${data%/}"
[ -n "$data" ] || { log "empty data dir path"; exit 1; }
# Accept the temp dir itself as well as its data/ subdir.
if [[ "$data" =~ ^/tmp/authnest-pg\.[A-Za-z0-9]+$ ]]; then data="$data/data"; fi
base=$(dirname "$data")

# Only ever delete dirs that start-postgres.sh created.
if ! [[ "$base" =~ ^/tmp/authnest-pg\.[A-Za-z0-9]+$ && "$data" == "$base/data" ]]; then
  log "refusing to touch $data: not a start-postgres.sh cluster"
  exit 1
fi
if [ ! -e "$base" ]; then
  log "$base is already gone"
  if [ -f "$state_file" ] && [ "$(head -n 1 "$state_file" 2>/dev/null)" = "$data" ]; then rm -f "$state_file"; fi
  exit 0
fi

if [ -f "$data/postmaster.pid" ]; then
  bin=""
  if [ -f "$data/PG_VERSION" ]; then
    v=$(cat "$data/PG_VERSION")
    [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] && bin="/usr/lib/postgresql/$v/bin"
  fi
  if [ -z "$bin" ]; then
    if [ -n "${PG_BINDIR:-}" ]; then bin="$PG_BINDIR"
    elif command -v pg_ctl >/dev/null 2>&1; then bin=$(dirname "$(command -v pg_ctl)")
    fi
  fi
  owner=$(stat -c %U "$data")
  stopped=""
  if [ -n "$bin" ]; then
    if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
      (cd "$base" && runuser -u "$owner" -- "$bin/pg_ctl" -D "$data" stop -m immediate -w -t 30) >/dev/null 2>&1 && stopped=1
    else
      "$bin/pg_ctl" -D "$data" stop -m immediate -w -t 30 >/dev/null 2>&1 && stopped=1
    fi
  fi
  if [ -z "$stopped" ]; then
    # pg_ctl missing or failed: kill the postmaster directly.
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
fi

rm -rf "$base"
# Forget it if the state file still points at it.
if [ -f "$state_file" ] && [ "$(head -n 1 "$state_file" 2>/dev/null)" = "$data" ]; then
  rm -f "$state_file"
fi
log "stopped and removed $base"
