// SPDX-License-Identifier: MIT
// aiomysql docs: an insert rolled back, then done again and committed.
#include "run_sample.hpp"
#include "sample_options.hpp"

uvmysql::Task<> example(uv_loop_t* loop) {
    uvmysql::ConnectOptions opt = samples::options_from_env("test_pymysql");
    opt.autocommit = false;
    auto conn = co_await uvmysql::connect(loop, opt);
    auto cur = conn.cursor();
    co_await cur.execute("DROP TABLE IF EXISTS names");
    const std::string create = R"(CREATE TABLE names (
                                      id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT,
                                      name VARCHAR(30) DEFAULT '' NOT NULL,
                                      cnt TINYINT UNSIGNED DEFAULT 0,
                                      PRIMARY KEY (id)))";
    co_await cur.execute(create);
    co_await conn.commit();

    using namespace std::string_literals;   // GCC 12: no raw string literals in braced lists in coroutines
    const std::vector<uvmysql::Args> names{{"Geert"s}, {"Jan"s}, {"Michel"s}};
    const std::string insert = "INSERT INTO names (name) VALUES (%s)";
    const std::string select = "SELECT id, name FROM names ORDER BY id";

    co_await cur.executemany(insert, names);
    co_await conn.rollback();                       // roll back: no data
    co_await cur.execute(select);
    std::printf("after rollback: %zu rows\n", (co_await cur.fetchall()).size());

    co_await cur.executemany(insert, names);        // again, and commit
    co_await conn.commit();
    co_await cur.execute(select);
    for (const auto& row : co_await cur.fetchall()) {
        std::printf("%s %s\n", row[0].to_string().c_str(), row[1].to_string().c_str());
    }
    co_await cur.execute("DROP TABLE names");
    co_await cur.close();
    conn.close();
}

int main() { return samples::run(example); }
