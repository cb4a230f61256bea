#!/usr/bin/env bash
# Three app processes on one PostgreSQL behind nginx with TLS, on 127.0.0.1: the set-up the proxied browser tests
# (tests/cluster.py) and the load benchmark run against, configured as production is (deploy/nginx/proofing.conf).
#
#   tools/cluster.sh start DB_URL [STATE_DIR]  start three `streamlit run serve.py` processes (local mode, free
#                                              ports, all on DB_URL, PROOFING_PUBLIC_URL the proxy's address) and
#                                              nginx in front of them (a self-signed certificate for 127.0.0.1 made
#                                              with openssl, websockets passed, sticky sessions); wait until every
#                                              process is healthy through its own port and the proxy; print
#                                              PROOFING_CLUSTER_URL=https://127.0.0.1:PORT
#   tools/cluster.sh stop [STATE_DIR]          stop nginx and the app processes (the folder is kept: logs, certificate)
#   tools/cluster.sh pids [STATE_DIR]          one line per app process: PID PORT
#   tools/cluster.sh kill N [STATE_DIR]        kill -9 app process N (1, 2 or 3), as a crash would
#
# STATE_DIR (default $PROOFING_CLUSTER_STATE, else /tmp/proofing-cluster) holds the certificate, nginx's
# configuration, the process ids and every log (app1.log ... nginx-error.log). Only the URL line goes to standard
# output, so `export "$(tools/cluster.sh start "$PROOFING_TEST_PG_URL")"` works; everything else goes to standard
# error. Starting where a cluster of this folder already runs prints its URL again. The database must be migrated
# already (the app's store migrates on first use, which three processes at once would race). nginx comes from
# tools/nginx.sh; the processes run from this checkout's .venv (make .venv/.installed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATE=$ROOT/deploy/nginx/proofing.conf
APPS=3
WAIT_SECONDS=${PROOFING_CLUSTER_WAIT:-120}

say() { echo "cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }
usage() { die "usage: $0 start DB_URL [STATE_DIR] | stop [STATE_DIR] | pids [STATE_DIR] | kill N [STATE_DIR]"; }

state_dir() { echo "${1:-${PROOFING_CLUSTER_STATE:-/tmp/proofing-cluster}}"; }

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

nginx_pid() { cat "$STATE/nginx.pid" 2>/dev/null || true; }

free_ports() {
    # $1 distinct free ports on 127.0.0.1, one a line (held open together while chosen, so never the same twice).
    python3 - "$1" <<'PYTHON'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    held.append(probe)
print("\n".join(str(probe.getsockname()[1]) for probe in held))
PYTHON
}

make_certificate() {
    # A self-signed certificate for 127.0.0.1 and localhost, kept for the folder's later starts.
    [[ -s $STATE/tls.crt && -s $STATE/tls.key ]] && return
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$STATE/tls.key" -out "$STATE/tls.crt" 2>/dev/null || die "openssl could not make the test certificate"
    chmod 600 "$STATE/tls.key"
}

render_nginx() {
    # deploy/nginx/proofing.conf with this cluster's ports and paths, inside a main configuration of its own.
    local listen=$1
    shift
    sed -e "s#@LISTEN@#127.0.0.1:$listen#" -e "s#@SERVER_NAME@#127.0.0.1#" \
        -e "s#@CERTIFICATE@#$STATE/tls.crt#" -e "s#@CERTIFICATE_KEY@#$STATE/tls.key#" \
        -e "s#@APP1@#127.0.0.1:$1#" -e "s#@APP2@#127.0.0.1:$2#" -e "s#@APP3@#127.0.0.1:$3#" \
        "$TEMPLATE" >"$STATE/proofing.conf"
    grep -q '@[A-Z0-9_]*@' "$STATE/proofing.conf" && die "$TEMPLATE has a name this script does not fill in"
    cat >"$STATE/nginx.conf" <<EOF
# Written by tools/cluster.sh: the test's own nginx, running deploy/nginx/proofing.conf.
worker_processes 1;
pid $STATE/nginx.pid;
error_log $STATE/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $STATE/nginx-access.log;
    client_body_temp_path $STATE/nginx-temp/body;
    proxy_temp_path $STATE/nginx-temp/proxy;
    fastcgi_temp_path $STATE/nginx-temp/fastcgi;
    uwsgi_temp_path $STATE/nginx-temp/uwsgi;
    scgi_temp_path $STATE/nginx-temp/scgi;
    include $STATE/proofing.conf;
}
EOF
}

healthy() { [[ $(curl -fsS -k --max-time 2 "$1/_stcore/health" 2>/dev/null) == ok ]]; }

