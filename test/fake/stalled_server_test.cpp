// SPDX-License-Identifier: MIT
// A server that stops answering or reading (what MariaDB cannot be made to do on purpose):
// read_timeout and write_timeout close the connection, a statement that a KILL QUERY cannot
// stop is given up after kill_grace, and TCP keepalive is set on the socket to notice a peer
// that vanished.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <filesystem>

#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

class StalledServerTest : public FakeServerTest {
protected:
    /// Logs in, then takes one query and never answers it.
    Connection connect_then_stall(ConnectOptions opt) {
        server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
            .expect()
            .send(2, ok_packet())
            .expect()   // the query
            .stall();
        return connect_ok(std::move(opt));
    }
    /// The OperationalError `c.query(...)` fails with.
    std::string failure_of(Connection& c) {
        try {
            (void)run_until(loop_.get(), c.query("SELECT 1"), 5s);
            ADD_FAILURE() << "a stalled server answered";
        } catch (const OperationalError& e) {
            EXPECT_EQ(e.errno_code(), 2013) << e.what();
            EXPECT_TRUE(is_fatal(e));
            return e.what();
        }
        return {};
    }
};

TEST_F(StalledServerTest, ReadTimeoutClosesTheConnection) {
    ConnectOptions opt = options();
    opt.read_timeout = 200ms;
    Connection c = connect_then_stall(opt);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_NE(failure_of(c).find("read_timeout: no reply for 200 ms"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
    EXPECT_TRUE(c.closed());
}

TEST_F(StalledServerTest, StatementThatKillCannotStopIsGivenUpAfterTheGrace) {
    ConnectOptions opt = options();
    opt.query_timeout = 100ms;
    opt.kill_grace = 300ms;   // the KILL's own connection gets no answer from this server either
    Connection c = connect_then_stall(opt);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_NE(failure_of(c).find("did not stop within 300 ms of KILL QUERY"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_TRUE(c.closed());
}

TEST_F(StalledServerTest, WriteTimeoutClosesTheConnectionWhenTheServerStopsReading) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, ok_packet())
        .stop_reading()
        .stall();
    ConnectOptions opt = options();
    opt.write_timeout = 300ms;
    Connection c = connect_ok(opt);
    // Far more than the kernel buffers of a loopback socket hold: the write cannot complete.
    const std::string sql = "SELECT '" + std::string(48u << 20, 'x') + "'";
    const auto start = std::chrono::steady_clock::now();
    try {
        (void)run_until(loop_.get(), c.query(sql), 10s);
        ADD_FAILURE() << "a server that reads nothing took a 48 MiB statement";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2013) << e.what();
        EXPECT_NE(std::string(e.what()).find("write_timeout: 300 ms without the socket taking a byte"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 6s);   // copying 48 MiB is slow under the sanitizers
    EXPECT_TRUE(c.closed());
}

/// SO_KEEPALIVE and TCP_KEEPIDLE of this process's socket connected to `port` (the client's
/// end: its peer is the fake server), found among the open descriptors.
std::optional<std::pair<int, int>> keepalive_of_socket_to(int port) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        const int fd = std::stoi(entry.path().filename().string());
        struct stat st {};
        if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0 || peer.ss_family != AF_INET) continue;
        if (ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port) != port) continue;
        int on = 0, idle = 0;
        socklen_t n = sizeof on;
        EXPECT_EQ(getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, &n), 0);
        n = sizeof idle;
        EXPECT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, &n), 0);
        return std::pair{on, idle};
    }
    return std::nullopt;
}

TEST_F(StalledServerTest, TcpKeepaliveIsOnByDefaultWithTheOptionsDelay) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, ok_packet())
        .stall();
    ConnectOptions opt = options();
    EXPECT_EQ(opt.tcp_keepalive, 60s);   // the documented default
    opt.tcp_keepalive = 17s;
    Connection c = connect_ok(opt);
    const auto keepalive = keepalive_of_socket_to(server_.port());
    ASSERT_TRUE(keepalive.has_value()) << "no socket connected to the fake server";
    EXPECT_EQ(keepalive->first, 1);
    EXPECT_EQ(keepalive->second, 17);
    c.close();
}

TEST_F(StalledServerTest, TcpKeepaliveZeroTurnsItOff) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, ok_packet())
        .stall();
    ConnectOptions opt = options();
    opt.tcp_keepalive = 0s;
    Connection c = connect_ok(opt);
    const auto keepalive = keepalive_of_socket_to(server_.port());
    ASSERT_TRUE(keepalive.has_value()) << "no socket connected to the fake server";
    EXPECT_EQ(keepalive->first, 0);
    c.close();
}

}  // namespace
}  // namespace uvmysql::test
