// SPDX-License-Identifier: MIT
// Shared pieces of the fake-server tests: a fixture with a loop and the wire layouts they check.
#pragma once

#include <gtest/gtest.h>

#include <uvmysql/uvmysql.hpp>

#include "fake_server.hpp"
#include "protocol/capabilities.hpp"
#include "run_until.hpp"

namespace uvmysql::test {

/// What a MySQL 8 server offers, without TLS (scripts that call start_tls() add cap::ssl).
inline constexpr std::uint32_t fake_server_caps = static_cast<std::uint32_t>(
    detail::cap::long_password | detail::cap::long_flag | detail::cap::connect_with_db | detail::cap::protocol_41 |
    detail::cap::transactions | detail::cap::secure_connection | detail::cap::multi_results |
    detail::cap::ps_multi_results | detail::cap::plugin_auth | detail::cap::connect_attrs |
    detail::cap::plugin_auth_lenenc_client_data | detail::cap::deprecate_eof);

/// The auth response inside a HandshakeResponse41 payload (lenenc, short form).
inline Bytes auth_response_of(const Bytes& payload) {
    std::size_t i = 32;                        // capabilities, max packet, charset, filler
    while (i < payload.size() && payload[i] != 0) ++i;   // user
    ++i;
    if (i >= payload.size()) return {};
    const std::size_t len = payload[i];
    return Bytes(payload.begin() + static_cast<std::ptrdiff_t>(i + 1),
                 payload.begin() + static_cast<std::ptrdiff_t>(std::min(payload.size(), i + 1 + len)));
}

/// A fixture with a loop, a fake server on it, and options pointing at it.
class FakeServerTest : public testing::Test {
protected:
    FakeServerTest() : server_(loop_.get()) {}

    ConnectOptions options() {
        ConnectOptions opt;
        opt.host = "127.0.0.1";
        opt.port = server_.port();
        opt.user = "u";
        opt.password = "secret";
        opt.autocommit = std::nullopt;   // no SET AUTOCOMMIT round-trip in the scripts
        opt.connect_timeout = std::chrono::milliseconds(3000);
        return opt;
    }
    /// Connects; the caller closes the connection.
    Connection connect_ok(ConnectOptions opt) {
        return run_until(loop_.get(), connect(loop_.get(), std::move(opt)));
    }
    /// Connects expecting failure with error class E; returns the error's errno.
    template <class E>
    int connect_fails(ConnectOptions opt) {
        try {
            Connection c = run_until(loop_.get(), connect(loop_.get(), std::move(opt)));
            c.close();
            ADD_FAILURE() << "connect() succeeded";
        } catch (const E& e) {
            return e.errno_code();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "unexpected error: " << e.what();
        }
        return -1;
    }
    void TearDown() override { server_.shutdown(); }

    TestLoop loop_;
    FakeServer server_;
};

}  // namespace uvmysql::test
