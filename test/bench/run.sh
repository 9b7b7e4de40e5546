#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark run: uvmysql-bench against the MariaDB C connector peer, one run, one report.
#
#   test/bench/run.sh                full run (~10 min): release build in build-bench/, every
#                                    workload 3 times per side (alternating), callgrind counts,
#                                    then docs/performance.md, docs/performance.png and docs/performance-scaling.png
#   test/bench/run.sh --quick        CI check (~1 min once the data set is loaded): tiny sizes,
#                                    build/ (the CI build), checks that every workload runs and
#                                    prints valid JSON and that both sides read/wrote the same
#                                    data; asserts no timing and writes no report
#   --builddir DIR    build folder (default: build-bench, or build with --quick)
#   --runs N          runs per workload and side (default 3; 1 with --quick)
#   --no-install      never call apt-get (also: UVMYSQL_NO_INSTALL=1)
#   --results DIR     where the JSON lines go (default: BUILDDIR/bench-results)
#
# The private MariaDB comes from test/mariadb/server.sh (port: UVMYSQL_TEST_PORT, default 3307;
# folder: UVMYSQL_SERVER_DIR); it is stopped at the end if this script started it. The data set
# (test/bench/dataset.sql) is loaded when the server does not have it yet.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

quick=0
builddir=
runs=
results=
install=1
[[ ${UVMYSQL_NO_INSTALL:-0} == 1 ]] && install=0
jobs=${BENCH_JOBS:-2}

