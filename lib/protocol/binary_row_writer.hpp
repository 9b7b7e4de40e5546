// SPDX-License-Identifier: MIT
// The server's side of binary rows and PREPARE_OK, for the fake server and round-trip tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.hpp"
#include "protocol/stmt_prepare_response.hpp"
#include "uvmysql/column.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// Appends COM_STMT_PREPARE_OK (the 12-byte form, with the warning count).
void serialize_stmt_prepare_ok(std::vector<std::uint8_t>& out, const StmtPrepareOk& ok);

/// Appends a binary result row of `values` laid out for `columns` (one Value each): 0x00, the
/// NULL bitmap with its offset of 2, then each non-NULL value in its column's layout. Integers
/// must fit the column's width and signedness, FLOAT/DOUBLE take any float or double, DATE
/// takes a Date, DATETIME/TIMESTAMP a DateTime, TIME a Time, and temporal columns also a text
/// zero date ("0000-00-00...", sent as the 0-byte form); the other columns take text, bytes or
/// a Decimal. Anything else is a ProgrammingError and nothing is appended.
[[nodiscard]] Status serialize_binary_row(std::vector<std::uint8_t>& out, std::span<const ColumnInfo> columns,
                                          std::span<const Value> values);

}  // namespace uvmysql::detail
