// SPDX-License-Identifier: MIT
// HandshakeOp: greeting, optional TLS upgrade, login and the auth plugin exchange.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/auth_plugin.hpp"
#include "connection/op.hpp"
#include "protocol/handshake.hpp"

namespace uvmysql::detail {

/// The connection phase. Flow: greeting (HandshakeV10 or ERR) -> [SSLRequest, TLS upgrade] ->
/// HandshakeResponse41 -> { AuthSwitchRequest -> plugin response | AuthMoreData -> plugin step }*
/// -> OK (logged in) or ERR. Every failure is fatal to the session: it is returned from
/// on_message, which closes the connection and fails connect() with it.
class HandshakeOp final : public Op {
public:
    void start(ConnectionImpl&) override {}   // the server speaks first
    Status on_message(ConnectionImpl& conn, Bytes payload, Next& next) override;
    Status on_tls_ready(ConnectionImpl& conn) override;
    void finish() override {}
    void fail(const Status&) override {}      // connect()'s own promise reports failures

private:
    enum class State { greeting, tls, auth };

    Status on_greeting(ConnectionImpl& conn, Bytes payload);
    Status send_login(ConnectionImpl& conn);
    Status on_auth_packet(ConnectionImpl& conn, Bytes payload, Next& next);
    Status switch_plugin(ConnectionImpl& conn, std::string_view name, Bytes data);
    Status run_action(ConnectionImpl& conn, AuthAction action);
    [[nodiscard]] AuthContext auth_context(ConnectionImpl& conn) const;

    State state_ = State::greeting;
    HandshakeV10 greeting_;
    std::uint64_t client_caps_ = 0;
    std::vector<std::uint8_t> nonce_;
    std::unique_ptr<AuthPlugin> plugin_;
};

/// The collation id (one byte) the handshake announces for `charset`, or 0 when the charset is
/// unknown or not escape-safe.
[[nodiscard]] std::uint8_t collation_for_charset(std::string_view charset);

}  // namespace uvmysql::detail
