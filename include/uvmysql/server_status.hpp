// SPDX-License-Identifier: MIT
// Server status flags (SERVER_STATUS_*), as OK and EOF packets report them.
#pragma once

#include <cstdint>

namespace uvmysql {

/// Server status flags (SERVER_STATUS_*), as reported after every statement.
namespace server_status {
/// A transaction is active (Connection::in_transaction()).
inline constexpr std::uint16_t in_trans = 1;
/// Autocommit mode is on (Connection::get_autocommit()).
inline constexpr std::uint16_t autocommit = 2;
/// Another result set follows this one (multi-statements, CALL).
inline constexpr std::uint16_t more_results_exists = 8;
/// The statement found no good index to use.
inline constexpr std::uint16_t no_good_index_used = 16;
/// The statement used no index (a full table scan).
inline constexpr std::uint16_t no_index_used = 32;
/// A server-side cursor was opened (binary protocol; uvmysql does not use it).
inline constexpr std::uint16_t cursor_exists = 64;
/// The last row of a server-side cursor was sent.
inline constexpr std::uint16_t last_row_sent = 128;
/// The current database was dropped.
inline constexpr std::uint16_t db_dropped = 256;
/// sql_mode NO_BACKSLASH_ESCAPES is on: a backslash is an ordinary character, and uvmysql's
/// escaping (Connection::literal(), query parameters) only doubles single quotes.
inline constexpr std::uint16_t no_backslash_escapes = 512;
/// A prepared statement's result set metadata changed.
inline constexpr std::uint16_t metadata_changed = 1024;
/// The statement took longer than long_query_time.
inline constexpr std::uint16_t query_was_slow = 2048;
/// The result set holds a stored procedure's OUT parameters (binary protocol).
inline constexpr std::uint16_t ps_out_params = 4096;
/// The active transaction is READ ONLY.
inline constexpr std::uint16_t in_trans_readonly = 8192;
/// Session state changed (a system variable, the current database...): the OK packet carries
/// the details.
inline constexpr std::uint16_t session_state_changed = 16384;
}  // namespace server_status

}  // namespace uvmysql
