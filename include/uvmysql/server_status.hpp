// SPDX-License-Identifier: MIT
// Server status flags (SERVER_STATUS_*), as OK and EOF packets report them.
#pragma once

#include <cstdint>

namespace uvmysql {

/// Server status flags (SERVER_STATUS_*), as reported after every statement.
namespace server_status {
inline constexpr std::uint16_t in_trans = 1;
inline constexpr std::uint16_t autocommit = 2;
inline constexpr std::uint16_t more_results_exists = 8;
inline constexpr std::uint16_t no_good_index_used = 16;
inline constexpr std::uint16_t no_index_used = 32;
inline constexpr std::uint16_t cursor_exists = 64;
inline constexpr std::uint16_t last_row_sent = 128;
inline constexpr std::uint16_t db_dropped = 256;
inline constexpr std::uint16_t no_backslash_escapes = 512;
inline constexpr std::uint16_t metadata_changed = 1024;
inline constexpr std::uint16_t query_was_slow = 2048;
inline constexpr std::uint16_t ps_out_params = 4096;
inline constexpr std::uint16_t in_trans_readonly = 8192;
inline constexpr std::uint16_t session_state_changed = 16384;
}  // namespace server_status

}  // namespace uvmysql
