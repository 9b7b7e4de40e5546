// SPDX-License-Identifier: MIT
// HandshakeOp: capabilities, TLS, HandshakeResponse41 with connection attributes, auth plugins.
#include "connection/handshake_op.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include "protocol/capabilities.hpp"
#include "protocol/response.hpp"
#include "uvmysql/version.hpp"
#include "values/charset_table.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::string_view client_name = "uvmysql";

/// What we always ask for (when the server offers it).
constexpr std::uint64_t wanted_caps = cap::long_password | cap::long_flag | cap::protocol_41 | cap::transactions |
                                      cap::secure_connection | cap::multi_results | cap::ps_multi_results |
                                      cap::plugin_auth | cap::connect_attrs | cap::plugin_auth_lenenc_client_data |
                                      cap::deprecate_eof;

/// Capabilities a user may add through client_flag. The public client_flag::* constants are
/// the protocol's CLIENT_* bits: checked here, where both are in sight.
static_assert(client_flag::found_rows == cap::found_rows && client_flag::ignore_space == cap::ignore_space &&
              client_flag::interactive == cap::interactive && client_flag::multi_statements == cap::multi_statements &&
              client_flag::multi_results == cap::multi_results);
constexpr std::uint64_t user_settable_caps =
    cap::found_rows | cap::ignore_space | cap::interactive | cap::multi_statements | cap::multi_results;

Status ssl_error(std::string msg) { return Status::client(cr::ssl_connection_error, std::move(msg)); }

}  // namespace

Action HandshakeOp::step(SessionState& s, Bytes message) {
    switch (state_) {
        case State::start:   // the server speaks first
            state_ = State::greeting;
            return Action::read;
        case State::greeting:
            return on_greeting(s, message);
        case State::tls:     // the upgrade is done: log in over it
            return send_login(s);
        case State::auth:
            return on_auth_packet(s, message);
    }
    return fail_with(Status::malformed("handshake in an impossible state"));
}

Action HandshakeOp::on_greeting(SessionState& s, Bytes payload) {
    if (auto st = parse_handshake_v10(payload, greeting_); !st.ok()) return fail_with(std::move(st));
    if (!(greeting_.capabilities & cap::protocol_41)) {
        return fail_with(
            Status::client(cr::version_error, "server " + greeting_.server_version + " lacks protocol 4.1"));
    }
    s.server_version = greeting_.server_version;
    s.is_mariadb = greeting_.is_mariadb;
    s.thread_id = greeting_.connection_id;
    s.status = greeting_.status_flags;

    const ConnectOptions& opt = *s.options;
    std::uint64_t caps = wanted_caps | (opt.client_flag & user_settable_caps);
    if (s.db && !s.db->empty()) caps |= cap::connect_with_db;
    if (opt.local_infile) caps |= cap::local_files;
    if (opt.ssl) caps |= cap::ssl;
    compression_ = choose_compression(opt, greeting_.capabilities);
    if (!compression_.error.ok()) return fail_with(std::move(compression_.error));
    caps |= compression_.capability;
    // Keep only what both sides support. Of MariaDB's extended capabilities (offered only by a
    // server without CLIENT_MYSQL, see parse_handshake_v10) two are asked for: bulk execute
    // (Statement::executemany()) and metadata caching (executes may leave out the column
    // definitions of a statement that did not change: see ResultReader::use_statement_columns()).
    constexpr std::uint64_t wanted_mariadb_caps = mariadb_cap::stmt_bulk_operations | mariadb_cap::cache_metadata;
    caps |= wanted_mariadb_caps;
    client_caps_ = caps & greeting_.capabilities & (0xFFFFFFFFull | wanted_mariadb_caps);
    nonce_ = greeting_.auth_plugin_data;

    if (opt.ssl) {
        if (!(greeting_.capabilities & cap::ssl)) {
            return fail_with(ssl_error("TLS was requested but the server does not support it"));
        }
        s.capabilities = client_caps_;
        s.send([&](std::vector<std::uint8_t>& out) {
            serialize_ssl_request(out, client_caps_, opt.max_allowed_packet, collation_for_charset(s.charset));
        });
        state_ = State::tls;
        return Action::tls_handshake;
    }
    return send_login(s);
}

