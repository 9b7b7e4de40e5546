#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The benchmark run's JSON, checked (--quick) or turned into docs/performance.md and its chart.

    report.py check RESULTS.jsonl
    report.py report RESULTS_DIR OUT.md OUT.png

RESULTS_DIR holds what test/bench/run.sh wrote: results.jsonl (one JSON object per run, tagged
with "tag" and "run"), callgrind.json, callgrind.*.top.txt and machine.txt. The hand-written
analysis in test/bench/profile-notes.md is copied into the page.
"""
import json
import os
import re
import statistics
import sys

ALWAYS = ["peer", "driver", "workload", "wall_s", "cpu_user_s", "cpu_sys_s", "cpu_s", "maxrss_kb", "params"]
OPS = ["ops", "qps", "cpu_us_per_op", "lat_mean_us", "lat_p50_us", "lat_p99_us", "lat_max_us"]
ROWS = ["rows", "rows_per_s", "cpu_s_per_1M_rows"]
WIRE = ["server_bytes_sent", "server_bytes_received"]
FIELDS = {"W1": OPS, "W1p": OPS, "W2": OPS, "W5": OPS, "W5t": OPS, "W2c": OPS + ["errors", "failover_gap_ms"], "W3": ROWS + WIRE, "W3s": ROWS + WIRE, "W3t": ROWS + WIRE, "W3z": ROWS + WIRE,
          "W4": ROWS + ["table_checksum"], "W4p": ROWS + ["table_checksum"]}
WIDE_CHECK = ["null_fields", "sum_i", "blob_bytes"]
PEER = "libmariadb"
US = "uvmysql"


def load(path):
    runs = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    runs.append(json.loads(line))
                except ValueError as e:
                    raise SystemExit(f"{path}:{n}: not JSON: {e}")
    return runs


# --- check -------------------------------------------------------------------------------------

def check(path):
    runs = load(path)
    problems = []
    ok = 0
    for r in runs:
        label = f"{r.get('peer')} {r.get('tag')} run {r.get('run')}"
        if r.get("failed"):
            problems.append(f"{label}: failed (exit status {r.get('exit')})")
            continue
        if r.get("unsupported"):
            # The C connector has no pipelining: W1p is compared with its W1; W4p (bulk
            # executemany) is compared with its text-protocol W4.
            if r.get("peer") == PEER and r.get("tag") not in ("W1p", "W4p", "W2c"):
                problems.append(f"{label}: the C connector peer must implement every workload")
            print(f"  {label}: unsupported (exit status 3)")
            continue
        workload = r.get("workload")
        missing = [k for k in ALWAYS + FIELDS.get(workload, []) if k not in r]
        if missing:
            problems.append(f"{label}: missing {', '.join(missing)}")
            continue
        bad = [k for k in ALWAYS + FIELDS[workload]
               if k not in ("peer", "driver", "workload", "params", "table_checksum")
               and not isinstance(r[k], (int, float))]
        if bad or not isinstance(r["params"], dict) or r["peer"] not in (US, PEER):
            problems.append(f"{label}: bad values for {', '.join(bad) or 'params/peer'}")
            continue
        count = r.get("ops", r.get("rows", 0))
        if count <= 0:
            problems.append(f"{label}: nothing measured")
            continue
        ok += 1
        print(f"  {label}: ok ({count} {'ops' if 'ops' in r else 'rows'})")

    # Both sides must have read and written the same data.
    def same(tag, keys):
        seen = {}
        for r in runs:
            if r.get("tag") == tag and all(k in r for k in keys):
                seen.setdefault(tuple(r[k] for k in keys), []).append(r["peer"])
        if len(seen) > 1:
            problems.append(f"{tag}: the sides disagree on {', '.join(keys)}: {seen}")
        elif seen:
            print(f"  {tag}: every run agrees on {', '.join(keys)}")
    for tag in ("W3", "W3s", "W3t", "W3z", "W3s-2M"):
        same(tag, WIDE_CHECK)
    same("W4", ["table_checksum"])
    same("W1", ["sink"])
    same("W5", ["sink"])
    same("W5t", ["sink"])
    # W1p reads the same rows as W1, sixteen at a time: the same sink.
    w1 = {r["sink"] for r in runs if r.get("tag") == "W1" and "sink" in r}
    w1p = {r["sink"] for r in runs if r.get("tag") == "W1p" and "sink" in r}
    if w1 and w1p and w1 != w1p:
        problems.append(f"W1p: its sink {sorted(w1p)} differs from W1's {sorted(w1)}")
    # W4p inserts W4's rows through the binary protocol: the same table checksum.
    w4 = {r["table_checksum"] for r in runs if r.get("tag") == "W4" and "table_checksum" in r}
    w4p = {r["table_checksum"] for r in runs if r.get("tag") == "W4p" and "table_checksum" in r}
    if w4 and w4p and w4 != w4p:
        problems.append(f"W4p: its table checksum {sorted(w4p)} differs from W4's {sorted(w4)}")
    if problems:
        for p in problems:
            print(f"  PROBLEM: {p}")
        print(f"bench check: {ok} run(s) ok, {len(problems)} problem(s)")
        return 1
    print(f"bench check: {ok} run(s) ok, every JSON object complete, both sides agree on the data")
    return 0


# --- report ------------------------------------------------------------------------------------

def med(xs):
    return statistics.median(xs) if xs else None


def fmt(v, digits=3):
    if v is None:
        return "–"
    if isinstance(v, int) or (abs(v) >= 1000):
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


class Results:
    def __init__(self, runs):
        self.runs = [r for r in runs if not r.get("failed")]

    def values(self, side, tag, key):
        """Values of `key` for side/tag, by run number."""
        return {r["run"]: r[key] for r in self.runs
                if r.get("peer") == side and r.get("tag") == tag and key in r}

    def unsupported(self, side, tag):
        return any(r.get("unsupported") for r in self.runs if r.get("peer") == side and r.get("tag") == tag)

    def ratio(self, tag, key, peer_tag=None):
        """uvmysql/peer per paired run: (median, min, max), or None. `peer_tag`: the peer's
        workload to compare with, when it has none of its own (W1p against its W1); "self:TAG"
        compares with uvmysql's own TAG (W3t against uvmysql's W3)."""
        side = PEER
        if peer_tag and peer_tag.startswith("self:"):
            side, peer_tag = US, peer_tag[len("self:"):]
        u, p = self.values(US, tag, key), self.values(side, peer_tag or tag, key)
        rs = [u[i] / p[i] for i in sorted(u) if i in p and p[i]]
        if not rs:
            return None
        return med(rs), min(rs), max(rs)


def top_functions(path):
    """(function, instructions, share, object) from a callgrind_annotate listing, arguments cut."""
    out = []
    pattern = re.compile(r"^\s*([\d,]+)\s+\(\s*([\d.]+%)\)\s+(.*?)\s+\[(.+)\]$")
    for line in open(path):
        m = pattern.match(line.rstrip())
        if not m or "PROGRAM TOTALS" in line:
            continue
        count, share, where, obj = m.groups()
        name = where.split(":", 1)[1] if ":" in where else where
        name = name.replace("(anonymous namespace)", "{anon}")
        while True:   # template arguments, innermost first, may hold parentheses
            shorter = re.sub(r"<[^<>]*>", "\x00", name)
            if shorter == name:
                break
            name = shorter
        name = name.split("(", 1)[0].replace("\x00", "<…>")
        out.append((name, int(count.replace(",", "")), share, os.path.basename(obj)))
    return out[:15]


def read_machine(path):
    facts = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                facts[k] = v
    return facts


# Targets on the ratio uvmysql/peer: (label, workload tag, metric, comparator, threshold[, peer
# tag]). Issue 5's first round, tightened where issue 18 (performance, round 2) sets its own.
TARGETS = [
    ("W1 CPU/query", "W1", "cpu_us_per_op", "≤", 0.9),
    ("W1 instructions/query (callgrind)", "W1", "callgrind", "≤", 0.8),
    ("W1 QPS", "W1", "qps", "≥", 1.0),
    ("W1p QPS (16 pipelined vs its sequential W1)", "W1p", "qps", "≥", 2.5, "W1"),
    ("W1p CPU/query (vs its W1)", "W1p", "cpu_us_per_op", "≤", 0.7, "W1"),
    ("W2 QPS (vs 16 threads)", "W2", "qps", "≥", 1.1),
    ("W2 CPU/query", "W2", "cpu_us_per_op", "≤", 0.8),
    ("W2 latency p99", "W2", "lat_p99_us", "≤", 1.0),
    ("W3 CPU/row", "W3", "cpu_s_per_1M_rows", "≤", 0.9),
    ("W3 peak RSS", "W3", "maxrss_kb", "≤", 1.0),
    ("W3s rows/s", "W3s", "rows_per_s", "≥", 1.0),
    ("W3s CPU/row", "W3s", "cpu_s_per_1M_rows", "≤", 1.0),
    # Issue 20: typed rows cost less than rows of Values.
    ("W3t CPU/row (typed rows vs uvmysql's own W3)", "W3t", "cpu_s_per_1M_rows", "<", 1.0, "self:W3"),
    ("W3t CPU/row", "W3t", "cpu_s_per_1M_rows", "≤", 0.9),
    ("W3t peak RSS", "W3t", "maxrss_kb", "≤", 1.0),
    ("W4 rows/s", "W4", "rows_per_s", "≥", 1.2),
    # Issue 15.
    ("W5 CPU/query", "W5", "cpu_us_per_op", "≤", 0.9),
    ("W5 instructions/query (callgrind)", "W5", "callgrind", "≤", 0.8),
    ("W5t CPU/query (typed rows)", "W5t", "cpu_us_per_op", "≤", 0.9),
    ("W5t instructions/query (callgrind, typed rows)", "W5t", "callgrind", "≤", 0.8),
    ("W4p rows/s (bulk executemany vs the C connector's text W4)", "W4p", "rows_per_s", "≥", 1.5, "W4"),
    # Issue 18: one loop against one thread per connection.
    ("W2-256 QPS (vs 256 threads)", "W2-256", "qps", "≥", 1.5),
    ("W2-256 CPU/query", "W2-256", "cpu_us_per_op", "≤", 0.5),
    ("W2-256 peak RSS", "W2-256", "maxrss_kb", "≤", 0.5),
    ("W2-1024 QPS (vs 1,024 threads)", "W2-1024", "qps", "≥", 1.5),
    ("W2-1024 CPU/query", "W2-1024", "cpu_us_per_op", "≤", 0.5),
    ("W2-1024 peak RSS", "W2-1024", "maxrss_kb", "≤", 0.5),
]


def met(value, comparator, threshold):
    if value is None:
        return None
    if comparator == "<":
        return value < threshold
    return value <= threshold if comparator == "≤" else value >= threshold


def report(results_dir, out_md, out_png):
    res = Results(load(os.path.join(results_dir, "results.jsonl")))
    cg_path = os.path.join(results_dir, "callgrind.json")
    cg = json.load(open(cg_path)) if os.path.exists(cg_path) else {}
    machine = read_machine(os.path.join(results_dir, "machine.txt"))
    runs_per_side = max([r["run"] for r in res.runs if r.get("tag") == "W1"] or [0])

    def cg_ratio(tag):
        try:
            return cg[US][tag]["per_unit"] / cg[PEER][tag]["per_unit"]
        except (KeyError, ZeroDivisionError):
            return None

    # Target evaluation.
    rows = []
    for label, tag, metric, comparator, threshold, *peer_tag in TARGETS:
        if metric == "callgrind":
            r = cg_ratio(tag)
            spread = None if r is None else (r, r)
        else:
            rr = res.ratio(tag, metric, *peer_tag)
            r, spread = (rr[0], rr[1:]) if rr else (None, None)
        rows.append((label, tag, metric, comparator, threshold, r, spread, met(r, comparator, threshold)))
    # W3s flat memory: uvmysql's peak RSS at 2M rows against 200k rows.
    u200 = med(list(res.values(US, "W3s", "maxrss_kb").values()))
    u2m = med(list(res.values(US, "W3s-2M", "maxrss_kb").values()))
    p200 = med(list(res.values(PEER, "W3s", "maxrss_kb").values()))
    p2m = med(list(res.values(PEER, "W3s-2M", "maxrss_kb").values()))
    flat = u2m / u200 if u200 and u2m else None

    chart(rows, flat, out_png)
    scaling_png = os.path.join(os.path.dirname(out_png), "performance-scaling.png")
    has_scaling_chart = scaling_chart(res, scaling_png)

    W2_METRICS = [("qps", "queries/s"), ("cpu_us_per_op", "CPU µs/query"), ("lat_p50_us", "latency p50 µs"),
                  ("lat_p99_us", "latency p99 µs"), ("maxrss_kb", "peak RSS KB"),
                  ("allocs_per_op", "heap allocations/query"),
                  ("runq_wait_s", "run-queue wait s (all threads)"), ("wall_s", "wall s")]
    L = []
    w = L.append
    w("# Performance")
    w("")
    w("<!-- Generated by test/bench/run.sh (test/bench/report.py); edit test/bench/profile-notes.md "
      "for the analysis, not this file. -->")
    w("")
    w("uvmysql's benchmark, `uvmysql-bench`, runs the workloads of issue 5 against the private test "
      "server, next to `peer-libmariadb`, the same workloads written in C against the MariaDB C "
      "connector (libmariadb, synchronous API). Both take the same flags, draw the same ids and "
      "rows and print the same JSON (the contract is `bench-interface.md`; the shared C code is "
      "`test/bench/bench_common.c`). To reproduce on your machine:")
    w("")
    w("```sh")
    w("test/bench/run.sh            # ~10 min: release build in build-bench/, this page and its chart")
    w("test/bench/run.sh --quick    # ~1 min: every workload runs and prints valid JSON (CI)")
    w("build-bench/test/bench/uvmysql-bench --workload W1 --port 3307   # one workload, one side")
    w("```")
    w("")
    w(f"Figures below: **one run of run.sh** on {machine.get('date', '?')}; each workload ran "
      f"{runs_per_side} times per side, the sides alternating (uvmysql first in odd runs, the peer "
      "first in even ones). A figure is the median of the runs with the min–max range; a ratio is "
      "uvmysql / peer computed per pair of neighbouring runs, given as median [min–max]. The machine "
      "is shared with other jobs, so absolute numbers are noisy: the ratios from the same run, and "
      "the callgrind instruction counts (which do not depend on load), are the figures to track.")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for key, label in [("cpu", "CPU"), ("nproc", "nproc"), ("mem", "memory"), ("os", "OS"), ("kernel", "kernel"),
                       ("compiler", "compiler"), ("buildtype", "build type"), ("libuv", "libuv"),
                       ("libmariadb", "libmariadb (peer)"), ("server", "server"), ("commit", "uvmysql commit"),
                       ("load_start", "load average at start"), ("load_end", "load average at end")]:
        w(f"| {label} | {machine.get(key, '?')} |")
    w("")
    w("The server (test/mariadb/server.sh: 64 MB buffer pool, `innodb_flush_log_at_trx_commit=2`) runs "
      "on the same machine; clients connect over TCP to 127.0.0.1.")
    w("")

    w("## Targets")
    w("")
    w("Tracked here, never asserted. ✅ met, ❌ missed (by the median ratio).")
    w("")
    w("| target | uvmysql / libmariadb | goal | |")
    w("|---|---|---|---|")
    for label, tag, metric, comparator, threshold, r, spread, ok in rows:
        rng = "" if not spread or spread[0] == spread[1] else f" [{spread[0]:.2f}–{spread[1]:.2f}]"
        mark = "–" if ok is None else ("✅" if ok else "❌")
        w(f"| {label} | {'–' if r is None else f'{r:.2f}'}{rng} | {comparator} {threshold:.1f} | {mark} |")
    if flat is not None:
        mark = "✅" if flat <= 1.1 else "❌"
        w(f"| W3s peak RSS flat (2,000,000 vs 200,000 rows) | uvmysql {fmt(u200)} → {fmt(u2m)} KB "
          f"(×{flat:.2f}); peer {fmt(p200)} → {fmt(p2m)} KB | same (≤ ×1.1) | {mark} |")
    w("")
    w("![uvmysql / libmariadb ratios](performance.png)")
    w("")
    w("Bars: the median ratio uvmysql / libmariadb; whiskers: min–max over the run pairs; the tick is "
      "the target. Green bars meet their target. For QPS and rows/s higher is better, for CPU, "
      "instructions and memory lower is better.")
    w("")

    w("## All figures")
    w("")
    w("| workload | metric | uvmysql | libmariadb | uvmysql / libmariadb |")
    w("|---|---|---|---|---|")
    metrics = {
        "W1": [("qps", "queries/s"), ("cpu_us_per_op", "CPU µs/query"), ("lat_p50_us", "latency p50 µs"),
               ("lat_p99_us", "latency p99 µs"), ("maxrss_kb", "peak RSS KB"),
               ("allocs_per_op", "heap allocations/query"), ("runq_wait_s", "run-queue wait s")],
        "W1o": [("qps", "queries/s"), ("cpu_us_per_op", "CPU µs/query"), ("lat_p50_us", "latency p50 µs")],
        "W1p": [("qps", "queries/s"), ("cpu_us_per_op", "CPU µs/query"), ("lat_p50_us", "latency p50 µs"),
                ("lat_p99_us", "latency p99 µs"), ("maxrss_kb", "peak RSS KB")],
        "W2": W2_METRICS,
        "W2-2loops": W2_METRICS,
        "W2-pinned": W2_METRICS,
        "W2-256": W2_METRICS,
        "W2-1024": W2_METRICS,
        "W3": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB"),
               ("allocs_per_row", "heap allocations/row"), ("server_bytes_sent", "bytes on the wire (server sent)")],
        "W3s": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB")],
        "W3t": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB")],
        "W3z": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB"),
                ("server_bytes_sent", "bytes on the wire (server sent)")],
        "W3s-2M": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB")],
        "W4": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB")],
        "W4p": [("rows_per_s", "rows/s"), ("cpu_s_per_1M_rows", "CPU s/1M rows"), ("maxrss_kb", "peak RSS KB")],
        "W5": [("qps", "queries/s"), ("cpu_us_per_op", "CPU µs/query"), ("lat_p50_us", "latency p50 µs"),
               ("lat_p99_us", "latency p99 µs"), ("allocs_per_op", "heap allocations/query")],
        "W5t": [("qps", "queries/s"), ("cpu_us_per_op", "CPU µs/query"), ("lat_p50_us", "latency p50 µs"),
                ("lat_p99_us", "latency p99 µs"), ("allocs_per_op", "heap allocations/query")],
    }

    def cell(side, tag, key):
        if res.unsupported(side, tag):
            return "unsupported"
        vs = list(res.values(side, tag, key).values())
        if not vs:
            return "–"
        if len(vs) == 1:
            return fmt(vs[0])
        return f"{fmt(med(vs))} ({fmt(min(vs))}–{fmt(max(vs))})"

    for tag, ms in metrics.items():
        for key, label in ms:
            rr = res.ratio(tag, key)
            rtxt = "–" if not rr else (f"{rr[0]:.2f}" if rr[1] == rr[2] else f"{rr[0]:.2f} [{rr[1]:.2f}–{rr[2]:.2f}]")
            w(f"| {tag} | {label} | {cell(US, tag, key)} | {cell(PEER, tag, key)} | {rtxt} |")
    w("")
    checksums = sorted({str(v) for v in res.values(US, "W4", "table_checksum").values()} |
                       {str(v) for v in res.values(PEER, "W4", "table_checksum").values()})
    w(f"W4 table checksums (`SUM(CRC32(CONCAT(k,':',c,':',pad)))`, every run of both sides): "
      f"{', '.join(checksums) or '–'}{' — identical' if len(checksums) == 1 else ''}. W3/W3s: both sides "
      "fold every row into the same NULL count, sum of `i` and blob byte count, and those agree in every run.")
    w("")

    try:
        pooled, pinned = cg[US]["W2"]["per_unit"], cg[US]["W2-pinned"]["per_unit"]
        w(f"The pool's own cost (callgrind, 3 s of each): uvmysql's W2 (64 tasks borrowing 16 pooled "
          f"connections) runs {pooled:,.0f} instructions per query, W2-pinned (16 tasks each keeping one "
          f"connection, no pool: the C side's shape) {pinned:,.0f} — the pool adds {pooled - pinned:,.0f} "
          f"({(pooled / pinned - 1) * 100:.0f}%). The C connector's 16 threads: "
          f"{cg[PEER]['W2']['per_unit']:,.0f}.")
        w("")
    except KeyError:
        pass

    try:
        plain, observed = cg[US]["W1"]["per_unit"], cg[US]["W1o"]["per_unit"]
        w(f"The observer's cost (callgrind): W1 runs {plain:,.0f} instructions per query without an observer "
          f"and {observed:,.0f} with a trivial one (W1o, `--observer trivial`): {observed - plain:,.0f} more "
          f"({(observed / plain - 1) * 100:.1f}%). See docs/observability.md.")
        w("")
    except KeyError:
        pass

    w2c = [r for r in res.runs if r.get("tag") == "W2c" and r.get("peer") == US and "failover_gap_ms" in r]
    if w2c:
        w("## A node killed under load (W2c)")
        w("")
        w("A private 3-node Galera cluster (test/cluster/galera.sh) behind a `PoolCluster` (one pool of 5 "
          "connections per node, round robin); 64 tasks send reads marked idempotent for 10 s and node 2 is "
          "killed with SIGKILL 3 s in (then restarted between runs). The failover gap is the longest time "
          "after the kill without any read answered. The C connector has no cluster support (unsupported).")
        w("")
        w("| run | queries/s | failover gap ms | failed calls | latency p50 µs | latency p99 µs | latency max µs |")
        w("|---|---|---|---|---|---|---|")
        for r in sorted(w2c, key=lambda r: r["run"]):
            w(f"| {r['run']} | {fmt(r['qps'])} | {fmt(r['failover_gap_ms'])} | {r['errors']} | "
              f"{fmt(r['lat_p50_us'])} | {fmt(r['lat_p99_us'])} | {fmt(r['lat_max_us'])} |")
        w("")

    w("## Scaling with connections (W2, W2-256, W2-1024)")
    w("")
    w("One loop thread for uvmysql, one thread per connection for the C connector; 4 tasks per "
      "connection on the uvmysql side. Medians of the runs.")
    w("")
    w("| connections | uvmysql CPU µs/query | C connector CPU µs/query | uvmysql peak RSS KB (per connection) "
      "| C connector peak RSS KB (per connection) |")
    w("|---|---|---|---|---|")
    for tag, conns in SCALING:
        cols = []
        for side in (US, PEER):
            cpu = med(list(res.values(side, tag, "cpu_us_per_op").values()))
            cols.append(fmt(cpu) if cpu else "–")
        for side in (US, PEER):
            rss = med(list(res.values(side, tag, "maxrss_kb").values()))
            cols.append(f"{fmt(rss)} ({rss / conns:,.1f})" if rss else "–")
        w(f"| {conns:,} | " + " | ".join(cols) + " |")
    w("")
    if has_scaling_chart:
        w("![CPU per query and peak RSS per connection against connections](performance-scaling.png)")
        w("")

    w("## Instruction counts (callgrind)")
    w("")
    w("`valgrind --tool=callgrind --instr-atstart=no`, the measured loop only (bracketed with "
      "CALLGRIND_START/STOP_INSTRUMENTATION): user-space instructions of the client process, libraries "
      "included (libuv, libstdc++, libc; for the peer libmariadb), the kernel excluded. W1 and W5: 2,000 "
      "point selects after 200 of warm-up; W3 and W3s: the 20,000 rows of `bench_small.wide` (the first "
      "20,000 rows of `wide`), one repetition; W2 and W2-pinned: 3 seconds each, per query answered "
      "(the C side's W2 for both: its 16 threads). These counts do not move with the machine's load.")
    w("")
    w("| workload | uvmysql | libmariadb | uvmysql / libmariadb |")
    w("|---|---|---|---|")
    for tag, unit in CALLGRIND_UNITS:
        u = cg.get(US, {}).get(tag, {}).get("per_unit")
        p = cg.get(PEER, {}).get(tag, {}).get("per_unit")
        if u is not None and p is not None:
            w(f"| {tag} | {u:,.0f} instructions/{unit} | {p:,.0f} instructions/{unit} | {u / p:.2f} |")
        elif u is not None:   # W1o: uvmysql only
            w(f"| {tag} | {u:,.0f} instructions/{unit} | – | – |")
        else:
            w(f"| {tag} | – | – | – |")
    w("")
    for tag, unit in CALLGRIND_UNITS:
        top = os.path.join(results_dir, f"callgrind.{US}.{tag}.top.txt")
        if not os.path.exists(top):
            continue
        try:
            units = cg[US][tag]["units"]
        except KeyError:
            continue
        w(f"<details><summary>uvmysql {tag}: the functions with the most instructions of their own "
          f"(self cost, per {unit})</summary>")
        w("")
        w(f"| instructions/{unit} | share | function | object |")
        w("|---|---|---|---|")
        for name, count, share, obj in top_functions(top):
            w(f"| {count / units:,.0f} | {share} | `{name}` | {obj} |")
        w("")
        w("</details>")
        w("")

    w("## What each side does")
    w("")
    w("| workload | uvmysql-bench (one libuv loop thread, coroutines) | peer-libmariadb (sync API) |")
    w("|---|---|---|")
    w("| W1 point select, `--n` ids after `--warmup` | one connection, one `Cursor`: `execute(\"SELECT id,k,c,pad "
      "FROM sbtest1 WHERE id=%s\", {id})` + `fetchall()`, every field a typed `Value` | one connection: "
      "`snprintf` + `mysql_real_query` + `mysql_store_result` + `mysql_fetch_row`, fields converted |")
    w("| W1p W1 with 16 queries in flight | one connection with `pipeline = true`; 16 tasks each run "
      "`conn.query(...)` one after the other, so 16 statements are on the wire | unsupported (the C "
      "connector answers one command before the next): compared with its W1 |")
    w("| W2 `--tasks` 64 in flight for `--duration` s | a `Pool` (`create_pool`, minsize = maxsize = "
      "`--conns` 16); 64 tasks each `acquire()` a connection per query, so 16 statements are on the "
      "wire and 48 tasks wait in the pool's queue | 16 threads, one connection each (16 in flight) |")
    w("| W2-pinned W2 without the pool | `--pool 0 --tasks 16`: 16 connections opened with `connect()`, "
      "task i keeps connection i for the whole run (16 in flight, as on the C side) | its W2: 16 threads, "
      "one connection each |")
    w("| W3 `SELECT * FROM wide` × `--reps` | `Cursor::execute` + `fetchall()` (200,000 `Row`s of "
      "typed `Value`s) | `mysql_store_result`, then each field converted |")
    w("| W3s the same, streamed | `SSCursor`, `fetchmany(1000)` until empty | `mysql_use_result` + "
      "`mysql_fetch_row`, each field converted |")
    w("| W3t W3 into typed rows | `conn.query_as<std::tuple<...9 fields>>(\"SELECT * FROM wide\")`: "
      "each field from the wire text straight into the tuple, no `Value` | its W3 (each field converted "
      "into a C type) |")
    w("| W3z W3 over the compressed protocol | W3 with `compress = true` (zlib) | W3 with "
      "`MYSQL_OPT_COMPRESS` |")
    w("| W4 100,000 generated rows, one transaction | `begin()`, `executemany(\"INSERT ... VALUES "
      "(%s,%s,%s)\", rows)` per `--batch` 1,000 rows, `commit()` | `BEGIN`, one multi-row INSERT per "
      "1,000 rows built with `mysql_real_escape_string`, `mysql_commit` |")
    w("| W4p W4 through the binary protocol | W4 with `cur.set_prepared(true)`: the INSERT prepared once, "
      "each batch one COM_STMT_BULK_EXECUTE | unsupported: compared with its text-protocol W4 |")
    w("| W5 prepared point select | one connection: `conn.prepare(\"SELECT id,k,c,pad FROM sbtest1 WHERE id=?\")` "
      "once, then `stmt.execute(id)` per id (COM_STMT_EXECUTE, binary rows into typed `Value`s) | "
      "`mysql_stmt_prepare` once, `mysql_stmt_execute` + `mysql_stmt_fetch` per id |")
    w("| W5t W5 into typed rows | `stmt.execute_as<std::tuple<int32_t, int32_t, std::string, std::string>>(id)`: "
      "the binary rows straight into the tuple, no `Value` | its W5 (columns bound to C buffers) |")
    w("")
    w("Field conversion is the same work on both sides: integers, doubles, DECIMAL, DATE and DATETIME "
      "parsed into typed values, strings and blobs kept. The peer converts the way a careful C "
      "program would (a digit loop for integers, `strtod` for doubles, a scaled integer for DECIMAL, "
      "fixed-format date parsers) and keeps strings and blobs as pointers into libmariadb's buffers, "
      "where uvmysql's `Value`s own copies. Both sides fold every row into the same check values "
      "(NULL count, sum of `i`, blob bytes; W1's sum of `k` and string lengths; W4's table checksum), "
      "and `run.sh --quick` fails if the sides disagree, so neither can look fast by skipping work. "
      "`runq_wait_s` in the JSON is the time the side's threads were runnable but waiting for a CPU "
      "(`/proc/thread-self/schedstat`), to tell a slow client from a starved one on a busy machine.")
    w("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profile-notes.md")
    if os.path.exists(notes):
        w(open(notes).read().rstrip())
        w("")
    with open(out_md, "w") as f:
        f.write("\n".join(L) + "\n")
    print(f"report.py: wrote {out_md} and {out_png}")
    return 0


SCALING = (("W2", 16), ("W2-256", 256), ("W2-1024", 1024))
# The workloads run.sh measures under callgrind, and what one unit of each is.
CALLGRIND_UNITS = (("W1", "query"), ("W1o", "query"), ("W5", "query"), ("W5t", "query"), ("W3", "row"), ("W3s", "row"),
                   ("W3t", "row"), ("W2", "query"),
                   ("W2-pinned", "query"))


def scaling_chart(res, out_png):
    """Two panels, one line per side: client CPU per query and peak RSS per connection as the
    number of connections grows (the scaling table's figures)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (cpu_ax, rss_ax) = plt.subplots(1, 2, figsize=(9, 3.6))
    for side, label, color in ((US, "uvmysql (one loop)", "#3a9d5d"), (PEER, "C connector (a thread each)", "#d0543c")):
        xs, cpus, rss = [], [], []
        for tag, conns in SCALING:
            cpu = med(list(res.values(side, tag, "cpu_us_per_op").values()))
            kb = med(list(res.values(side, tag, "maxrss_kb").values()))
            if cpu and kb:
                xs.append(conns)
                cpus.append(cpu)
                rss.append(kb / conns)
        if xs:
            cpu_ax.plot(xs, cpus, marker="o", color=color, label=label)
            rss_ax.plot(xs, rss, marker="o", color=color, label=label)
    for ax, title in ((cpu_ax, "client CPU µs per query"), (rss_ax, "peak RSS KB per connection")):
        ax.set_xscale("log", base=2)
        ax.set_xticks([c for _, c in SCALING])
        ax.set_xticklabels([f"{c:,}" for _, c in SCALING])
        ax.set_xlabel("connections")
        ax.set_title(title, fontsize=10)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    cpu_ax.legend(fontsize=8)
    fig.suptitle("W2 at scale: what each connection costs", fontsize=11)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)
    return True


