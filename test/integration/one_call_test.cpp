// SPDX-License-Identifier: MIT
// One-call statements: Connection::query/execute with arguments, Pool::query/execute and
// Pool::with_connection, including that the pool gets its connection back on failure.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

class OneCallTest : public PoolServerTest {
protected:
    Pool make_pool(std::size_t maxsize) {
        PoolOptions po;
        po.minsize = 1;
        po.maxsize = maxsize;
        po.acquire_timeout = 2s;
        return PoolServerTest::make_pool(po);
    }
    /// Every connection is back: none borrowed, all free.
    static void expect_all_returned(const Pool& pool) {
        EXPECT_EQ(pool.stats().in_use, 0u);
        EXPECT_EQ(pool.freesize(), pool.size());
    }
};

TEST_F(OneCallTest, ConnectionQueryWithArgumentsReturnsRows) {
    Connection c = open(server_options());
    std::vector<Row> rows = wait(c.query("SELECT %s + 1 AS n, %s AS s UNION ALL SELECT 3, 'y'", 1, "x"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].at("n").as<std::int64_t>(), 2);
    EXPECT_EQ(rows[0].at("s").as<std::string>(), "x");
    EXPECT_EQ(rows[1].at(1).as<std::string>(), "y");
    rows = wait(c.query("SELECT %(a)s", {{"a", 5}}));   // braces are fine outside co_await
    EXPECT_EQ(rows.at(0).at(0).as<std::int64_t>(), 5);
    rows = wait(c.query("SELECT 100 % 7", Args()));       // no arguments: no % processing
    EXPECT_EQ(rows.at(0).at(0).as<std::int64_t>(), 2);
    // Without arguments, query() is still the call that returns every result set.
    std::vector<ResultSet> sets = wait(c.query("SELECT 1"));
    EXPECT_EQ(sets.size(), 1u);
}

TEST_F(OneCallTest, ConnectionExecuteReportsTheOutcome) {
    Connection c = open(server_options());
    wait(c.execute("CREATE TEMPORARY TABLE one_call (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"));
    ResultSet rs = wait(c.execute("INSERT INTO one_call (v) VALUES (%s), (%s)", 10, 20));
    EXPECT_EQ(rs.affected_rows, 2u);
    EXPECT_EQ(rs.insert_id, 1u);
    EXPECT_FALSE(rs.has_rows());
    rs = wait(c.execute("SELECT v FROM one_call WHERE id = %s", 2));
    ASSERT_TRUE(rs.has_rows());
    EXPECT_EQ(rs.rows.at(0).at(0).as<std::int64_t>(), 20);
    EXPECT_THROW(wait(c.execute("SELECT * FROM no_such_table_here")), ProgrammingError);
    EXPECT_FALSE(c.closed());
}

TEST_F(OneCallTest, ConnectionExecuteFailsOnALaterStatementsError) {
    ConnectOptions opt = server_options();
    opt.client_flag |= client_flag::multi_statements;
    Connection c = open(opt);
    EXPECT_THROW(wait(c.execute("SELECT 1; SELECT * FROM no_such_table_here")), ProgrammingError);
    EXPECT_EQ(wait(c.query("SELECT %s", 3)).at(0).at(0).as<std::int64_t>(), 3);
}

TEST_F(OneCallTest, PoolQueryReturnsRowsAndTheConnection) {
    Pool pool = make_pool(2);
    std::vector<Row> rows = wait(pool.query("SELECT %s * 2", 21));
    EXPECT_EQ(rows.at(0).at(0).as<std::int64_t>(), 42);
    expect_all_returned(pool);
    rows = wait(pool.query("SELECT 1 UNION ALL SELECT 2"));
    EXPECT_EQ(rows.size(), 2u);
    EXPECT_EQ(pool.stats().acquired, 2u);
    expect_all_returned(pool);
}

