// SPDX-License-Identifier: MIT
// HandshakeOp: capabilities, TLS, HandshakeResponse41 with connection attributes, auth plugins.
#include "connection/handshake_op.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "connection/connection_impl.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/response.hpp"
#include "uvmysql/version.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::string_view client_name = "uvmysql";

/// What we always ask for (when the server offers it).
constexpr std::uint64_t wanted_caps = cap::long_password | cap::long_flag | cap::protocol_41 | cap::transactions |
                                      cap::secure_connection | cap::multi_results | cap::ps_multi_results |
                                      cap::plugin_auth | cap::connect_attrs | cap::plugin_auth_lenenc_client_data |
                                      cap::deprecate_eof;

/// Capabilities a user may add through client_flag.
constexpr std::uint64_t user_settable_caps =
    cap::found_rows | cap::ignore_space | cap::interactive | cap::multi_statements | cap::multi_results;

Status ssl_error(std::string msg) { return Status::client(cr::ssl_connection_error, std::move(msg)); }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

std::uint8_t collation_for_charset(std::string_view charset) {
    const std::string cs = lower(charset);
    if (cs == "utf8mb4") return 45;                   // utf8mb4_general_ci
    if (cs == "utf8" || cs == "utf8mb3") return 33;  // utf8mb3_general_ci
    if (cs == "latin1") return 8;                     // latin1_swedish_ci
    if (cs == "ascii") return 11;                     // ascii_general_ci
    if (cs == "binary") return 63;
    return 0;
}

Status HandshakeOp::on_message(ConnectionImpl& conn, Bytes payload, Next& next) {
    switch (state_) {
        case State::greeting:
            return on_greeting(conn, payload);
        case State::tls:
            return Status::malformed("packet during the TLS upgrade");
        case State::auth:
            return on_auth_packet(conn, payload, next);
    }
    return {};
}

Status HandshakeOp::on_greeting(ConnectionImpl& conn, Bytes payload) {
    if (auto st = parse_handshake_v10(payload, greeting_); !st.ok()) return st;
    if (!(greeting_.capabilities & cap::protocol_41)) {
        return Status::client(cr::version_error, "server " + greeting_.server_version + " lacks protocol 4.1");
    }
    conn.server_version = greeting_.server_version;
    conn.is_mariadb = greeting_.is_mariadb;
    conn.thread_id = greeting_.connection_id;
    conn.set_status(greeting_.status_flags);

    const ConnectOptions& opt = conn.options();
    std::uint64_t caps = wanted_caps | (opt.client_flag & user_settable_caps);
    if (conn.db && !conn.db->empty()) caps |= cap::connect_with_db;
    if (opt.local_infile) caps |= cap::local_files;
    if (opt.ssl) caps |= cap::ssl;
    // Keep only what both sides support (MariaDB's extended capabilities are not needed).
    client_caps_ = caps & (greeting_.capabilities & 0xFFFFFFFFull);
    nonce_ = greeting_.auth_plugin_data;

    if (opt.ssl) {
        if (!(greeting_.capabilities & cap::ssl)) return ssl_error("TLS was requested but the server does not support it");
        conn.set_capabilities(client_caps_);
        conn.send([&](std::vector<std::uint8_t>& out) {
            serialize_ssl_request(out, client_caps_, opt.max_allowed_packet, collation_for_charset(conn.charset));
        });
        state_ = State::tls;
        conn.start_tls();
        return {};
    }
    return send_login(conn);
}

Status HandshakeOp::on_tls_ready(ConnectionImpl& conn) {
    if (state_ != State::tls) return Status::malformed("unexpected TLS upgrade");
    return send_login(conn);
}

