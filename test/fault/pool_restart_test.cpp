// SPDX-License-Identifier: MIT
// The server restarts under a busy pool: while it is down only connection-class errors reach
// the tasks, then every task succeeds again, the gauges add up, and the server holds no
// connection the pool does not know of.
#include <atomic>
#include <map>

#include "fault_test_support.hpp"

namespace uvmysql::test {
namespace {

using PoolRestartTest = FaultTest;

struct Tally {
    std::uint64_t ok = 0;
    std::uint64_t ok_after_restart = 0;
    std::map<int, std::uint64_t> lost;   // errno -> count (connection-class errors)
    std::vector<std::string> unexpected;
};

/// Queries through the pool until `stop`, pausing a little after each failure.
Task<void> worker(uv_loop_t* loop, Pool pool, int n, const std::atomic<bool>& stop,
                  const std::atomic<bool>& restarted, Tally& tally) {
    while (!stop.load()) {
        try {
            auto rows = co_await pool.query("SELECT " + std::to_string(n));
            if (rows.at(0).at(0).as<std::int64_t>() != n) tally.unexpected.push_back("wrong row");
            ++tally.ok;
            if (restarted.load()) ++tally.ok_after_restart;
        } catch (const OperationalError& e) {
            if (is_connection_errno(e.errno_code()) || dynamic_cast<const PoolTimeoutError*>(&e) != nullptr) {
                ++tally.lost[e.errno_code()];
            } else {
                tally.unexpected.push_back(e.what());
            }
        } catch (const std::exception& e) {
            tally.unexpected.push_back(e.what());
        }
        co_await sleep_for(loop, 20ms);
    }
}

TEST_F(PoolRestartTest, FiftyTasksOnTenConnectionsRideThroughARestart) {
    PoolOptions po;
    po.minsize = 10;
    po.maxsize = 10;
    po.acquire_timeout = 2s;
    po.ping_after_idle = 0ms;
    ConnectOptions co = server_options();
    co.connect_timeout = 1s;
    Pool pool = make_pool(po, co);
    std::atomic<bool> stop{false};
    std::atomic<bool> restarted{false};
    Tally tally;
    after(1s, [&] {
        server().kill();
        std::this_thread::sleep_for(500ms);   // down for a while: tasks meet a refused connect
        EXPECT_TRUE(server().restart());
        restarted = true;
        std::this_thread::sleep_for(3s);      // back: every task must succeed again
        stop = true;
    });
    std::vector<Future<void>> tasks;
    for (int n = 0; n < 50; ++n) tasks.push_back(spawn(worker(loop(), pool, n, stop, restarted, tally)));
    wait(when_all(std::move(tasks)), 60s);
    join_helpers();

    EXPECT_TRUE(tally.unexpected.empty()) << tally.unexpected.front();
    EXPECT_FALSE(tally.lost.empty()) << "no task noticed the restart";
    EXPECT_GT(tally.ok_after_restart, 50u) << "the pool did not recover";
    // Every task succeeds now, at once.
    std::vector<Future<std::vector<Row>>> last;
    for (int n = 0; n < 50; ++n) last.push_back(pool.query("SELECT 1"));
    EXPECT_EQ(wait(when_all(std::move(last)), 15s).size(), 50u);

    const PoolStats st = pool.stats();
    EXPECT_EQ(st.in_use, 0u);
    EXPECT_EQ(st.waiting, 0u);
    EXPECT_EQ(st.size, st.idle + st.in_use + st.opening + st.checking);
    EXPECT_LE(st.size, 10u);
    // The server holds exactly the pool's connections (and this one).
    Connection probe = open(server_options());
    const auto sessions = scalar(probe,
                                 "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                 "WHERE COMMAND <> 'Daemon' AND USER <> 'system user' AND ID <> CONNECTION_ID()")
                              .as<std::int64_t>();
    EXPECT_EQ(static_cast<std::size_t>(sessions), pool.stats().size);
}

}  // namespace
}  // namespace uvmysql::test
