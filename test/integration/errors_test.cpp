// SPDX-License-Identifier: MIT
// TimeoutError and is_fatal() on errors the real server and real connections produce.
#include <gtest/gtest.h>

#include <string>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

class ErrorsTest : public ServerTest {
protected:
    /// The uvmysql error `f` fails with (a test failure when it succeeds).
    template <class T>
    Error error_of(Future<T> f) {
        try {
            (void)wait(std::move(f));
        } catch (const Error& e) {
            return e;
        }
        ADD_FAILURE() << "the call succeeded";
        return Error(0, "", "");
    }
};

TEST_F(ErrorsTest, WithTimeoutOnAQueryIsAFatalTimeoutError) {
    Connection c = open(server_options());
    try {
        (void)wait(with_timeout(loop(), 50ms, c.query("SELECT SLEEP(0.5)")));
        FAIL() << "SLEEP(0.5) finished within 50 ms";
    } catch (const TimeoutError& e) {
        EXPECT_EQ(e.sqlstate(), "HYT00");
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_TRUE(is_fatal(e));
    }
}

/// A duplicate key read as a value in a coroutine: 1 inserted, 0 already there, -1 otherwise.
Task<int> insert_once(Connection c, std::int64_t id, std::string& seen) {
    Result<ResultSet> r = co_await c.execute("INSERT INTO results_once (id) VALUES (%s)", id).result();
    if (r) co_return static_cast<int>(r->affected_rows);
    seen = std::string(r.error().sqlstate()) + " " + std::to_string(r.error().errno_code());
    co_return error_class_of(r.error()) == ErrorClass::integrity ? 0 : -1;
}

TEST_F(ErrorsTest, ExpectedErrorsAsResultsInBothStyles) {
    Connection c = open(server_options());
    (void)wait(c.execute("CREATE TEMPORARY TABLE results_once (id INT PRIMARY KEY)"));
    std::string seen;
    EXPECT_EQ(wait(spawn(insert_once(c, 1, seen))), 1);
    EXPECT_EQ(wait(spawn(insert_once(c, 1, seen))), 0);
    EXPECT_EQ(seen, "23000 1062");
    // The continuation style: called on failure too, with the server's error.
    Future<std::string> described =
        c.query("SELECT * FROM no_such_table_here").then_result([](Result<std::vector<ResultSet>> rows) {
            if (rows) return std::string("rows");
            const Error& e = rows.error();
            return std::string(error_class_of(e) == ErrorClass::programming ? "programming " : "other ") +
                   std::to_string(e.errno_code()) + " " + e.sqlstate();
        });
    EXPECT_EQ(wait(std::move(described)), "programming 1146 42S02");
    Future<std::size_t> counted =
        c.query("SELECT 1 UNION ALL SELECT 2").then_result([](Result<std::vector<ResultSet>> sets) {
            return sets.value().at(0).rows.size();
        });
    EXPECT_EQ(wait(std::move(counted)), 2u);
    // The connection is fine after the errors read as values.
    EXPECT_EQ(wait(c.query("SELECT COUNT(*) FROM results_once")).at(0).rows.at(0).at(0), Value(1));
}

TEST_F(ErrorsTest, StatementErrorsAreNotFatal) {
    Connection c = open(server_options());
    wait(c.execute("CREATE TEMPORARY TABLE fatal_dup (id INT PRIMARY KEY)"));
    wait(c.execute("INSERT INTO fatal_dup VALUES (%s)", 1));
    const Error syntax = error_of(c.query("SELEC 1"));
    EXPECT_EQ(syntax.errno_code(), 1064);
    EXPECT_FALSE(is_fatal(syntax));
    const Error dup = error_of(c.execute("INSERT INTO fatal_dup VALUES (%s)", 1));
    EXPECT_EQ(dup.errno_code(), 1062);
    EXPECT_FALSE(is_fatal(dup));
    const Error args = error_of(c.execute("SELECT %s, %s", 1));   // a bad call: no round trip
    EXPECT_FALSE(is_fatal(args));
    EXPECT_FALSE(c.closed());
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

TEST_F(ErrorsTest, AnUnreadStreamedResultIsNotFatal) {
    Connection c = open(server_options());
    auto ss = c.cursor<SSCursor>();
    wait(ss.execute("SELECT seq FROM seq_1_to_100000"));   // more than the stream buffers
    const Error busy = error_of(c.query("SELECT 3"));
    EXPECT_EQ(busy.errno_code(), 2014);
    EXPECT_FALSE(is_fatal(busy));
    wait(ss.close());
    EXPECT_EQ(scalar(c, "SELECT 3").as<std::int64_t>(), 3);
}

TEST_F(ErrorsTest, AKilledOrClosedConnectionIsFatal) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    wait(killer.query("KILL " + std::to_string(victim.thread_id())));
    wait(killer.query("SELECT SLEEP(0.2)"));   // KILL returns before the victim's socket is closed
    const Error lost = error_of(victim.query("SELECT 1"));
    EXPECT_TRUE(is_fatal(lost)) << lost.what();
    EXPECT_TRUE(victim.closed());

    Connection closed = open(server_options());
    closed.close();
    const Error gone = error_of(closed.query("SELECT 1"));
    EXPECT_EQ(error_class_of(gone), ErrorClass::interface);
    EXPECT_EQ(gone.sqlstate(), "08003");
    EXPECT_TRUE(is_fatal(gone));
}

}  // namespace
}  // namespace uvmysql::test
