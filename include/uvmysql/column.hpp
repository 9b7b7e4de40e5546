// SPDX-License-Identifier: MIT
// Column metadata of a result set: the wire type codes, flags and one column's definition.
#pragma once

#include <cstdint>
#include <string>

#include "uvmysql/export.hpp"

namespace uvmysql {

/// MySQL protocol field types (enum_field_types), the `type_code` of a cursor description.
enum class FieldType : std::uint8_t {
    decimal = 0,
    tiny = 1,
    short_ = 2,
    long_ = 3,
    float_ = 4,
    double_ = 5,
    null = 6,
    timestamp = 7,
    longlong = 8,
    int24 = 9,
    date = 10,
    time = 11,
    datetime = 12,
    year = 13,
    newdate = 14,
    varchar = 15,
    bit = 16,
    timestamp2 = 17,
    datetime2 = 18,
    time2 = 19,
    json = 245,
    newdecimal = 246,
    enum_ = 247,
    set = 248,
    tiny_blob = 249,
    medium_blob = 250,
    long_blob = 251,
    blob = 252,
    var_string = 253,
    string = 254,
    geometry = 255,
};

/// Column definition flags (the `flags` field of ColumnDefinition41).
namespace column_flag {
/// The column is NOT NULL (ColumnInfo::is_nullable() is false).
inline constexpr std::uint16_t not_null = 1;
/// The column is part of the primary key.
inline constexpr std::uint16_t pri_key = 2;
/// The column is part of a unique key.
inline constexpr std::uint16_t unique_key = 4;
/// The column is part of a non-unique index.
inline constexpr std::uint16_t multiple_key = 8;
/// A BLOB or TEXT column.
inline constexpr std::uint16_t blob = 16;
/// An UNSIGNED number (ColumnInfo::is_unsigned()); UNSIGNED integers decode to Kind::uint64.
inline constexpr std::uint16_t unsigned_ = 32;
/// A ZEROFILL number.
inline constexpr std::uint16_t zerofill = 64;
/// A binary string or a binary collation (ColumnInfo::is_binary() checks the collation).
inline constexpr std::uint16_t binary = 128;
/// An ENUM column.
inline constexpr std::uint16_t enum_ = 256;
/// An AUTO_INCREMENT column.
inline constexpr std::uint16_t auto_increment = 512;
/// A TIMESTAMP column.
inline constexpr std::uint16_t timestamp = 1024;
/// A SET column.
inline constexpr std::uint16_t set = 2048;
}  // namespace column_flag

/// The collation id MySQL uses for binary data ("binary" charset).
inline constexpr std::uint16_t binary_collation = 63;

/// One column of a result set, as the server described it (ColumnDefinition41).
struct UVMYSQL_API ColumnInfo {
    /// Always "def".
    std::string catalog;     // always "def"
    /// The database of the table the column comes from (empty for computed columns).
    std::string schema;      // database
    /// The table's alias in the statement (DictCursor's "table.name" keys use it).
    std::string table;       // table alias
    /// The physical table name.
    std::string org_table;   // physical table
    /// The column's alias, as the result set names it: what Row::at("name") and DictCursor key on.
    std::string name;        // column alias, what DictCursor keys on
    /// The physical column name (empty for computed columns).
    std::string org_name;    // physical column
    /// Character set / collation id of the column; binary_collation (63) for binary data.
    std::uint16_t collation = 0;   // character set / collation id (63 = binary)
    /// Maximum display length in bytes.
    std::uint32_t length = 0;      // maximum display length in bytes
    /// The wire type code, which decides how values are decoded.
    FieldType type = FieldType::null;
    /// column_flag bits.
    std::uint16_t flags = 0;       // column_flag bits
    /// Digits after the decimal point (DECIMAL, FLOAT, DOUBLE) or fractional-second digits
    /// (TIME, DATETIME, TIMESTAMP).
    std::uint8_t decimals = 0;

    /// True for UNSIGNED numbers (column_flag::unsigned_).
    [[nodiscard]] bool is_unsigned() const noexcept { return flags & column_flag::unsigned_; }
    /// True unless the column is NOT NULL (column_flag::not_null).
    [[nodiscard]] bool is_nullable() const noexcept { return !(flags & column_flag::not_null); }
    /// True for binary strings (BINARY, VARBINARY, BLOB): they decode to bytes, not text.
    [[nodiscard]] bool is_binary() const noexcept { return collation == binary_collation; }
};

}  // namespace uvmysql
