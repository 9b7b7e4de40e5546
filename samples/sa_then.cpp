// SPDX-License-Identifier: MIT
// The aiomysql.sa example with .then(): table tbl (id, val), an insert inside a transaction,
// then a select whose rows are printed.
#include <uv.h>

#include <cstdio>
#include <uvmysql/uvmysql.hpp>

#include "sample_options.hpp"

namespace sa = uvmysql::sql;

namespace {

sa::MetaData metadata;
const sa::Table tbl(metadata, "tbl", sa::Column("id", sa::Integer(), {.primary_key = true}),
                    sa::Column("val", sa::String(255)));

/// Insert in a transaction, select, print: on one connection of the engine, released after.
uvmysql::Future<void> insert_and_show(uvmysql::Engine engine) {
    return engine.connect([](uvmysql::EngineConnection& conn) {
        return uvmysql::drop_all(conn, metadata)
            .then([conn]() { return uvmysql::create_all(conn, metadata); })
            .then([conn]() mutable { return conn.begin(); })
            .then([conn](uvmysql::Transaction transaction) mutable {
                return conn.execute(tbl.insert().values({{"val", "abc"}}))
                    .then([transaction](uvmysql::ResultProxy) mutable { return transaction.commit(); });
            })
            .then([conn]() mutable { return conn.execute(tbl.select()); })
            .then([](uvmysql::ResultProxy res) {
                return res.for_each([](const uvmysql::RowProxy& row) {
                    std::printf("%s %s\n", row[tbl.c("id")].to_string().c_str(), row["val"].to_string().c_str());
                });
            })
            .then([conn]() { return uvmysql::drop_all(conn, metadata); });
    });
}

}  // namespace

int main() {
    uv_loop_t loop;
    uv_loop_init(&loop);
    int exit_code = 1;

    uvmysql::create_engine(&loop, samples::options_from_env("test_pymysql"))
        .then([](uvmysql::Engine engine) {
            return insert_and_show(engine).finally([engine]() mutable { engine.close(); }).then([engine]() mutable {
                return engine.wait_closed();
            });
        })
        .then([&exit_code]() { exit_code = 0; })
        .on_error([](const uvmysql::Error& e) { std::fprintf(stderr, "error: %s\n", e.what()); })
        .detach();

    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return exit_code;
}
