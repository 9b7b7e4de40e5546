// SPDX-License-Identifier: MIT
// The server process dies (SIGKILL) under a query, a buffered result, an SSCursor stream and a
// handshake: each fails with OperationalError 2013 in bounded time, the connection is closed,
// and ping(true) (from the failure continuation or later) brings it back once the server is.
#include "fault_test_support.hpp"

namespace uvmysql::test {
namespace {

using ServerCrashTest = FaultTest;

/// The errno `f` fails with as an OperationalError (0 and a test failure otherwise).
template <class T>
int lost_errno(uv_loop_t* loop, Future<T> f) {
    try {
        (void)run_until(loop, std::move(f), 20s);
        ADD_FAILURE() << "succeeded although the server died";
    } catch (const OperationalError& e) {
        EXPECT_TRUE(is_fatal(e)) << e.what();
        return e.errno_code();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not an OperationalError: " << e.what();
    }
    return 0;
}

TEST_F(ServerCrashTest, KilledMidQuery) {
    Connection c = open(server_options());
    after(300ms, [this] { server().kill(); });
    const auto start = Clock::now();
    EXPECT_EQ(lost_errno(loop(), c.query("SELECT SLEEP(30)")), 2013);
    EXPECT_LT(Clock::now() - start, 5s);
    EXPECT_TRUE(c.closed());
    join_helpers();
    // Reconnect from outside the failure: ping(true) once the server is back.
    ASSERT_TRUE(server().restart());
    wait(c.ping(true));
    EXPECT_FALSE(c.closed());
    EXPECT_EQ(scalar(c, "SELECT 7").as<std::int64_t>(), 7);
}

TEST_F(ServerCrashTest, KilledUnderAWriteItsOutcomeIsUnknownAndTheQueuedOneWasNeverSent) {
    Connection c = open(server_options());
    wait(c.query("CREATE TABLE IF NOT EXISTS fault_outcome (n INT)"));
    after(300ms, [this] { server().kill(); });
    Future<std::vector<ResultSet>> write = c.query("INSERT INTO fault_outcome SELECT SLEEP(30)");
    Future<std::vector<ResultSet>> queued = c.query("INSERT INTO fault_outcome VALUES (1)");
    try {
        (void)run_until(loop(), std::move(write), 20s);
        ADD_FAILURE() << "succeeded although the server died";
    } catch (const OutcomeUnknownError& e) {
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_TRUE(is_fatal(e));
        EXPECT_NE(std::string(e.what()).find("may or may not have taken effect"), std::string::npos) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not an OutcomeUnknownError: " << e.what();
    }
    try {
        (void)run_until(loop(), std::move(queued), 20s);
        ADD_FAILURE() << "succeeded although the server died";
    } catch (const OutcomeUnknownError& e) {
        ADD_FAILURE() << "never sent, yet reported as unknown: " << e.what();
    } catch (const OperationalError& e) {
        EXPECT_TRUE(is_connection_errno(e.errno_code())) << e.what();
    }
    EXPECT_TRUE(c.closed());
}

TEST_F(ServerCrashTest, KilledMidBufferedResult) {
    Connection c = open(server_options());
    // 1 KiB rows produced slowly: the first ones reach the client before the server dies.
    after(500ms, [this] { server().kill(); });
    EXPECT_EQ(lost_errno(loop(),
                         c.query("SELECT seq, REPEAT('x', 1000), SLEEP(0.001) FROM seq_1_to_100000")),
              2013);
    EXPECT_TRUE(c.closed());
}

TEST_F(ServerCrashTest, KilledMidSsCursorStream) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_1000000"));
    EXPECT_EQ(wait(cur.fetchmany(100)).size(), 100u);
    server().kill();
    // What the client already holds may still be fetched; then the loss shows, as 2013.
    int lost = 0;
    for (int i = 0; i < 10'000 && lost == 0; ++i) {
        try {
            if (wait(cur.fetchmany(1000)).empty()) {
                ADD_FAILURE() << "the stream ended normally although the server died";
                break;
            }
        } catch (const OperationalError& e) {
            lost = e.errno_code();
            EXPECT_TRUE(is_fatal(e));
        }
    }
    EXPECT_EQ(lost, 2013);
    EXPECT_TRUE(c.closed());
    wait(cur.close());   // closing the broken cursor neither hangs nor throws
}

TEST_F(ServerCrashTest, KilledDuringTheHandshake) {
    // Frozen, the server never sends its greeting (the kernel accepted the TCP connection);
    // then it dies, and the kernel resets the connection under the handshake.
    ASSERT_TRUE(server().freeze());
    after(300ms, [this] { server().kill(); });
    const auto start = Clock::now();
    const int e = lost_errno(loop(), connect(loop(), server_options()));
    EXPECT_TRUE(e == 2013) << e;
    EXPECT_LT(Clock::now() - start, 5s);
    join_helpers();
    ASSERT_TRUE(server().restart());
    Connection c = open(server_options());
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

/// ping(true) until it works, at most `attempts` times `every` apart.
Task<void> reconnect_with_retries(uv_loop_t* loop, Connection c, int attempts, std::chrono::milliseconds every) {
    for (int i = 1;; ++i) {
        try {
            co_await c.ping(true);
            co_return;
        } catch (const OperationalError&) {
            if (i == attempts) throw;
        }
        co_await sleep_for(loop, every);
    }
}

TEST_F(ServerCrashTest, ReconnectFromInsideTheFailureContinuation) {
    Connection c = open(server_options());
    after(300ms, [this] {
        server().kill();
        server().restart();
    });
    auto lost = std::make_shared<int>(0);
    uv_loop_t* l = loop();
    Future<std::int64_t> recovered =
        c.query("SELECT SLEEP(30)")
            .then([](std::vector<ResultSet>) -> Future<void> { throw std::logic_error("the query succeeded"); })
            .on_error([c, lost, l](const OperationalError& e) {
                *lost = e.errno_code();
                return spawn(reconnect_with_retries(l, c, 100, 100ms));
            })
            .then([c]() mutable { return c.query("SELECT 11"); })
            .then([](std::vector<ResultSet> sets) { return sets.at(0).rows.at(0).at(0).as<std::int64_t>(); });
    EXPECT_EQ(wait(std::move(recovered), 30s), 11);
    EXPECT_EQ(*lost, 2013);
    EXPECT_FALSE(c.closed());
}

}  // namespace
}  // namespace uvmysql::test
