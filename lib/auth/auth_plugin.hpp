// SPDX-License-Identifier: MIT
// AuthPlugin: the client side of one authentication method, as a state machine over bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// What a plugin needs to know. Everything is copied by start(): the caller's storage may go.
struct AuthContext {
    std::string_view password;
    /// Plugin data: HandshakeV10::auth_plugin_data, or AuthSwitchRequest::plugin_data as sent.
    Bytes nonce;
    /// TLS is active or the socket is a unix socket: the password may travel in clear.
    bool secure_channel = false;
    /// Lets mysql_clear_password send the password over an insecure channel.
    bool allow_cleartext_without_tls = false;
    /// Lets sha256_password / caching_sha2_password ask the server for its RSA key over an
    /// insecure channel when no key is configured (MySQL's get-server-public-key, Connector/J's
    /// allowPublicKeyRetrieval; PyMySQL and aiomysql always do this). A man in the middle can
    /// substitute its own key, so a configured key or TLS is better.
    bool allow_public_key_request = true;
    /// The server's RSA public key (PEM) if the user configured one; empty otherwise.
    std::string_view server_public_key_pem;
};

/// The next step a plugin asks of the connection.
struct AuthAction {
    enum class Kind {
        send,   // write `data` as the next packet (may be empty), then read the server's reply
        read,   // nothing to write: read the next packet (the server's OK or ERR is coming)
        fail,   // give up with `status`
    };
    Kind kind = Kind::read;
    std::vector<std::uint8_t> data;
    Status status;

    static AuthAction send(std::vector<std::uint8_t> bytes) { return {Kind::send, std::move(bytes), {}}; }
    static AuthAction read() { return {Kind::read, {}, {}}; }
    static AuthAction fail(Status st) { return {Kind::fail, {}, std::move(st)}; }
};

/// The client half of one authentication method.
///
/// Flow, driven by the connection:
///  1. start(ctx) gives the first response: the auth_response of HandshakeResponse41, or,
///     after an AuthSwitchRequest (new plugin, new nonce), a packet of its own (even empty).
///  2. Then, for each server packet: OK → authenticated; ERR → failed; AuthSwitchRequest →
///     make the named plugin and go to 1; AuthMoreData → on_more_data(data without the 0x01)
///     and carry out the returned action.
class AuthPlugin {
public:
    virtual ~AuthPlugin() = default;

    /// The plugin's protocol name ("mysql_native_password", ...).
    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    /// Produces the first response (Kind::send) or refuses (Kind::fail).
    virtual AuthAction start(const AuthContext& ctx) = 0;
    /// Handles one AuthMoreData payload. Anything the method does not expect is a failure.
    virtual AuthAction on_more_data(Bytes data) = 0;
};

/// Makes the plugin named `name`: mysql_native_password, caching_sha2_password,
/// sha256_password, mysql_clear_password or client_ed25519. Any other name gives nullptr,
/// which the caller reports as cr::auth_plugin_cannot_load.
std::unique_ptr<AuthPlugin> make_auth_plugin(std::string_view name);

}  // namespace uvmysql::detail