TEST_F(OneCallTest, PoolQueryReleasesTheConnectionOnError) {
    Pool pool = make_pool(1);
    EXPECT_THROW(wait(pool.query("SELEC %s", 1)), ProgrammingError);
    expect_all_returned(pool);
    EXPECT_THROW(wait(pool.query("SELECT %s, %s", 1)), ProgrammingError);   // too few arguments
    expect_all_returned(pool);
    // The pool's only connection came back usable (maxsize 1: otherwise this would time out).
    EXPECT_EQ(wait(pool.query("SELECT %s", 7)).at(0).at(0).as<std::int64_t>(), 7);
    EXPECT_EQ(pool.stats().discarded_broken, 0u);
}

TEST_F(OneCallTest, PoolQueryDropsAConnectionThatDied) {
    Pool pool = make_pool(1);
    Connection admin = open(server_options());
    try {
        (void)wait(pool.query("KILL CONNECTION CONNECTION_ID()"));
        FAIL() << "a killed session answered";
    } catch (const Error& e) {
        EXPECT_TRUE(is_fatal(e)) << e.what();
    }
    EXPECT_EQ(pool.stats().in_use, 0u);
    EXPECT_EQ(pool.stats().discarded_broken, 1u);   // closed at once, never lent again
    EXPECT_EQ(wait(pool.query("SELECT %s", 8)).at(0).at(0).as<std::int64_t>(), 8);
}

TEST_F(OneCallTest, PoolExecuteReportsTheOutcome) {
    Pool pool = make_pool(1);
    wait(pool.execute("CREATE TABLE IF NOT EXISTS pool_execute (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"));
    ResultSet rs = wait(pool.execute("INSERT INTO pool_execute (v) VALUES (%s)", 5));
    EXPECT_EQ(rs.affected_rows, 1u);
    EXPECT_GT(rs.insert_id, 0u);
    rs = wait(pool.execute("DROP TABLE pool_execute"));
    expect_all_returned(pool);
}

TEST_F(OneCallTest, PoolQueryTimesOutWithTimeoutError) {
    Pool pool = make_pool(1);
    PooledConnection held = wait(pool.acquire());
    try {
        (void)wait(pool.query("SELECT %s", 1));
        FAIL() << "the only connection was lent twice";
    } catch (const TimeoutError& e) {
        EXPECT_EQ(e.sqlstate(), "HYT00");
        EXPECT_FALSE(is_fatal(e));   // no connection was involved
    }
    held.release();
    expect_all_returned(pool);
}

Task<std::int64_t> transfer(Connection conn) {
    co_await conn.begin();
    const ResultSet first = co_await conn.execute("SELECT CONNECTION_ID()");
    co_await conn.execute("SET @uvmysql_with_connection = %s", 5);
    const std::vector<Row> second = co_await conn.query("SELECT CONNECTION_ID(), @uvmysql_with_connection", Args());
    co_await conn.commit();
    EXPECT_EQ(first.rows.at(0).at(0).as<std::int64_t>(), second.at(0).at(0).as<std::int64_t>());
    co_return second.at(0).at(1).as<std::int64_t>();
}

TEST_F(OneCallTest, WithConnectionRunsSeveralStatementsOnOneConnection) {
    Pool pool = make_pool(2);
    EXPECT_EQ(wait(pool.with_connection(transfer)), 5);
    expect_all_returned(pool);
    // A lambda returning a Future, capturing what it needs.
    const std::string sql = "SELECT %s";
    auto rows = wait(pool.with_connection([sql](Connection conn) { return conn.query(sql, 9); }));
    EXPECT_EQ(rows.at(0).at(0).as<std::int64_t>(), 9);
    expect_all_returned(pool);
}

TEST_F(OneCallTest, WithConnectionReleasesWhenTheWorkFailsOrThrows) {
    Pool pool = make_pool(1);
    auto failing = [](Connection conn) -> Task<int> {
        co_await conn.query("SELECT %s", 1);
        throw std::runtime_error("the handler failed");
    };
    EXPECT_THROW(wait(pool.with_connection(failing)), std::runtime_error);
    expect_all_returned(pool);
    auto throwing = [](Connection) -> Future<int> { throw std::logic_error("before any statement"); };
    EXPECT_THROW(wait(pool.with_connection(throwing)), std::logic_error);
    expect_all_returned(pool);
    EXPECT_EQ(wait(pool.query("SELECT %s", 4)).at(0).at(0).as<std::int64_t>(), 4);
}

}  // namespace
}  // namespace uvmysql::test
