// SPDX-License-Identifier: MIT
// Binary-protocol result rows (ProtocolBinary::ResultsetRow), split into fields without allocating.
#pragma once

#include <cstddef>
#include <span>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "protocol/text_row.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::detail {

/// How a column's values are laid out in a binary row.
enum class BinaryWire : std::uint8_t {
    int1,        // TINY
    int2,        // SHORT, YEAR
    int4,        // INT24, LONG
    int8,        // LONGLONG
    float4,      // FLOAT
    float8,      // DOUBLE
    date_time,   // DATE, DATETIME, TIMESTAMP: int<1> length (0, 4, 7 or 11) + that many bytes
    time,        // TIME: int<1> length (0, 8 or 12) + that many bytes
    none,        // NULL: only ever in the NULL bitmap
    lenenc,      // everything else (strings, blobs, DECIMAL, BIT, JSON, GEOMETRY, ENUM, SET...)
};

/// The layout of `type`'s values; a type this client does not know is a lenenc string.
[[nodiscard]] BinaryWire binary_wire(FieldType type) noexcept;

/// Bytes of a binary row's NULL bitmap for `columns` columns: bit i + 2 is column i.
[[nodiscard]] constexpr std::size_t binary_row_null_bitmap_size(std::size_t columns) noexcept {
    return (columns + 7 + 2) / 8;
}

/// Splits a binary row into exactly columns.size() fields, one per column (`out` has the
/// same size; it is the caller's reused array, so nothing is allocated): the 0x00 header, the
/// NULL bitmap, then each non-NULL value. A field's view holds the value's bytes: the 1/2/4/8
/// bytes of a number, the 0..11 bytes after a temporal value's length byte, or a lenenc
/// string's content. A wrong header, a temporal length other than those the protocol defines,
/// a value running past the payload or bytes left after the last one is cr::malformed_packet.
Status parse_binary_row(Bytes payload, std::span<const ColumnInfo> columns, std::span<FieldView> out);

}  // namespace uvmysql::detail
