#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Load-tests samples/tcp_server.cpp's HTTP mode with wrk: the server answering every request
# from its uvmysql Pool (SELECT n * n through pool.query()) beside the same server answering
# from a string without the database. Reports requests/s and p99 latency of both and their
# ratio; asserts nothing about speed (a benchmark, not a test).
#
#   test/bench/http_server.sh [--builddir DIR] [--duration S] [--connections N] [--no-install]
#
# Needs a build with samples (build/ by default) and the private MariaDB's environment
# (test/mariadb/server.sh; started, and stopped at the end, when it is not running).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=$root/build
duration=5
connections=64
install=1
while (( $# )); do
    case $1 in
        --builddir) builddir=$2; shift ;;
        --duration) duration=$2; shift ;;
        --connections) connections=$2; shift ;;
        --no-install) install=0 ;;
        *) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
    shift
done
if ! command -v wrk >/dev/null 2>&1; then
    if [[ $install == 1 && $(id -u) == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >&2
    else
        echo "http_server.sh: wrk is not installed (apt-get install wrk)" >&2
        exit 1
    fi
fi
meson configure "$builddir" -Dsamples=enabled >&2   # samples are off by default
# Regenerate now: target lookups below read the build files, which `meson configure` leaves stale.
ninja -C "$builddir" build.ninja >/dev/null
meson compile -C "$builddir" samples/sample-tcp-server >&2
server_sh=$root/test/mariadb/server.sh
started=0
bash "$server_sh" status >/dev/null 2>&1 || started=1
eval "$(bash "$server_sh" start)"
out=$(mktemp)
cleanup() {
    [[ -n ${pid:-} ]] && kill -INT "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -f "$out"
    [[ $started == 1 ]] && bash "$server_sh" stop >/dev/null || true
}
trap cleanup EXIT

# measure MODE: prints "requests/s p99-ms" for the server in MODE under wrk.
measure() {
    "$builddir/samples/sample-tcp-server" "$1" >"$out" &
    pid=$!
    local port=
    for _ in $(seq 100); do
        port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$out")
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { echo "http_server.sh: the server did not start" >&2; exit 1; }
    local report
    report=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/square?n=12")
    kill -INT "$pid"
    wait "$pid" || { echo "http_server.sh: the server did not shut down cleanly" >&2; exit 1; }
    pid=
    grep -q "Non-2xx" <<<"$report" && { echo "$report" >&2; echo "http_server.sh: errors under load" >&2; exit 1; }
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' <<<"$report")
    echo "$rps $p99"
}

read -r db_rps db_p99 < <(measure --http)
read -r static_rps static_p99 < <(measure --http-static)
printf '\nHTTP server on one loop, wrk -t2 -c%s -d%ss, GET /square?n=12\n' "$connections" "$duration"
printf '  %-28s %12s %10s\n' "answer from" "requests/s" "p99 ms"
printf '  %-28s %12.0f %10.2f\n' "the pool (SELECT n * n)" "$db_rps" "$db_p99"
printf '  %-28s %12.0f %10.2f\n' "a string (no database)" "$static_rps" "$static_p99"
awk -v a="$db_rps" -v b="$static_rps" 'BEGIN { printf "  pool / static requests/s: %.2f\n", a / b }'
printf '{"bench":"http_server","connections":%s,"duration_s":%s,"pool_rps":%s,"pool_p99_ms":%s,"static_rps":%s,"static_p99_ms":%s}\n' \
    "$connections" "$duration" "$db_rps" "$db_p99" "$static_rps" "$static_p99"
