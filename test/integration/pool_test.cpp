// SPDX-License-Identifier: MIT
// Pool against the private MariaDB: bounds, waiting, recycling, health, cleaning and shutdown.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/logger.hpp"
#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

/// The account the pool tests log in with, so the server's process list tells the pool's
/// sessions apart from everyone else's.
constexpr std::string_view pool_user = "uvmysql_pool";
constexpr std::string_view pool_password = "pool-pw";

ConnectOptions pool_user_options() {
    ConnectOptions opt = server_options();
    opt.user = std::string(pool_user);
    opt.password = std::string(pool_password);
    return opt;
}

PoolOptions sized(std::size_t minsize, std::size_t maxsize) {
    PoolOptions po;
    po.minsize = minsize;
    po.maxsize = maxsize;
    return po;
}

class PoolTest : public PoolServerTest {
protected:
    void SetUp() override {
        // Idempotent; root may create accounts on the private server.
        Connection admin = open(server_options());
        wait(admin.query("CREATE USER IF NOT EXISTS '" + std::string(pool_user) + "'@'%' IDENTIFIED BY '" +
                         std::string(pool_password) + "'"));
        for (const std::string& db : {test_server().db, std::string(second_db)})
            wait(admin.query("GRANT ALL ON " + db + ".* TO '" + std::string(pool_user) + "'@'%'"));
        admin.close();
    }

    /// Borrows a connection, streams `sql` through an SSCursor, reads one row only and gives the
    /// connection back with the rest unread. Returns the session's thread id.
    std::uint32_t release_with_unread_rows(Pool& pool, const std::string& sql) {
        PooledConnection c = wait(pool.acquire());
        auto cur = c->cursor<SSCursor>();
        wait(cur.execute(sql));
        EXPECT_TRUE(wait(cur.fetchone()));   // a loop that stopped at the first row
        EXPECT_TRUE(c->has_unread_result());
        return c->thread_id();
    }

    /// A pool of the pool account's connections that TearDown terminates.
    Pool make_pool(PoolOptions po, ConnectOptions co = pool_user_options()) {
        return PoolServerTest::make_pool(std::move(po), std::move(co));
    }

    std::int64_t int_of(PooledConnection& c, std::string sql) {
        return scalar(*c, std::move(sql)).as<std::int64_t>();
    }

    /// Sessions of the pool's account the server lists right now.
    std::int64_t server_sessions(Connection& admin) {
        return scalar(admin, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '" +
                                 std::string(pool_user) + "'")
            .as<std::int64_t>();
    }

    void kill_session(Connection& admin, std::uint32_t thread_id) {
        wait(admin.query("KILL " + std::to_string(thread_id)));
    }

};

// ---- creation and properties ----------------------------------------------------------------

TEST_F(PoolTest, CreatesMinsizeConnectionsAndReportsProperties) {
    Pool pool = make_pool(sized(2, 5));
    EXPECT_EQ(pool.minsize(), 2u);
    EXPECT_EQ(pool.maxsize(), 5u);
    EXPECT_EQ(pool.size(), 2u);
    EXPECT_EQ(pool.freesize(), 2u);
    EXPECT_FALSE(pool.echo());
    EXPECT_FALSE(pool.closed());
    {
        PooledConnection c = wait(pool.acquire());
        ASSERT_TRUE(c.valid());
        EXPECT_EQ(int_of(c, "SELECT 42"), 42);
        EXPECT_EQ(pool.size(), 2u);
        EXPECT_EQ(pool.freesize(), 1u);
        EXPECT_EQ(pool.stats().in_use, 1u);
    }
    EXPECT_EQ(pool.freesize(), 2u);
    const PoolStats s = pool.stats();
    EXPECT_EQ(s.created, 2u);
    EXPECT_EQ(s.acquired, 1u);
    EXPECT_EQ(s.acquire_wait.count, 1u);
    EXPECT_EQ(s.in_use, 0u);
}

TEST_F(PoolTest, AiomysqlExampleWithCursorAndWaitClosed) {
    Pool pool = wait(create_pool(loop(), pool_user_options(), PoolOptions{}));
    {
        PooledConnection conn = wait(pool.acquire());
        auto cur = conn->cursor();
        wait(cur.execute("SELECT 42;"));
        ASSERT_EQ(cur.description().size(), 1u);
        auto row = wait(cur.fetchone());
        ASSERT_TRUE(row);
        EXPECT_EQ(row->at(0).as<std::int64_t>(), 42);
    }
    pool.close();
    wait(pool.wait_closed());
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.stats().closed, 1u);
}

