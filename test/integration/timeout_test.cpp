// SPDX-License-Identifier: MIT
// Time limits against the private MariaDB: query_timeout interrupts a statement with KILL QUERY
// and keeps the connection, a command queued past its limit is never sent, read_timeout closes
// the link to a frozen server, and a pool goes on with healthy connections.
#include <signal.h>

#include <chrono>
#include <fstream>

#include "freeze_process.hpp"
#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using TimeoutTest = PoolServerTest;

TEST_F(TimeoutTest, QueryTimeoutKillsTheStatementAndKeepsTheConnection) {
    ConnectOptions opt = server_options();
    opt.query_timeout = 200ms;
    Connection c = open(opt);
    const auto thread = c.thread_id();
    const auto start = Clock::now();
    auto e = failure_of<QueryTimeoutError>(c.query("SELECT SLEEP(10)"));
    ASSERT_TRUE(e);
    EXPECT_LT(Clock::now() - start, 1s);
    EXPECT_EQ(e->errno_code(), 1969);
    EXPECT_EQ(e->sqlstate(), "70100");
    EXPECT_NE(std::string(e->what()).find("query_timeout of 200 ms"), std::string::npos) << e->what();
    EXPECT_FALSE(is_fatal(*e));
    // The same session goes on: no reconnect, and the next statement is not the KILL's victim.
    EXPECT_FALSE(c.closed());
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
    EXPECT_EQ(c.thread_id(), thread);
}

TEST_F(TimeoutTest, ServerEnforcedLimitGivesTheSameError) {
    ConnectOptions opt = server_options();
    opt.query_timeout = 200ms;
    opt.query_timeout_on_server = true;   // SET STATEMENT max_statement_time=0.200 FOR ...
    Connection c = open(opt);
    auto cur = c.cursor();
    const auto start = Clock::now();
    auto e = failure_of<QueryTimeoutError>(cur.execute("SELECT SLEEP(10)"));
    ASSERT_TRUE(e);
    EXPECT_LT(Clock::now() - start, 1s);
    EXPECT_EQ(e->errno_code(), 1969);
    EXPECT_EQ(e->sqlstate(), "70100");
    EXPECT_NE(std::string(e->what()).find("max_statement_time"), std::string::npos) << e->what();   // the server's
    EXPECT_EQ(cur.last_executed(), "SELECT SLEEP(10)");
    // Session and transaction control is sent as it is.
    wait(c.begin());
    wait(c.commit());
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

TEST_F(TimeoutTest, CursorTimeoutWinsOverTheConnections) {
    Connection c = open(server_options());
    EXPECT_EQ(c.query_timeout(), 0ms);
    auto cur = c.cursor();
    EXPECT_EQ(cur.timeout(), 0ms);
    cur.set_timeout(200ms);
    EXPECT_EQ(cur.timeout(), 200ms);
    const auto start = Clock::now();
    ASSERT_TRUE(failure_of<QueryTimeoutError>(cur.execute("SELECT SLEEP(10)")));
    EXPECT_LT(Clock::now() - start, 1s);
    EXPECT_EQ(wait(cur.execute("SELECT 2")), 1u);
    EXPECT_EQ((*wait(cur.fetchone()))[0].as<std::int64_t>(), 2);
    // A connection-wide limit set later applies to the other commands.
    c.set_query_timeout(150ms);
    EXPECT_EQ(c.query_timeout(), 150ms);
    ASSERT_TRUE(failure_of<QueryTimeoutError>(c.query("SELECT SLEEP(10)")));
    EXPECT_EQ(scalar(c, "SELECT 3").as<std::int64_t>(), 3);
}

TEST_F(TimeoutTest, StreamingCursorTimesOut) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    cur.set_timeout(200ms);
    // The columns may arrive before the KILL: the error then comes with the rows.
    ASSERT_TRUE(failure_of<QueryTimeoutError>(cur.execute("SELECT SLEEP(10)").then([cur](std::uint64_t) mutable { return cur.fetchall(); })));
    EXPECT_FALSE(c.has_unread_result());
    EXPECT_EQ(scalar(c, "SELECT 4").as<std::int64_t>(), 4);
}

TEST_F(TimeoutTest, QueuedCommandPastItsLimitIsNeverSent) {
    Connection c = open(server_options());
    (void)wait(c.query("SET @reached = NULL"));
    Future<std::vector<ResultSet>> slow = c.query("SELECT SLEEP(1)");
    auto cur = c.cursor();
    cur.set_timeout(200ms);
    const auto start = Clock::now();
    auto e = failure_of<QueryTimeoutError>(cur.execute("SET @reached = 1"));
    ASSERT_TRUE(e);
    EXPECT_LT(Clock::now() - start, 900ms);   // removed from the queue, not run after SLEEP(1)
    EXPECT_NE(std::string(e->what()).find("before the command was sent"), std::string::npos) << e->what();
    EXPECT_EQ(wait(std::move(slow)).at(0).rows.at(0).at(0).as<std::int64_t>(), 0);   // not interrupted
    EXPECT_TRUE(scalar(c, "SELECT @reached").is_null());
}