start() {
    local database=${1:-}
    [[ -n $database ]] || usage
    STATE=$(state_dir "${2:-}")
    mkdir -p "$STATE"
    STATE=$(cd "$STATE" && pwd)
    chmod 755 "$STATE"  # nginx's workers (nobody) reach their temporary folders inside it
    local nginx
    nginx=$(bash "$ROOT/tools/nginx.sh" | sed -n 's/^NGINX=//p')
    [[ -x $ROOT/.venv/bin/streamlit ]] || die "$ROOT/.venv is not installed: run make .venv/.installed"
    if [[ -f $STATE/url ]] && alive "$(nginx_pid)"; then
        say "already running (stop it with: $0 stop $STATE)"
        echo "PROOFING_CLUSTER_URL=$(cat "$STATE/url")"
        return
    fi
    make_certificate
    [[ -s $STATE/cookie_secret ]] || { openssl rand -hex 32 >"$STATE/cookie_secret"; chmod 600 "$STATE/cookie_secret"; }
    local ports proxy_port url
    mapfile -t ports < <(free_ports $((APPS + 1)))
    proxy_port=${ports[$APPS]}
    url="https://127.0.0.1:$proxy_port"
    : >"$STATE/apps"
    local n port pid
    for n in $(seq 1 $APPS); do  # started together: each takes seconds to import, and the machine has cores
        port=${ports[$((n - 1))]}
        (
            cd "$ROOT"
            # One cookie secret for all: a sign-in cookie one process signed is read by every other.
            exec env PROOFING_DB_URL="$database" PROOFING_PUBLIC_URL="$url" \
                STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$STATE/cookie_secret")" \
                "$ROOT/.venv/bin/streamlit" run serve.py --server.address=127.0.0.1 --server.port="$port" \
                --server.headless=true --server.fileWatcherType=none --browser.gatherUsageStats=false
        ) </dev/null >"$STATE/app$n.log" 2>&1 &
        pid=$!
        echo "$n $pid $port" >>"$STATE/apps"
    done
    render_nginx "$proxy_port" "${ports[@]:0:$APPS}"
    mkdir -p "$STATE/nginx-temp"
    "$nginx" -t -q -p "$STATE" -e "$STATE/nginx-error.log" -c "$STATE/nginx.conf" >&2 || die "nginx refused $STATE/nginx.conf"
    "$nginx" -p "$STATE" -e "$STATE/nginx-error.log" -c "$STATE/nginx.conf" >&2 || die "nginx did not start (log: $STATE/nginx-error.log)"
    local deadline=$((SECONDS + WAIT_SECONDS)) waiting
    while :; do
        waiting=""
        while read -r n pid port; do
            alive "$pid" || { tail -n 20 "$STATE/app$n.log" >&2; stop_all; die "app process $n stopped while starting (log: $STATE/app$n.log)"; }
            healthy "http://127.0.0.1:$port" || waiting="$waiting $n"
        done <"$STATE/apps"
        [[ -z $waiting ]] && healthy "$url" && break
        ((SECONDS < deadline)) || { stop_all; die "not healthy within $WAIT_SECONDS seconds: app process(es)$waiting"; }
        sleep 0.3
    done
    echo "$url" >"$STATE/url"
    say "running: nginx on $url, app processes on ports ${ports[*]:0:$APPS} (logs in $STATE)"
    echo "PROOFING_CLUSTER_URL=$url"
}

stop_all() {
    # nginx first (nobody new arrives), then every app process: asked, then made to stop.
    local pid n port waited
    pid=$(nginx_pid)
    if alive "$pid"; then
        kill -QUIT "$pid" 2>/dev/null || true
        for waited in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    fi
    if [[ -f $STATE/apps ]]; then
        while read -r n pid port; do alive "$pid" && kill -TERM "$pid" 2>/dev/null || true; done <"$STATE/apps"
        for waited in $(seq 1 100); do
            local running=""
            while read -r n pid port; do alive "$pid" && running=yes; done <"$STATE/apps"
            [[ -z $running ]] && break
            sleep 0.1
        done
        while read -r n pid port; do alive "$pid" && kill -9 "$pid" 2>/dev/null || true; done <"$STATE/apps"
    fi
    rm -f "$STATE/url" "$STATE/nginx.pid"
}

stop() {
    STATE=$(state_dir "${1:-}")
    [[ -d $STATE ]] || { say "no cluster in $STATE"; return; }
    stop_all
    say "stopped (logs kept in $STATE)"
}

pids() {
    STATE=$(state_dir "${1:-}")
    [[ -f $STATE/apps ]] || die "no cluster in $STATE"
    local n pid port
    while read -r n pid port; do echo "$pid $port"; done <"$STATE/apps"
}

kill_one() {
    local which=${1:-}
    [[ $which =~ ^[0-9]+$ ]] || usage
    STATE=$(state_dir "${2:-}")
    [[ -f $STATE/apps ]] || die "no cluster in $STATE"
    local n pid port
    while read -r n pid port; do
        if [[ $n == "$which" ]]; then
            alive "$pid" || die "app process $n ($pid) is not running"
            kill -9 "$pid"
            say "killed app process $n (pid $pid, port $port)"
            return
        fi
    done <"$STATE/apps"
    die "there is no app process $which (1 to $APPS)"
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
    start) start "$@" ;;
    stop) stop "$@" ;;
    pids) pids "$@" ;;
    kill) kill_one "$@" ;;
    *) usage ;;
esac