TEST_F(PoolTest, MinsizeZeroOpensNothingUntilAcquire) {
    Pool pool = make_pool(sized(0, 3));
    EXPECT_EQ(pool.size(), 0u);
    PooledConnection c = wait(pool.acquire());
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_EQ(int_of(c, "SELECT 1"), 1);
}

TEST_F(PoolTest, MinsizeAboveMaxsizeIsProgrammingError) {
    EXPECT_THROW((void)wait(create_pool(loop(), pool_user_options(), sized(4, 2))), ProgrammingError);
}

TEST_F(PoolTest, UnreachableServerFailsCreateAndAcquire) {
    ConnectOptions bad = pool_user_options();
    bad.port = 1;
    try {
        (void)wait(create_pool(loop(), bad, sized(2, 4)));
        FAIL() << "created a pool against a closed port";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
    }
    Pool pool = make_pool(sized(0, 4), bad);
    try {
        (void)wait(pool.acquire());
        FAIL() << "acquired a connection from a closed port";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
    }
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.stats().failed, 1u);
    EXPECT_EQ(pool.stats().waiting, 0u);
}

// ---- bounds and waiting ---------------------------------------------------------------------

struct Load {
    std::int64_t max_server_sessions = 0;  // the pool's sessions the server listed at once
    std::size_t max_in_use = 0;
    std::size_t max_size = 0;
    int done = 0;
};

Task<void> worker(Pool pool, Load* load) {
    PooledConnection conn = co_await pool.acquire();
    load->max_in_use = std::max(load->max_in_use, pool.stats().in_use);
    load->max_size = std::max(load->max_size, pool.size());
    auto sets = co_await conn->query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '" +
                                     std::string(pool_user) + "'");
    load->max_server_sessions =
        std::max(load->max_server_sessions, sets.at(0).rows.at(0).at(0).as<std::int64_t>());
    co_await conn->query("SELECT SLEEP(0.005)");
    ++load->done;
}

TEST_F(PoolTest, TwoHundredTasksShareTenConnections) {
    Pool pool = make_pool(sized(1, 10));
    Load load;
    std::vector<Future<void>> tasks;
    for (int i = 0; i < 200; ++i) tasks.push_back(spawn(worker(pool, &load)));
    EXPECT_LE(pool.size(), 10u);
    wait(when_all(std::move(tasks)), 120s);
    EXPECT_EQ(load.done, 200);
    EXPECT_LE(load.max_in_use, 10u);
    EXPECT_LE(load.max_size, 10u);
    EXPECT_GE(load.max_server_sessions, 1);
    EXPECT_LE(load.max_server_sessions, 10);
    const PoolStats s = pool.stats();
    EXPECT_EQ(s.acquired, 200u);
    EXPECT_LE(s.created, 10u);
    EXPECT_EQ(s.acquire_wait.count, 200u);
    EXPECT_EQ(s.acquire_wait.cumulative(WaitHistogram::bounds_us.size()), 200u);
    EXPECT_EQ(s.in_use, 0u);
    EXPECT_EQ(s.waiting, 0u);
    Connection admin = open(server_options());
    EXPECT_LE(server_sessions(admin), 10);
}

TEST_F(PoolTest, AcquireTimeoutBoundsTheWait) {
    PoolOptions po = sized(1, 1);
    po.acquire_timeout = 200ms;
    Pool pool = make_pool(po);
    PooledConnection held = wait(pool.acquire());
    try {
        (void)wait(pool.acquire());
        FAIL() << "acquired a second connection from a pool of one";
    } catch (const PoolTimeoutError& e) {
        EXPECT_EQ(e.sqlstate(), "HYT00");
        EXPECT_NE(e.message().find("timed out after 200 ms"), std::string::npos) << e.what();
    }
    EXPECT_EQ(pool.stats().acquire_timeouts, 1u);
    EXPECT_EQ(pool.stats().waiting, 0u);
    held.release();
    PooledConnection again = wait(pool.acquire());
    EXPECT_EQ(int_of(again, "SELECT 2"), 2);
}

