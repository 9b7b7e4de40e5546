// SPDX-License-Identifier: MIT
// Connection-phase messages: HandshakeV10 (server greeting), SSLRequest and HandshakeResponse41.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// The server's greeting (Protocol::HandshakeV10).
struct HandshakeV10 {
    std::uint8_t protocol_version = 10;
    /// Server version, with MariaDB's "5.5.5-" replication prefix removed.
    std::string server_version;
    std::uint32_t connection_id = 0;
    /// Scramble / nonce for the auth plugin: part 1 + part 2 joined, trailing NUL dropped
    /// (20 bytes from MySQL and MariaDB).
    std::vector<std::uint8_t> auth_plugin_data;
    /// Server capabilities; bits 32..63 hold MariaDB's extended capabilities (mariadb_cap).
    std::uint64_t capabilities = 0;
    /// Low byte of the server's default collation id.
    std::uint8_t charset = 0;
    std::uint16_t status_flags = 0;
    /// Default auth plugin; empty when the server lacks CLIENT_PLUGIN_AUTH.
    std::string auth_plugin_name;
    /// True when the version string names MariaDB.
    bool is_mariadb = false;
};

/// Parses the server greeting. An ERR packet instead of a greeting (e.g. "host is blocked")
/// comes back as that server error; a protocol version other than 10 is cr::version_error;
/// anything truncated or inconsistent is cr::malformed_packet.
Status parse_handshake_v10(Bytes payload, HandshakeV10& out);

/// One connection attribute (performance_schema.session_connect_attrs).
struct ConnectAttr {
    std::string_view key;
    std::string_view value;
};

/// The client's answer to the greeting (Protocol::HandshakeResponse41).
struct HandshakeResponse41 {
    /// Client capabilities. Optional fields below are written only when their flag is set
    /// here (connect_with_db, plugin_auth, connect_attrs, plugin_auth_lenenc_client_data).
    /// Bits 32..63 are MariaDB extended capabilities, written in the last 4 filler bytes:
    /// keep them zero unless the server is MariaDB (did not set CLIENT_MYSQL).
    std::uint64_t capabilities = 0;
    std::uint32_t max_packet_size = 0x1000000;
    /// Low byte of the collation id for the connection (e.g. 45 utf8mb4_general_ci).
    std::uint8_t collation = 45;
    std::string_view user;
    Bytes auth_response;
    std::string_view database;
    std::string_view auth_plugin_name;
    std::span<const ConnectAttr> connect_attrs;
    /// Written last, when capabilities has cap::zstd_compression_algorithm (MySQL 8.0.18+).
    std::uint8_t zstd_compression_level = 3;
};

/// Appends the payload of a HandshakeResponse41. Fails (ClientKind::programming) when a
/// NUL-terminated field contains a NUL, or the auth response does not fit its length byte.
Status serialize_handshake_response41(std::vector<std::uint8_t>& out, const HandshakeResponse41& msg);

/// Appends the payload of an SSLRequest: the first 32 bytes of a HandshakeResponse41
/// (`capabilities` must include cap::ssl). TLS starts right after it is sent.
void serialize_ssl_request(std::vector<std::uint8_t>& out, std::uint64_t capabilities,
                           std::uint32_t max_packet_size, std::uint8_t collation);

}  // namespace uvmysql::detail
