#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one test command: installs what is missing (Debian/Ubuntu), configures and builds with
# -Dwerror=true, starts the private MariaDB (test/mariadb/server.sh), runs every test suite and
# ends with the line `N passed, N failed, N skipped` counting individual GoogleTest cases.
#
#   test/run.sh                     plain build in build/, all suites
#   test/run.sh --sanitize          ASan + UBSan build in build-san/ (leaks are failures too)
#   test/run.sh --suite unit        only that meson suite (repeatable: unit, fake, integration,
#                                   fault, docs); the fault suite starts its own MariaDB; the
#                                   cluster suite is left out unless named (test/cluster/run.sh)
#   test/run.sh --builddir DIR      another build folder
#   test/run.sh --no-install        never call apt-get (also: UVMYSQL_NO_INSTALL=1)
#   test/run.sh -- ARGS...          extra arguments for `meson test` (a test name, --repeat 3...)
#   test/run.sh --fuzz SECONDS      only the libFuzzer targets, SECONDS each (test/fuzz/run.sh)
#
# Exit status 0 only when nothing failed. The server is stopped at the end if this run started
# it; a server that was already running is left running.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

sanitize=0
builddir=
suites=()
extra=()
install=1
fuzz_seconds=
[[ ${UVMYSQL_NO_INSTALL:-0} == 1 ]] && install=0

usage() { sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while (( $# )); do
    case $1 in
        --sanitize) sanitize=1 ;;
        --suite) [[ $# -ge 2 ]] || usage 2; suites+=("$2"); shift ;;
        --suite=*) suites+=("${1#*=}") ;;
        --builddir) [[ $# -ge 2 ]] || usage 2; builddir=$2; shift ;;
        --builddir=*) builddir=${1#*=} ;;
        --no-install) install=0 ;;
        --fuzz) [[ $# -ge 2 ]] || usage 2; fuzz_seconds=$2; shift ;;
        --fuzz=*) fuzz_seconds=${1#*=} ;;
        -h|--help) usage 0 ;;
        --) shift; extra=("$@"); break ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
    shift
done
if [[ -n $fuzz_seconds ]]; then
    # Its own clang build (build-fuzz/) and its own `N passed, N failed` line, one per target.
    [[ $install == 1 ]] || export UVMYSQL_NO_INSTALL=1
    exec "$root/test/fuzz/run.sh" "$fuzz_seconds"
fi
[[ -n $builddir ]] || builddir=$([[ $sanitize == 1 ]] && echo build-san || echo build)

say() { printf '\n== %s\n' "$*" >&2; }

# Ends the run without tests having run: still one failure on the last line.
abort() {
    echo "run.sh: $*" >&2
    stop_server
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

# --- 1. packages -----------------------------------------------------------------------------

[[ $install == 1 ]] && { bash "$root/test/install-deps.sh" || abort "installing packages failed"; }

# --- 2. configure and build ------------------------------------------------------------------

setup_opts=(--wrap-mode=nodownload -Dwerror=true -Dtests=enabled)
if [[ $sanitize == 1 ]]; then
    # Only the tests: samples and benchmarks are checked in the plain build.
    setup_opts+=(-Db_sanitize=address,undefined -Db_lundef=false -Dsamples=disabled -Dbenchmarks=disabled)
    # Line tables only (-g1 after Meson's -g): sanitizer reports keep file:line, and the build,
    # the longest step of CI, takes about half the time of full debug info.
    if command -v clang++ >/dev/null 2>&1; then
        # clang when installed: it compiles this build about 2.5 times faster than GCC (and the
        # plain build already covers GCC). Its `function` check is off: clang 14 cannot emit
        # it for coroutines ("cannot represent a difference across sections").
        export CC=clang CXX=clang++
        setup_opts+=("-Dcpp_args=-g1 -fno-sanitize=function")
    else
        setup_opts+=(-Dcpp_args=-g1)
    fi
    # Ours first, so a caller's own *SAN_OPTIONS still win.
    export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
fi

server_started=0
stop_server() {
    if [[ $server_started == 1 ]]; then
        server_started=0
        test/mariadb/server.sh stop || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "configuring $builddir (${setup_opts[*]})"
# A build folder made with another compiler cannot be reconfigured to this one: start afresh.
if [[ -n ${CXX:-} && -f $builddir/compile_commands.json ]]; then
    used=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["command"].split()[0])' \
           "$builddir/compile_commands.json" 2>/dev/null || true)
    if [[ -n $used && $used != "$CXX" ]]; then rm -rf "$builddir"; fi
fi
if [[ -f $builddir/meson-private/coredata.dat ]]; then
    meson setup --reconfigure "${setup_opts[@]}" "$builddir" >&2 \
        || meson setup --wipe "${setup_opts[@]}" "$builddir" >&2 \
        || abort "meson setup failed"
else
    meson setup "${setup_opts[@]}" "$builddir" >&2 || abort "meson setup failed"
fi

say "building $builddir"
meson compile -C "$builddir" -j 2 >&2 || abort "the build failed"

# --- 3. the private MariaDB (only when a selected suite may need it) -------------------------

needs_server=1
if (( ${#suites[@]} )); then
    needs_server=0
    for s in "${suites[@]}"; do
        [[ $s =~ ^(.*:)?(unit|fake|fault|docs|cluster)$ ]] || needs_server=1
    done
fi
if [[ $needs_server == 1 ]]; then
    if ! test/mariadb/server.sh status >/dev/null 2>&1; then
        server_started=1
    fi
    say "starting the test server (test/mariadb/server.sh start)"
    server_env=$(test/mariadb/server.sh start) || abort "the test server did not start"
    eval "$server_env"
fi

# --- 4. tests --------------------------------------------------------------------------------

test_opts=(-C "$builddir" --print-errorlogs)
for s in "${suites[@]}"; do test_opts+=(--suite "$s"); done
# The cluster suite needs the Galera cluster: test/cluster/run.sh starts it and runs the suite.
(( ${#suites[@]} )) || test_opts+=(--no-suite cluster)
[[ $sanitize == 1 ]] && test_opts+=(--timeout-multiplier 3)
# The docs suite compiles snippets and the API reference against the headers alone: checked in
# the plain build; under the sanitizers it would only cost CI minutes.
[[ $sanitize == 1 && ${#suites[@]} == 0 ]] && test_opts+=(--no-suite docs)

python3 test/summarize.py "$builddir" --clean
say "meson test ${test_opts[*]} ${extra[*]}"
set +e
meson test "${test_opts[@]}" "${extra[@]}"
meson_rc=$?
set -e

stop_server
# The fault suite stops its own server when it ends; after a crash of that binary, do it here.
fault_port=${UVMYSQL_FAULT_PORT:-$(( ${UVMYSQL_TEST_PORT:-3307} + 1000 ))}
if UVMYSQL_TEST_PORT=$fault_port UVMYSQL_SERVER_DIR= test/mariadb/server.sh status >/dev/null 2>&1; then
    UVMYSQL_TEST_PORT=$fault_port UVMYSQL_SERVER_DIR= test/mariadb/server.sh stop || true
fi

# --- 5. summary: its last line is the last line of this script's output ---------------------
echo
python3 test/summarize.py "$builddir" --meson-rc "$meson_rc"
