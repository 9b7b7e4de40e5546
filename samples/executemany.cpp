// SPDX-License-Identifier: MIT
// aiomysql docs: rows inserted one by one, then three at once with executemany().
#include "run_sample.hpp"
#include "sample_options.hpp"

uvmysql::Task<> example(uv_loop_t* loop) {
    auto conn = co_await uvmysql::connect(loop, samples::options_from_env("test_pymysql"));
    auto cur = conn.cursor();
    co_await cur.execute("DROP TABLE IF EXISTS music_style");
    co_await cur.execute("CREATE TABLE music_style (id INT, name VARCHAR(255), PRIMARY KEY (id))");
    co_await conn.commit();

    co_await cur.execute("INSERT INTO music_style VALUES (1, 'heavy metal')");
    co_await cur.execute("INSERT INTO music_style VALUES (2, 'death metal')");
    co_await cur.execute("INSERT INTO music_style VALUES (3, 'power metal')");
    co_await conn.commit();

    // One multi-row INSERT on the wire.
    // (GCC 12 miscompiles string literals inside braced lists in coroutines: std::string here.)
    using namespace std::string_literals;
    const std::vector<uvmysql::Args> data{{4, "gothic metal"s}, {5, "doom metal"s}, {6, "post metal"s}};
    co_await cur.executemany("INSERT INTO music_style (id, name) VALUES (%s, %s)", data);
    co_await conn.commit();

    co_await cur.execute("SELECT * FROM music_style");
    for (const auto& row : co_await cur.fetchall()) {
        std::printf("%s %s\n", row[0].to_string().c_str(), row[1].to_string().c_str());
    }
    co_await cur.execute("DROP TABLE music_style");
    conn.close();
}

int main() { return samples::run(example); }