TEST_F(PoolTest, AcquireTimeoutIsAnOperationalError) {
    PoolOptions po = sized(0, 1);
    po.acquire_timeout = 50ms;
    Pool pool = make_pool(po);
    PooledConnection held = wait(pool.acquire());
    EXPECT_THROW((void)wait(pool.acquire()), OperationalError);
}

TEST_F(PoolTest, MaxWaitingRejectsExtraCallers) {
    PoolOptions po = sized(1, 1);
    po.max_waiting = 1;
    Pool pool = make_pool(po);
    PooledConnection held = wait(pool.acquire());
    Future<PooledConnection> queued = pool.acquire();
    Future<PooledConnection> rejected = pool.acquire();
    ASSERT_TRUE(rejected.is_ready());
    EXPECT_THROW((void)std::move(rejected).get(), PoolQueueFullError);
    EXPECT_EQ(pool.stats().rejected, 1u);
    EXPECT_FALSE(queued.is_ready());
    held.release();
    PooledConnection next = wait(std::move(queued));
    EXPECT_EQ(int_of(next, "SELECT 3"), 3);
}

TEST_F(PoolTest, WaitersAreServedInOrder) {
    Pool pool = make_pool(sized(1, 1));
    PooledConnection held = wait(pool.acquire());
    std::vector<int> order;
    std::vector<Future<void>> done;
    for (int i = 0; i < 6; ++i)
        done.push_back(pool.acquire().then([&order, i](PooledConnection) { order.push_back(i); }));
    EXPECT_EQ(pool.stats().waiting, 6u);
    held.release();
    wait(when_all(std::move(done)));
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(pool.stats().created, 1u);
}

TEST_F(PoolTest, ReleaseThroughThePoolLikeAiomysql) {
    Pool pool = make_pool(sized(1, 1));
    PooledConnection c = wait(pool.acquire());
    const auto id = c->thread_id();
    pool.release(std::move(c));
    EXPECT_FALSE(c.valid());  // NOLINT(bugprone-use-after-move): a moved-from handle is empty
    EXPECT_EQ(pool.freesize(), 1u);
    PooledConnection again = wait(pool.acquire());
    EXPECT_EQ(again->thread_id(), id);
}

TEST_F(PoolTest, ContinuationsMayCallBackIntoThePool) {
    Pool pool = make_pool(sized(1, 1));
    // Release and acquire again from inside the continuation that received the connection, then
    // finish the chain with the connection captured in the last continuation.
    Future<std::int64_t> chain = pool.acquire().then([pool](PooledConnection c) mutable {
        const auto first = c->thread_id();
        c.release();
        return pool.acquire().then([first](PooledConnection d) {
            return d->query("SELECT 15").then([first, d = std::move(d)](std::vector<ResultSet> sets) {
                EXPECT_EQ(d->thread_id(), first);
                return sets.at(0).rows.at(0).at(0).as<std::int64_t>();
            });
        });
    });
    EXPECT_EQ(wait(std::move(chain)), 15);
    EXPECT_EQ(pool.stats().acquired, 2u);
    EXPECT_EQ(pool.stats().in_use, 0u);
}

TEST_F(PoolTest, UnlimitedMaxsizeGrowsWithDemand) {
    Pool pool = make_pool(sized(0, 0));
    std::vector<PooledConnection> held;
    for (int i = 0; i < 15; ++i) held.push_back(wait(pool.acquire()));
    EXPECT_EQ(pool.size(), 15u);
    held.clear();
    EXPECT_EQ(pool.freesize(), 15u);
}

// ---- cleaning on release --------------------------------------------------------------------

TEST_F(PoolTest, ReleaseInsideTransactionRollsBack) {
    Connection admin = open(server_options());
    wait(admin.query("CREATE TABLE IF NOT EXISTS pool_tx (id INT) ENGINE=InnoDB"));
    wait(admin.query("DELETE FROM pool_tx"));
    wait(admin.commit());
    Pool pool = make_pool(sized(1, 1));
    std::uint32_t id = 0;
    {
        PooledConnection c = wait(pool.acquire());
        id = c->thread_id();
        wait(c->begin());
        wait(c->query("INSERT INTO pool_tx VALUES (1)"));
        EXPECT_TRUE(c->in_transaction());
    }
    PooledConnection next = wait(pool.acquire());
    EXPECT_EQ(next->thread_id(), id);  // the same session, cleaned
    EXPECT_FALSE(next->in_transaction());
    EXPECT_EQ(int_of(next, "SELECT @@in_transaction"), 0);
    EXPECT_EQ(int_of(next, "SELECT COUNT(*) FROM pool_tx"), 0);
    EXPECT_EQ(pool.stats().rollbacks, 1u);
    next.release();
    wait(admin.query("DROP TABLE pool_tx"));
}

