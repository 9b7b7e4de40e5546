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
[ ${#names[@]} -gt 0 ] || names=(basic-then basic-coro stored-procedure executemany transaction dict-cursor custom-row ss-cursor pool tcp-server transaction-scoped xa)

if [ "$install" = 1 ]; then bash "$root/test/install-deps.sh"; fi
if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$root" --wrap-mode=nodownload -Dwerror=true
fi
meson compile -C "$builddir" $(printf 'samples/sample-%s ' "${names[@]}")

server="$root/test/mariadb/server.sh"
started=0
if ! bash "$server" status >/dev/null 2>&1; then started=1; fi
eval "$(bash "$server" start)"
trap '[ "$started" = 1 ] && bash "$server" stop >/dev/null' EXIT

for name in "${names[@]}"; do
    echo "== sample-$name"
    case $name in
        tcp-server) bash "$root/samples/tcp_server_client.sh" "$builddir/samples/sample-tcp-server" ;;   # a server: scripted client
        *) "$builddir/samples/sample-$name" ;;
    esac
done
