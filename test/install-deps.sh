#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian/Ubuntu packages uvmysql's build, tests, samples and benchmarks need,
# only those missing (apt-get update first; sudo when not root). Shared by test/run.sh and
# samples/run.sh.
set -euo pipefail

packages=(meson ninja-build g++ pkg-config libuv1-dev libmbedtls-dev libspdlog-dev libfmt-dev
          libgtest-dev libgmock-dev mariadb-server mariadb-client openssl python3 libmariadb-dev wrk
          cmake doxygen zlib1g-dev libzstd-dev clang libclang-rt-14-dev
          galera-4 mariadb-backup socat)   # the last three: the Galera test bed (test/cluster)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: not a Debian/Ubuntu system; install by hand: ${packages[*]}" >&2
    exit 0
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
done
(( ${#missing[@]} )) || exit 0
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
printf '\n== installing %s\n' "${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