TEST_F(PoolTest, ReleaseWaitsForQueuedCommands) {
    Pool pool = make_pool(sized(1, 1));
    PooledConnection c = wait(pool.acquire());
    const auto id = c->thread_id();
    Future<std::vector<ResultSet>> slow = c->query("SELECT SLEEP(0.2), 7");
    c.release();
    EXPECT_EQ(pool.stats().checking, 1u);
    PooledConnection next = wait(pool.acquire());
    ASSERT_TRUE(slow.is_ready());
    EXPECT_EQ(std::move(slow).get().at(0).rows.at(0).at(1).as<std::int64_t>(), 7);
    EXPECT_EQ(next->thread_id(), id);
}

/// A one-connection pool with `drain` as its unread_result_drain.
PoolOptions single_with_drain(std::chrono::milliseconds drain) {
    PoolOptions po = sized(1, 1);
    po.unread_result_drain = drain;
    return po;
}

TEST_F(PoolTest, UnreadStreamedResultClosesTheConnectionWithoutDrainBudget) {
    Pool pool = make_pool(single_with_drain(std::chrono::milliseconds(0)));
    const auto id = release_with_unread_rows(pool, "SELECT seq FROM seq_1_to_200000");
    EXPECT_EQ(pool.stats().discarded_unread, 1u);
    PooledConnection next = wait(pool.acquire());
    EXPECT_NE(next->thread_id(), id);
    EXPECT_EQ(int_of(next, "SELECT 9"), 9);
}

TEST_F(PoolTest, UnreadStreamedResultIsReadOutWithinTheBudgetAndTheConnectionKept) {
    // Far more budget than needed, even under ASan; more rows than the stream buffers (so the
    // socket is paused with rows still unread).
    Pool pool = make_pool(single_with_drain(std::chrono::seconds(10)));
    const auto id = release_with_unread_rows(pool, "SELECT seq FROM seq_1_to_50000");
    PooledConnection next = wait(pool.acquire());
    EXPECT_EQ(next->thread_id(), id);   // the same session, usable again
    EXPECT_FALSE(next->has_unread_result());
    EXPECT_EQ(int_of(next, "SELECT 9"), 9);
    EXPECT_EQ(pool.stats().drained_unread, 1u);
    EXPECT_EQ(pool.stats().discarded_unread, 0u);
}

TEST_F(PoolTest, HugeUnreadStreamedResultIsClosedAfterTheDrainBudget) {
    Pool pool = make_pool(single_with_drain(std::chrono::milliseconds(50)));
    // Far more rows than 50 ms can read: about a billion.
    const auto id = release_with_unread_rows(pool, "SELECT a.seq FROM seq_1_to_1000000 a, seq_1_to_1000 b");
    PooledConnection next = wait(pool.acquire());
    EXPECT_NE(next->thread_id(), id);
    EXPECT_EQ(int_of(next, "SELECT 9"), 9);
    EXPECT_EQ(pool.stats().discarded_unread, 1u);
    EXPECT_EQ(pool.stats().drained_unread, 0u);
}

TEST_F(PoolTest, ClosedConnectionIsDroppedOnRelease) {
    Pool pool = make_pool(sized(0, 2));
    {
        PooledConnection c = wait(pool.acquire());
        c->close();
    }
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.stats().discarded_broken, 1u);
    PooledConnection next = wait(pool.acquire());
    EXPECT_EQ(int_of(next, "SELECT 4"), 4);
}

