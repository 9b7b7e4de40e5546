// SPDX-License-Identifier: MIT
// The server stops answering (SIGSTOP) and comes back (SIGCONT): without limits the command
// simply waits and the stream stays in sync; with connect_timeout or read_timeout the client
// gives up in bounded time, closes the link (2013) and reconnects once the server is back.
#include "fault_test_support.hpp"

namespace uvmysql::test {
namespace {

using ServerFreezeTest = FaultTest;

TEST_F(ServerFreezeTest, WithoutLimitsTheQueryWaitsAndTheStreamStaysInSync) {
    Connection c = open(server_options());
    ASSERT_TRUE(server().freeze());
    after(500ms, [this] { server().thaw(); });
    const auto start = Clock::now();
    auto first = c.query("SELECT 1");
    auto second = c.query("SELECT REPEAT('y', 100000)");
    auto third = c.query("SELECT 3");
    EXPECT_EQ(wait(std::move(first)).at(0).rows.at(0).at(0).as<std::int64_t>(), 1);
    EXPECT_GE(Clock::now() - start, 400ms);   // it waited for the thaw
    EXPECT_EQ(wait(std::move(second)).at(0).rows.at(0).at(0).as<std::string>(), std::string(100000, 'y'));
    EXPECT_EQ(wait(std::move(third)).at(0).rows.at(0).at(0).as<std::int64_t>(), 3);
    EXPECT_FALSE(c.closed());
}

TEST_F(ServerFreezeTest, ReadTimeoutClosesTheLinkAndPingReconnectsAfterTheThaw) {
    ConnectOptions opt = server_options();
    opt.read_timeout = 300ms;
    Connection c = open(opt);
    ASSERT_TRUE(server().freeze());
    const auto start = Clock::now();
    auto e = failure_of<OperationalError>(c.query("SELECT 1"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 2013);
    EXPECT_NE(std::string(e->what()).find("read_timeout"), std::string::npos) << e->what();
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_TRUE(c.closed());
    server().thaw();
    wait(c.ping(true));
    EXPECT_EQ(scalar(c, "SELECT 2").as<std::int64_t>(), 2);
}

TEST_F(ServerFreezeTest, ConnectTimeoutBoundsTheHandshakeWithAFrozenServer) {
    ConnectOptions opt = server_options();
    opt.connect_timeout = 300ms;
    ASSERT_TRUE(server().freeze());
    const auto start = Clock::now();
    auto e = failure_of<TimeoutError>(connect(loop(), opt));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 2013);
    EXPECT_EQ(e->sqlstate(), "HYT00");
    EXPECT_NE(std::string(e->what()).find("timed out after 300 ms"), std::string::npos) << e->what();
    EXPECT_LT(Clock::now() - start, 3s);
    server().thaw();
    Connection c = open(opt);
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

}  // namespace
}  // namespace uvmysql::test