def chart(rows, flat, out_png):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report.py: matplotlib is missing (apt-get install python3-matplotlib): no chart", file=sys.stderr)
        return
    items = [(label, r, spread, comparator, threshold, ok)
             for label, _tag, _metric, comparator, threshold, r, spread, ok in rows if r is not None]
    if flat is not None:
        items.append(("W3s peak RSS 2M / 200k rows (uvmysql)", flat, (flat, flat), "≤", 1.1, flat <= 1.1))
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(items) + 1.4))
    ys = list(range(len(items)))[::-1]
    for y, (label, r, spread, comparator, threshold, ok) in zip(ys, items):
        ax.barh(y, r, color="#3a9d5d" if ok else "#d0543c", height=0.6)
        if spread and spread[0] != spread[1]:
            ax.errorbar(r, y, xerr=[[r - spread[0]], [spread[1] - r]], fmt="none", ecolor="black", capsize=3, lw=1)
        ax.plot([threshold, threshold], [y - 0.4, y + 0.4], color="black", lw=2)
        ax.text(max(r, spread[1] if spread else r, threshold) + 0.03, y, f"{r:.2f}  (goal {comparator} {threshold:g})",
                va="center", fontsize=8)
    ax.set_yticks(ys)
    ax.set_yticklabels([i[0] for i in items], fontsize=9)
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    right = max(max(i[1] for i in items), max((i[2][1] for i in items if i[2]), default=0), 1.2)
    ax.set_xlim(0, right * 1.35)
    ax.set_xlabel("uvmysql / libmariadb (same run)")
    ax.set_title("uvmysql vs the MariaDB C connector: ratio per target", fontsize=11)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


def main(argv):
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    if len(argv) == 5 and argv[1] == "report":
        return report(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
