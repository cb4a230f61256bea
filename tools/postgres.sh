#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 only, with trust authentication.
#
#   tools/postgres.sh          start it (installing Debian's postgresql first when it is missing) and print
#                              PROOFING_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/proofing_test
#   tools/postgres.sh stop     stop it and delete its data directory
#   tools/postgres.sh restart  stop it (keeping its data) and start it again with this script's settings
#   tools/postgres.sh status   say whether it runs, and print the URL line when it does
#
# Only the URL line goes to standard output, so `export "$(tools/postgres.sh)"` works; everything else goes to
# standard error. Starting is idempotent: a server already running is reused, a stopped one is started again
# from its data directory, and a missing one is made afresh (initdb takes a few seconds). The data directory and
# port are kept in $PROOFING_PG_STATE (default /tmp/proofing-postgres.state) so that `stop` finds them.
# Meant for root on Debian 12 (it runs the server as the `postgres` user); another user who already has the
# PostgreSQL server binaries runs it as themself.
#
# The server keeps PostgreSQL's durability defaults (fsync, synchronous_commit, full_page_writes on): a save the
# store acknowledged survives a server crash, as in production. (Only initdb runs with --no-sync: a cluster lost
# while being made is simply made again.) An older version of this script ran the server with all three off; a
# server still running that way is reused, so as not to disturb tests using it, with a warning saying to run
# `tools/postgres.sh restart` once nobody is.
#
# It also makes the role the app connects as in production, `proofing_app` (LOGIN, owning nothing): the owner
# (`postgres` here) runs the migrations, and the app's role is granted only what it needs, reading and appending
# to the audit trail and no more (proofing.audit_chain.app_role_grants; tests/conftest.py's postgres_app_schema), so
# it cannot drop or disable the trail's triggers. The URL printed is the owner's; the app's is the same with
# `proofing_app@` in place of `postgres@`.
set -euo pipefail

STATE=${PROOFING_PG_STATE:-/tmp/proofing-postgres.state}
FIRST_PORT=${PROOFING_PG_PORT:-54329}
DATABASE=proofing_test
APP_ROLE=proofing_app

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

pg_bindir() {
    # The newest installed server's bin directory, or nothing.
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]]; then
        echo "$dir"
    fi
}

install_postgres() {
    [[ $(id -u) -eq 0 ]] || die "PostgreSQL's server is not installed and only root can install it (apt-get install postgresql)."
    say "installing postgresql from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    # Debian's package makes and starts a cluster of its own; this script never uses it.
}

as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local port=$FIRST_PORT
    while port_in_use "$port"; do
        port=$((port + 1))
        [[ $port -lt $((FIRST_PORT + 200)) ]] || die "no free port between $FIRST_PORT and $port"
    done
    echo "$port"
}

read_state() {
    DATADIR=""
    PORT=""
    if [[ -f $STATE ]]; then
        DATADIR=$(sed -n 's/^DATADIR=//p' "$STATE")
        PORT=$(sed -n 's/^PORT=//p' "$STATE")
    fi
}

running() { [[ -n $DATADIR && -d $DATADIR ]] && as_server_user "$BIN/pg_ctl" -D "$DATADIR/data" status >/dev/null 2>&1; }

print_url() { echo "PROOFING_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/$DATABASE"; }

warn_if_not_durable() {
    # A running server started without durability (by an older version of this script) is reported, not stopped.
    local setting value unsafe=""
    for setting in fsync synchronous_commit full_page_writes; do
        value=$(as_server_user "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "SHOW $setting" 2>/dev/null || true)
        [[ $value == off ]] && unsafe="$unsafe $setting=off"
    done
    if [[ -n $unsafe ]]; then
        say "warning: the running server has$unsafe, so a crash can lose saves it acknowledged."
        say "it is reused so as not to disturb tests using it; run 'tools/postgres.sh restart' once nobody is."
    fi
}

ensure_app_role() {
    # The app's role, made once per cluster (roles are shared by every database and schema): it owns nothing.
    as_server_user "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc \
        "DO \$\$ BEGIN CREATE ROLE $APP_ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$" >&2 \
        || die "could not make the app's role $APP_ROLE"
}

start_server() {
    as_server_user "$BIN/pg_ctl" -D "$DATADIR/data" -l "$DATADIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATADIR -c max_connections=200" \
        start >&2 || { tail -n 20 "$DATADIR/server.log" >&2 || true; die "the server did not start (log: $DATADIR/server.log)"; }
}

start() {
    BIN=$(pg_bindir)
    if [[ -z $BIN ]]; then
        install_postgres
        BIN=$(pg_bindir)
        [[ -n $BIN ]] || die "postgresql was installed but no initdb/pg_ctl was found under /usr/lib/postgresql"
    fi
    read_state
    if running; then
        warn_if_not_durable
        ensure_app_role
        print_url
        return
    fi
    if [[ -z $DATADIR || ! -f $DATADIR/data/PG_VERSION ]]; then
        DATADIR=$(mktemp -d /tmp/proofing-pg.XXXXXX)
        chmod 755 "$DATADIR"
        [[ $(id -u) -ne 0 ]] || chown postgres:postgres "$DATADIR"
        say "creating a cluster in $DATADIR/data"
        as_server_user "$BIN/initdb" -D "$DATADIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null \
            || die "initdb failed"
    fi
    if [[ -z $PORT ]] || port_in_use "$PORT"; then
        PORT=$(free_port)
    fi
    printf 'DATADIR=%s\nPORT=%s\n' "$DATADIR" "$PORT" >"$STATE"
    start_server
    if ! as_server_user "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
        as_server_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DATABASE"
    fi
    ensure_app_role
    say "running on 127.0.0.1:$PORT (data in $DATADIR; stop with: tools/postgres.sh stop)"
    print_url
}

stop() {
    BIN=$(pg_bindir)
    read_state
    if [[ -z $DATADIR ]]; then
        say "no server of this script is known ($STATE is missing)"
        return
    fi
    if [[ -n $BIN ]] && running; then
        as_server_user "$BIN/pg_ctl" -D "$DATADIR/data" -m fast -w stop >&2
    fi
    rm -rf "$DATADIR" "$STATE"
    say "stopped; removed $DATADIR"
}

restart() {
    BIN=$(pg_bindir)
    read_state
    if [[ -n $BIN ]] && running; then
        as_server_user "$BIN/pg_ctl" -D "$DATADIR/data" -m fast -w stop >&2
    fi
    start
}

status() {
    BIN=$(pg_bindir)
    read_state
    if [[ -n $BIN ]] && running; then
        say "running on 127.0.0.1:$PORT (data in $DATADIR)"
        print_url
    else
        say "not running"
        return 3
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    restart) restart ;;
    status) status ;;
    *) die "usage: $0 [start|stop|restart|status]" ;;
esac
