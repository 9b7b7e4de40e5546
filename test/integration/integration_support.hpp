// SPDX-License-Identifier: MIT
// Helpers for the integration tests: options for the private server and one-call round trips.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <uvmysql/uvmysql.hpp>

#include "run_until.hpp"
#include "test_env.hpp"

namespace uvmysql::test {

/// How a test reaches the server; integration suites run once per way.
/// `compressed` and `compressed_tls` are TCP and TLS with the compressed protocol (zlib).
enum class Link { tcp, unix_socket, tls, compressed, compressed_tls };

/// True for the links that run TLS.
inline bool is_tls_link(Link link) { return link == Link::tls || link == Link::compressed_tls; }

inline std::string link_name(const testing::TestParamInfo<Link>& info) {
    switch (info.param) {
        case Link::tcp: return "Tcp";
        case Link::unix_socket: return "UnixSocket";
        case Link::tls: return "Tls";
        case Link::compressed: return "Compressed";
        case Link::compressed_tls: return "CompressedTls";
    }
    return "Unknown";
}

/// TLS verified against `ca`.
inline SslOptions tls_options(std::string ca) {
    SslOptions ssl;
    ssl.ca = std::move(ca);
    return ssl;
}

/// Options for the private server as root, through `link`, on test_pymysql.
inline ConnectOptions server_options(Link link = Link::tcp) {
    const TestServer& s = test_server();
    ConnectOptions opt;
    opt.host = s.host;
    opt.port = s.port;
    opt.user = s.user;
    opt.password = s.password;
    opt.db = s.db;
    if (link == Link::unix_socket) opt.unix_socket = s.socket;
    if (is_tls_link(link)) {
        opt.ssl = tls_options(s.ca);
    }
    opt.compress = link == Link::compressed || link == Link::compressed_tls;
    return opt;
}

/// A loop plus a connection to the private server; fails the test (naming server.sh) when the
/// server cannot be reached.
class ServerTest : public testing::Test {
protected:
    Connection open(ConnectOptions opt) {
        try {
            Connection c = run_until(loop(), connect(loop(), std::move(opt)), std::chrono::seconds(15));
            opened_.push_back(c);
            return c;
        } catch (const OperationalError& e) {
            ADD_FAILURE() << server_missing_message(e.what());
            throw;
        }
    }
    template <class T>
    T wait(Future<T> f, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
        return run_until(loop(), std::move(f), timeout);
    }
    /// The error of class E that `f` fails with; a test failure (and nullopt) when it succeeds
    /// or fails otherwise.
    template <class E, class T>
    std::optional<E> failure_of(Future<T> f) {
        try {
            (void)wait(std::move(f));
            ADD_FAILURE() << "succeeded, but it should have failed";
        } catch (const E& e) {
            return e;
        } catch (const Error& e) {
            ADD_FAILURE() << "failed with " << e.errno_code() << " " << e.what() << ", another class";
        }
        return std::nullopt;
    }
    /// Runs `sql` and returns the first column of the first row.
    Value scalar(Connection& c, std::string sql) {
        auto sets = wait(c.query(std::move(sql)));
        EXPECT_FALSE(sets.empty());
        EXPECT_FALSE(sets.front().rows.empty());
        return sets.front().rows.at(0).at(0);
    }
    uv_loop_t* loop() { return loop_.get(); }
    /// Closes every connection open() made, so the loop can finish even after a failed test.
    void TearDown() override {
        for (auto& c : opened_) c.close();
        opened_.clear();
    }

    TestLoop loop_;
    std::vector<Connection> opened_;
};

/// ServerTest with pools that TearDown terminates, so a failing test still leaves a clean loop.
class PoolServerTest : public ServerTest {
protected:
    Pool make_pool(PoolOptions po, ConnectOptions co = server_options()) {
        Pool p = wait(create_pool(loop(), std::move(co), po));
        pools_.push_back(p);
        return p;
    }
    void TearDown() override {
        for (auto& p : pools_) p.terminate();
        for (auto& p : pools_) wait(p.wait_closed());
        pools_.clear();
        ServerTest::TearDown();
    }

    std::vector<Pool> pools_;
};

}  // namespace uvmysql::test
