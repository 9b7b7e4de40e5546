// SPDX-License-Identifier: MIT
// Fuzz target: HandshakeV10, then a fuzzed authentication exchange through the auth plugins
// (AuthSwitchRequest, AuthMoreData, OK, ERR), then the HandshakeResponse41 the client would send.
#include <memory>
#include <string>

#include "../unit/auth/test_keys.hpp"
#include "auth/auth_plugin.hpp"
#include "fuzz_check.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/handshake.hpp"
#include "protocol/response.hpp"

using namespace uvmysql::detail;
using uvmysql::fuzz::inside;

namespace {

// A real public key (the unit tests'), so that the RSA paths run with a valid configured key as
// well as with the fuzzed bytes a server sends.
const std::string_view test_public_key = uvmysql::test::openssl_public_key;

void check_action(const AuthAction& a) {
    if (a.kind == AuthAction::Kind::fail) UVMYSQL_FUZZ_CHECK(!a.status.ok());
    if (a.kind != AuthAction::Kind::send) UVMYSQL_FUZZ_CHECK(a.data.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::string password = in.ConsumeRandomLengthString(40);
    AuthContext ctx;
    ctx.password = password;
    ctx.secure_channel = in.ConsumeBool();
    ctx.allow_cleartext_without_tls = in.ConsumeBool();
    ctx.allow_public_key_request = in.ConsumeBool();
    if (in.ConsumeBool()) ctx.server_public_key_pem = test_public_key;
    const std::string user = in.ConsumeRandomLengthString(20);
    const auto messages = uvmysql::fuzz::take_messages(in, 12);
    if (messages.empty()) return 0;

    HandshakeV10 hs;
    const Bytes greeting(messages[0]);
    const Status st = parse_handshake_v10(greeting, hs);
    if (!greeting.empty() && greeting[0] == header::err) UVMYSQL_FUZZ_CHECK(!st.ok());
    if (!st.ok()) return 0;
    UVMYSQL_FUZZ_CHECK(hs.protocol_version == 10);

    std::unique_ptr<AuthPlugin> plugin = make_auth_plugin(hs.auth_plugin_name.empty() ? "mysql_native_password"
                                                                                      : hs.auth_plugin_name);
    if (!plugin) return 0;
    ctx.nonce = hs.auth_plugin_data;
    AuthAction first = plugin->start(ctx);
    check_action(first);
    if (first.kind == AuthAction::Kind::fail) return 0;

    HandshakeResponse41 resp;
    resp.capabilities = hs.capabilities & (cap::protocol_41 | cap::plugin_auth | cap::secure_connection |
                                           cap::plugin_auth_lenenc_client_data | cap::connect_with_db);
    resp.user = user;
    resp.auth_response = first.data;
    resp.auth_plugin_name = plugin->name();
    resp.database = hs.server_version;
    std::vector<std::uint8_t> out;
    const Status ser = serialize_handshake_response41(out, resp);
    if (!ser.ok()) UVMYSQL_FUZZ_CHECK(ser.client_kind == ClientKind::programming);

    // The server's answers, in order, as HandshakeOp feeds them.
    std::vector<std::uint8_t> nonce_copy;
    for (std::size_t i = 1; i < messages.size(); ++i) {
        const Bytes payload(messages[i]);
        switch (classify_auth_response(payload)) {
            case ResponseKind::ok: {
                UVMYSQL_FUZZ_CHECK(payload[0] == header::ok);
                return 0;
            }
            case ResponseKind::err: {
                const Status err = parse_err_packet(payload, hs.capabilities);
                UVMYSQL_FUZZ_CHECK(!err.ok());
                return 0;
            }
            case ResponseKind::auth_switch: {
                AuthSwitchRequest sw;
                if (!parse_auth_switch_request(payload, sw).ok()) return 0;
                UVMYSQL_FUZZ_CHECK(inside(sw.plugin_data, payload));
                plugin = make_auth_plugin(sw.plugin_name);
                if (!plugin) return 0;
                // The nonce is copied by start(): hand it a copy that dies right after.
                nonce_copy.assign(sw.plugin_data.begin(), sw.plugin_data.end());
                ctx.nonce = nonce_copy;
                AuthAction a = plugin->start(ctx);
                nonce_copy.assign(nonce_copy.size(), 0xA5);
                check_action(a);
                if (a.kind == AuthAction::Kind::fail) return 0;
                break;
            }
            case ResponseKind::auth_more_data: {
                Bytes more;
                if (!parse_auth_more_data(payload, more).ok()) return 0;
                UVMYSQL_FUZZ_CHECK(inside(more, payload));
                AuthAction a = plugin->on_more_data(more);
                check_action(a);
                if (a.kind == AuthAction::Kind::fail) return 0;
                break;
            }
            default:
                return 0;
        }
    }
    return 0;
}
