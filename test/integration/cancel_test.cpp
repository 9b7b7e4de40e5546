// SPDX-License-Identifier: MIT
// CancelSignal against the private MariaDB: a queued statement is removed unsent, a running one
// is killed and its connection goes on, a pool wait leaves the queue.
#include <chrono>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using CancelTest = PoolServerTest;

TEST_F(CancelTest, QueuedStatementIsNeverSent) {
    Connection c = open(server_options());
    (void)wait(c.query("SET @reached = NULL"));
    Future<std::vector<ResultSet>> busy = c.query("SELECT SLEEP(0.5)");
    CancelSignal signal;
    auto cur = c.cursor();
    cur.set_cancel_signal(signal);
    Future<std::uint64_t> doomed = cur.execute("SET @reached = 1");
    signal.cancel();
    EXPECT_TRUE(signal.cancelled());
    auto e = failure_of<CancelledError>(std::move(doomed));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1317);
    EXPECT_EQ(e->sqlstate(), "70100");
    EXPECT_NE(std::string(e->what()).find("before the command was sent"), std::string::npos) << e->what();
    EXPECT_FALSE(is_fatal(*e));
    EXPECT_EQ(wait(std::move(busy)).at(0).rows.at(0).at(0).as<std::int64_t>(), 0);   // not touched
    EXPECT_TRUE(scalar(c, "SELECT @reached").is_null());
}

TEST_F(CancelTest, RunningStatementIsKilledAndTheConnectionGoesOn) {
    Connection c = open(server_options());
    const auto thread = c.thread_id();
    CancelSignal signal;
    auto cur = c.cursor<DictCursor>();
    cur.set_cancel_signal(signal);
    const auto start = Clock::now();
    Future<std::uint64_t> running = cur.execute("SELECT SLEEP(10)");
    wait(sleep_for(loop(), 100ms));   // on the server by now
    signal.cancel();
    auto e = failure_of<CancelledError>(std::move(running));
    ASSERT_TRUE(e);
    EXPECT_EQ(std::string(e->what()).find("before the command was sent"), std::string::npos) << e->what();
    EXPECT_LT(Clock::now() - start, 1s);
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
    EXPECT_EQ(c.thread_id(), thread);
}

TEST_F(CancelTest, CancelledSignalFailsNewStatementsAtOnce) {
    Connection c = open(server_options());
    CancelSignal signal;
    auto cur = c.cursor();
    cur.set_cancel_signal(signal);
    EXPECT_EQ(wait(cur.execute("SELECT 1")), 1u);   // a signal nobody cancels changes nothing
    signal.cancel();                                // after the statement ended: nothing to do
    signal.cancel();                                // idempotent
    (void)wait(c.query("SET @reached = NULL"));
    ASSERT_TRUE(failure_of<CancelledError>(cur.execute("SET @reached = 2")));
    EXPECT_TRUE(scalar(c, "SELECT @reached").is_null());
    auto ss = c.cursor<SSCursor>();
    ss.set_cancel_signal(signal);
    ASSERT_TRUE(failure_of<CancelledError>(ss.execute("SELECT 3")));
    EXPECT_EQ(scalar(c, "SELECT 4").as<std::int64_t>(), 4);
}

TEST_F(CancelTest, PoolWaitLeavesTheQueue) {
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;
    Pool pool = make_pool(po);
    auto held = wait(pool.acquire());
    CancelSignal signal;
    Future<PooledConnection> waiting = pool.acquire(signal);
    wait(sleep_for(loop(), 20ms));
    EXPECT_EQ(pool.stats().waiting, 1u);
    signal.cancel();
    auto e = failure_of<CancelledError>(std::move(waiting));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 0);
    EXPECT_EQ(e->sqlstate(), "HY008");
    EXPECT_EQ(pool.stats().waiting, 0u);
    ASSERT_TRUE(failure_of<CancelledError>(pool.acquire(signal)));   // already cancelled: at once
    held.release();
    EXPECT_EQ(wait(pool.query("SELECT 8")).at(0).at(0).as<std::int64_t>(), 8);
}

}  // namespace
}  // namespace uvmysql::test
