// SPDX-License-Identifier: MIT
// HandshakeOp: greeting, optional TLS upgrade, login and the auth plugin exchange.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/auth_plugin.hpp"
#include "connection/compression_choice.hpp"
#include "connection/op.hpp"
#include "protocol/handshake.hpp"

namespace uvmysql::detail {

/// The connection phase. Flow: read greeting (HandshakeV10 or ERR) -> [write SSLRequest, TLS
/// upgrade] -> write HandshakeResponse41 -> { read AuthSwitchRequest -> write plugin response |
/// read AuthMoreData -> plugin step }* -> read OK (logged in: done) or ERR. Every failure is
/// fatal to the session (Action::fail), which closes the connection and fails connect() with it.
class HandshakeOp final : public Op {
public:
    void finish() override {}
    void fail(const Status&) override {}      // connect()'s own promise reports failures

private:
    enum class State { start, greeting, tls, auth };

    Action step(SessionState& s, Bytes message) override;
    Action on_greeting(SessionState& s, Bytes payload);
    Action send_login(SessionState& s);
    Action on_auth_packet(SessionState& s, Bytes payload);
    Action switch_plugin(SessionState& s, std::string_view name, Bytes data);
    Action run_plugin_action(SessionState& s, AuthAction action);
    [[nodiscard]] AuthContext auth_context(const SessionState& s) const;

    State state_ = State::start;
    HandshakeV10 greeting_;
    std::uint64_t client_caps_ = 0;
    std::vector<std::uint8_t> nonce_;
    std::unique_ptr<AuthPlugin> plugin_;
    CompressionChoice compression_;   // switched on at the login's OK
};

}  // namespace uvmysql::detail
