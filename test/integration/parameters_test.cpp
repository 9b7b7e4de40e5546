// SPDX-License-Identifier: MIT
// Parameters given without braced lists (variadic values, named(), positional()) inside real
// coroutines, on every cursor kind: the forms that compile on GCC 12 within co_await.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

class ParametersTest : public ServerTest {
protected:
    template <class T>
    T run(Task<T> task) {
        return wait(spawn(std::move(task)));
    }
};

Task<std::vector<std::string>> every_cursor_kind(Connection conn) {
    const std::int64_t id = 41;
    const std::string name = "it's";
    std::vector<std::string> seen;

    auto cur = conn.cursor();
    co_await cur.execute("SELECT %s + 1, %s, %s", id, name, nullptr);
    auto row = co_await cur.fetchone();
    seen.push_back(row.value().at(0).to_string() + " " + row.value().at(1).as<std::string>() + " " +
                   (row.value().at(2).is_null() ? "NULL" : "?"));

    auto dict = conn.cursor<DictCursor>();
    co_await dict.execute("SELECT %(a)s * %(b)s AS p, %(a)s AS a", named("a", 6, "b", 7));
    auto drow = co_await dict.fetchone();
    seen.push_back(drow.value()["p"].to_string() + " " + drow.value()["a"].to_string());

    auto ss = conn.cursor<SSCursor>();
    co_await ss.execute("SELECT %s UNION ALL SELECT %s", 1, 2);
    auto ssrows = co_await ss.fetchall();
    seen.push_back(std::to_string(ssrows.size()) + " " + ssrows[1].at(0).to_string());

    auto ssdict = conn.cursor<SSDictCursor>();
    co_await ssdict.execute("SELECT %(x)s AS x", named(std::string("x"), name));
    auto sdrow = co_await ssdict.fetchone();
    seen.push_back(sdrow.value()["x"].as<std::string>());
    co_await ssdict.close();

    Params params = positional(3, "three");   // a named variable works too
    co_await cur.execute("SELECT %s, %s", params);
    auto prow = co_await cur.fetchone();
    seen.push_back(prow.value().at(0).to_string() + " " + prow.value().at(1).as<std::string>());

    co_await cur.execute("SELECT 5 IN %s", Value(positional(4, 5, 6)));   // one list value
    auto lrow = co_await cur.fetchone();
    seen.push_back(lrow.value().at(0).to_string());
    co_return seen;
}

TEST_F(ParametersTest, VariadicAndNamedExecuteOnEveryCursorKind) {
    Connection c = open(server_options());
    const auto seen = run(every_cursor_kind(c));
    EXPECT_EQ(seen, (std::vector<std::string>{"42 it's NULL", "42 6", "2 2", "it's", "3 three", "1"}));
}

Task<std::int64_t> executemany_rows_one_by_one(Connection conn) {
    auto cur = conn.cursor();
    co_await cur.execute("CREATE TEMPORARY TABLE many (a INT, b VARCHAR(10))");
    const auto n = co_await cur.executemany("INSERT INTO many VALUES (%s, %s)", positional(1, "a"),
                                            positional(2, "b"), positional(3, nullptr));
    EXPECT_EQ(n, 3u);
    co_await cur.executemany("INSERT INTO many VALUES (%(a)s, %(b)s)", named("a", 4, "b", "d"));
    co_await cur.execute("SELECT CAST(SUM(a) AS SIGNED), COUNT(b) FROM many");
    auto row = co_await cur.fetchone();
    EXPECT_EQ(row.value().at(1).as<std::int64_t>(), 3);
    co_return row.value().at(0).as<std::int64_t>();
}

TEST_F(ParametersTest, ExecutemanyTakesRowsOneByOne) {
    Connection c = open(server_options());
    EXPECT_EQ(run(executemany_rows_one_by_one(c)), 10);
}

Task<std::string> callproc_values_one_by_one(Connection conn) {
    auto cur = conn.cursor();
    co_await cur.execute("DROP PROCEDURE IF EXISTS uvmysql_params_concat");
    co_await cur.execute(
        "CREATE PROCEDURE uvmysql_params_concat(IN a VARCHAR(20), IN b INT, OUT c VARCHAR(40)) "
        "SET c = CONCAT(a, '-', b)");
    Params given = co_await cur.callproc("uvmysql_params_concat", "x", 7, nullptr);
    EXPECT_EQ(given.size(), 3u);
    co_await cur.execute("SELECT @_uvmysql_params_concat_2");
    auto row = co_await cur.fetchone();
    co_await cur.execute("DROP PROCEDURE uvmysql_params_concat");
    co_return row.value().at(0).as<std::string>();
}

TEST_F(ParametersTest, CallprocTakesValuesOneByOne) {
    Connection c = open(server_options());
    EXPECT_EQ(run(callproc_values_one_by_one(c)), "x-7");
}

TEST_F(ParametersTest, MogrifyTakesValuesOneByOne) {
    Connection c = open(server_options());
    EXPECT_EQ(c.cursor().mogrify("SELECT %s, %s", 1, "a'b"), "SELECT 1, 'a\\'b'");
    EXPECT_EQ(c.cursor<SSCursor>().mogrify("SELECT %(n)s", named("n", 2)), "SELECT 2");
}

}  // namespace
}  // namespace uvmysql::test
