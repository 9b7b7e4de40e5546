#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a packager and a user of an installed uvmysql get. Configures a fresh build with the
# default options, runs `meson install` into a temporary prefix and checks:
#   1. the default build built no test, sample or benchmark (only the library and uvmysql-query);
#   2. the installed files: headers with the generated version.hpp, the library with its
#      soname, uvmysql.pc, the CMake package, uvmysql-query;
#   3. the library exports only the public API: every uvmysql::detail name it exports is one
#      the installed headers declare (what their inline code calls);
#   4. a pkg-config consumer builds and runs (test/consumer/main.cpp, against the private MariaDB);
#   5. with the prefix moved elsewhere, a CMake consumer (find_package(uvmysql 0.N CONFIG),
#      target uvmysql::uvmysql) builds and runs;
#   6. find_package refuses a version of another ABI (0.N+1).
#
#   test/packaging/run.sh            (extra arguments go to `meson setup`)
#
# The last line is `N passed, N failed, N skipped`. The folder is removed on success.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/uvmysql-packaging.XXXXXX")
passed=0 failed=0
check() {   # check NAME COMMAND...: one numbered result
    local name=$1; shift
    if "$@"; then
        passed=$((passed + 1)); echo "PASS $name" >&2
    else
        failed=$((failed + 1)); echo "FAIL $name" >&2
    fi
}
finish() {
    echo "$passed passed, $failed failed, 0 skipped"
    if [[ $failed == 0 ]]; then rm -rf "$work"; else echo "packaging/run.sh: kept $work" >&2; fi
    exit $(( failed > 0 ))
}

server=$root/test/mariadb/server.sh
started=0
bash "$server" status >/dev/null 2>&1 || started=1
trap '[[ $started == 1 ]] && bash "$server" stop >/dev/null' EXIT

# --- build and install as a packager would ---------------------------------------------------
prefix=$work/prefix
if ! { meson setup --wrap-mode=nodownload -Dwerror=true --prefix "$prefix" "$@" "$work/build" "$root" >&2 \
       && meson compile -C "$work/build" -j 2 >&2 \
       && meson install -C "$work/build" >&2; }; then
    failed=1; finish
fi
libdir=$(meson introspect --buildoptions "$work/build" \
         | python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "libdir"))')
version=$(meson introspect --projectinfo "$work/build" | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
IFS=. read -r major minor _ <<<"$version"

only_library_built() {
    local extra
    extra=$(find "$work/build/test" "$work/build/samples" -type f -executable ! -name uvmysql-query 2>/dev/null)
    [[ -z $extra ]] || { echo "built by default: $extra" >&2; return 1; }
}
check "default build: no tests, samples or benchmarks" only_library_built

installed_files_ok() {
    local f missing=0
    for f in include/uvmysql/uvmysql.hpp include/uvmysql/version.hpp include/uvmysql/export.hpp \
             "$libdir/libuvmysql.so.$major.$minor" "$libdir/pkgconfig/uvmysql.pc" \
             "$libdir/cmake/uvmysql/uvmysqlConfig.cmake" "$libdir/cmake/uvmysql/uvmysqlConfigVersion.cmake" \
             bin/uvmysql-query; do
        [[ -e $prefix/$f ]] || { echo "not installed: $f" >&2; missing=1; }
    done
    for f in include/uvmysql/meson.build include/uvmysql/version.hpp.in; do
        [[ ! -e $prefix/$f ]] || { echo "installed by mistake: $f" >&2; missing=1; }
    done
    grep -q "define UVMYSQL_VERSION_STRING \"$version\"" "$prefix/include/uvmysql/version.hpp" \
        || { echo "version.hpp does not say $version" >&2; missing=1; }
    readelf -d "$prefix/$libdir/libuvmysql.so" | grep -q "SONAME.*\[libuvmysql.so.$major.$minor\]" \
        || { echo "the soname is not libuvmysql.so.$major.$minor" >&2; missing=1; }
    # Installed without an rpath (as distributions want): a private prefix needs LD_LIBRARY_PATH.
    [[ $(LD_LIBRARY_PATH=$prefix/$libdir "$prefix/bin/uvmysql-query" --version) == "uvmysql-query $version" ]] \
        || { echo "uvmysql-query --version is not $version" >&2; missing=1; }
    return $missing
}
check "installed files, soname and version" installed_files_ok

# A budget for what the library exports (docs/packaging.md): growth past it is a choice to make
# on purpose, not drift. 0.1 with typed rows and query hooks: 970 in all, 97 in detail.
max_exported=1100
max_detail_exported=120
only_public_symbols() {
    local lib=$prefix/$libdir/libuvmysql.so symbols name bad=0 total detail
    symbols=$(nm -DC --defined-only "$lib" | cut -c 18-)
    total=$(wc -l <<<"$symbols")
    detail=$(grep -c 'uvmysql::detail::' <<<"$symbols")
    echo "exported symbols: $total in all, $detail of uvmysql::detail" >&2
    if ((total > max_exported || detail > max_detail_exported)); then
        echo "more exported symbols than the budget ($max_exported, $max_detail_exported of uvmysql::detail)" >&2
        bad=1
    fi
    for name in $(grep -oE 'uvmysql::detail::[A-Za-z_][A-Za-z_0-9]*' <<<"$symbols" | sort -u); do
        grep -rqw "${name#uvmysql::detail::}" "$prefix/include/uvmysql" \
            || { echo "exported but not in the installed headers: $name" >&2; bad=1; }
    done
    return $bad
}
check "only the public API is exported" only_public_symbols

server_env=$(bash "$server" start) || { echo "the test server did not start" >&2; failed=$((failed + 1)); finish; }
eval "$server_env"

pkg_config_consumer() {
    local flags
    flags=$(PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig pkg-config --cflags --libs uvmysql) || return 1
    # shellcheck disable=SC2086  # the flags are words
    g++ -std=c++20 -Wall -Wextra -Werror "$root/test/consumer/main.cpp" $flags -o "$work/pc-consumer" >&2 \
        && LD_LIBRARY_PATH=$prefix/$libdir "$work/pc-consumer" >&2
}
check "pkg-config consumer builds and runs" pkg_config_consumer

# The CMake package must not depend on where the prefix was installed.
moved=$work/moved-prefix
mv "$prefix" "$moved"
cmake_consumer() {
    cmake -S "$root/test/packaging" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$moved" \
          -DUVMYSQL_REQUIRED_VERSION="$major.$minor" >&2 \
        && cmake --build "$work/cmake" -j 2 >&2 \
        && "$work/cmake/uvmysql-cmake-consumer" >&2
}
check "CMake consumer (find_package CONFIG, moved prefix) builds and runs" cmake_consumer

other_abi_refused() {
    ! cmake -S "$root/test/packaging" -B "$work/cmake-other" -DCMAKE_PREFIX_PATH="$moved" \
            -DUVMYSQL_REQUIRED_VERSION="$major.$((minor + 1))" >/dev/null 2>&1
}
check "find_package refuses version $major.$((minor + 1))" other_abi_refused

finish
