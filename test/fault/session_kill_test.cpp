// SPDX-License-Identifier: MIT
// Another session kills ours (KILL QUERY, KILL CONNECTION; busy and idle), and packets over
// max_allowed_packet in both directions: each the right error, and the connection usable or
// closed as the error says.
#include "fault_test_support.hpp"

namespace uvmysql::test {
namespace {

using SessionKillTest = FaultTest;

TEST_F(SessionKillTest, KillQueryOfABusySessionKeepsIt) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    auto busy = victim.query("SELECT SLEEP(30)");
    wait(sleep_for(loop(), 200ms));
    wait(killer.query("KILL QUERY " + std::to_string(victim.thread_id())));
    // SLEEP() interrupted returns 1 as its value (MariaDB), or the statement fails with 1317.
    try {
        auto sets = wait(std::move(busy));
        EXPECT_EQ(sets.at(0).rows.at(0).at(0).as<std::int64_t>(), 1);
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 1317);
        EXPECT_FALSE(is_fatal(e));
    }
    EXPECT_FALSE(victim.closed());
    EXPECT_EQ(scalar(victim, "SELECT 5").as<std::int64_t>(), 5);
}

TEST_F(SessionKillTest, KillQueryOfALongScanFailsWith1317AndKeepsTheSession) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    auto busy = victim.query("SELECT SUM(a.seq * b.seq) FROM seq_1_to_100000 a, seq_1_to_100000 b");
    wait(sleep_for(loop(), 200ms));
    wait(killer.query("KILL QUERY " + std::to_string(victim.thread_id())));
    auto e = failure_of<OperationalError>(std::move(busy));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1317);
    EXPECT_FALSE(is_fatal(*e));
    EXPECT_EQ(scalar(victim, "SELECT 6").as<std::int64_t>(), 6);
}

TEST_F(SessionKillTest, KillQueryOfAnIdleSessionLeavesItUsable) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    wait(killer.query("KILL QUERY " + std::to_string(victim.thread_id())));
    // Nothing was running: the next statements run normally, on the same session.
    EXPECT_EQ(scalar(victim, "SELECT 3").as<std::int64_t>(), 3);
    EXPECT_EQ(scalar(victim, "SELECT 4").as<std::int64_t>(), 4);
    EXPECT_FALSE(victim.closed());
}

TEST_F(SessionKillTest, KillConnectionOfABusySessionClosesIt) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    auto busy = victim.query("SELECT SLEEP(30)");
    wait(sleep_for(loop(), 200ms));
    wait(killer.query("KILL CONNECTION " + std::to_string(victim.thread_id())));
    try {
        (void)wait(std::move(busy));
        ADD_FAILURE() << "a killed session answered";
    } catch (const OperationalError& e) {
        // MariaDB tells the busy session why (1927 ER_CONNECTION_KILLED) or just drops it.
        EXPECT_TRUE(e.errno_code() == 1927 || e.errno_code() == 2013) << e.what();
        EXPECT_TRUE(is_fatal(e));
    }
    EXPECT_TRUE(victim.closed());
    wait(victim.ping(true));
    EXPECT_EQ(scalar(victim, "SELECT 8").as<std::int64_t>(), 8);
}

TEST_F(SessionKillTest, KillConnectionOfAnIdleSessionShowsAtTheNextCommand) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    wait(killer.query("KILL CONNECTION " + std::to_string(victim.thread_id())));
    wait(sleep_for(loop(), 100ms));
    auto e = failure_of<OperationalError>(victim.query("SELECT 1"));
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->errno_code() == 2006 || e->errno_code() == 2013 || e->errno_code() == 1927) << e->what();
    EXPECT_TRUE(is_fatal(*e));
    EXPECT_TRUE(victim.closed());
}

TEST_F(SessionKillTest, ReplyOverTheClientsMaxAllowedPacketClosesTheConnection) {
    ConnectOptions opt = server_options();
    opt.max_allowed_packet = 1u << 20;
    Connection c = open(opt);
    auto e = failure_of<OperationalError>(c.query("SELECT REPEAT('x', 2 * 1024 * 1024)"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 2020);
    EXPECT_TRUE(c.closed());   // the rest of the reply is not read: the stream is given up
    wait(c.ping(true));
    EXPECT_EQ(scalar(c, "SELECT 9").as<std::int64_t>(), 9);
}

TEST_F(SessionKillTest, StatementOverTheServersMaxAllowedPacketIsRefusedByIt) {
    Connection admin = open(server_options());
    const auto server_limit = scalar(admin, "SELECT @@max_allowed_packet").as<std::int64_t>();
    ConnectOptions opt = server_options();
    opt.max_allowed_packet = 1u << 30;   // the client lets it go: the server must refuse it
    Connection c = open(opt);
    const std::string sql = "SELECT '" + std::string(static_cast<std::size_t>(server_limit) + 1024, 'x') + "'";
    try {
        (void)wait(c.query(sql), 60s);
        ADD_FAILURE() << "the server took a statement over its max_allowed_packet";
    } catch (const Error& e) {
        // ER_NET_PACKET_TOO_LARGE (1153), then the server closes the session; or only the close.
        EXPECT_TRUE(e.errno_code() == 1153 || e.errno_code() == 2013 || e.errno_code() == 2006) << e.what();
    }
    wait(c.ping(true));
    EXPECT_EQ(scalar(c, "SELECT 10").as<std::int64_t>(), 10);
}

}  // namespace
}  // namespace uvmysql::test
