// SPDX-License-Identifier: MIT
// aiomysql docs: a dict type of your own (AttrDict) — here a row type with its row_traits.
#include "run_sample.hpp"
#include "sample_options.hpp"

/// A row whose missing columns read as NULL instead of failing, like the docs' AttrDict.
struct AttrRow {
    uvmysql::DictRow dict;
    [[nodiscard]] uvmysql::Value get(std::string_view name) const {
        const uvmysql::Value* v = dict.find(name);
        return v ? *v : uvmysql::Value();
    }
};

/// Teaches the cursors how to make an AttrRow from a Row.
template <>
struct uvmysql::row_traits<AttrRow> {
    static AttrRow from_row(uvmysql::Row&& row) { return AttrRow{uvmysql::DictRow(std::move(row))}; }
};

using AttrDictCursor = uvmysql::BasicCursor<AttrRow>;

uvmysql::Task<> example(uv_loop_t* loop) {
    auto conn = co_await uvmysql::connect(loop, samples::options_from_env("test_pymysql"));
    auto cur = conn.cursor<AttrDictCursor>();
    co_await cur.execute("SELECT 20 AS age, TIMESTAMP'1990-02-06 23:04:56' AS DOB, 'bob' AS name");
    auto r = co_await cur.fetchone();
    std::printf("age=%s DOB=%s name=%s foo=%s\n", r->get("age").to_string().c_str(),
                r->get("DOB").to_string().c_str(), r->get("name").to_string().c_str(),
                r->get("foo").is_null() ? "NULL" : "?");
    conn.close();
}

int main() { return samples::run(example); }