Status HandshakeOp::send_login(ConnectionImpl& conn) {
    const ConnectOptions& opt = conn.options();
    conn.set_capabilities(client_caps_);
    std::string plugin_name = !opt.auth_plugin.empty()             ? opt.auth_plugin
                              : !greeting_.auth_plugin_name.empty() ? greeting_.auth_plugin_name
                                                                    : "mysql_native_password";
    plugin_ = make_auth_plugin(plugin_name);
    if (!plugin_) {
        return Status::client(cr::auth_plugin_cannot_load, "Authentication plugin '" + plugin_name + "' cannot be loaded");
    }
    AuthAction first = plugin_->start(auth_context(conn));
    if (first.kind == AuthAction::Kind::fail) return first.status;

    // Connection attributes (performance_schema.session_connect_attrs).
    utsname uts{};
    uname(&uts);
    const std::string pid = std::to_string(getpid());
    std::vector<ConnectAttr> attrs{{"_client_name", client_name},
                                   {"_client_version", uvmysql::version()},
                                   {"_os", uts.sysname},
                                   {"_platform", uts.machine},
                                   {"_pid", pid}};
    if (!opt.program_name.empty()) attrs.push_back({"program_name", opt.program_name});
    for (const auto& [k, v] : opt.connect_attrs) attrs.push_back({k, v});

    HandshakeResponse41 msg;
    msg.capabilities = client_caps_;
    msg.max_packet_size = opt.max_allowed_packet;
    msg.collation = collation_for_charset(conn.charset);
    msg.user = opt.user;
    msg.auth_response = first.data;
    if (client_caps_ & cap::connect_with_db) msg.database = *conn.db;
    msg.auth_plugin_name = plugin_->name();
    msg.connect_attrs = attrs;
    Status st;
    conn.send([&](std::vector<std::uint8_t>& out) { st = serialize_handshake_response41(out, msg); });
    if (!st.ok()) return st;
    state_ = State::auth;
    return {};
}

Status HandshakeOp::on_auth_packet(ConnectionImpl& conn, Bytes payload, Next& next) {
    switch (classify_auth_response(payload)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(payload, client_caps_, ok); !st.ok()) return st;
            conn.apply_ok(ok);
            next = Next::done;
            return {};
        }
        case ResponseKind::err:
            return parse_err_packet(payload, client_caps_);   // access denied & co: fatal
        case ResponseKind::auth_switch: {
            AuthSwitchRequest req;
            if (auto st = parse_auth_switch_request(payload, req); !st.ok()) return st;
            return switch_plugin(conn, req.plugin_name, req.plugin_data);
        }
        case ResponseKind::auth_more_data: {
            Bytes data;
            if (auto st = parse_auth_more_data(payload, data); !st.ok()) return st;
            if (!plugin_) return Status::malformed("AuthMoreData without an auth plugin");
            return run_action(conn, plugin_->on_more_data(data));
        }
        default:
            return Status::malformed("unexpected packet during authentication");
    }
}

Status HandshakeOp::switch_plugin(ConnectionImpl& conn, std::string_view name, Bytes data) {
    plugin_ = make_auth_plugin(name);
    if (!plugin_) {
        return Status::client(cr::auth_plugin_cannot_load,
                              "Authentication plugin '" + std::string(name) + "' cannot be loaded");
    }
    nonce_.assign(data.begin(), data.end());
    return run_action(conn, plugin_->start(auth_context(conn)));
}

AuthContext HandshakeOp::auth_context(ConnectionImpl& conn) const {
    const ConnectOptions& opt = conn.options();
    AuthContext ctx;
    ctx.password = opt.password;
    ctx.nonce = nonce_;
    ctx.secure_channel = conn.is_secure();
    ctx.allow_cleartext_without_tls = opt.allow_cleartext_password;
    ctx.server_public_key_pem = opt.server_public_key;
    return ctx;
}

Status HandshakeOp::run_action(ConnectionImpl& conn, AuthAction action) {
    switch (action.kind) {
        case AuthAction::Kind::send:
            conn.send([&](std::vector<std::uint8_t>& out) {
                out.insert(out.end(), action.data.begin(), action.data.end());
            });
            return {};
        case AuthAction::Kind::read:
            return {};
        case AuthAction::Kind::fail:
            return action.status;
    }
    return {};
}

}  // namespace uvmysql::detail
