#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster.
#
#   scripts/pg-test-cluster.sh COMMAND [ARGS...]
#
# Creates a cluster in a fresh temp dir (superuser "postgres", trust auth, UTF-8,
# C.UTF-8 locale, Dutch default text-search config, durability off for speed),
# starts it on 127.0.0.1 (port 55432, or a free one if that is taken), exports
# RD_TEST_PG_PORT, runs COMMAND, then always stops the cluster and removes the temp
# dir. Exits with COMMAND's exit code.
#
# initdb and pg_ctl refuse to run as root, so as root they run as the "postgres"
# user via runuser (Recipe B in docs/toolchain.md); otherwise as the current user.
# Set PG_BINDIR to use server binaries from somewhere else.
set -euo pipefail

log() { echo "pg-test-cluster: $*" >&2; }
die() { log "error: $*"; exit 2; }

[[ $# -gt 0 ]] || die "usage: $0 COMMAND [ARGS...]"

# --- locate the PostgreSQL 15 server binaries -----------------------------------
find_bindir() {
    local dir
    for dir in "${PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
        [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]] && { echo "$dir"; return 0; }
    done
    # pg_config may belong to libpq-dev only (no server), hence the initdb check.
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]] && { echo "$dir"; return 0; }
    fi
    return 1
}
BINDIR=$(find_bindir) || die "PostgreSQL 15 server binaries (initdb, pg_ctl) not found.
  Install them with 'make sysdeps-test' (Debian package postgresql-15),
  or point PG_BINDIR at a directory that has initdb and pg_ctl."

# --- run server tools as the right user -------------------------------------------
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run the server as"
    as_pg() { runuser -u postgres -- "$@"; }
    # The postgres user must be able to reach the temp dir: root's TMPDIR could be
    # somewhere private (e.g. under /root, mode 0700), /tmp always works.
    TMPBASE=/tmp
else
    as_pg() { "$@"; }
    TMPBASE=${TMPDIR:-/tmp}
fi

# --- pick a port -----------------------------------------------------------------
# Prints PREFERRED if it can be bound on 127.0.0.1, else a free port chosen by the OS.
pick_port() {
    python3 - "$1" <<'EOF'
import socket, sys

def bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return s.getsockname()[1]

print(bindable(int(sys.argv[1])) or bindable(0))
EOF
}

# --- create, start, and always clean up ----------------------------------------------
# Keep this path short: the Unix socket lives here too (limit ~107 characters).
PGROOT=$(mktemp -d "$TMPBASE/rd-pg.XXXXXX")
DATA=$PGROOT/data
STARTED=0

cleanup() {
    local rc=$?
    if [[ $STARTED -eq 1 ]]; then
        (cd "$PGROOT" && as_pg "$BINDIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1) \
            || log "warning: could not stop the cluster in $DATA"
    fi
    rm -rf "$PGROOT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $(id -u) -eq 0 ]]; then chown postgres: "$PGROOT"; fi

# Run the server tools from inside PGROOT: the caller's cwd may not be readable by
# the postgres user, and initdb fails if it cannot resolve its working directory.
cd "$PGROOT"
as_pg "$BINDIR/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -T dutch \
    >"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log" >&2; die "initdb failed"; }

# Settings go into postgresql.conf rather than pg_ctl -o, to avoid shell quoting of
# the socket path; only the port is passed on the command line (it may be retried).
cat >>"$DATA/postgresql.conf" <<EOF

# --- throwaway test cluster (scripts/pg-test-cluster.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGROOT'
fsync = off
synchronous_commit = off
full_page_writes = off
# several test processes at once (make test runs pytest-xdist), each with its pools
max_connections = 200
EOF

# Another process may grab the port between pick_port and the server's bind, so
# retry a few times with a port chosen by the OS.
port=$(pick_port 55432)
for attempt in 1 2 3; do
    if as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$PGROOT/server.log" -w -t 60 -o "-p $port" start >/dev/null; then
        STARTED=1
        break
    fi
    # pg_ctl may time out with a server still starting; make sure nothing is left running.
    as_pg "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    [[ $attempt -lt 3 ]] || { tail -n 20 "$PGROOT/server.log" >&2 || true; die "could not start PostgreSQL"; }
    log "start on port $port failed, retrying on another port"
    port=$(pick_port 0)
done
cd "$OLDPWD"

export RD_TEST_PG_PORT=$port
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port" \
    "(user postgres, data $DATA); RD_TEST_PG_PORT=$port"

# Not exec: the EXIT trap has to stop the cluster afterwards.
set +e
"$@"
rc=$?
set -e
exit "$rc"
