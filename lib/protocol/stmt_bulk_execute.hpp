// SPDX-License-Identifier: MIT
// MariaDB's COM_STMT_BULK_EXECUTE: one prepared statement run over many parameter rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.hpp"
#include "protocol/binary_param.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// The command byte (MariaDB 10.2.7+, when the server offers mariadb_cap::stmt_bulk_operations).
inline constexpr std::uint8_t com_stmt_bulk_execute = 0xFA;

/// COM_STMT_BULK_EXECUTE flags.
namespace bulk_flag {
inline constexpr std::uint16_t send_unit_results = 64;   // MARIADB_CLIENT_BULK_UNIT_RESULTS servers only
inline constexpr std::uint16_t send_types = 128;         // types follow the flags (always set here)
}  // namespace bulk_flag

/// The byte before each parameter of each row.
namespace bulk_indicator {
inline constexpr std::uint8_t none = 0;       // a value follows
inline constexpr std::uint8_t null = 1;
inline constexpr std::uint8_t default_ = 2;   // the column's default (INSERT/UPDATE)
inline constexpr std::uint8_t ignore = 3;
}  // namespace bulk_indicator

/// What one COM_STMT_BULK_EXECUTE carries.
struct StmtBulkExecuteRequest {
    std::uint32_t statement_id = 0;
    /// bulk_flag bits besides send_types, which is always sent.
    std::uint16_t flags = 0;
    /// The statement's placeholder count (from PREPARE_OK): every row must have that many values.
    std::size_t param_count = 0;
    /// The parameter rows.
    std::span<const std::vector<Value>> rows;
    /// What bulk_param_types() gave for these rows (or for a batch they begin): empty, the
    /// serializer works them out itself.
    std::span<const ParamType> types;
};

/// The type each parameter is sent as across all `rows`: that of its non-NULL values, which
/// must agree (integers of mixed kinds become LONGLONG, unsigned when a value exceeds INT64_MAX;
/// float and double are both DOUBLE); NULL when every row has NULL. A disagreement (text in
/// one row, a number in another), a list, or a negative integer beside one above INT64_MAX
/// is a ProgrammingError: the caller then executes row by row instead.
[[nodiscard]] Status bulk_param_types(std::span<const std::vector<Value>> rows, std::size_t param_count,
                                      std::vector<ParamType>& out);

/// Appends COM_STMT_BULK_EXECUTE: 0xFA, int<4> statement id, int<2> flags, int<2> type per
/// parameter, then per row per parameter an indicator byte (none/null) and, for none, the
/// binary value. As many leading rows as keep the payload within `max_payload` bytes are
/// written; `rows_written` says how many (the caller sends the rest in the next command).
/// Errors (nothing appended): no rows or no parameters, a row with the wrong number of values,
/// types that bulk_param_types refuses (ProgrammingError), or a first row that alone exceeds
/// `max_payload` (cr::net_packet_too_large).
[[nodiscard]] Status serialize_com_stmt_bulk_execute(std::vector<std::uint8_t>& out, const StmtBulkExecuteRequest& req,
                                                     std::size_t max_payload, std::size_t& rows_written);

}  // namespace uvmysql::detail
