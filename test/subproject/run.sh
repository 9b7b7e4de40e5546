#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs test/subproject, a consumer project that gets uvmysql with
# dependency('uvmysql') through subprojects/uvmysql, exactly as a user's project would: linked
# statically (-Duvmysql:default_library=static, as docs/packaging.md advises), and checked to
# install nothing into the parent's prefix.
#
#   test/subproject/run.sh            (extra arguments go to `meson setup`)
#
# The consumer is set up in a temporary folder whose subprojects/uvmysql is a symlink to this
# repository (a symlink committed inside the repository would point at its own ancestor and
# make tools that follow links loop). The folder is removed on success and kept on failure.
# The consumer talks to the private test server: it is started here when it is not running
# (and stopped again at the end). The last line is `N passed, N failed, N skipped` (one test:
# the consumer program).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/test/subproject
work=$(mktemp -d "${TMPDIR:-/tmp}/uvmysql-consumer.XXXXXX")

fail() {
    echo "subproject/run.sh: $* (kept $work)" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

server=$root/test/mariadb/server.sh
started=0
bash "$server" status >/dev/null 2>&1 || started=1
trap '[[ $started == 1 ]] && bash "$server" stop >/dev/null' EXIT
server_env=$(bash "$server" start) || fail "the test server did not start"
eval "$server_env"

cp "$here/meson.build" "$root/test/consumer/main.cpp" "$work/"
mkdir "$work/subprojects"
ln -s "$root" "$work/subprojects/uvmysql"

echo "== consumer project in $work" >&2
meson setup --wrap-mode=nodownload -Dwerror=true -Duvmysql:default_library=static "$@" "$work/build" "$work" >&2 \
    || fail "meson setup failed"
meson compile -C "$work/build" -j 2 >&2 || fail "the consumer did not build"
meson test -C "$work/build" --print-errorlogs >&2 || fail "the consumer program failed"
"$work/build/uvmysql-consumer" >&2
meson install -C "$work/build" --destdir "$work/stage" >&2 || fail "meson install failed"
installed=$(find "$work/stage" -type f 2>/dev/null || true)   # no folder: nothing installed
[[ -z $installed ]] || fail "the subproject installed files into the parent's prefix: $installed"
rm -rf "$work"
echo "1 passed, 0 failed, 0 skipped"
