#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets (clang, ASan + UBSan, -Dfuzz=enabled) in build-fuzz/ and runs each
# for SECONDS seconds from its seed corpus, ending with the line `N passed, N failed`: a target
# passes when it ran its time without a finding; a finding (crash, sanitizer report, failed
# invariant, leak, timeout, out of memory) fails it and its input is saved in
# build-fuzz/findings/<target>/ (replay: build-fuzz/test/fuzz/<target>_fuzz FILE).
#
#   test/fuzz/run.sh [SECONDS]           every target, 15 s each by default
#   test/fuzz/run.sh 600 frame_reader    only the named targets (longer runs: docs/testing.md)
#   UVMYSQL_FUZZ_BUILDDIR=DIR            another build folder
#   UVMYSQL_FUZZ_ARGS="-jobs=2 ..."      extra libFuzzer arguments
#   UVMYSQL_NO_INSTALL=1                 never call apt-get
#
# New inputs that grow coverage go to build-fuzz/corpus/<target>/, not into the repository's seeds.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
seconds=${1:-15}
shift || true
builddir=${UVMYSQL_FUZZ_BUILDDIR:-build-fuzz}
all_targets=(frame_reader response result_reader handshake_auth column_text_row option_file format_query
             binary_row binary_param compressed_frames stmt_responses)
targets=("$@")
(( ${#targets[@]} )) || targets=("${all_targets[@]}")

fail_all() {
    echo "fuzz/run.sh: $*" >&2
    echo "0 passed, ${#targets[@]} failed"
    exit 1
}

if [[ ${UVMYSQL_NO_INSTALL:-0} != 1 ]]; then
    bash "$root/test/install-deps.sh" || fail_all "installing packages failed"
fi
command -v clang++ >/dev/null 2>&1 || fail_all "clang++ not found (Debian: apt-get install clang libclang-rt-14-dev)"

setup_opts=(--wrap-mode=nodownload -Dwerror=true -Dfuzz=enabled -Db_sanitize=address,undefined -Db_lundef=false
            -Dtests=disabled -Dsamples=disabled -Dbenchmarks=disabled -Dquery_tool=disabled -Dinstall=disabled
            -Dbuildtype=debugoptimized -Dcpp_args=-g1)
echo "== configuring $builddir" >&2
if [[ -f $builddir/meson-private/coredata.dat ]]; then
    meson setup --reconfigure "${setup_opts[@]}" "$builddir" >&2 || fail_all "meson setup failed"
else
    CC=clang CXX=clang++ meson setup "${setup_opts[@]}" "$builddir" >&2 || fail_all "meson setup failed"
fi
began=$SECONDS
echo "== building the fuzz targets" >&2
# Only the `fuzz` alias: the targets and the layers they link, not the whole library.
nice -n 15 meson compile -C "$builddir" -j "${UVMYSQL_FUZZ_JOBS:-2}" fuzz >&2 || fail_all "the build failed"
echo "== built in $((SECONDS - began)) s" >&2

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:print_stacktrace=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

passed=0 failed=0
for t in "${targets[@]}"; do
    exe=$builddir/test/fuzz/${t}_fuzz
    [[ -x $exe ]] || { echo "fuzz/run.sh: no target '$t'" >&2; failed=$((failed + 1)); continue; }
    corpus=$builddir/corpus/$t
    findings=$builddir/findings/$t
    mkdir -p "$corpus" "$findings"
    seeds=()
    [[ -d test/fuzz/corpus/$t ]] && seeds+=("test/fuzz/corpus/$t")
    dict=()
    [[ -f test/fuzz/dict/$t.dict ]] && dict=("-dict=test/fuzz/dict/$t.dict")
    log=$builddir/findings/$t.log
    # -timeout: one input taking a second is a hang; -rss_limit_mb: the decoders keep memory bounded.
    # shellcheck disable=SC2086
    nice -n 15 "$exe" "$corpus" "${seeds[@]}" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$findings/" \
        ${UVMYSQL_FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -n 1)
    secs=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' | tail -n 1)
    if [[ $rc == 0 ]]; then
        passed=$((passed + 1))
        printf '  %-18s ok      %10s runs  %7s exec/s\n' "$t" "${runs:-?}" "${secs:-?}"
    else
        failed=$((failed + 1))
        printf '  %-18s FAILED  (exit %d; input and log in %s)\n' "$t" "$rc" "$findings"
        grep -E 'ERROR|invariant failed|runtime error|SUMMARY|Test unit written' "$log" | head -n 8 | sed 's/^/      /'
    fi
done
echo "$passed passed, $failed failed"
(( failed == 0 ))
