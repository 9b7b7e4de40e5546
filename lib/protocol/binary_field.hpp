// SPDX-License-Identifier: MIT
// One field of a binary row: its number, temporal parts, and the text the text protocol sends.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/binary_row.hpp"
#include "protocol/bytes.hpp"
#include "protocol/text_row.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::detail {

/// Decimals at or above this mean "not fixed" (NOT_FIXED_DEC): FLOAT and DOUBLE columns
/// without (M,D) report 31.
inline constexpr std::uint8_t not_fixed_decimals = 31;

/// The parts of a DATE, DATETIME or TIMESTAMP value; those the 0/4/7-byte forms omit are 0.
struct BinaryDateTime {
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int microsecond = 0;
};

/// The parts of a TIME value, days folded into the hours (which may exceed 24).
struct BinaryTime {
    bool negative = false;
    std::uint64_t hours = 0;
    int minute = 0;
    int second = 0;
    std::uint32_t microsecond = 0;
};

/// A little-endian integer of 1..8 bytes, zero-extended.
[[nodiscard]] std::uint64_t binary_unsigned(Bytes b) noexcept;
/// A little-endian integer of 1..8 bytes, sign-extended.
[[nodiscard]] std::int64_t binary_signed(Bytes b) noexcept;
/// A 4-byte FLOAT (widened exactly) or an 8-byte DOUBLE.
[[nodiscard]] double binary_floating(Bytes b) noexcept;
/// The bytes after a DATE/DATETIME/TIMESTAMP length byte (0, 4, 7 or 11 of them).
[[nodiscard]] BinaryDateTime binary_date_time(Bytes b) noexcept;
/// The bytes after a TIME length byte (0, 8 or 12 of them).
[[nodiscard]] BinaryTime binary_time(Bytes b) noexcept;

/// Appends the text the text protocol carries for this non-NULL field of `column` (split by
/// parse_binary_row): integers in decimal (ZEROFILL padded to the display width), FLOAT with 6
/// significant digits and DOUBLE in its shortest form (or each with the column's fixed
/// decimals), temporal values as "YYYY-MM-DD hh:mm:ss.ffffff" with the column's fractional
/// digits, strings, DECIMAL, BIT... as their bytes. Converters receive this text, and the
/// binary decoder uses it for values whose text rule it must follow exactly (FLOAT, invalid
/// dates). FLOAT's text may use an exponent where the server writes all digits: same number.
void append_binary_field_text(std::string& out, const ColumnInfo& column, const FieldView& field);

}  // namespace uvmysql::detail
