// SPDX-License-Identifier: MIT
// The aiomysql.sa example, in coroutine style: table tbl (id, val), an insert inside a
// transaction, then a select whose rows are printed.
#include "run_sample.hpp"
#include "sample_options.hpp"

namespace sa = uvmysql::sql;

namespace {

sa::MetaData metadata;
const sa::Table tbl(metadata, "tbl", sa::Column("id", sa::Integer(), {.primary_key = true}),
                    sa::Column("val", sa::String(255)));

uvmysql::Task<> go(uv_loop_t* loop) {
    auto engine = co_await uvmysql::create_engine(loop, samples::options_from_env("test_pymysql"));
    {
        auto conn = co_await engine.acquire();
        co_await uvmysql::drop_all(conn, metadata);   // a fresh table each run
        co_await uvmysql::create_all(conn, metadata);

        auto transaction = co_await conn.begin();
        co_await conn.execute(tbl.insert().values("val", "abc"));
        co_await transaction.commit();

        auto res = co_await conn.execute(tbl.select());
        while (auto row = co_await res.fetchone()) {
            std::printf("%s %s\n", (*row)[tbl.c("id")].to_string().c_str(), (*row)["val"].to_string().c_str());
        }
        co_await uvmysql::drop_all(conn, metadata);
        co_await conn.close();
    }
    engine.close();
    co_await engine.wait_closed();
}

}  // namespace

int main() { return samples::run(go); }
