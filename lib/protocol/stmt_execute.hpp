// SPDX-License-Identifier: MIT
// COM_STMT_EXECUTE: a prepared statement's id, cursor flags, null bitmap, types and values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// COM_STMT_EXECUTE flags: the cursor the server opens for the result (enum_cursor_type).
namespace cursor_type {
inline constexpr std::uint8_t no_cursor = 0x00;
inline constexpr std::uint8_t read_only = 0x01;     // rows then come with COM_STMT_FETCH
inline constexpr std::uint8_t for_update = 0x02;
inline constexpr std::uint8_t scrollable = 0x04;
}  // namespace cursor_type

/// The most placeholders a statement can have: PREPARE_OK counts them in an int<2>.
inline constexpr std::size_t max_statement_params = 0xFFFF;

/// What one COM_STMT_EXECUTE carries.
struct StmtExecuteRequest {
    std::uint32_t statement_id = 0;
    std::uint8_t flags = cursor_type::no_cursor;
    /// One Value per placeholder, in order (the caller checks the count against PREPARE_OK's).
    std::span<const Value> params;
    /// Non-zero for each parameter whose value was sent with COM_STMT_SEND_LONG_DATA: its type
    /// is sent (from its Value, which only needs the right kind; NULL means BLOB), its value and
    /// NULL bit are not. Empty: none.
    std::span<const std::uint8_t> long_data;
    /// The new-params-bound flag: send the parameter types. Required on a statement's first
    /// execute and whenever a type differs from the previous execute's; always sending is valid.
    bool send_types = true;
};

/// Appends COM_STMT_EXECUTE: 0x17, int<4> statement id, int<1> flags, int<4> iteration count
/// (always 1), then with parameters: the NULL bitmap ((n + 7) / 8 bytes, bit i for parameter
/// i), int<1> new-params-bound, the types (int<2> each, when bound) and the non-NULL values.
/// More than max_statement_params parameters, a long_data span of another size, or a value
/// that cannot be encoded is a ProgrammingError, and then nothing is appended.
[[nodiscard]] Status serialize_com_stmt_execute(std::vector<std::uint8_t>& out, const StmtExecuteRequest& req);

}  // namespace uvmysql::detail
