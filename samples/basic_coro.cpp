// SPDX-License-Identifier: MIT
// The first example of the aiomysql docs, with co_await: list the server's accounts.
#include <uv.h>

#include <cstdio>
#include <uvmysql/task.hpp>
#include <uvmysql/uvmysql.hpp>

#include "sample_options.hpp"

uvmysql::Task<std::size_t> list_accounts(uv_loop_t* loop) {
    uvmysql::Connection conn = co_await uvmysql::connect(loop, samples::options_from_env("mysql"));
    auto cur = conn.cursor();
    co_await cur.execute("SELECT Host, User FROM user");
    for (const auto& d : cur.description()) {
        std::printf("column %s (type %d)\n", d.name.c_str(), static_cast<int>(d.type_code));
    }
    std::vector<uvmysql::Row> rows = co_await cur.fetchall();
    for (const auto& r : rows) std::printf("%s@%s\n", r[1].to_string().c_str(), r[0].to_string().c_str());
    co_await cur.close();
    conn.close();
    co_return rows.size();
}

int main() {
    uv_loop_t loop;
    uv_loop_init(&loop);
    int exit_code = 1;
    uvmysql::spawn(list_accounts(&loop))
        .then([&exit_code](std::size_t n) {
            std::printf("%zu accounts\n", n);
            exit_code = 0;
        })
        .on_error([](const uvmysql::Error& e) { std::fprintf(stderr, "error: %s\n", e.what()); })
        .detach();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return exit_code;
}
