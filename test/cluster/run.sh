#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cluster suite: starts the 3-node Galera cluster (galera.sh) and the primary/replica pair
# (replica.sh) ONCE, runs the `cluster` meson suite of each given build folder against them, and
# always stops them again (EXIT trap).
# Ends with one `N passed, N failed, N skipped` line over all the build folders.
#
#   test/cluster/run.sh                      build/ only (it must be built with -Dtests=enabled)
#   test/cluster/run.sh build build-san      both, against the same cluster
#   test/cluster/run.sh --no-install ...     never call apt-get (also: UVMYSQL_NO_INSTALL=1)
#
# The builds are made by test/run.sh (CI runs it first); this script only builds the one test
# binary if it is missing or stale. Servers that were already running are used and left running.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

install=1
[[ ${UVMYSQL_NO_INSTALL:-0} == 1 ]] && install=0
builddirs=()
for a in "$@"; do
    case $a in
        --no-install) install=0 ;;
        -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) builddirs+=("$a") ;;
    esac
done
(( ${#builddirs[@]} )) || builddirs=(build)

say() { printf '\n== %s\n' "$*" >&2; }
fail_all() { echo "cluster/run.sh: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

if [[ $install == 1 ]]; then
    bash "$root/test/install-deps.sh" || fail_all "installing packages failed"
fi

cluster_started=0 replica_started=0
stop_cluster() {
    if [[ $cluster_started == 1 ]]; then
        cluster_started=0
        say "stopping the Galera cluster"
        test/cluster/galera.sh stop >&2 || true
    fi
    if [[ $replica_started == 1 ]]; then
        replica_started=0
        say "stopping the primary and the replica"
        test/cluster/replica.sh stop >&2 || true
    fi
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

began=$SECONDS
test/cluster/galera.sh status >/dev/null 2>&1 || cluster_started=1
say "starting the Galera cluster (test/cluster/galera.sh start)"
cluster_env=$(test/cluster/galera.sh start) || fail_all "the Galera cluster did not start"
eval "$cluster_env"
say "cluster up after $((SECONDS - began)) s"
test/cluster/replica.sh status >/dev/null 2>&1 || replica_started=1
say "starting the primary and the replica (test/cluster/replica.sh start)"
replica_env=$(test/cluster/replica.sh start) || fail_all "the primary and the replica did not start"
eval "$replica_env"
say "primary and replica up after $((SECONDS - began)) s"

# As test/run.sh --sanitize sets them (only a sanitizer build reads them).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

passed=0 failed=0 skipped=0
for b in "${builddirs[@]}"; do
    say "meson test -C $b --suite cluster"
    python3 test/summarize.py "$b" --clean
    # Only the suite's binary is (re)built: `meson test` alone would rebuild the whole folder.
    if meson compile -C "$b" -j 2 uvmysql-cluster-tests >&2; then
        meson test -C "$b" --no-rebuild --suite cluster --print-errorlogs --timeout-multiplier 3
        rc=$?
    else
        echo "cluster/run.sh: building the cluster suite in $b failed" >&2
        rc=1
    fi
    line=$(python3 test/summarize.py "$b" --meson-rc "$rc" | tail -n 1)
    echo "$b: $line"
    [[ $line =~ ([0-9]+)\ passed ]] && passed=$((passed + BASH_REMATCH[1]))
    [[ $line =~ ([0-9]+)\ failed ]] && failed=$((failed + BASH_REMATCH[1]))
    [[ $line =~ ([0-9]+)\ skipped ]] && skipped=$((skipped + BASH_REMATCH[1]))
    [[ $line =~ [0-9]+\ passed ]] || failed=$((failed + 1))
done
# W2c, quick: the benchmark's failover workload on the same cluster (node 2 killed 1 s into a
# 4 s run); reads must be answered after the kill. Its figures come from test/bench/run.sh.
b=${builddirs[0]}
say "W2c (uvmysql-bench): node 2 killed under load"
if meson configure "$b" -Dbenchmarks=enabled >&2 && ninja -C "$b" build.ninja >/dev/null &&
   ninja -C "$b" -j 2 test/bench/uvmysql-bench >&2 &&
   w2c=$("$b/test/bench/uvmysql-bench" --workload W2c --hosts "$UVMYSQL_GALERA_HOSTS" --user "$UVMYSQL_GALERA_USER" \
             --password "$UVMYSQL_GALERA_PASSWORD" --db "$UVMYSQL_GALERA_DB" --conns 6 --tasks 16 --duration 4 \
             --kill-at 1 --kill-cmd "test/cluster/galera.sh kill 2 >/dev/null 2>&1" 2>/dev/null) &&
   python3 - "$w2c" <<'EOF'
import json, sys
d = json.loads(sys.argv[1])
print(f"W2c: {d['ops']} reads, {d['qps']:.0f}/s, failover gap {d['failover_gap_ms']:.1f} ms, {d['errors']} failed")
sys.exit(0 if d["ops"] > 0 and 0 < d["failover_gap_ms"] < 3000 else 1)
EOF
then
    passed=$((passed + 1))
else
    echo "cluster/run.sh: W2c failed" >&2
    failed=$((failed + 1))
fi

stop_cluster
say "cluster step: $((SECONDS - began)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]]
