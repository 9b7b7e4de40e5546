// SPDX-License-Identifier: MIT
// Connection-phase messages: HandshakeV10 (server greeting), SSLRequest and HandshakeResponse41.
#include "protocol/handshake.hpp"

#include <algorithm>

#include "protocol/capabilities.hpp"
#include "protocol/packet_reader.hpp"
#include "protocol/packet_writer.hpp"
#include "protocol/response.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::string_view mariadb_version_prefix = "5.5.5-";

bool has_nul(std::string_view s) noexcept { return s.find('\0') != std::string_view::npos; }

Status bad_argument(std::string what) {
    return Status::client(cr::unknown_error, std::move(what), ClientKind::programming);
}

// Bytes 0..31 of both SSLRequest and HandshakeResponse41. MariaDB reads its extended
// capabilities from the last 4 of the 23 filler bytes (zero for MySQL).
void write_fixed_header(PacketWriter& w, std::uint64_t caps, std::uint32_t max_packet, std::uint8_t collation) {
    w.int4(static_cast<std::uint32_t>(caps));
    w.int4(max_packet);
    w.int1(collation);
    w.fill(19);
    w.int4(static_cast<std::uint32_t>(caps >> 32));
}

}  // namespace

Status parse_handshake_v10(Bytes payload, HandshakeV10& out) {
    if (!payload.empty() && payload[0] == 0xFF) return parse_err_packet(payload, 0);
    PacketReader r(payload);
    out = HandshakeV10{};
    out.protocol_version = r.int1();
    if (!r.ok()) return Status::malformed("empty server greeting");
    if (out.protocol_version != 10) {
        return Status::client(cr::version_error, "Protocol mismatch; server version = " +
                                                     std::to_string(out.protocol_version) + ", client version = 10");
    }
    const std::string_view version = as_string_view(r.null_str());
    out.connection_id = r.int4();
    const Bytes part1 = r.bytes(8);
    r.skip(1);  // filler
    out.capabilities = r.int2();
    if (!r.ok()) return Status::malformed("truncated HandshakeV10");

    std::uint8_t plugin_data_len = 0;
    if (r.remaining() > 0) {
        out.charset = r.int1();
        out.status_flags = r.int2();
        out.capabilities |= std::uint64_t{r.int2()} << 16;
        plugin_data_len = r.int1();
        r.skip(6);
        const std::uint32_t mariadb_caps = r.int4();
        // The last 4 reserved bytes are MariaDB's capabilities only when CLIENT_MYSQL is unset.
        if (!(out.capabilities & cap::client_mysql)) out.capabilities |= std::uint64_t{mariadb_caps} << 32;
    }
    out.auth_plugin_data.assign(part1.begin(), part1.end());
    if (out.capabilities & cap::secure_connection) {
        // Part 2 is max(13, len - 8) bytes, the last of which is a NUL terminator.
        const std::size_t part2_len = std::max<std::size_t>(13, plugin_data_len > 8 ? plugin_data_len - 8 : 0);
        Bytes part2 = r.bytes(part2_len);
        if (!part2.empty() && part2.back() == 0) part2 = part2.first(part2.size() - 1);
        out.auth_plugin_data.insert(out.auth_plugin_data.end(), part2.begin(), part2.end());
    }
    if (out.capabilities & cap::plugin_auth) {
        // Some 5.5 servers omit the terminating NUL: take the rest of the packet then.
        const Bytes rest = r.rest();
        const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
        out.auth_plugin_name.assign(as_string_view(rest.first(static_cast<std::size_t>(nul - rest.begin()))));
    }
    if (!r.ok()) return Status::malformed("truncated HandshakeV10");

    out.is_mariadb = version.find("MariaDB") != std::string_view::npos;
    std::string_view shown = version;
    if (out.is_mariadb && shown.starts_with(mariadb_version_prefix)) shown.remove_prefix(mariadb_version_prefix.size());
    out.server_version.assign(shown);
    return {};
}

Status serialize_handshake_response41(std::vector<std::uint8_t>& out, const HandshakeResponse41& msg) {
    const std::uint64_t caps = msg.capabilities;
    if (has_nul(msg.user)) return bad_argument("user name must not contain NUL");
    if ((caps & cap::connect_with_db) && has_nul(msg.database)) return bad_argument("database name must not contain NUL");
    if ((caps & cap::plugin_auth) && has_nul(msg.auth_plugin_name)) return bad_argument("plugin name must not contain NUL");

    PacketWriter w(out);
    write_fixed_header(w, caps, msg.max_packet_size, msg.collation);
    w.null_str(msg.user);
    if (caps & cap::plugin_auth_lenenc_client_data) {
        w.lenenc_str(msg.auth_response);
    } else if (caps & cap::secure_connection) {
        if (msg.auth_response.size() > 255) return bad_argument("auth response longer than 255 bytes");
        w.int1(static_cast<std::uint8_t>(msg.auth_response.size()));
        w.bytes(msg.auth_response);
    } else {
        if (has_nul(as_string_view(msg.auth_response))) return bad_argument("auth response must not contain NUL");
        w.null_str(as_string_view(msg.auth_response));
    }
    if (caps & cap::connect_with_db) w.null_str(msg.database);
    if (caps & cap::plugin_auth) w.null_str(msg.auth_plugin_name);
    if (caps & cap::connect_attrs) {
        std::size_t total = 0;
        for (const ConnectAttr& a : msg.connect_attrs) {
            total += lenenc_int_size(a.key.size()) + a.key.size() + lenenc_int_size(a.value.size()) + a.value.size();
        }
        w.lenenc_int(total);
        for (const ConnectAttr& a : msg.connect_attrs) {
            w.lenenc_str(a.key);
            w.lenenc_str(a.value);
        }
    }
    if (caps & cap::zstd_compression_algorithm) w.int1(msg.zstd_compression_level);
    return {};
}

void serialize_ssl_request(std::vector<std::uint8_t>& out, std::uint64_t capabilities,
                           std::uint32_t max_packet_size, std::uint8_t collation) {
    PacketWriter w(out);
    write_fixed_header(w, capabilities, max_packet_size, collation);
}

}  // namespace uvmysql::detail
