// SPDX-License-Identifier: MIT
// ConnectOptions::hosts against the private MariaDB: a dead host is skipped (and then backs
// off), every host down is one error naming each, and the policies spread sessions.
#include <uv.h>

#include "connection/host_list.hpp"
#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

/// A TCP listener on 127.0.0.1 in the test's loop that closes each connection at once (a
/// host whose server is broken), counting them.
class ClosingListener {
public:
    explicit ClosingListener(uv_loop_t* loop) {
        uv_tcp_init(loop, &server_);
        server_.data = this;
        sockaddr_in addr{};
        uv_ip4_addr("127.0.0.1", 0, &addr);
        uv_tcp_bind(&server_, reinterpret_cast<const sockaddr*>(&addr), 0);
        uv_listen(reinterpret_cast<uv_stream_t*>(&server_), 16, [](uv_stream_t* s, int status) {
            if (status < 0) return;
            auto* self = static_cast<ClosingListener*>(s->data);
            auto* client = new uv_tcp_t;
            uv_tcp_init(s->loop, client);
            if (uv_accept(s, reinterpret_cast<uv_stream_t*>(client)) == 0) ++self->accepted;
            uv_close(reinterpret_cast<uv_handle_t*>(client), [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
        });
        sockaddr_storage bound{};
        int len = sizeof bound;
        uv_tcp_getsockname(&server_, reinterpret_cast<sockaddr*>(&bound), &len);
        port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    }
    /// libuv uses the handle until its close callback ran: wait for it before the memory goes.
    ~ClosingListener() {
        bool closed = false;
        server_.data = &closed;
        uv_close(reinterpret_cast<uv_handle_t*>(&server_), [](uv_handle_t* h) { *static_cast<bool*>(h->data) = true; });
        while (!closed) uv_run(server_.loop, UV_RUN_NOWAIT);
    }
    ClosingListener(const ClosingListener&) = delete;
    ClosingListener& operator=(const ClosingListener&) = delete;

    int port = 0;
    int accepted = 0;

private:
    uv_tcp_t server_{};
};

class MultiHostTest : public ServerTest {
protected:
    std::string real() { return "127.0.0.1:" + std::to_string(test_server().port); }
    ConnectOptions with_hosts(std::vector<std::string> hosts, HostPolicy policy = HostPolicy::sequential) {
        ConnectOptions opt = server_options();
        opt.host.clear();
        opt.hosts = std::move(hosts);
        opt.host_policy = policy;
        opt.connect_timeout = 2s;
        return opt;
    }
};

TEST_F(MultiHostTest, ABrokenHostIsSkippedThenBacksOff) {
    ClosingListener broken(loop());
    const std::string broken_name = "127.0.0.1:" + std::to_string(broken.port);
    ConnectOptions opt = with_hosts({broken_name, real()});
    opt.host_backoff = 60s;
    Connection first = open(opt);
    EXPECT_EQ(first.port(), test_server().port);   // the second host answered
    EXPECT_EQ(broken.accepted, 1);
    EXPECT_EQ(scalar(first, "SELECT 1").as<std::int64_t>(), 1);
    // Backing off, the broken host is tried after the good one: not at all.
    Connection second = open(opt);
    EXPECT_EQ(second.port(), test_server().port);
    EXPECT_EQ(broken.accepted, 1);
}

TEST_F(MultiHostTest, EveryHostDownIsOneErrorNamingEach) {
    ClosingListener broken(loop());
    const std::string broken_name = "127.0.0.1:" + std::to_string(broken.port);
    ConnectOptions opt = with_hosts({broken_name, "127.0.0.1:1"});
    auto e = failure_of<OperationalError>(connect(loop(), opt));
    ASSERT_TRUE(e);
    const std::string what = e->what();
    EXPECT_NE(what.find("Can't connect to any of the 2 hosts"), std::string::npos) << what;
    EXPECT_NE(what.find(broken_name + ": "), std::string::npos) << what;
    EXPECT_NE(what.find("127.0.0.1:1: "), std::string::npos) << what;
    EXPECT_EQ(e->errno_code(), 2003);   // different errors (2013, 2003): the host error
}

TEST_F(MultiHostTest, RoundRobinAlternates) {
    // One server under two names: the name chosen shows in host().
    ConnectOptions opt = with_hosts({real(), "localhost:" + std::to_string(test_server().port)},
                                    HostPolicy::round_robin);
    Connection a = open(opt);
    Connection b = open(opt);
    EXPECT_NE(a.host(), b.host());
    EXPECT_EQ(scalar(b, "SELECT 2").as<std::int64_t>(), 2);
}

TEST_F(MultiHostTest, LeastConnectionsFillsTheEmptierHost) {
    const std::string port = std::to_string(test_server().port);
    ConnectOptions opt = with_hosts({real(), "localhost:" + port}, HostPolicy::least_connections);
    Connection a = open(opt);
    Connection b = open(opt);
    EXPECT_NE(a.host(), b.host());   // the second goes where the first is not
    const std::string freed = a.host();
    a.close();
    Connection c = open(opt);
    EXPECT_EQ(c.host(), freed);
}

TEST_F(MultiHostTest, AHostPastItsBackOffIsProbedInTheBackgroundThenServesAgain) {
    ClosingListener broken(loop());
    ConnectOptions opt = with_hosts({"127.0.0.1:" + std::to_string(broken.port), real()});
    opt.host_backoff = 50ms;
    Connection first = open(opt);
    EXPECT_EQ(broken.accepted, 1);
    wait(sleep_for(loop(), 100ms));   // its back-off is over
    // The caller is served by the good host at once; the broken one is probed aside.
    Connection second = open(opt);
    EXPECT_EQ(second.port(), test_server().port);
    for (int i = 0; i < 250 && broken.accepted < 2; ++i) wait(sleep_for(loop(), 20ms));
    EXPECT_EQ(broken.accepted, 2);

    // A host that answers again: 0.0.0.0 reaches the same server under another name. Marked as
    // failed, it waits for its probe (the other host serves), then serves again.
    const int port = test_server().port;
    uvmysql::detail::HostHealth::instance().failed(uvmysql::detail::HostAddress{"0.0.0.0", port}, 10ms,
                                                   uvmysql::detail::HostHealth::Clock::now());
    wait(sleep_for(loop(), 50ms));
    ConnectOptions both = with_hosts({"0.0.0.0:" + std::to_string(port), real()});
    Connection third = open(both);
    EXPECT_EQ(third.host(), "127.0.0.1");
    bool back = false;
    for (int i = 0; i < 250 && !back; ++i) {
        wait(sleep_for(loop(), 20ms));
        Connection c = open(both);
        back = c.host() == "0.0.0.0";
        c.close();
    }
    EXPECT_TRUE(back);
}

TEST_F(MultiHostTest, BadListsAreProgrammingErrors) {
    EXPECT_TRUE(failure_of<ProgrammingError>(connect(loop(), with_hosts({"db1:notaport"}))));
    ConnectOptions opt = with_hosts({real()});
    opt.unix_socket = test_server().socket;
    EXPECT_TRUE(failure_of<ProgrammingError>(connect(loop(), opt)));
}

TEST_F(MultiHostTest, PingReconnectUsesTheList) {
    ConnectOptions opt = with_hosts({"127.0.0.1:1", real()});
    opt.host_backoff = 0ms;
    Connection c = open(opt);
    c.close();
    wait(c.ping(true));
    EXPECT_EQ(c.port(), test_server().port);
}

}  // namespace
}  // namespace uvmysql::test
