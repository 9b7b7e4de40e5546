#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the samples and runs them against a private MariaDB that this script starts (and stops).
# Usage: samples/run.sh [--no-install] [--builddir DIR] [sample-name ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="$root/build"
install=1
names=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-install) install=0 ;;
        --builddir) builddir="$2"; shift ;;
        -h|--help) sed -n '3,4p' "$0"; exit 0 ;;
        *) names+=("$1") ;;
    esac
    shift
done
[ ${#names[@]} -gt 0 ] || names=(basic-then basic-coro stored-procedure executemany transaction dict-cursor custom-row ss-cursor pool tcp-server transaction-scoped xa sa sa-then multi-loop observer-export query)

if [ "$install" = 1 ]; then bash "$root/test/install-deps.sh"; fi
if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$root" --wrap-mode=nodownload -Dwerror=true -Dsamples=enabled
else
    meson configure "$builddir" -Dsamples=enabled   # samples are off by default
    # Regenerate now: target lookups below read the build files, which `meson configure` leaves stale.
    ninja -C "$builddir" build.ninja >/dev/null
fi
# "query" is uvmysql-query (samples/query); the others are samples/sample-<name>.
target() { if [ "$1" = query ]; then echo samples/query/uvmysql-query; else echo "samples/sample-$1"; fi; }
targets=()
for name in "${names[@]}"; do targets+=("$(target "$name")"); done
meson compile -C "$builddir" "${targets[@]}"

server="$root/test/mariadb/server.sh"
started=0
if ! bash "$server" status >/dev/null 2>&1; then started=1; fi
eval "$(bash "$server" start)"
trap '[ "$started" = 1 ] && bash "$server" stop >/dev/null' EXIT

# One row with the values JSON cannot hold plainly: a uint64 beyond 2^53, DECIMAL, microseconds, TIME < 0.
query_tool() {
    "$builddir/samples/query/uvmysql-query" -h "$UVMYSQL_TEST_HOST" -P "$UVMYSQL_TEST_PORT" \
        -u "$UVMYSQL_TEST_USER" --password="$UVMYSQL_TEST_PASSWORD" -D test_pymysql --dict \
        -e "SELECT 18446744073709551615 AS big, 12.50 AS price, TIMESTAMP'2024-02-29 12:34:56.000001' AS at,
                   TIMEDIFF('00:00:00', '25:00:01') AS negative_time, X'00FF' AS bytes, NULL AS nothing"
}

for name in "${names[@]}"; do
    echo "== $(basename "$(target "$name")")"
    case $name in
        query) query_tool ;;
        tcp-server) bash "$root/samples/tcp_server_client.sh" "$builddir/$(target "$name")" ;;   # a server: scripted client
        *) "$builddir/$(target "$name")" ;;
    esac
done
