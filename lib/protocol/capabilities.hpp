// SPDX-License-Identifier: MIT
// Capability flags, MariaDB extended capabilities and server status flags of the protocol.
#pragma once

#include <cstdint>

#include "uvmysql/server_status.hpp"

namespace uvmysql::detail {

/// Capability flags (CLIENT_*), negotiated in the handshake. Held in 64 bits: the low 32 are
/// MySQL's, the high 32 are MariaDB's extended capabilities (see mariadb_cap).
namespace cap {
inline constexpr std::uint64_t long_password = 1ULL << 0;   // MariaDB: CLIENT_MYSQL (unset by MariaDB 10.2+)
inline constexpr std::uint64_t client_mysql = 1ULL << 0;    // the same bit under MariaDB's name
inline constexpr std::uint64_t found_rows = 1ULL << 1;
inline constexpr std::uint64_t long_flag = 1ULL << 2;
inline constexpr std::uint64_t connect_with_db = 1ULL << 3;
inline constexpr std::uint64_t no_schema = 1ULL << 4;
inline constexpr std::uint64_t compress = 1ULL << 5;
inline constexpr std::uint64_t odbc = 1ULL << 6;
inline constexpr std::uint64_t local_files = 1ULL << 7;
inline constexpr std::uint64_t ignore_space = 1ULL << 8;
inline constexpr std::uint64_t protocol_41 = 1ULL << 9;
inline constexpr std::uint64_t interactive = 1ULL << 10;
inline constexpr std::uint64_t ssl = 1ULL << 11;
inline constexpr std::uint64_t ignore_sigpipe = 1ULL << 12;
inline constexpr std::uint64_t transactions = 1ULL << 13;
inline constexpr std::uint64_t reserved = 1ULL << 14;
inline constexpr std::uint64_t secure_connection = 1ULL << 15;
inline constexpr std::uint64_t multi_statements = 1ULL << 16;
inline constexpr std::uint64_t multi_results = 1ULL << 17;
inline constexpr std::uint64_t ps_multi_results = 1ULL << 18;
inline constexpr std::uint64_t plugin_auth = 1ULL << 19;
inline constexpr std::uint64_t connect_attrs = 1ULL << 20;
inline constexpr std::uint64_t plugin_auth_lenenc_client_data = 1ULL << 21;
inline constexpr std::uint64_t can_handle_expired_passwords = 1ULL << 22;
inline constexpr std::uint64_t session_track = 1ULL << 23;
inline constexpr std::uint64_t deprecate_eof = 1ULL << 24;
inline constexpr std::uint64_t optional_resultset_metadata = 1ULL << 25;
inline constexpr std::uint64_t zstd_compression_algorithm = 1ULL << 26;
inline constexpr std::uint64_t query_attributes = 1ULL << 27;
inline constexpr std::uint64_t multi_factor_authentication = 1ULL << 28;
inline constexpr std::uint64_t capability_extension = 1ULL << 29;
inline constexpr std::uint64_t ssl_verify_server_cert = 1ULL << 30;
inline constexpr std::uint64_t remember_options = 1ULL << 31;
}  // namespace cap

/// MariaDB extended capabilities: the "server capabilities 3rd part" of HandshakeV10 and the
/// last 4 filler bytes of HandshakeResponse41, present only when CLIENT_MYSQL is unset.
/// Shifted into the high half of the 64-bit capability word.
namespace mariadb_cap {
inline constexpr std::uint64_t progress = 1ULL << 32;
inline constexpr std::uint64_t com_multi = 1ULL << 33;   // reserved, never use
inline constexpr std::uint64_t stmt_bulk_operations = 1ULL << 34;
inline constexpr std::uint64_t extended_metadata = 1ULL << 35;   // changes ColumnDefinition41: not supported here
inline constexpr std::uint64_t cache_metadata = 1ULL << 36;      // a flag in result set headers: metadata left out
inline constexpr std::uint64_t bulk_unit_results = 1ULL << 37;
}  // namespace mariadb_cap

/// Server status flags (SERVER_*), carried by OK and EOF packets: the public definitions.
namespace status = uvmysql::server_status;

}  // namespace uvmysql::detail
