// SPDX-License-Identifier: MIT
// Typed rows against the real server: tuples and structs, by position and by name, over buffered,
// streamed, one-call, pooled and engine queries; metadata checks before any row; bad values.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

struct Person {
    std::int64_t id = 0;
    std::string name;
    std::optional<Date> born;
    Decimal balance;
    static constexpr auto uvmysql_fields = uvmysql::fields(field("id", &Person::id), field("name", &Person::name),
                                                           field("born", &Person::born),
                                                           field("balance", &Person::balance));
};

using PersonTuple = std::tuple<std::int64_t, std::string, std::optional<Date>, Decimal>;

class TypedRowsTest : public PoolServerTest {
protected:
    /// A connection with a temporary table of three people (one born unknown).
    Connection with_people() {
        Connection c = open(server_options());
        wait(c.execute("CREATE TEMPORARY TABLE people (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                       "born DATE NULL, balance DECIMAL(10,2) NOT NULL, big BIGINT UNSIGNED NOT NULL DEFAULT 0)"));
        wait(c.execute("INSERT INTO people (id, name, born, balance) VALUES (1, 'Ann', '1990-05-17', 12.50), "
                       "(2, 'Bob', NULL, -3.00), (3, 'Cyd', '2001-01-02', 0.00)"));
        return c;
    }
    static void expect_people(const std::vector<Person>& people) {
        ASSERT_EQ(people.size(), 3u);
        EXPECT_EQ(people[0].id, 1);
        EXPECT_EQ(people[0].name, "Ann");
        EXPECT_EQ(people[0].born, (Date{1990, 5, 17}));
        EXPECT_EQ(people[0].balance, Decimal("12.50"));
        EXPECT_FALSE(people[1].born.has_value());
        EXPECT_EQ(people[1].balance, Decimal("-3.00"));
        EXPECT_EQ(people[2].name, "Cyd");
    }
    static constexpr const char* select_people = "SELECT id, name, born, balance FROM people ORDER BY id";
};

TEST_F(TypedRowsTest, BufferedCursorTuplesAndStructs) {
    Connection c = with_people();
    Cursor cur = c.cursor();
    wait(cur.execute(select_people));
    auto first = wait(cur.fetchone<PersonTuple>());
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(std::get<1>(*first), "Ann");
    auto next = wait(cur.fetchmany<PersonTuple>(1));
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(std::get<0>(next[0]), 2);
    auto rest = wait(cur.fetchall<PersonTuple>());
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(std::get<2>(rest[0]), (Date{2001, 1, 2}));
    EXPECT_FALSE(wait(cur.fetchone<PersonTuple>()).has_value());

    wait(cur.execute(select_people));
    expect_people(wait(cur.fetchall<Person>()));
    // By name, from a statement whose columns come in another order, with one more.
    wait(cur.execute("SELECT balance, big, born, name, id FROM people ORDER BY id"));
    expect_people(wait(cur.fetchall<Person>(by_name)));
}

TEST_F(TypedRowsTest, OneCallAndPooledQueriesGoStraightIntoTheType) {
    Connection c = with_people();
    expect_people(wait(c.query_as<Person>(select_people)));
    auto tuples = wait(c.query_as<PersonTuple>("SELECT id, name, born, balance FROM people WHERE id > %s", 1));
    ASSERT_EQ(tuples.size(), 2u);
    EXPECT_EQ(std::get<1>(tuples[1]), "Cyd");
    expect_people(wait(c.query_as<Person>(by_name, "SELECT * FROM people ORDER BY id")));
    EXPECT_TRUE(wait(c.query_as<PersonTuple>("SELECT id, name, born, balance FROM people WHERE id < 0")).empty());

    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 2;
    Pool pool = make_pool(po);
    auto pooled = wait(pool.query_as<std::tuple<std::int32_t, std::string, std::optional<double>>>(
        "SELECT %s, %s, NULL", 7, "seven"));
    ASSERT_EQ(pooled.size(), 1u);
    EXPECT_EQ(std::get<0>(pooled[0]), 7);
    EXPECT_EQ(std::get<1>(pooled[0]), "seven");
    EXPECT_FALSE(std::get<2>(pooled[0]).has_value());
    auto people = wait(pool.query_as<Person>(by_name, "SELECT %s AS name, 5 AS id, NULL AS born, 1.25 AS balance",
                                             "Dee"));
    ASSERT_EQ(people.size(), 1u);
    EXPECT_EQ(people[0].name, "Dee");
    EXPECT_EQ(people[0].id, 5);
    EXPECT_EQ(people[0].balance, Decimal("1.25"));
    auto counted = wait(pool.query_as<std::tuple<std::int64_t>>(by_position, "SELECT COUNT(*) FROM mysql.user"));
    EXPECT_GE(std::get<0>(counted.at(0)), 1);
    EXPECT_EQ(pool.stats().in_use, 0u);
}

TEST_F(TypedRowsTest, StreamedCursorsConvertAsTheyRead) {
    Connection c = with_people();
    SSCursor cur = c.cursor<SSCursor>();
    wait(cur.execute(select_people));
    auto one = wait(cur.fetchone<Person>());
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->name, "Ann");
    auto rest = wait(cur.fetchall<Person>());
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[1].id, 3);
    wait(cur.execute("SELECT id, name FROM people ORDER BY id"));
    auto many = wait(cur.fetchmany<std::tuple<std::int64_t, std::string>>(2));
    EXPECT_EQ(many.size(), 2u);
    wait(cur.close());
}

