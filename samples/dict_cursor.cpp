// SPDX-License-Identifier: MIT
// aiomysql docs: DictCursor — rows as column name -> value maps.
#include "run_sample.hpp"
#include "sample_options.hpp"

uvmysql::Task<> example(uv_loop_t* loop) {
    auto conn = co_await uvmysql::connect(loop, samples::options_from_env("test_pymysql"));
    auto cur = conn.cursor<uvmysql::DictCursor>();
    using namespace std::string_literals;   // GCC 12: no raw string literals in braced lists in coroutines
    const uvmysql::NamedParams args{{"a"s, 1}, {"b"s, 2}};
    co_await cur.execute("SELECT %(a)s + %(b)s AS sum, 'bob' AS name", args);
    auto row = co_await cur.fetchone();
    for (auto [key, value] : row.value()) std::printf("%s = %s\n", key.c_str(), value.to_string().c_str());
    std::printf("sum is %lld\n", static_cast<long long>((*row)["sum"].as<std::int64_t>()));
    conn.close();
}

int main() { return samples::run(example); }
