// SPDX-License-Identifier: MIT
// Several cores: one libuv loop per thread, one Pool per loop. Each thread serves its own share
// of the work with its own connections; nothing of uvmysql is shared between the threads
// (Connection, Pool, Future and Statement all belong to the loop that made them).
#include <uv.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <uvmysql/task.hpp>
#include <uvmysql/uvmysql.hpp>

#include "sample_options.hpp"

namespace {

/// What one loop does: `queries` point queries through its own pool of 4 connections, 8 at a
/// time. Returns the sum of the values read, to be checked by the caller.
uvmysql::Task<std::int64_t> serve(uv_loop_t* loop, int first, int queries) {
    uvmysql::PoolOptions pool_options;
    pool_options.minsize = 4;
    pool_options.maxsize = 4;
    uvmysql::Pool pool = co_await uvmysql::create_pool(loop, samples::options_from_env("mysql"), pool_options);
    std::int64_t sum = 0;
    auto worker = [&pool, &sum](int from, int step, int until) -> uvmysql::Task<void> {
        for (int i = from; i < until; i += step) {
            auto rows = co_await pool.query("SELECT %s + 0", i);
            sum += rows.at(0).at(0).as<std::int64_t>();
        }
    };
    std::vector<uvmysql::Future<void>> in_flight;
    for (int w = 0; w < 8; ++w) in_flight.push_back(uvmysql::spawn(worker(first + w, 8, first + queries)));
    co_await uvmysql::when_all(std::move(in_flight));
    pool.close();
    co_await pool.wait_closed();
    co_return sum;
}

}  // namespace

int main() {
    const unsigned loops = std::max(2u, std::thread::hardware_concurrency());
    constexpr int per_loop = 1000;
    std::vector<std::int64_t> sums(loops, -1);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < loops; ++t) {
        threads.emplace_back([t, &sums] {
            uv_loop_t loop;   // this thread's loop: everything below lives and dies on it
            uv_loop_init(&loop);
            uvmysql::spawn(serve(&loop, static_cast<int>(t) * per_loop, per_loop))
                .then([&sums, t](std::int64_t sum) { sums[t] = sum; })
                .on_error([](const uvmysql::Error& e) { std::fprintf(stderr, "error: %s\n", e.what()); })
                .detach();
            uv_run(&loop, UV_RUN_DEFAULT);
            uv_loop_close(&loop);
        });
    }
    for (std::thread& t : threads) t.join();
    int exit_code = 0;
    for (unsigned t = 0; t < loops; ++t) {
        const std::int64_t first = static_cast<std::int64_t>(t) * per_loop;
        const std::int64_t expected = per_loop * first + per_loop * (per_loop - 1) / 2;
        std::printf("loop %u: %d queries, sum %lld\n", t, per_loop, static_cast<long long>(sums[t]));
        if (sums[t] != expected) exit_code = 1;
    }
    return exit_code;
}
