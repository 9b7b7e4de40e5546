// SPDX-License-Identifier: MIT
// The pool example of the aiomysql docs, with co_await: borrow a connection, SELECT 42, shut down.
#include <uv.h>

#include <cstdio>
#include <uvmysql/task.hpp>
#include <uvmysql/uvmysql.hpp>

#include "sample_options.hpp"

uvmysql::Task<std::int64_t> test_example(uv_loop_t* loop) {
    uvmysql::PoolOptions pool_options;  // minsize 1, maxsize 10, as aiomysql
    uvmysql::Pool pool =
        co_await uvmysql::create_pool(loop, samples::options_from_env("mysql"), pool_options);
    std::int64_t r = 0;
    {
        // Borrowed until the end of the block, then back to the pool (aiomysql's `async with`).
        uvmysql::PooledConnection conn = co_await pool.acquire();
        auto cur = conn->cursor();
        co_await cur.execute("SELECT 42;");
        for (const auto& d : cur.description()) {
            std::printf("column %s (type %d)\n", d.name.c_str(), static_cast<int>(d.type_code));
        }
        std::optional<uvmysql::Row> row = co_await cur.fetchone();
        r = row.value().at(0).as<std::int64_t>();
    }
    const uvmysql::PoolStats stats = pool.stats();
    std::printf("pool: size %zu, free %zu, %llu acquired\n", pool.size(), pool.freesize(),
                static_cast<unsigned long long>(stats.acquired));
    pool.close();
    co_await pool.wait_closed();
    co_return r;
}

int main() {
    uv_loop_t loop;
    uv_loop_init(&loop);
    int exit_code = 1;
    uvmysql::spawn(test_example(&loop))
        .then([&exit_code](std::int64_t r) {
            std::printf("%lld\n", static_cast<long long>(r));
            exit_code = r == 42 ? 0 : 1;
        })
        .on_error([](const uvmysql::Error& e) { std::fprintf(stderr, "error: %s\n", e.what()); })
        .detach();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return exit_code;
}