TEST_F(TimeoutTest, CommandsQueuedBehindAnInterruptedOneRunNormally) {
    ConnectOptions opt = server_options();
    opt.query_timeout = 200ms;
    Connection c = open(opt);
    auto patient = c.cursor();
    patient.set_timeout(10s);
    Future<std::vector<ResultSet>> doomed = c.query("SELECT SLEEP(10)");
    Future<std::uint64_t> next = patient.execute("SELECT 7, SLEEP(0.3)");   // sent after the KILL was handled
    ASSERT_TRUE(failure_of<QueryTimeoutError>(std::move(doomed)));
    EXPECT_EQ(wait(std::move(next)), 1u);
    const auto row = *wait(patient.fetchone());
    EXPECT_EQ(row[0].as<std::int64_t>(), 7);
    EXPECT_EQ(row[1].as<std::int64_t>(), 0);   // SLEEP() returns 1 when it is interrupted
}

TEST_F(TimeoutTest, TimeoutInsideATransactionLeavesItOpen) {
    Connection c = open(server_options());
    (void)wait(c.query("CREATE TEMPORARY TABLE tx_timeout (id INT PRIMARY KEY) ENGINE=InnoDB"));
    wait(c.begin());
    (void)wait(c.query("INSERT INTO tx_timeout VALUES (1)"));
    auto cur = c.cursor();
    cur.set_timeout(200ms);
    ASSERT_TRUE(failure_of<QueryTimeoutError>(cur.execute("SELECT SLEEP(10)")));
    // KILL QUERY ends the statement, not the transaction: its earlier work is still pending.
    EXPECT_TRUE(c.in_transaction());
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM tx_timeout").as<std::int64_t>(), 1);
    wait(c.rollback());
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM tx_timeout").as<std::int64_t>(), 0);
}

TEST_F(TimeoutTest, PooledConnectionComesBackHealthyAfterATimeout) {
    ConnectOptions opt = server_options();
    opt.query_timeout = 200ms;
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;
    Pool pool = make_pool(po, opt);
    ASSERT_TRUE(failure_of<QueryTimeoutError>(pool.query("SELECT SLEEP(10)")));
    ASSERT_TRUE(failure_of<QueryTimeoutError>(pool.query("SELECT SLEEP(10)")));
    EXPECT_EQ(wait(pool.query("SELECT 5")).at(0).at(0).as<std::int64_t>(), 5);
    const PoolStats st = pool.stats();
    EXPECT_EQ(st.size, 1u);
    EXPECT_EQ(st.closed, 0u);   // the same connection served all three
    EXPECT_EQ(st.created, 1u);
}

TEST_F(TimeoutTest, PoolQueryTimeoutIsEachLoansDefault) {
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;
    po.query_timeout = 200ms;   // the ConnectOptions have none
    Pool pool = make_pool(po);
    ASSERT_TRUE(failure_of<QueryTimeoutError>(pool.query("SELECT SLEEP(10)")));
    {
        PooledConnection lent = wait(pool.acquire());
        EXPECT_EQ(lent->query_timeout(), 200ms);
        lent->set_query_timeout(0ms);   // this borrower runs a long statement without a limit
        EXPECT_EQ(wait(lent->query("SELECT SLEEP(0.3)")).at(0).rows.size(), 1u);
    }
    PooledConnection next = wait(pool.acquire());
    EXPECT_EQ(next->query_timeout(), 200ms);   // the pool's default again
    EXPECT_TRUE(failure_of<QueryTimeoutError>(next->query("SELECT SLEEP(10)")));
    EXPECT_EQ(pool.stats().created, 1u);
}

/// Freezes the private server (SIGSTOP) until destroyed; it is this test run's own server.
class FrozenServer {
public:
    FrozenServer() {
        std::ifstream in(test_server().dir + "/mysqld.pid");
        in >> pid_;
        if (pid_ > 0 && !freeze_process(pid_)) {
            ::kill(pid_, SIGCONT);
            pid_ = 0;
        }
    }
    ~FrozenServer() { thaw(); }
    FrozenServer(const FrozenServer&) = delete;
    FrozenServer& operator=(const FrozenServer&) = delete;
    [[nodiscard]] bool frozen() const { return pid_ > 0; }
    void thaw() {
        if (pid_ > 0) ::kill(pid_, SIGCONT);
        pid_ = 0;
    }

private:
    pid_t pid_ = 0;
};

TEST_F(TimeoutTest, ReadTimeoutClosesTheLinkToAFrozenServerAndThePoolReplacesIt) {
    ConnectOptions opt = server_options();
    opt.read_timeout = 300ms;
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;
    Pool pool = make_pool(po, opt);
    auto lent = wait(pool.acquire());
    const auto thread = lent->thread_id();
    Future<std::vector<ResultSet>> stuck;
    {
        FrozenServer freeze;
        ASSERT_TRUE(freeze.frozen()) << "cannot SIGSTOP the test server (pid file in " << test_server().dir << ")";
        const auto start = Clock::now();
        try {
            (void)wait(lent->query("SELECT 1"), 5s);
            ADD_FAILURE() << "a frozen server answered";
        } catch (const OperationalError& e) {
            EXPECT_EQ(e.errno_code(), 2013) << e.what();
            EXPECT_NE(std::string(e.what()).find("read_timeout"), std::string::npos) << e.what();
            EXPECT_TRUE(is_fatal(e));
        }
        EXPECT_LT(Clock::now() - start, 2s);
        EXPECT_TRUE(lent->closed());
    }
    lent.release();   // a closed connection: the pool drops it and opens another
    EXPECT_EQ(pool.stats().discarded_broken, 1u);   // the pool's health counters see it
    EXPECT_EQ(wait(pool.query("SELECT 6")).at(0).at(0).as<std::int64_t>(), 6);
    auto again = wait(pool.acquire());
    EXPECT_NE(again->thread_id(), thread);
}

}  // namespace
}  // namespace uvmysql::test
