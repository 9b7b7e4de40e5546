// SPDX-License-Identifier: MIT
// Transport over plain TCP and unix sockets, against a real libuv loop on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_servers.hpp"

namespace transport_test {
namespace {

using namespace std::chrono_literals;
namespace cr = uvmysql::detail::cr;

using TransportTest = LoopTest;

std::string socket_path(const char* tag) {
    return ::testing::TempDir() + "uvmysql-transport-" + std::to_string(::getpid()) + "-" + tag + ".sock";
}

TEST_F(TransportTest, ConnectsToIpv4AndEchoes) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status& st) {
        if (st.ok()) c.write("ping");
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    EXPECT_TRUE(c.connected.empty()) << "never reported from inside connect_tcp()";
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 4; }));
    ASSERT_EQ(c.connected.size(), 1U);
    EXPECT_TRUE(c.connected[0].ok()) << c.connected[0].message;
    EXPECT_EQ(c.data, "ping");
    EXPECT_FALSE(c.transport->is_tls());
    EXPECT_FALSE(c.transport->is_secure());
    EXPECT_TRUE(c.transport->tls_version().empty());
    EXPECT_TRUE(c.errors.empty());
}

TEST_F(TransportTest, ResolvesHostNames) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status& st) {
        if (st.ok()) c.write("by name");
    };
    // "localhost" may also resolve to ::1, where nothing listens: the next address is tried.
    c.transport->connect_tcp("localhost", port, 5s);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 7 || (!c.connected.empty() && !c.connected[0].ok()); }));
    ASSERT_EQ(c.connected.size(), 1U);
    EXPECT_TRUE(c.connected[0].ok()) << c.connected[0].message;
    EXPECT_EQ(c.data, "by name");
}

TEST_F(TransportTest, ConnectsToIpv6LoopbackWhenAvailable) {
    StreamServer server(loop());
    int port = server.listen_tcp("::1");
    const bool have_ipv6 = port > 0;
    const char* host = have_ipv6 ? "[::1]" : "127.0.0.1";  // brackets are accepted and stripped
    if (!have_ipv6) port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status& st) {
        if (st.ok()) c.write("v6");
    };
    c.transport->connect_tcp(host, port, 5s);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 2; })) << (c.connected.empty() ? "" : c.connected[0].message);
    EXPECT_EQ(c.data, "v6");
    if (have_ipv6) {
        // The refused message names the address the way a URL would.
        Client refused(loop());
        refused.transport->connect_tcp("::1", 1, 5s);
        ASSERT_TRUE(run_until([&] { return !refused.connected.empty(); }));
        EXPECT_EQ(refused.connected[0].message, "Can't connect to MySQL server on '[::1]:1' (connection refused)");
    }
}

TEST_F(TransportTest, RefusedConnectionReports2003) {
    int port = 0;
    {
        StreamServer probe(loop());
        port = probe.listen_tcp("127.0.0.1");  // a port that was free a moment ago
        ASSERT_GT(port, 0);
    }
    run_for(5ms);
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }));
    run_for(10ms);
    ASSERT_EQ(c.connected.size(), 1U);
    EXPECT_EQ(c.connected[0].errno_code, cr::conn_host_error);
    EXPECT_EQ(c.connected[0].sqlstate, "HY000");
    EXPECT_FALSE(c.connected[0].from_server);
    EXPECT_EQ(c.connected[0].message,
              "Can't connect to MySQL server on '127.0.0.1:" + std::to_string(port) + "' (connection refused)");
    EXPECT_TRUE(c.errors.empty());
    c.write("ignored once dead");
    run_for(5ms);
}

TEST_F(TransportTest, UnknownHostReports2005) {
    Client c(loop());
    c.transport->connect_tcp("no-such-host.invalid", 3306, 10s);
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }));
    EXPECT_EQ(c.connected[0].errno_code, cr::unknown_host);
    EXPECT_EQ(c.connected[0].message.rfind("Unknown MySQL server host 'no-such-host.invalid' (", 0), 0U)
        << c.connected[0].message;
}

TEST_F(TransportTest, InvalidPortIsReportedAsynchronously) {
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", 70000, 1s);
    EXPECT_TRUE(c.connected.empty());
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }));
    EXPECT_EQ(c.connected[0].errno_code, cr::conn_host_error);
    EXPECT_EQ(c.connected[0].message, "Can't connect to MySQL server on '127.0.0.1:70000' (invalid port)");
}

// A listener with backlog 0 whose one queued connection is never accepted drops further SYNs,
// so a connect to it neither succeeds nor fails: only the timeout can end it. All on loopback.
class SilentListener {
public:
    SilentListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 0) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            return;
        }
        filler_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(filler_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return;
        port_ = ntohs(a.sin_port);
    }
    ~SilentListener() {
        if (filler_ >= 0) ::close(filler_);
        if (fd_ >= 0) ::close(fd_);
    }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    int port() const { return port_; }

