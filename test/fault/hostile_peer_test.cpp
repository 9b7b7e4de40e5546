// SPDX-License-Identifier: MIT
// Peers that are not a MySQL server, or stop being one: an HTTP server, a peer that closes at
// once, a maximal frame header followed by garbage, a silent acceptor, a drop in the middle of
// the TLS setup. Each fails connect() with OperationalError in bounded time, never a crash or a
// hang. (ERR with errno 0, errors between rows and wrong sequence ids are in test/fake.)
#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

class HostilePeerTest : public FakeServerTest {
protected:
    /// connect()'s OperationalError errno, checking it came within two seconds.
    int connect_errno(ConnectOptions opt) {
        const auto start = std::chrono::steady_clock::now();
        const int e = connect_fails<OperationalError>(std::move(opt));
        EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
        return e;
    }
    ConnectOptions short_options() {
        ConnectOptions opt = options();
        opt.connect_timeout = 500ms;
        return opt;
    }
};

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST_F(HostilePeerTest, HttpServer) {
    // An HTTP server that answers first: "HTTP" is a frame header with sequence id 'P' (80)
    // where the greeting has 0: malformed (CR_MALFORMED_PACKET), told at once.
    server_.send_raw(text("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")).close();
    EXPECT_EQ(connect_errno(short_options()), 2027);
}

TEST_F(HostilePeerTest, HttpServerThatWaitsForTheRequest) {
    server_.stall();   // accepts, says nothing: connect_timeout ends it
    EXPECT_EQ(connect_errno(short_options()), 2013);
}

TEST_F(HostilePeerTest, PeerThatClosesAtOnce) {
    server_.close();
    EXPECT_EQ(connect_errno(short_options()), 2013);
}

TEST_F(HostilePeerTest, MaximalFrameHeaderThenGarbage) {
    Bytes wire = {0xFF, 0xFF, 0xFF, 0x00};
    for (int i = 0; i < 70'000; ++i) wire.push_back(static_cast<std::uint8_t>(i * 31));
    server_.send_raw(std::move(wire)).close();
    const int e = connect_errno(short_options());
    EXPECT_TRUE(e == 2013 || e == 2027) << e;
}

TEST_F(HostilePeerTest, DropInTheMiddleOfTheTlsSetup) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps | detail::cap::ssl))
        .expect()   // the SSLRequest (and the ClientHello behind it)
        .close();
    ConnectOptions opt = short_options();
    opt.ssl = SslOptions{};
    const int e = connect_errno(opt);
    EXPECT_TRUE(e == 2013 || e == 2026) << e;   // lost, or the TLS layer's own error
}

}  // namespace
}  // namespace uvmysql::test