TEST_F(PoolTest, ResetOnReturnRestoresTheSession) {
    PoolOptions po = sized(1, 1);
    po.reset_on_return = ResetMode::reset_connection;
    ConnectOptions co = pool_user_options();
    co.sql_mode = "STRICT_ALL_TABLES";
    Pool pool = make_pool(po, co);
    std::uint32_t id = 0;
    {
        PooledConnection c = wait(pool.acquire());
        id = c->thread_id();
        wait(c->query("SET @leftover = 5"));
        wait(c->query("SET SESSION sql_mode = 'ANSI'"));
        wait(c->set_charset("latin1"));
        wait(c->select_db(std::string(second_db)));
    }
    PooledConnection c = wait(pool.acquire());
    EXPECT_EQ(c->thread_id(), id);
    EXPECT_TRUE(scalar(*c, "SELECT @leftover").is_null());
    EXPECT_EQ(scalar(*c, "SELECT @@SESSION.sql_mode").as<std::string>(), "STRICT_ALL_TABLES");
    EXPECT_EQ(scalar(*c, "SELECT @@character_set_client").as<std::string>(), "utf8mb4");
    EXPECT_EQ(c->charset(), "utf8mb4");
    EXPECT_EQ(int_of(c, "SELECT @@autocommit"), 0);
    EXPECT_EQ(scalar(*c, "SELECT DATABASE()").as<std::string>(), test_server().db);
    EXPECT_EQ(pool.stats().resets, 1u);
}

TEST_F(PoolTest, ResetModeCloseGivesFreshSessions) {
    PoolOptions po = sized(0, 1);
    po.reset_on_return = ResetMode::close;
    Pool pool = make_pool(po);
    std::set<std::uint32_t> ids;
    for (int i = 0; i < 3; ++i) {
        PooledConnection c = wait(pool.acquire());
        ids.insert(c->thread_id());
    }
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_EQ(pool.stats().closed, 3u);
    EXPECT_EQ(pool.stats().discarded_broken, 0u);
}

// ---- health ---------------------------------------------------------------------------------

TEST_F(PoolTest, IdleConnectionsKilledOnTheServerAreReplaced) {
    Pool pool = make_pool(sized(3, 3));
    std::vector<std::uint32_t> old_ids;
    {
        std::vector<PooledConnection> all;
        for (int i = 0; i < 3; ++i) all.push_back(wait(pool.acquire()));
        for (auto& c : all) old_ids.push_back(c->thread_id());
    }
    ASSERT_EQ(pool.freesize(), 3u);
    Connection admin = open(server_options());
    for (auto id : old_ids) kill_session(admin, id);
    // KILL returns before the sessions are gone; meanwhile this loop reads their end.
    wait(admin.query("SELECT SLEEP(0.3)"));
    std::vector<PooledConnection> fresh;
    for (int i = 0; i < 3; ++i) fresh.push_back(wait(pool.acquire()));
    for (auto& c : fresh) {
        EXPECT_EQ(std::count(old_ids.begin(), old_ids.end(), c->thread_id()), 0);
        EXPECT_EQ(int_of(c, "SELECT 5"), 5);
    }
    EXPECT_EQ(pool.stats().discarded_broken, 3u);
    EXPECT_LE(pool.size(), 3u);
}

TEST_F(PoolTest, PingBeforeHandOutCatchesAConnectionKilledUnnoticed) {
    PoolOptions po = sized(1, 1);
    po.ping_after_idle = 0ms;  // validate every hand-out
    Pool pool = make_pool(po);
    std::uint32_t old_id = 0;
    {
        PooledConnection c = wait(pool.acquire());
        old_id = c->thread_id();
    }
    // Kill it from another loop: this one does not run meanwhile, so the pool cannot have read
    // the end of the session and only the ping can tell.
    TestLoop other;
    {
        Connection admin = run_until(other.get(), connect(other.get(), server_options()), 15s);
        run_until(other.get(), admin.query("KILL " + std::to_string(old_id)), 15s);
        run_until(other.get(), admin.query("SELECT SLEEP(0.3)"), 15s);
        admin.close();
    }
    EXPECT_EQ(other.close(), 0);
    EXPECT_EQ(pool.freesize(), 1u);
    PooledConnection c = wait(pool.acquire());
    EXPECT_NE(c->thread_id(), old_id);
    EXPECT_EQ(int_of(c, "SELECT 6"), 6);
    EXPECT_EQ(pool.stats().validations, 1u);  // the new connection is not pinged again
    EXPECT_EQ(pool.stats().discarded_broken, 1u);
}