private:
    int fd_ = -1;
    int filler_ = -1;
    int port_ = 0;
};

TEST_F(TransportTest, ConnectTimeoutReports2003) {
    SilentListener silent;
    ASSERT_GT(silent.port(), 0);
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", silent.port(), 150ms);
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }, 10s));
    EXPECT_EQ(c.connected[0].errno_code, cr::conn_host_error);
    EXPECT_EQ(c.connected[0].client_kind, uvmysql::detail::ClientKind::timeout);   // a TimeoutError, SQLSTATE HYT00
    EXPECT_EQ(c.connected[0].message,
              "Can't connect to MySQL server on '127.0.0.1:" + std::to_string(silent.port()) + "' (timed out)");
    run_for(20ms);
    EXPECT_EQ(c.connected.size(), 1U);
}

TEST_F(TransportTest, CloseWhileConnectingReportsNothing) {
    SilentListener silent;
    ASSERT_GT(silent.port(), 0);
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", silent.port(), 5s);
    run_for(10ms);
    c.transport->close();
    c.transport->close();  // idempotent
    run_for(10ms);
    EXPECT_TRUE(c.connected.empty());
}

TEST_F(TransportTest, DestroyWhileResolvingReportsNothing) {
    Client c(loop());
    c.transport->connect_tcp("localhost", 3306, 5s);
    c.transport.reset();
    run_for(10ms);
    EXPECT_TRUE(c.connected.empty());
}

TEST_F(TransportTest, ConnectsOverUnixSocket) {
    const std::string path = socket_path("ok");
    ::unlink(path.c_str());
    StreamServer server(loop());
    ASSERT_TRUE(server.listen_unix(path));
    Client c(loop());
    c.when_connected = [&](const Status& st) {
        if (st.ok()) c.write("local");
    };
    c.transport->connect_unix(path, 5s);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 5; }));
    EXPECT_EQ(c.data, "local");
    EXPECT_TRUE(c.transport->is_secure()) << "a unix socket counts as a secure channel";
    EXPECT_FALSE(c.transport->is_tls());
    server.close();
    ::unlink(path.c_str());
}

TEST_F(TransportTest, MissingUnixSocketReports2002) {
    Client c(loop());
    c.transport->connect_unix("/nonexistent-dir/mysqld.sock", 5s);
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }));
    EXPECT_EQ(c.connected[0].errno_code, cr::connection_error);
    EXPECT_EQ(c.connected[0].message,
              "Can't connect to local server through socket '/nonexistent-dir/mysqld.sock' (no such file or directory)");
    EXPECT_FALSE(c.transport->is_secure());
}

TEST_F(TransportTest, OverlongUnixSocketPathReports2002) {
    Client c(loop());
    c.transport->connect_unix("/tmp/" + std::string(200, 'x'), 5s);
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }));
    EXPECT_EQ(c.connected[0].errno_code, cr::connection_error);
    EXPECT_NE(c.connected[0].message.find("(name too long)"), std::string::npos) << c.connected[0].message;
}

TEST_F(TransportTest, WritesOfOneTurnGoOutInOneUvWrite) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    std::string expected;
    c.when_connected = [&](const Status&) {
        for (int i = 0; i < 1000; ++i) {
            const std::string piece = std::to_string(i) + ",";
            expected += piece;
            c.write(piece);
        }
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return !expected.empty() && c.data.size() >= expected.size(); }));
    EXPECT_EQ(c.data, expected);
    EXPECT_EQ(c.transport->stats().uv_writes, 1U);
    EXPECT_EQ(c.transport->stats().bytes_written, expected.size());
}

TEST_F(TransportTest, WritesMadeDuringAWriteAreGatheredAndLargeWritesArriveIntact) {
    StreamServer server(loop());
    server.read_on_accept = false;  // the 20 MiB write cannot complete until the server reads
    server.on_data = [](ServerConn&, std::string_view) {};
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    const std::string big = pattern(20 * 1024 * 1024);
    std::string tail;
    Client c(loop());
    c.when_connected = [&](const Status&) { c.transport->write(bytes_of(big)); };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return c.transport->stats().uv_writes == 1 && !server.conns().empty(); }));
    run_for(20ms);
    EXPECT_LT(c.transport->stats().bytes_written, big.size()) << "the big write is still in flight";
    for (int i = 0; i < 100; ++i) {
        tail += "tail" + std::to_string(i);
        c.write("tail" + std::to_string(i));
    }
    server.conns()[0]->start_reading();
    ServerConn& sc = *server.conns()[0];
    ASSERT_TRUE(run_until([&] { return sc.received.size() >= big.size() + tail.size(); }));
    EXPECT_TRUE(sc.received == big + tail) << "bytes lost or reordered";
    EXPECT_EQ(c.transport->stats().uv_writes, 2U);
}