Action HandshakeOp::send_login(SessionState& s) {
    const ConnectOptions& opt = *s.options;
    s.capabilities = client_caps_;
    std::string plugin_name = !opt.auth_plugin.empty()             ? opt.auth_plugin
                              : !greeting_.auth_plugin_name.empty() ? greeting_.auth_plugin_name
                                                                    : "mysql_native_password";
    plugin_ = make_auth_plugin(plugin_name);
    if (!plugin_) {
        return fail_with(Status::client(cr::auth_plugin_cannot_load,
                                        "Authentication plugin '" + plugin_name + "' cannot be loaded"));
    }
    AuthAction first = plugin_->start(auth_context(s));
    if (first.kind == AuthAction::Kind::fail) return fail_with(std::move(first.status));

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
    msg.collation = collation_for_charset(s.charset);
    msg.user = opt.user;
    msg.auth_response = first.data;
    if (client_caps_ & cap::connect_with_db) msg.database = *s.db;
    msg.auth_plugin_name = plugin_->name();
    msg.connect_attrs = attrs;
    msg.zstd_compression_level = static_cast<std::uint8_t>(compression_.zstd_level);
    Status st;
    s.send([&](std::vector<std::uint8_t>& out) { st = serialize_handshake_response41(out, msg); });
    if (!st.ok()) return fail_with(std::move(st));
    state_ = State::auth;
    return Action::write;
}

Action HandshakeOp::on_auth_packet(SessionState& s, Bytes payload) {
    switch (classify_auth_response(payload)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(payload, client_caps_, ok); !st.ok()) return fail_with(std::move(st));
            s.apply_ok(ok);
            // Both directions are compressed from the next command on.
            if (compression_.algorithm) s.compression.start(*compression_.algorithm, compression_.zstd_level);
            return Action::done;
        }
        case ResponseKind::err:
            return fail_with(parse_err_packet(payload, client_caps_));   // access denied & co: fatal
        case ResponseKind::auth_switch: {
            AuthSwitchRequest req;
            if (auto st = parse_auth_switch_request(payload, req); !st.ok()) return fail_with(std::move(st));
            return switch_plugin(s, req.plugin_name, req.plugin_data);
        }
        case ResponseKind::auth_more_data: {
            Bytes data;
            if (auto st = parse_auth_more_data(payload, data); !st.ok()) return fail_with(std::move(st));
            if (!plugin_) return fail_with(Status::malformed("AuthMoreData without an auth plugin"));
            return run_plugin_action(s, plugin_->on_more_data(data));
        }
        default:
            return fail_with(Status::malformed("unexpected packet during authentication"));
    }
}

Action HandshakeOp::switch_plugin(SessionState& s, std::string_view name, Bytes data) {
    plugin_ = make_auth_plugin(name);
    if (!plugin_) {
        return fail_with(Status::client(cr::auth_plugin_cannot_load,
                                        "Authentication plugin '" + std::string(name) + "' cannot be loaded"));
    }
    nonce_.assign(data.begin(), data.end());
    return run_plugin_action(s, plugin_->start(auth_context(s)));
}

AuthContext HandshakeOp::auth_context(const SessionState& s) const {
    const ConnectOptions& opt = *s.options;
    AuthContext ctx;
    ctx.password = opt.password;
    ctx.nonce = nonce_;
    ctx.secure_channel = s.secure_channel;
    ctx.allow_cleartext_without_tls = opt.allow_cleartext_password;
    ctx.server_public_key_pem = opt.server_public_key;
    return ctx;
}

Action HandshakeOp::run_plugin_action(SessionState& s, AuthAction action) {
    switch (action.kind) {
        case AuthAction::Kind::send:
            s.send([&](std::vector<std::uint8_t>& out) {
                out.insert(out.end(), action.data.begin(), action.data.end());
            });
            state_ = State::auth;
            return Action::write;
        case AuthAction::Kind::read:
            return Action::read;
        case AuthAction::Kind::fail:
            return fail_with(std::move(action.status));
    }
    return fail_with(Status::malformed("unknown auth plugin action"));
}

}  // namespace uvmysql::detail