usage() { sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (( $# )); do
    case $1 in
        --quick) quick=1 ;;
        --builddir) [[ $# -ge 2 ]] || usage 2; builddir=$2; shift ;;
        --builddir=*) builddir=${1#*=} ;;
        --runs) [[ $# -ge 2 ]] || usage 2; runs=$2; shift ;;
        --runs=*) runs=${1#*=} ;;
        --results) [[ $# -ge 2 ]] || usage 2; results=$2; shift ;;
        --results=*) results=${1#*=} ;;
        --no-install) install=0 ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
    shift
done
if [[ -z $builddir ]]; then builddir=$([[ $quick == 1 ]] && echo build || echo build-bench); fi
[[ $builddir == /* ]] || builddir=$root/$builddir
if [[ -z $runs ]]; then runs=$([[ $quick == 1 ]] && echo 1 || echo 3); fi
[[ -n $results ]] || results=$builddir/bench-results
say() { printf '\n== %s\n' "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

# --- 1. packages: the build's, plus valgrind and matplotlib for the full report -------------

deb_missing() {  # prints the packages of "$@" that dpkg does not have installed
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || echo "$p"
    done
}
if [[ $install == 1 ]]; then
    bash "$root/test/install-deps.sh"
    if [[ $quick == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        mapfile -t extra < <(deb_missing valgrind python3-matplotlib)
        if (( ${#extra[@]} )); then
            say "installing ${extra[*]}"
            sudo=(); [[ $(id -u) -ne 0 ]] && sudo=(sudo)
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                "${extra[@]}" >&2 || echo "run.sh: could not install ${extra[*]}" >&2
        fi
    fi
fi

# --- 2. build --------------------------------------------------------------------------------

if [[ ! -f $builddir/build.ninja ]]; then
    setup=(--wrap-mode=nodownload -Dwerror=true -Dbenchmarks=enabled)
    [[ $quick == 0 ]] && setup+=(-Dbuildtype=release)
    say "configuring $builddir"
    meson setup "$builddir" "$root" "${setup[@]}" >&2
else
    meson configure "$builddir" -Dbenchmarks=enabled >&2   # benchmarks are off by default
    # Regenerate now: target lookups below read the build files, which `meson configure` leaves stale.
    ninja -C "$builddir" build.ninja >/dev/null
fi
targets=(test/bench/uvmysql-bench)
if ninja -C "$builddir" -t targets all 2>/dev/null | grep -q '^test/bench/peer-libmariadb:'; then
    targets+=(test/bench/peer-libmariadb)
else
    echo "run.sh: libmariadb (libmariadb-dev) was not found when $builddir was configured: no peer" >&2
fi
say "building ${targets[*]}"
ninja -j "$jobs" -C "$builddir" "${targets[@]}" >&2
bench_bin=$builddir/test/bench/uvmysql-bench
peer_bin=$builddir/test/bench/peer-libmariadb
[[ -x $bench_bin ]] || die "$bench_bin was not built"
sides=(uvmysql)
[[ -x $peer_bin && ${#targets[@]} -gt 1 ]] && sides+=(libmariadb)

# --- 3. server and data set ------------------------------------------------------------------

server=$root/test/mariadb/server.sh
started=0
if ! bash "$server" status >/dev/null 2>&1; then started=1; fi
galera=$root/test/cluster/galera.sh
galera_started=0
stop_server() {
    if [[ $started == 1 ]]; then started=0; bash "$server" stop >/dev/null || true; fi
    if [[ $galera_started == 1 ]]; then galera_started=0; bash "$galera" stop >/dev/null 2>&1 || true; fi
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
eval "$(bash "$server" start)"
port=$UVMYSQL_TEST_PORT
client=$(command -v mariadb || command -v mysql) || die "no mariadb client (apt-get install mariadb-client)"
sql() { "$client" --no-defaults --protocol=socket --socket="$UVMYSQL_TEST_SOCKET" -uroot -N -B "$@"; }

dataset_version=uvmysql-bench-1
if [[ $(sql -e "SELECT version FROM bench.bench_dataset" 2>/dev/null || true) != "$dataset_version" ]]; then
    say "loading the data set (test/bench/dataset.sql)"
    t0=$SECONDS
    sql <"$root/test/bench/dataset.sql" || die "loading the data set failed"
    echo "run.sh: data set loaded in $((SECONDS - t0)) s" >&2
fi

# --- 4. the runs -----------------------------------------------------------------------------

# W2-1024 holds 1,024 sockets in one process (and the C side 1,024 threads).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

mkdir -p "$results"
jsonl=$results/results.jsonl
: >"$jsonl"
failures=0
common=(--host 127.0.0.1 --port "$port" --user root)

# run_one SIDE TAG RUN ARGS...: runs one side once and appends its JSON, tagged, to $jsonl.
run_one() {
    local side=$1 tag=$2 run=$3; shift 3
    local bin=$bench_bin out rc=0
    [[ $side == libmariadb ]] && bin=$peer_bin
    out=$("$bin" "${common[@]}" "$@" 2>"$results/stderr.txt") || rc=$?
    if [[ $rc == 3 ]]; then
        printf '{"peer":"%s","tag":"%s","run":%d,"unsupported":true}\n' "$side" "$tag" "$run" >>"$jsonl"
        printf '  %-10s %-7s run %d: unsupported\n' "$side" "$tag" "$run" >&2
        return 0
    fi
    if [[ $rc != 0 ]] || ! python3 -c 'import json,sys; json.loads(sys.argv[1])' "$out" 2>/dev/null; then
        failures=$((failures + 1))
        printf '  %-10s %-7s run %d: FAILED (exit status %d)\n' "$side" "$tag" "$run" "$rc" >&2
        sed 's/^/    /' "$results/stderr.txt" >&2
        printf '{"peer":"%s","tag":"%s","run":%d,"failed":true,"exit":%d}\n' "$side" "$tag" "$run" "$rc" >>"$jsonl"
        return 0
    fi
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["tag"]=sys.argv[2]; d["run"]=int(sys.argv[3]); print(json.dumps(d))' \
        "$out" "$tag" "$run" >>"$jsonl"
    python3 - "$out" "$side" "$tag" "$run" >&2 <<'EOF'
import json, sys
d = json.loads(sys.argv[1])
keys = ["qps", "cpu_us_per_op", "lat_p50_us", "rows_per_s", "cpu_s_per_1M_rows", "maxrss_kb", "server_bytes_sent"]
print("  %-10s %-7s run %s: " % tuple(sys.argv[2:5]) + ", ".join("%s %.4g" % (k, d[k]) for k in keys if k in d))
EOF
}

if [[ $quick == 1 ]]; then
    workloads=(
        "W1|--workload W1 --n 200 --warmup 20"
        "W1o|--workload W1 --n 200 --warmup 20 --observer trivial"
        "W1p|--workload W1p --n 200 --warmup 20 --tasks 16"
        "W2|--workload W2 --duration 1"
        "W2-2loops|--workload W2 --duration 1 --loops 2"
        "W2-pinned|--workload W2 --duration 1 --tasks 16 --pool 0"
        "W2-256|--workload W2 --duration 1 --conns 256 --tasks 1024"
        "W2-1024|--workload W2 --duration 1 --conns 1024 --tasks 4096"
        "W3|--workload W3 --db bench_small --reps 1"
        "W3s|--workload W3s --db bench_small --reps 1"
        "W3t|--workload W3t --db bench_small --reps 1"
        "W3z|--workload W3z --db bench_small --reps 1"
        "W4|--workload W4 --rows 2000 --batch 100"
        "W4p|--workload W4p --rows 2000 --batch 100"
        "W5|--workload W5 --n 200 --warmup 20"
        "W5t|--workload W5t --n 200 --warmup 20"
    )
else
    workloads=(
        "W1|--workload W1 --n 20000 --warmup 1000 --seed 42"
        "W1o|--workload W1 --n 20000 --warmup 1000 --seed 42 --observer trivial"
        "W1p|--workload W1p --n 20000 --warmup 1000 --tasks 16 --seed 42"
        "W2|--workload W2 --duration 10 --conns 16 --tasks 64 --seed 42"
        "W2-2loops|--workload W2 --duration 10 --conns 16 --tasks 64 --loops 2 --seed 42"
        "W2-pinned|--workload W2 --duration 10 --conns 16 --tasks 16 --pool 0 --seed 42"
        "W2-256|--workload W2 --duration 10 --conns 256 --tasks 1024 --seed 42"
        "W2-1024|--workload W2 --duration 10 --conns 1024 --tasks 4096 --seed 42"
        "W3|--workload W3 --reps 3"
        "W3s|--workload W3s --reps 3"
        "W3t|--workload W3t --reps 3"
        "W3z|--workload W3z --reps 3"
        "W4|--workload W4 --rows 100000 --batch 1000 --seed 42"
        "W4p|--workload W4p --rows 100000 --batch 1000 --seed 42"
        "W5|--workload W5 --n 20000 --warmup 1000 --seed 42"
        "W5t|--workload W5t --n 20000 --warmup 1000 --seed 42"
    )
fi

uptime >"$results/load-start.txt"
say "workloads: $runs run(s) per side, sides alternating (${sides[*]})"
for (( run = 1; run <= runs; ++run )); do
    order=("${sides[@]}")
    if (( run % 2 == 0 && ${#sides[@]} == 2 )); then order=("${sides[1]}" "${sides[0]}"); fi
    for w in "${workloads[@]}"; do
        tag=${w%%|*}
        read -r -a args <<<"${w#*|}"
        for side in "${order[@]}"; do
            # W1o is W1 with a trivial uvmysql::Observer: the C side has nothing to compare.
            [[ $tag == W1o && $side != uvmysql ]] && continue
            run_one "$side" "$tag" "$run" "${args[@]}"
        done
    done
done
if [[ $quick == 0 ]]; then
    # W3s memory must not grow with the result: the same workload over 2,000,000 rows.
    for side in "${sides[@]}"; do run_one "$side" W3s-2M 1 --workload W3s --db bench_x10 --reps 1; done
    # W2c: a node of a private Galera cluster killed under load (uvmysql only: the C connector has
    # no failover). The quick form runs in the cluster suite's step (test/cluster/run.sh).
    bash "$galera" status >/dev/null 2>&1 || galera_started=1
    say "W2c: starting the Galera cluster (test/cluster/galera.sh)"
    if galera_env=$(bash "$galera" start 2>"$results/galera.log"); then
        eval "$galera_env"
        for (( run = 1; run <= runs; ++run )); do
            run_one uvmysql W2c "$run" --workload W2c --hosts "$UVMYSQL_GALERA_HOSTS" --user "$UVMYSQL_GALERA_USER" \
                --password "$UVMYSQL_GALERA_PASSWORD" --db "$UVMYSQL_GALERA_DB" --conns 15 --tasks 64 --duration 10 \
                --kill-at 3 --kill-cmd "bash $galera kill 2 >/dev/null 2>&1"
            bash "$galera" restart 2 >>"$results/galera.log" 2>&1 || { echo "run.sh: node 2 did not come back" >&2; break; }
        done
        if [[ $galera_started == 1 ]]; then galera_started=0; bash "$galera" stop >>"$results/galera.log" 2>&1; fi
    else
        echo "run.sh: the Galera cluster did not start (see $results/galera.log): no W2c" >&2
        failures=$((failures + 1))
    fi
fi
uptime >"$results/load-end.txt"

# --- 5. instruction counts (callgrind), full run only ----------------------------------------

callgrind_json=$results/callgrind.json
echo '{}' >"$callgrind_json"
if [[ $quick == 0 ]] && command -v valgrind >/dev/null 2>&1; then
    say "callgrind: W1, W1o, W5 and W5t (2,000 queries), W3, W3s and W3t (20,000 rows of bench_small.wide), W2 and W2-pinned (3 s), measured loop only"
    for side in "${sides[@]}"; do
        bin=$bench_bin
        [[ $side == libmariadb ]] && bin=$peer_bin
        specs=("W1|2000|--workload W1 --n 2000 --warmup 200" "W5|2000|--workload W5 --n 2000 --warmup 200"
               "W5t|2000|--workload W5t --n 2000 --warmup 200"
               "W3|20000|--workload W3 --db bench_small --reps 1"
               "W3s|20000|--workload W3s --db bench_small --reps 1"
               "W3t|20000|--workload W3t --db bench_small --reps 1"
               "W2|ops|--workload W2 --duration 3" "W2-pinned|ops|--workload W2 --duration 3 --tasks 16 --pool 0")
        # The observer's cost: W1 with a trivial Observer (uvmysql only).
        [[ $side == uvmysql ]] && specs+=("W1o|2000|--workload W1 --n 2000 --warmup 200 --observer trivial")
        for spec in "${specs[@]}"; do
            IFS='|' read -r tag units rest <<<"$spec"
            read -r -a args <<<"$rest"
            out=$results/callgrind.$side.$tag.out
            # A timed workload (units "ops") counts its queries in its JSON.
            if json=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
                    "$bin" "${common[@]}" "${args[@]}" 2>"$results/callgrind.$side.$tag.log") &&
               { [[ $units != ops ]] || units=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["ops"])' "$json"); }; then
                total=$(awk '/^totals:/ { print $2 }' "$out")
                callgrind_annotate --inclusive=no "$out" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n '3,22p' \
                    >"$results/callgrind.$side.$tag.top.txt" || true
                python3 - "$callgrind_json" "$side" "$tag" "$total" "$units" <<'EOF'
import json, sys
path, side, tag, total, units = sys.argv[1:]
d = json.load(open(path))
d.setdefault(side, {})[tag] = {"instructions": int(total), "units": int(units),
                               "per_unit": int(total) / int(units)}
json.dump(d, open(path, "w"), indent=1)
EOF
                printf '  %-10s %-3s %s instructions / %s = %.0f\n' "$side" "$tag" "$total" "$units" \
                    "$(python3 -c "print($total / $units)")" >&2
            else
                failures=$((failures + 1))
                echo "  $side $tag under callgrind: FAILED (see $results/callgrind.$side.$tag.log)" >&2
            fi
        done
    done
elif [[ $quick == 0 ]]; then
    echo "run.sh: valgrind not found: no instruction counts" >&2
fi

# --- 6. checks (quick) or report (full) -------------------------------------------------------

if [[ $quick == 1 ]]; then
    say "checking the JSON of every run"
    python3 "$root/test/bench/report.py" check "$jsonl" || failures=$((failures + 1))
else
    # Machine facts for the report.
    {
        echo "nproc=$(nproc)"
        echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
        echo "mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
        echo "kernel=$(uname -sr)"
        echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
        echo "compiler=$(c++ --version | head -n 1)"
        echo "libuv=$(pkg-config --modversion libuv 2>/dev/null || echo '?')"
        echo "libmariadb=$(pkg-config --modversion libmariadb 2>/dev/null || echo '?')"
        echo "server=$(sql -e 'SELECT VERSION()')"
        echo "buildtype=$(meson introspect --buildoptions "$builddir" 2>/dev/null | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))' 2>/dev/null || echo '?')"
        echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
        echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "load_start=$(sed 's/.*load average: //' "$results/load-start.txt")"
        echo "load_end=$(sed 's/.*load average: //' "$results/load-end.txt")"
    } >"$results/machine.txt"
    # matplotlib from Debian's python3-matplotlib: the system interpreter, whatever is first on PATH.
    py=python3
    for candidate in /usr/bin/python3 python3; do
        if "$candidate" -c 'import matplotlib' 2>/dev/null; then py=$candidate; break; fi
    done
    say "writing docs/performance.md"
    "$py" "$root/test/bench/report.py" report "$results" "$root/docs/performance.md" "$root/docs/performance.png" \
        || failures=$((failures + 1))
fi

# --- 7. a server's view: the HTTP sample under wrk, from the pool and from a string --------

say "samples/tcp_server.cpp's HTTP mode under wrk (test/bench/http_server.sh)"
http_args=(--builddir "$builddir" --no-install)
[[ $quick == 1 ]] && http_args+=(--duration 1 --connections 16)
bash "$root/test/bench/http_server.sh" "${http_args[@]}" | tee "$results/http_server.txt" || failures=$((failures + 1))

if (( failures )); then
    echo "run.sh: $failures failure(s)" >&2
    exit 1
fi
echo "run.sh: done$([[ $quick == 1 ]] && echo ' (quick: every workload ran and printed valid JSON)')" >&2