TEST_F(TransportTest, WriteBufferHandsItsBufferOverOrQueuesItInOrder) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    const std::string big = pattern(256 * 1024, 3);
    Client c(loop());
    std::vector<std::uint8_t> buffer;
    const std::uint8_t* handed = nullptr;
    c.when_connected = [&](const Status&) {
        // Nothing waits: the transport takes the buffer itself and gives back an empty one.
        buffer.assign(big.begin(), big.end());
        handed = buffer.data();
        c.transport->write_buffer(buffer);
        EXPECT_TRUE(buffer.empty());
        EXPECT_NE(buffer.data(), handed) << "the bytes were handed over, not copied";
        // Bytes are waiting now: this one is queued behind them, in order.
        buffer.assign({'e', 'n', 'd'});
        c.transport->write_buffer(buffer);
        EXPECT_TRUE(buffer.empty());
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= big.size() + 3; }));
    EXPECT_TRUE(c.data == big + "end") << "bytes lost or reordered";
    EXPECT_EQ(c.transport->stats().uv_writes, 1U);
}

TEST_F(TransportTest, LargeEchoArrivesIntact) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    const std::string big = pattern(20 * 1024 * 1024, 7);
    Client c(loop());
    c.when_connected = [&](const Status&) { c.transport->write(bytes_of(big)); };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= big.size(); }));
    EXPECT_TRUE(c.data == big);
    EXPECT_EQ(c.transport->stats().bytes_read, big.size());
    EXPECT_GT(c.reads, 1);
}

TEST_F(TransportTest, WritesBeforeTheConnectionIsUpAreSentOnConnect) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    c.write("early");
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 5; }));
    EXPECT_EQ(c.data, "early");
}

TEST_F(TransportTest, PauseStopsDeliveryUntilResume) {
    StreamServer server(loop());
    bool server_wrote = false;
    server.on_accept = [&](ServerConn& sc) { sc.write("hello", [&] { server_wrote = true; }); };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status&) { c.transport->pause_reading(); };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return server_wrote; }));
    run_for(30ms);
    EXPECT_EQ(c.reads, 0);
    c.transport->resume_reading();
    EXPECT_EQ(c.reads, 0) << "never delivered from inside resume_reading()";
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 5; }));
    EXPECT_EQ(c.data, "hello");
}

TEST_F(TransportTest, PeerCloseReportsOnErrorOnce) {
    StreamServer server(loop());
    server.on_accept = [](ServerConn& sc) {
        sc.write("last words");
        sc.end();
    };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return !c.errors.empty(); }));
    run_for(20ms);
    EXPECT_EQ(c.data, "last words");
    ASSERT_EQ(c.errors.size(), 1U);
    EXPECT_EQ(c.errors[0].errno_code, cr::server_lost);
    EXPECT_EQ(c.errors[0].message, "Lost connection to MySQL server (connection closed by server)");
    c.write("after the end");  // ignored
    c.transport->resume_reading();
    run_for(10ms);
    EXPECT_EQ(c.errors.size(), 1U);
}

TEST_F(TransportTest, WriteFailureReports2006) {
    StreamServer server(loop());
    server.on_accept = [](ServerConn& sc) { sc.close(); };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status&) { c.transport->pause_reading(); };  // so the EOF goes unseen
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return !server.conns().empty() && server.conns()[0]->closed(); }));
    run_for(10ms);
    const std::string big = pattern(8 * 1024 * 1024);
    c.transport->write(bytes_of(big));  // answered with a reset by the closed peer
    ASSERT_TRUE(run_until([&] { return !c.errors.empty(); }));
    run_for(10ms);
    ASSERT_EQ(c.errors.size(), 1U);
    EXPECT_EQ(c.errors[0].errno_code, cr::server_gone_error);
    EXPECT_EQ(c.errors[0].message.rfind("MySQL server has gone away (", 0), 0U) << c.errors[0].message;
}

TEST_F(TransportTest, CloseSendsWhatWasWrittenBeforeIt) {
    StreamServer server(loop());
    bool eof = false;
    server.on_eof = [&](ServerConn& sc) {
        eof = true;
        sc.close();
    };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status&) {
        c.write("quit");
        c.transport->close();
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return eof; }));
    EXPECT_EQ(server.conns()[0]->received, "quit");
    EXPECT_TRUE(c.errors.empty());
}

