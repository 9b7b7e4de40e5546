// SPDX-License-Identifier: MIT
// uvmysql-bench: the benchmark workloads (W1-W5 of docs/performance.md) through uvmysql's public API.
//
// Everything but the client library (flags, generators, measured region, JSON) is the C code in
// bench_common.c that the C connector peer uses too. Each workload runs as one coroutine on one
// libuv loop thread; only the measured region is bracketed for getrusage and callgrind.
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <latch>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <uvmysql/pool.hpp>
#include <uvmysql/task.hpp>
#include <uvmysql/uvmysql.hpp>

#include "bench_common.h"

#ifndef UVMYSQL_BENCH_VERSION
#define UVMYSQL_BENCH_VERSION "unknown"
#endif

// --- heap allocations: every operator new of the process is counted ------------------------
// Reported per query (`allocs_per_op`) or per row (`allocs_per_row`) over the measured region.
// malloc calls of C code (libuv, mbedTLS) are not counted: the client's own are what the
// per-query target is about. Relaxed atomics: W2 --loops allocates on several threads.

namespace {
std::atomic<std::uint64_t> heap_allocations{0};

void* counted_alloc(std::size_t size) {
    heap_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size != 0 ? size : 1)) return p;
    throw std::bad_alloc();
}

void* counted_aligned_alloc(std::size_t size, std::align_val_t align) {
    heap_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(align);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void* operator new(std::size_t size, std::align_val_t align) { return counted_aligned_alloc(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return counted_aligned_alloc(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

/// The allocations counted between start() and stop().
struct AllocCount {
    std::uint64_t begin = 0, end = 0;
    void start() { begin = heap_allocations.load(std::memory_order_relaxed); }
    void stop() { end = heap_allocations.load(std::memory_order_relaxed); }
    /// Adds `key`: allocations per unit of work.
    void report(bench_json& j, const char* key, std::uint64_t units) const {
        bench_json_num(&j, key, units != 0 ? static_cast<double>(end - begin) / static_cast<double>(units) : 0.0);
    }
};

AllocCount measured_allocs;   // the measured region's (one region per process)

void region_start(bench_region& r) {
    measured_allocs.start();
    bench_region_start(&r);
}
void region_stop(bench_region& r) {
    bench_region_stop(&r);
    measured_allocs.stop();
}
void json_ops(bench_json& j, const bench_region& r, std::uint64_t ops, bench_lat& lat) {
    bench_json_ops(&j, &r, ops, &lat);
    measured_allocs.report(j, "allocs_per_op", ops);
}
void json_rows(bench_json& j, const bench_region& r, std::uint64_t rows) {
    bench_json_rows(&j, &r, rows);
    measured_allocs.report(j, "allocs_per_row", rows);
}

using uvmysql::Connection;
using uvmysql::Row;
using uvmysql::Task;
using uvmysql::Value;

constexpr const char* peer_name = "uvmysql";
constexpr const char* driver_name = "uvmysql " UVMYSQL_BENCH_VERSION;

/// --observer trivial: what the least a metrics exporter does per event — a span id in, a
/// count and a duration sum out — so that W1o measures the hooks' own cost.
class TrivialObserver final : public uvmysql::Observer {
public:
    void on_query_start(uvmysql::QueryEvent& event) override { event.user_token = ++started_; }
    void on_query_end(uvmysql::QueryEvent& event, const uvmysql::QueryOutcome& outcome) override {
        ended_ += event.user_token != 0;
        total_ns_ += static_cast<std::uint64_t>(outcome.duration.count());
        rows_ += outcome.rows;
    }

private:
    std::uint64_t started_ = 0;
    std::uint64_t ended_ = 0;
    std::uint64_t total_ns_ = 0;
    std::uint64_t rows_ = 0;
};

uvmysql::ConnectOptions connect_options(const bench_opts& o) {
    uvmysql::ConnectOptions opt;
    opt.host = o.host;
    opt.port = o.port;
    if (o.socket != nullptr) opt.unix_socket = o.socket;
    opt.user = o.user;
    opt.password = o.password;
    opt.db = std::string(o.db);
    opt.charset = "utf8mb4";
    opt.autocommit = true;   // the C connector's (and the server's) default
    opt.compress = o.workload == BENCH_W3Z;
    if (o.observer != 0) opt.observer = std::make_shared<TrivialObserver>();
    return opt;
}

/// What a point select's caller does with its row: reads every field as its type. Fails loudly
/// when the row is not the one asked for, so a broken client cannot look fast.
std::int64_t use_point_row(const std::vector<Row>& rows, std::int32_t id) {
    if (rows.size() != 1 || rows[0].size() != 4 || rows[0][0].as<std::int64_t>() != id) {
        throw std::runtime_error("point select for id " + std::to_string(id) + " returned the wrong row");
    }
    const Row& r = rows[0];
    const auto* c = r[2].get_if<std::string>();
    const auto* pad = r[3].get_if<std::string>();
    if (c == nullptr || pad == nullptr) throw std::runtime_error("point select: c or pad is not text");
    return r[1].as<std::int64_t>() + static_cast<std::int64_t>(c->size() + pad->size());
}

/// A row of W5t's point select: id, k, c, pad straight into typed fields.
using PointRow = std::tuple<std::int32_t, std::int32_t, std::string, std::string>;

/// use_point_row() for W5t's typed rows.
std::int64_t use_point_tuple(const std::vector<PointRow>& rows, std::int32_t id) {
    if (rows.size() != 1 || std::get<0>(rows[0]) != id) {
        throw std::runtime_error("point select for id " + std::to_string(id) + " returned the wrong row");
    }
    const auto& [row_id, k, c, pad] = rows[0];
    return k + static_cast<std::int64_t>(c.size() + pad.size());
}

/// Folds one row of `wide` into the cross-check every side computes (bench_wide_check).
void use_wide_row(const Row& row, bench_wide_check& check) {
    for (std::size_t i = 0; i < row.size(); ++i) {
        const Value& v = row[i];
        if (v.is_null()) {
            ++check.null_fields;
        } else if (i == 1) {
            check.sum_i += *v.get_if<std::int64_t>();
        } else if (i == 8) {
            check.blob_bytes += v.get_if<uvmysql::Bytes>()->size();
        }
    }
}

// --- W1: sequential point selects on one connection ----------------------------------------

Task<int> run_w1(uv_loop_t* loop, bench_opts o) {
    Connection conn = co_await uvmysql::connect(loop, connect_options(o));
    auto cur = conn.cursor();
    const auto n = static_cast<std::size_t>(o.n);
    std::int32_t* ids = bench_draw_ids(o.seed, n);
    std::int64_t sink = 0;
    const std::size_t warmup = std::min(n, static_cast<std::size_t>(o.warmup));
    for (std::size_t i = 0; i < warmup; ++i) {
        co_await cur.execute(BENCH_POINT_SELECT, ids[i]);
        sink += use_point_row(co_await cur.fetchall(), ids[i]);
    }
    bench_lat lat{};
    bench_lat_reserve(&lat, n);
    bench_region region;
    region_start(region);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t t0 = bench_now_ns();
        co_await cur.execute(BENCH_POINT_SELECT, ids[i]);
        sink += use_point_row(co_await cur.fetchall(), ids[i]);
        bench_lat_push(&lat, bench_now_ns() - t0);
    }
    region_stop(region);
    conn.close();
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_ops(j, region, n, lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    std::free(ids);
    co_return bench_json_print(&j);
}

// --- W5: W1's point select prepared once (binary protocol), executed per query ----------------

Task<int> run_w5(uv_loop_t* loop, bench_opts o) {
    Connection conn = co_await uvmysql::connect(loop, connect_options(o));
    uvmysql::Statement stmt = co_await conn.prepare("SELECT id,k,c,pad FROM sbtest1 WHERE id=?");
    const auto n = static_cast<std::size_t>(o.n);
    std::int32_t* ids = bench_draw_ids(o.seed, n);
    std::int64_t sink = 0;
    const std::size_t warmup = std::min(n, static_cast<std::size_t>(o.warmup));
    const bool typed = o.workload == BENCH_W5T;
    bench_lat lat{};
    bench_lat_reserve(&lat, n);
    bench_region region;
    // The warm-up, then the measured queries: one per id, typed (W5t) or into Values (W5),
    // awaited in this coroutine (no coroutine of its own per query, as an application writes
    // it). An if, not a ?: with a co_await in each arm: GCC 12 runs both.
    for (std::size_t i = 0; i < warmup + n; ++i) {
        if (i == warmup) region_start(region);
        const std::int32_t id = ids[i < warmup ? i : i - warmup];
        const std::uint64_t t0 = bench_now_ns();
        if (typed) {
            sink += use_point_tuple(co_await stmt.execute_as<PointRow>(id), id);
        } else {
            sink += use_point_row((co_await stmt.execute(id)).rows, id);
        }
        if (i >= warmup) bench_lat_push(&lat, bench_now_ns() - t0);
    }
    region_stop(region);
    co_await stmt.close();
    conn.close();
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_ops(j, region, n, lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    std::free(ids);
    co_return bench_json_print(&j);
}

// --- W1p: W1 with --tasks queries in flight on one pipelined connection -----------------------

Task<int> run_w1p(uv_loop_t* loop, bench_opts o) {
    uvmysql::ConnectOptions options = connect_options(o);
    options.pipeline = true;   // each query is written at once, not after the previous reply
    Connection conn = co_await uvmysql::connect(loop, options);
    const auto n = static_cast<std::size_t>(o.n);
    const auto in_flight = static_cast<std::size_t>(o.tasks);
    std::int32_t* ids = bench_draw_ids(o.seed, n);
    std::int64_t sink = 0;
    const std::size_t warmup = std::min(n, static_cast<std::size_t>(o.warmup));
    for (std::size_t i = 0; i < warmup; ++i) {
        sink += use_point_row(co_await conn.query(BENCH_POINT_SELECT, ids[i]), ids[i]);
    }
    bench_lat lat{};
    bench_lat_reserve(&lat, n);
    bench_region region;
    region_start(region);
    // `in_flight` tasks, task t running queries t, t + in_flight, ... one after the other.
    auto task = [&](std::size_t first) -> Task<void> {
        for (std::size_t i = first; i < n; i += in_flight) {
            const std::uint64_t t0 = bench_now_ns();
            sink += use_point_row(co_await conn.query(BENCH_POINT_SELECT, ids[i]), ids[i]);
            bench_lat_push(&lat, bench_now_ns() - t0);
        }
    };
    std::vector<uvmysql::Future<void>> tasks;
    for (std::size_t t = 0; t < in_flight; ++t) tasks.push_back(uvmysql::spawn(task(t)));
    co_await uvmysql::when_all(std::move(tasks));
    region_stop(region);
    conn.close();
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_ops(j, region, n, lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    std::free(ids);
    co_return bench_json_print(&j);
}

// --- W2: --tasks in-flight point selects over --conns pooled connections ----------------------
// One loop thread by default. With --loops N, N threads each run a loop with its own Pool of
// their share of the connections and tasks: the "one loop per thread, one pool per loop"
// pattern of samples/multi_loop.cpp.

/// One loop's share of W2: a Pool that its tasks borrow one query at a time (aiomysql's
/// `async with pool.acquire()`); tasks beyond the free connections wait in the pool's queue.
/// With --pool 0 there is no pool: task i keeps connection i % conns for the whole run, the
/// shape of the C side's thread per connection (what the pool itself costs).
struct W2State {
    uvmysql::Pool pool;
    std::vector<Connection> pinned;   // --pool 0
    const std::int32_t* ring = nullptr;
    std::uint64_t deadline_ns = 0;
    bench_lat lat{};
    std::uint64_t ops = 0;
    std::int64_t sink = 0;
};

Task<void> w2_task(W2State* s, std::size_t task, std::size_t pos) {
    Connection* own = s->pinned.empty() ? nullptr : &s->pinned[task % s->pinned.size()];
    for (;;) {
        const std::int32_t id = s->ring[pos++ % BENCH_W2_RING];
        const std::uint64_t t0 = bench_now_ns();
        {
            uvmysql::PooledConnection borrowed;
            if (own == nullptr) borrowed = co_await s->pool.acquire();
            auto cur = (own != nullptr ? *own : *borrowed).cursor();
            co_await cur.execute(BENCH_POINT_SELECT, id);
            s->sink += use_point_row(co_await cur.fetchall(), id);
        }
        const std::uint64_t t1 = bench_now_ns();
        bench_lat_push(&s->lat, t1 - t0);
        ++s->ops;
        if (t1 >= s->deadline_ns) co_return;
    }
}

/// Opens `conns` connections (pooled, or pinned with --pool 0) and makes one round trip on each
/// before the clock starts.
Task<void> w2_open(uv_loop_t* loop, const bench_opts& o, long conns, W2State* s) {
    std::vector<uvmysql::PooledConnection> borrowed;
    if (o.pool != 0) {
        uvmysql::PoolOptions p;
        p.minsize = static_cast<std::size_t>(conns);
        p.maxsize = static_cast<std::size_t>(conns);
        s->pool = co_await uvmysql::create_pool(loop, connect_options(o), p);
    }
    for (long i = 0; i < conns; ++i) {
        Connection* conn = nullptr;
        if (o.pool != 0) {
            borrowed.push_back(co_await s->pool.acquire());
            conn = &*borrowed.back();
        } else {
            s->pinned.push_back(co_await uvmysql::connect(loop, connect_options(o)));
            conn = &s->pinned.back();
        }
        auto cur = conn->cursor();
        co_await cur.execute(BENCH_POINT_SELECT, s->ring[0]);
        s->sink += use_point_row(co_await cur.fetchall(), s->ring[0]);
    }
    bench_lat_reserve(&s->lat, 1u << 20);
}

/// Tasks [first, last) of the run, task i starting at ring offset i * BENCH_W2_STRIDE.
Task<void> w2_tasks(W2State* s, long first, long last) {
    std::vector<uvmysql::Future<void>> tasks;
    for (long i = first; i < last; ++i) {
        const auto task = static_cast<std::size_t>(i - first);
        tasks.push_back(uvmysql::spawn(w2_task(s, task, static_cast<std::size_t>(i) * BENCH_W2_STRIDE)));
    }
    co_await uvmysql::when_all(std::move(tasks));
}

Task<void> w2_close(W2State* s) {
    if (!s->pinned.empty()) {
        for (Connection& conn : s->pinned) co_await conn.ensure_closed();
        co_return;
    }
    s->pool.close();
    co_await s->pool.wait_closed();
}

/// Runs `loop` until `f` is ready, then returns its value (or throws its exception).
template <class T>
T drive(uv_loop_t* loop, uvmysql::Future<T> f) {
    while (!f.is_ready()) uv_run(loop, UV_RUN_ONCE);
    return std::move(f).get();
}

/// W2 with --loops > 1: thread t runs its own loop with connections and tasks
/// [t * n / loops, (t + 1) * n / loops); all start together and the region spans them all.
int run_w2_loops(bench_opts o, std::int32_t* ring) {
    const long loops = o.loops;
    std::vector<W2State> states(static_cast<std::size_t>(loops));
    std::latch opened(loops), start(1), finished(loops);
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(loops));
    std::vector<std::thread> threads;
    const auto share = [loops](long n, long t) { return n * t / loops; };
    for (long t = 0; t < loops; ++t) {
        threads.emplace_back([&, t] {
            W2State& s = states[static_cast<std::size_t>(t)];
            s.ring = ring;
            uv_loop_t loop;
            uv_loop_init(&loop);
            bool ok = true;
            try {
                drive(&loop, uvmysql::spawn(w2_open(&loop, o, share(o.conns, t + 1) - share(o.conns, t), &s)));
            } catch (...) {
                errors[static_cast<std::size_t>(t)] = std::current_exception();
                ok = false;
            }
            opened.count_down();
            start.wait();
            try {
                if (ok) drive(&loop, uvmysql::spawn(w2_tasks(&s, share(o.tasks, t), share(o.tasks, t + 1))));
            } catch (...) {
                errors[static_cast<std::size_t>(t)] = std::current_exception();
            }
            finished.count_down();
            if (ok) drive(&loop, uvmysql::spawn(w2_close(&s)));
            s.pool = uvmysql::Pool();   // nothing of this loop outlives it
            s.pinned.clear();
            uv_run(&loop, UV_RUN_DEFAULT);
            uv_loop_close(&loop);
        });
    }
    opened.wait();
    bench_region region;
    region_start(region);
    const std::uint64_t deadline = bench_now_ns() + static_cast<std::uint64_t>(o.duration * 1e9);
    for (W2State& s : states) s.deadline_ns = deadline;
    start.count_down();
    finished.wait();
    region_stop(region);
    for (std::thread& t : threads) t.join();
    for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    bench_lat lat{};
    std::uint64_t ops = 0;
    std::int64_t sink = 0;
    for (W2State& s : states) {
        bench_lat_merge(&lat, &s.lat);
        bench_lat_free(&s.lat);
        ops += s.ops;
        sink += s.sink;
    }
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_ops(j, region, ops, lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    return bench_json_print(&j);
}

Task<int> run_w2(uv_loop_t* loop, bench_opts o) {
    std::int32_t* ring = bench_draw_ids(o.seed, BENCH_W2_RING);
    if (o.loops > 1) {
        const int rc = run_w2_loops(o, ring);
        std::free(ring);
        co_return rc;
    }
    W2State s;
    s.ring = ring;
    co_await w2_open(loop, o, o.conns, &s);
    bench_region region;
    region_start(region);
    s.deadline_ns = bench_now_ns() + static_cast<std::uint64_t>(o.duration * 1e9);
    co_await w2_tasks(&s, 0, o.tasks);
    region_stop(region);
    co_await w2_close(&s);
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_ops(j, region, s.ops, s.lat);
    bench_json_int(&j, "sink", s.sink);
    bench_lat_free(&s.lat);
    std::free(ring);
    co_return bench_json_print(&j);
}

// --- W2c: W2 over a PoolCluster of --hosts; --kill-cmd takes a node down --kill-at s in -------
// Each of --tasks tasks sends one read after the other through a round-robin selector, marked
// idempotent: a read whose node dies is sent to the next node. The failover gap is the longest
// time after the kill without any read answered.

struct W2cState {
    std::uint64_t deadline_ns = 0;
    std::atomic<std::uint64_t> kill_ns{0};   // set by the killer thread just before its command
    std::uint64_t last_success_ns = 0;
    std::uint64_t max_gap_ns = 0;
    std::uint64_t ops = 0;
    std::uint64_t errors = 0;
    std::int64_t sink = 0;
    bench_lat lat{};
};

void w2c_success(W2cState& s, std::uint64_t now) {
    const std::uint64_t kill = s.kill_ns.load(std::memory_order_relaxed);
    if (kill != 0 && now >= kill) s.max_gap_ns = std::max(s.max_gap_ns, now - std::max(s.last_success_ns, kill));
    s.last_success_ns = now;
}

Task<void> w2c_task(uvmysql::ClusterSelector sel, W2cState* s, std::int64_t id) {
    for (;;) {
        const std::uint64_t t0 = bench_now_ns();
        try {
            const std::vector<Row> rows = co_await sel.query(uvmysql::idempotent, "SELECT %s + 1", id);
            s->sink += rows.at(0).at(0).as<std::int64_t>();
            const std::uint64_t t1 = bench_now_ns();
            bench_lat_push(&s->lat, t1 - t0);
            ++s->ops;
            w2c_success(*s, t1);
        } catch (const std::exception&) {
            ++s->errors;   // every node tried failed; the next read tries again (the killer thread is joined)
        }
        if (bench_now_ns() >= s->deadline_ns) co_return;
    }
}

std::vector<uvmysql::ClusterNode> w2c_nodes(const bench_opts& o) {
    std::vector<uvmysql::ClusterNode> nodes;
    const std::string hosts = o.hosts;
    for (std::size_t start = 0; start < hosts.size();) {
        const std::size_t comma = std::min(hosts.find(',', start), hosts.size());
        const std::string entry = hosts.substr(start, comma - start);
        const std::size_t colon = entry.rfind(':');
        uvmysql::ConnectOptions opt = connect_options(o);
        opt.host = entry.substr(0, colon);
        opt.port = colon == std::string::npos ? 3306 : std::atoi(entry.c_str() + colon + 1);
        opt.connect_timeout = std::chrono::seconds(1);
        nodes.push_back({"node" + std::to_string(nodes.size() + 1), opt, uvmysql::NodeRole::any});
        start = comma + 1;
    }
    return nodes;
}

Task<int> run_w2c(uv_loop_t* loop, bench_opts o) {
    if (o.hosts == nullptr) {
        std::fprintf(stderr, "uvmysql-bench: W2c needs --hosts host:port,host:port,...\n");
        co_return BENCH_EXIT_USAGE;
    }
    std::vector<uvmysql::ClusterNode> nodes = w2c_nodes(o);
    uvmysql::PoolClusterOptions co;
    co.pool.minsize = std::max<std::size_t>(1, static_cast<std::size_t>(o.conns) / nodes.size());
    co.pool.maxsize = co.pool.minsize;
    co.remove_node_error_count = 1;
    co.restore_node_timeout = std::chrono::seconds(1);
    co.galera_check_interval = std::chrono::milliseconds(200);
    uvmysql::PoolCluster cluster = co_await uvmysql::create_pool_cluster(loop, std::move(nodes), co);
    uvmysql::ClusterSelector sel = cluster.of("*", uvmysql::NodePolicy::round_robin);

    W2cState s;
    bench_lat_reserve(&s.lat, 1u << 20);
    bench_region region;
    region_start(region);
    const std::uint64_t start = bench_now_ns();
    s.deadline_ns = start + static_cast<std::uint64_t>(o.duration * 1e9);
    s.last_success_ns = start;
    std::thread killer;
    if (o.kill_cmd != nullptr) {
        killer = std::thread([&s, &o] {
            std::this_thread::sleep_for(std::chrono::nanoseconds(static_cast<std::int64_t>(o.kill_at * 1e9)));
            s.kill_ns.store(bench_now_ns(), std::memory_order_relaxed);
            if (std::system(o.kill_cmd) != 0) std::fprintf(stderr, "uvmysql-bench: --kill-cmd failed\n");
        });
    }
    std::vector<uvmysql::Future<void>> tasks;
    for (long t = 0; t < o.tasks; ++t) tasks.push_back(uvmysql::spawn(w2c_task(sel, &s, t + 1)));
    co_await uvmysql::when_all(std::move(tasks));
    region_stop(region);
    const std::uint64_t end = bench_now_ns();
    if (killer.joinable()) killer.join();
    // The time since the last answer counts too: all of it when nothing was answered after the kill.
    const std::uint64_t kill = s.kill_ns.load();
    if (kill != 0 && kill < end) s.max_gap_ns = std::max(s.max_gap_ns, end - std::max(s.last_success_ns, kill));
    cluster.close();
    co_await cluster.wait_closed();

    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_ops(j, region, s.ops, s.lat);
    bench_json_int(&j, "errors", static_cast<std::int64_t>(s.errors));
    bench_json_num(&j, "failover_gap_ms", kill != 0 ? static_cast<double>(s.max_gap_ns) / 1e6 : 0.0);
    bench_json_int(&j, "sink", s.sink);
    bench_lat_free(&s.lat);
    co_return bench_json_print(&j);
}

// --- W3 / W3s: SELECT * FROM wide, buffered or streamed, every field a typed Value ----------

/// The server's Bytes_sent and Bytes_received of this session (BENCH_BYTES_STATUS).
Task<std::pair<std::int64_t, std::int64_t>> session_bytes(Connection& conn) {
    std::pair<std::int64_t, std::int64_t> sent_received{0, 0};
    const std::vector<uvmysql::ResultSet> sets = co_await conn.query(BENCH_BYTES_STATUS);
    for (const Row& r : sets.at(0).rows) {
        const std::int64_t v = std::stoll(r.at(1).to_string());
        (r.at(0).to_string() == "Bytes_sent" ? sent_received.first : sent_received.second) = v;
    }
    co_return sent_received;
}

/// A row of `wide` as W3t reads it: straight into typed fields, no Value.
using WideRow = std::tuple<std::int32_t, std::optional<std::int32_t>, std::optional<std::int64_t>,
                           std::optional<double>, std::optional<uvmysql::Decimal>, std::optional<std::string>,
                           std::optional<uvmysql::DateTime>, std::optional<uvmysql::Date>,
                           std::optional<uvmysql::Bytes>>;

/// Folds one typed row of `wide` into the cross-check, as use_wide_row() does for a Row.
void use_wide_tuple(const WideRow& r, bench_wide_check& check) {
    const auto count_null = [&check](const auto& field) { check.null_fields += field.has_value() ? 0 : 1; };
    std::apply([&](const auto&, const auto&... fields) { (count_null(fields), ...); }, r);
    if (std::get<1>(r)) check.sum_i += *std::get<1>(r);
    if (std::get<8>(r)) check.blob_bytes += std::get<8>(r)->size();
}

Task<int> run_w3(uv_loop_t* loop, bench_opts o, bool streamed) {
    Connection conn = co_await uvmysql::connect(loop, connect_options(o));
    bench_wide_check check{};
    std::uint64_t rows = 0;
    const auto bytes_before = co_await session_bytes(conn);
    bench_region region;
    region_start(region);
    for (long rep = 0; rep < o.reps; ++rep) {
        if (o.workload == BENCH_W3T) {
            const std::vector<WideRow> all = co_await conn.query_as<WideRow>(BENCH_WIDE_SELECT);
            for (const WideRow& r : all) use_wide_tuple(r, check);
            rows += all.size();
        } else if (!streamed) {
            auto cur = conn.cursor();
            co_await cur.execute(BENCH_WIDE_SELECT);
            const std::vector<Row> all = co_await cur.fetchall();
            for (const Row& r : all) use_wide_row(r, check);
            rows += all.size();
        } else {
            auto cur = conn.cursor<uvmysql::SSCursor>();
            co_await cur.execute(BENCH_WIDE_SELECT);
            for (;;) {
                const std::vector<Row> some = co_await cur.fetchmany(1000);
                if (some.empty()) break;
                for (const Row& r : some) use_wide_row(r, check);
                rows += some.size();
            }
            co_await cur.close();
        }
    }
    region_stop(region);
    const auto bytes_after = co_await session_bytes(conn);
    conn.close();
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_rows(j, region, rows);
    bench_json_wide_check(&j, &check);
    bench_json_int(&j, "server_bytes_sent", bytes_after.first - bytes_before.first);
    bench_json_int(&j, "server_bytes_received", bytes_after.second - bytes_before.second);
    co_return bench_json_print(&j);
}

// --- W4: --rows generated rows inserted with executemany, --batch rows a statement ----------

Task<int> run_w4(uv_loop_t* loop, bench_opts o, bool prepared) {
    Connection conn = co_await uvmysql::connect(loop, connect_options(o));
    co_await conn.query("DROP TABLE IF EXISTS sbtest_ins");
    co_await conn.query("CREATE TABLE sbtest_ins LIKE sbtest1");
    std::uint32_t state = bench_seed_state(o.seed + 1);
    char c[BENCH_C_LEN + 1];
    char pad[BENCH_PAD_LEN + 1];
    auto cur = conn.cursor();
    cur.set_prepared(prepared);   // W4p: one prepare, then COM_STMT_BULK_EXECUTE per batch on MariaDB
    std::uint64_t inserted = 0;
    bench_region region;
    region_start(region);
    co_await conn.begin();
    for (long done = 0; done < o.rows;) {
        const long m = std::min(o.batch, o.rows - done);
        std::vector<uvmysql::Args> batch;
        batch.reserve(static_cast<std::size_t>(m));
        for (long i = 0; i < m; ++i) {
            std::int32_t k = 0;
            bench_w4_row(&state, &k, c, pad);
            // positional(): the strings are moved into the row (a braced Params{...} would copy
            // them out of its initializer_list).
            batch.push_back(uvmysql::positional(k, std::string(c, BENCH_C_LEN), std::string(pad, BENCH_PAD_LEN)));
        }
        inserted += co_await cur.executemany("INSERT INTO sbtest_ins (k,c,pad) VALUES (%s,%s,%s)", std::move(batch));
        done += m;
    }
    co_await conn.commit();
    region_stop(region);
    if (inserted != static_cast<std::uint64_t>(o.rows)) {
        throw std::runtime_error("W4 inserted " + std::to_string(inserted) + " rows, not " + std::to_string(o.rows));
    }
    co_await cur.execute("SELECT SUM(CRC32(CONCAT(k,':',c,':',pad))) FROM sbtest_ins");
    const auto sum = co_await cur.fetchone();
    conn.close();
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, &o, &region);
    json_rows(j, region, inserted);
    bench_json_str(&j, "table_checksum", sum && !(*sum)[0].is_null() ? (*sum)[0].to_string().c_str() : nullptr);
    co_return bench_json_print(&j);
}

Task<int> run(uv_loop_t* loop, bench_opts o) {
    switch (o.workload) {
        case BENCH_W1: co_return co_await run_w1(loop, o);
        case BENCH_W1P: co_return co_await run_w1p(loop, o);
        case BENCH_W2: co_return co_await run_w2(loop, o);
        case BENCH_W2C: co_return co_await run_w2c(loop, o);
        case BENCH_W3: co_return co_await run_w3(loop, o, false);
        case BENCH_W3S: co_return co_await run_w3(loop, o, true);
        case BENCH_W3Z: co_return co_await run_w3(loop, o, false);
        case BENCH_W3T: co_return co_await run_w3(loop, o, false);
        case BENCH_W4: co_return co_await run_w4(loop, o, false);
        case BENCH_W4P: co_return co_await run_w4(loop, o, true);
        case BENCH_W5: co_return co_await run_w5(loop, o);
        case BENCH_W5T: co_return co_await run_w5(loop, o);
    }
    co_return BENCH_EXIT_UNSUPPORTED;
}

}  // namespace

int main(int argc, char** argv) {
    bench_opts o;
    const int rc = bench_parse_args(argc, argv, &o);
    if (rc < 0) return 0;
    if (rc != 0) return rc;
    uv_loop_t loop;
    uv_loop_init(&loop);
    int exit_code = 1;
    uvmysql::spawn(run(&loop, o))
        .then([&exit_code](int code) { exit_code = code; })
        .on_error([&loop](std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::fprintf(stderr, "uvmysql-bench: %s\n", ex.what());
            }
            uv_stop(&loop);   // connections of the failed workload may still hold the loop
        })
        .detach();
    uv_run(&loop, UV_RUN_DEFAULT);
    if (exit_code == 0) uv_loop_close(&loop);
    return exit_code;
}