TEST_F(TypedRowsTest, MismatchedColumnsFailBeforeAnyRowAndNameTheColumn) {
    Connection c = with_people();
    // BIGINT UNSIGNED into int32: refused from the metadata, also with no row at all.
    auto e = failure_of<ProgrammingError>(
        c.query_as<std::tuple<std::int32_t>>("SELECT big FROM people WHERE id < 0"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->message(), "typed row: column 1 'big' (BIGINT UNSIGNED) does not fit std::int32_t: it has values "
                            "outside the C++ type's range");
    EXPECT_EQ(e->sqlstate(), "07006");
    // NULL-able into a non-optional.
    e = failure_of<ProgrammingError>(c.query_as<std::tuple<Date>>("SELECT born FROM people"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->message(), "typed row: column 1 'born' (DATE) does not fit uvmysql::Date: it may be NULL: use "
                            "std::optional<uvmysql::Date>");
    // DECIMAL into double only when asked.
    e = failure_of<ProgrammingError>(c.query_as<std::tuple<double>>("SELECT balance FROM people"));
    ASSERT_TRUE(e.has_value());
    auto doubles = wait(c.query_as<std::tuple<double>>(by_position.with_decimal_to_double(),
                                                       "SELECT balance FROM people ORDER BY id"));
    EXPECT_EQ(std::get<0>(doubles.at(0)), 12.5);
    // Column count, and a missing name.
    EXPECT_TRUE(failure_of<ProgrammingError>(c.query_as<Person>("SELECT id, name FROM people")).has_value());
    e = failure_of<ProgrammingError>(c.query_as<Person>(by_name, "SELECT id, name, born FROM people"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->message(), "typed row: no column named 'balance' in the result (matched by name)");
    Cursor cur = c.cursor();
    wait(cur.execute("SELECT big FROM people WHERE id < 0"));
    EXPECT_TRUE(failure_of<ProgrammingError>(cur.fetchall<std::tuple<std::int32_t>>()).has_value());
    // The connection is in sync after each failure.
    EXPECT_EQ(wait(c.query_as<std::tuple<std::int64_t>>("SELECT 41 + 1")).at(0), std::tuple<std::int64_t>(42));
}

TEST_F(TypedRowsTest, ValuesThatDoNotConvertAreDataErrors) {
    Connection c = open(server_options());
    wait(c.execute("SET SESSION sql_mode = ''"));
    wait(c.execute("CREATE TEMPORARY TABLE zero_dates (d DATE NOT NULL)"));
    wait(c.execute("INSERT INTO zero_dates VALUES ('2020-01-01'), ('0000-00-00'), ('2020-01-03')"));
    auto e = failure_of<DataError>(c.query_as<std::tuple<Date>>("SELECT d FROM zero_dates"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->message(), "typed row: column 1 'd' (DATE) value '0000-00-00' does not convert to uvmysql::Date");
    EXPECT_EQ(e->sqlstate(), "22007");
    Cursor cur = c.cursor();
    wait(cur.execute("SELECT d FROM zero_dates"));
    EXPECT_TRUE(failure_of<DataError>(cur.fetchall<std::tuple<Date>>()).has_value());
    // Still usable, and the same rows as Values keep the zero date as text.
    auto rows = wait(c.query("SELECT d FROM zero_dates"));
    EXPECT_EQ(rows.at(0).rows.at(1).at(0), Value("0000-00-00"));
}

TEST_F(TypedRowsTest, EveryTypeFromTheWireEqualsTheValuePath) {
    Connection c = open(server_options());
    const std::string sql =
        "SELECT CAST(-5 AS SIGNED), CAST(250 AS UNSIGNED), 2.5e0, 'text', _binary'b\\0y', 12.345, "
        "DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:58.123456', TIME '-838:59:59', TRUE, NULL";
    using All = std::tuple<std::int64_t, std::uint64_t, double, std::string, Bytes, Decimal, Date, DateTime, Time,
                           std::int64_t, std::optional<std::string>>;
    auto direct = wait(c.query_as<All>(sql));
    ASSERT_EQ(direct.size(), 1u);
    Cursor cur = c.cursor();
    wait(cur.execute(sql));
    auto via_values = wait(cur.fetchall<All>());
    ASSERT_EQ(via_values.size(), 1u);
    EXPECT_EQ(direct[0], via_values[0]);
    EXPECT_EQ(std::get<0>(direct[0]), -5);
    EXPECT_EQ(std::get<1>(direct[0]), 250u);
    EXPECT_EQ(std::get<4>(direct[0]).size(), 3u);
    EXPECT_EQ(std::get<5>(direct[0]), Decimal("12.345"));
    EXPECT_EQ(std::get<7>(direct[0]).to_string(), "2024-02-29 23:59:58.123456");
    EXPECT_EQ(std::get<8>(direct[0]).to_string(), "-838:59:59");
}

TEST_F(TypedRowsTest, PreparedStatementsConvertTheirBinaryRows) {
    Connection c = with_people();
    Statement stmt = wait(c.prepare("SELECT id, name, born, balance FROM people WHERE id >= ? ORDER BY id"));
    expect_people(wait(stmt.execute_as<Person>(1)));
    auto by_name_rows = wait(stmt.execute_as<Person>(by_name, 3));
    ASSERT_EQ(by_name_rows.size(), 1u);
    EXPECT_EQ(by_name_rows[0].name, "Cyd");
    // Every type through the binary protocol equals the text protocol's conversion.
    const std::string sql =
        "SELECT CAST(-5 AS SIGNED), CAST(250 AS UNSIGNED), 2.5e0, 'text', _binary'b\\0y', 12.345, "
        "DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:58.123456', TIME '-838:59:59', TRUE, NULL, ?";
    using All = std::tuple<std::int64_t, std::uint64_t, double, std::string, Bytes, Decimal, Date, DateTime, Time,
                           std::int64_t, std::optional<std::string>, std::optional<std::int64_t>>;
    Statement every = wait(c.prepare(sql));
    auto binary = wait(every.execute_as<All>(7));
    auto text = wait(c.query_as<All>(std::string(sql).replace(sql.size() - 1, 1, "7")));
    ASSERT_EQ(binary.size(), 1u);
    ASSERT_EQ(text.size(), 1u);
    EXPECT_EQ(binary[0], text[0]);
    // Checks and bad values behave as on the text protocol, and the statement stays usable.
    Statement big = wait(c.prepare("SELECT big FROM people WHERE id = ?"));
    EXPECT_TRUE(failure_of<ProgrammingError>(big.execute_as<std::tuple<std::int32_t>>(1)).has_value());
    EXPECT_EQ(std::get<0>(wait(big.execute_as<std::tuple<std::uint64_t>>(1)).at(0)), 0u);
    // A cursor in prepared mode gives typed rows through the fetch forms.
    Cursor cur = c.cursor();
    cur.set_prepared(true);
    wait(cur.execute("SELECT id, name, born, balance FROM people WHERE id >= %s ORDER BY id", 1));
    expect_people(wait(cur.fetchall<Person>()));
}

TEST_F(TypedRowsTest, EngineResults) {
    EngineOptions eo;
    eo.minsize = 1;
    eo.maxsize = 1;
    Engine engine = wait(create_engine(loop(), server_options(), eo));
    {
        EngineConnection c = wait(engine.acquire());
        ResultProxy r = wait(c.execute("SELECT 1 AS id, 'x' AS name, NULL AS born, 2.50 AS balance"));
        auto people = wait(r.fetchall<Person>(by_name));
        ASSERT_EQ(people.size(), 1u);
        EXPECT_EQ(people[0].name, "x");
        EXPECT_EQ(people[0].balance, Decimal("2.50"));
        r = wait(c.execute("SELECT 5 UNION ALL SELECT 6"));
        auto one = wait(r.fetchone<std::tuple<std::int64_t>>());
        ASSERT_TRUE(one.has_value());
        EXPECT_EQ(std::get<0>(*one), 5);
        auto more = wait(r.fetchmany<std::tuple<std::int64_t>>(5));
        ASSERT_EQ(more.size(), 1u);
        wait(c.close());
    }
    engine.close();
    wait(engine.wait_closed());
}

}  // namespace
}  // namespace uvmysql::test