TEST_F(TransportTest, CloseInsideOnReadStopsAllCallbacks) {
    StreamServer server(loop());
    server.on_accept = [&](ServerConn& sc) { sc.write("first"); };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_read = [&](std::span<const std::uint8_t>) {
        c.transport->close();
        c.write("ignored after close");
        c.transport->pause_reading();
        c.transport->resume_reading();
        EXPECT_FALSE(c.transport->is_secure());
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return c.reads > 0; }));
    server.conns()[0]->write("second");
    server.conns()[0]->end();
    run_for(20ms);
    EXPECT_EQ(c.reads, 1);
    EXPECT_TRUE(c.errors.empty());
    EXPECT_EQ(server.conns()[0]->received, "");
}

TEST_F(TransportTest, DestroyInsideOnRead) {
    StreamServer server(loop());
    server.on_accept = [&](ServerConn& sc) {
        sc.write("one");
        sc.end();
    };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_read = [&](std::span<const std::uint8_t>) {
        c.transport.reset();
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return c.reads > 0; }));
    run_for(20ms);
    EXPECT_EQ(c.reads, 1);
    EXPECT_TRUE(c.errors.empty());
}

TEST_F(TransportTest, DestroyInsideOnConnected) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client ok(loop());
    ok.when_connected = [&](const Status&) {
        ok.write("never sent");
        ok.transport.reset();
    };
    ok.transport->connect_tcp("127.0.0.1", port, 5s);
    Client failed(loop());
    failed.when_connected = [&](const Status&) { failed.transport.reset(); };
    failed.transport->connect_tcp("127.0.0.1", 1, 5s);
    ASSERT_TRUE(run_until([&] { return !ok.connected.empty() && !failed.connected.empty(); }));
    run_for(10ms);
    EXPECT_TRUE(ok.connected[0].ok());
    EXPECT_FALSE(failed.connected[0].ok());
}

TEST_F(TransportTest, DestroyInsideOnError) {
    StreamServer server(loop());
    server.on_accept = [](ServerConn& sc) { sc.close(); };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_error = [&](const Status&) { c.transport.reset(); };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return !c.errors.empty(); }));
    run_for(10ms);
    EXPECT_EQ(c.errors.size(), 1U);
    EXPECT_EQ(c.errors[0].errno_code, cr::server_lost);
}

// A handler that closes its transport and then deletes itself (and the transport) from on_connected.
class SelfDestroyingHandler final : public TransportHandler {
public:
    SelfDestroyingHandler(uv_loop_t* loop, std::unique_ptr<SelfDestroyingHandler>& owner, bool& gone)
        : owner_(owner), gone_(gone), transport_(Transport::create(loop, *this)) {}
    Transport& transport() { return *transport_; }
    void on_connected(const Status&) override {
        bool& gone = gone_;
        transport_->close();
        owner_.reset();  // deletes this
        gone = true;
    }
    void on_read(std::span<const std::uint8_t>) override { ADD_FAILURE() << "on_read after close"; }
    void on_tls_ready(const Status&) override { ADD_FAILURE() << "on_tls_ready"; }
    void on_error(const Status&) override { ADD_FAILURE() << "on_error after close"; }

private:
    std::unique_ptr<SelfDestroyingHandler>& owner_;
    bool& gone_;
    std::unique_ptr<Transport> transport_;
};

TEST_F(TransportTest, HandlerMayBeDestroyedRightAfterClose) {
    StreamServer server(loop());
    server.on_accept = [](ServerConn& sc) { sc.write("unread"); };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    bool gone = false;
    std::unique_ptr<SelfDestroyingHandler> h;
    h = std::make_unique<SelfDestroyingHandler>(loop(), h, gone);
    h->transport().connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return gone; }));
    run_for(10ms);
}

TEST_F(TransportTest, SecondConnectIsReportedAsMisuse) {
    StreamServer server(loop());
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] { return !c.connected.empty(); }));
    c.transport->connect_unix("/tmp/whatever.sock", 5s);
    ASSERT_TRUE(run_until([&] { return c.connected.size() == 2; }));
    EXPECT_EQ(c.connected[1].client_kind, uvmysql::detail::ClientKind::interface);
    c.write("still usable");
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 12; }));
    EXPECT_EQ(c.data, "still usable");
}

TEST_F(TransportTest, StartTlsBeforeConnectIsReportedAsMisuse) {
    Client c(loop());
    c.transport->start_tls({});
    EXPECT_TRUE(c.tls_ready.empty());
    ASSERT_TRUE(run_until([&] { return !c.tls_ready.empty(); }));
    EXPECT_EQ(c.tls_ready[0].client_kind, uvmysql::detail::ClientKind::interface);
}

}  // namespace
}  // namespace transport_test