Task<std::int64_t> sleep_on(PooledConnection* c) {
    auto sets = co_await (*c)->query("SELECT SLEEP(30)");
    co_return sets.at(0).rows.at(0).at(0).as<std::int64_t>();
}

// What a server restart looks like to a pool: every session dies, busy or idle. (A real restart
// of the shared test server is not possible inside the suite; KILLing every session of the
// pool's account has the same effect on the client side.)
TEST_F(PoolTest, KillingEverySessionGivesClearErrorsAndThePoolRecovers) {
    Pool pool = make_pool(sized(4, 4));
    std::vector<PooledConnection> busy;
    for (int i = 0; i < 3; ++i) busy.push_back(wait(pool.acquire()));
    std::vector<Future<std::int64_t>> running;
    for (auto& c : busy) running.push_back(spawn(sleep_on(&c)));
    Connection admin = open(server_options());
    wait(admin.query("SELECT SLEEP(0.2)"));  // let the statements reach the server
    auto sessions = wait(admin.query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" +
                                     std::string(pool_user) + "'"));
    ASSERT_EQ(sessions.at(0).rows.size(), 4u);  // three busy, one idle
    for (const Row& r : sessions[0].rows)
        kill_session(admin, static_cast<std::uint32_t>(r.at(0).as<std::int64_t>()));
    for (auto& f : running) EXPECT_THROW((void)wait(std::move(f)), OperationalError);
    for (auto& c : busy) EXPECT_TRUE(c->closed());
    busy.clear();
    EXPECT_EQ(pool.stats().in_use, 0u);

    std::vector<PooledConnection> again;
    for (int i = 0; i < 4; ++i) again.push_back(wait(pool.acquire()));
    for (auto& c : again) EXPECT_EQ(int_of(c, "SELECT 8"), 8);
    EXPECT_EQ(pool.stats().discarded_broken, 4u);
    EXPECT_LE(pool.size(), 4u);
    EXPECT_LE(server_sessions(admin), 4);
}

TEST_F(PoolTest, PoolRecycleClosesConnectionsIdleTooLong) {
    PoolOptions po = sized(1, 1);
    po.pool_recycle = 1s;
    Pool pool = make_pool(po);
    std::uint32_t first = 0;
    {
        PooledConnection c = wait(pool.acquire());
        first = c->thread_id();
    }
    {
        PooledConnection c = wait(pool.acquire());
        EXPECT_EQ(c->thread_id(), first);  // used a moment ago: kept
    }
    wait(sleep_for(loop(), 1500ms));
    PooledConnection c = wait(pool.acquire());
    EXPECT_NE(c->thread_id(), first);
    EXPECT_EQ(int_of(c, "SELECT 10"), 10);
    EXPECT_EQ(pool.stats().discarded_expired, 1u);
}

TEST_F(PoolTest, MaxLifetimeClosesOldConnectionsOnRelease) {
    PoolOptions po = sized(0, 2);
    po.max_lifetime = 1s;
    po.lifetime_jitter = 200ms;
    Pool pool = make_pool(po);
    {
        PooledConnection c = wait(pool.acquire());
        wait(sleep_for(loop(), 1500ms));
        EXPECT_EQ(int_of(c, "SELECT 1"), 1);  // a borrowed connection is never taken away
    }
    EXPECT_EQ(pool.freesize(), 0u);
    EXPECT_EQ(pool.stats().discarded_expired, 1u);
}

TEST_F(PoolTest, LeakDetectionWarnsThroughTheLogger) {
    std::ostringstream out;
    auto logger = uvmysql::detail::logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    sink->set_pattern("%l: %v");
    logger->sinks().push_back(sink);

    PoolOptions po = sized(1, 1);
    po.leak_detection_threshold = 100ms;
    Pool pool = make_pool(po);
    {
        PooledConnection c = wait(pool.acquire());
        wait(sleep_for(loop(), 400ms));
    }
    {
        PooledConnection c = wait(pool.acquire());  // released in time: no warning
    }
    std::erase(logger->sinks(), sink);
    EXPECT_EQ(pool.stats().leaks_detected, 1u);
    EXPECT_NE(out.str().find("warning: pool: a connection"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("leak_detection_threshold"), std::string::npos) << out.str();
}

// ---- shutdown -------------------------------------------------------------------------------

TEST_F(PoolTest, CloseWaitsForBorrowedConnections) {
    Pool pool = make_pool(sized(2, 3));
    PooledConnection held = wait(pool.acquire());
    Connection copy = *held;
    pool.close();
    EXPECT_TRUE(pool.closed());
    EXPECT_EQ(pool.freesize(), 0u);
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_THROW((void)wait(pool.acquire()), InterfaceError);
    Future<void> closed = pool.wait_closed();
    EXPECT_EQ(int_of(held, "SELECT 12"), 12);  // still usable until it comes back
    EXPECT_FALSE(closed.is_ready());
    held.release();
    wait(std::move(closed));
    EXPECT_TRUE(copy.closed());
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.stats().closed, 2u);
}

