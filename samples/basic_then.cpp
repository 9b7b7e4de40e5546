// SPDX-License-Identifier: MIT
// The first example of the aiomysql docs, with .then(): list the server's accounts.
#include <uv.h>

#include <cstdio>
#include <uvmysql/uvmysql.hpp>

#include "sample_options.hpp"

int main() {
    uv_loop_t loop;
    uv_loop_init(&loop);
    int exit_code = 1;

    uvmysql::connect(&loop, samples::options_from_env("mysql"))
        .then([](uvmysql::Connection conn) {
            auto cur = conn.cursor();
            return cur.execute("SELECT Host, User FROM user")
                .then([cur](std::uint64_t) mutable {
                    for (const auto& d : cur.description()) {
                        std::printf("column %s (type %d)\n", d.name.c_str(), static_cast<int>(d.type_code));
                    }
                    return cur.fetchall();
                })
                .then([conn](std::vector<uvmysql::Row> rows) mutable {
                    for (const auto& r : rows) {
                        std::printf("%s@%s\n", r[1].to_string().c_str(), r[0].to_string().c_str());
                    }
                    conn.close();
                    return rows.size();
                });
        })
        .then([&exit_code](std::size_t n) {
            std::printf("%zu accounts\n", n);
            exit_code = 0;
        })
        .on_error([](std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& err) {
                std::fprintf(stderr, "error: %s\n", err.what());
            }
        })
        .detach();

    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return exit_code;
}