TEST_F(PoolTest, TerminateClosesBorrowedConnectionsAtOnce) {
    Pool pool = make_pool(sized(1, 3));
    PooledConnection held = wait(pool.acquire());
    PooledConnection other = wait(pool.acquire());
    pool.terminate();
    EXPECT_TRUE(held->closed());
    EXPECT_TRUE(other->closed());
    wait(pool.wait_closed());
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_THROW(wait(held->query("SELECT 1")), InterfaceError);
    held.release();  // harmless after terminate
    other.release();
    EXPECT_EQ(pool.stats().closed, 2u);
}

TEST_F(PoolTest, CloseFailsWaitingAcquirers) {
    Pool pool = make_pool(sized(1, 1));
    PooledConnection held = wait(pool.acquire());
    Future<PooledConnection> waiting = pool.acquire();
    pool.close();
    EXPECT_THROW((void)wait(std::move(waiting)), InterfaceError);
}

TEST_F(PoolTest, WaitClosedBeforeCloseIsAnError) {
    Pool pool = make_pool(sized(0, 1));
    EXPECT_THROW(wait(pool.wait_closed()), InterfaceError);
}

TEST_F(PoolTest, ClearClosesFreeConnections) {
    Pool pool = make_pool(sized(2, 4));
    wait(pool.clear());
    EXPECT_EQ(pool.freesize(), 0u);
    EXPECT_EQ(pool.size(), 0u);
    PooledConnection c = wait(pool.acquire());  // reopens, up to minsize again
    EXPECT_EQ(int_of(c, "SELECT 13"), 13);
    EXPECT_GE(pool.size(), 1u);
    EXPECT_EQ(pool.stats().closed, 2u);
}

TEST_F(PoolTest, DroppingAnOpenPoolClosesIt) {
    Connection idle_copy;
    PooledConnection borrowed;
    {
        Pool pool = wait(create_pool(loop(), pool_user_options(), sized(2, 2)));
        borrowed = wait(pool.acquire());
        PooledConnection other = wait(pool.acquire());
        idle_copy = *other;
    }  // the last handle goes: the pool closes itself
    EXPECT_TRUE(idle_copy.closed());
    EXPECT_EQ(int_of(borrowed, "SELECT 14"), 14);  // the borrowed one works until returned
    Connection copy = *borrowed;
    borrowed.release();
    EXPECT_TRUE(copy.closed());
    EXPECT_EQ(loop_.close(), 0);  // nothing left running on the loop
}

// ---- links ----------------------------------------------------------------------------------

class PoolLinkTest : public PoolTest, public testing::WithParamInterface<Link> {};

TEST_P(PoolLinkTest, AcquireAndReleaseOverLink) {
    ConnectOptions co = server_options(GetParam());
    Pool pool = make_pool(sized(1, 2), co);
    std::vector<Future<std::int64_t>> results;
    for (int i = 0; i < 6; ++i) {
        results.push_back(pool.acquire().then([i](PooledConnection c) {
            return c->query("SELECT " + std::to_string(i))
                .then([c = std::move(c)](std::vector<ResultSet> sets) {
                    return sets.at(0).rows.at(0).at(0).as<std::int64_t>();
                });
        }));
    }
    auto values = wait(when_all(std::move(results)));
    EXPECT_EQ(values, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
    PooledConnection c = wait(pool.acquire());
    EXPECT_EQ(c->is_tls(), GetParam() == Link::tls);
    EXPECT_LE(pool.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Links, PoolLinkTest, testing::Values(Link::tcp, Link::unix_socket, Link::tls),
                         link_name);

}  // namespace
}  // namespace uvmysql::test
