// SPDX-License-Identifier: MIT
// Test helpers for the binary protocol: column definitions and hand-made binary rows.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hex.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::test {

inline constexpr std::uint16_t utf8mb4_general_ci = 45;

/// A column of `type` with the given flags, collation and decimals.
inline ColumnInfo column(FieldType type, std::uint16_t flags = 0, std::uint16_t collation = utf8mb4_general_ci,
                         std::uint8_t decimals = 0, std::uint32_t length = 0) {
    ColumnInfo c;
    c.name = "c";
    c.type = type;
    c.flags = flags;
    c.collation = collation;
    c.decimals = decimals;
    c.length = length;
    return c;
}

/// An UNSIGNED integer column.
inline ColumnInfo unsigned_column(FieldType type) {
    return column(type, column_flag::unsigned_, binary_collation);
}

/// A binary row: 0x00, the NULL bitmap (offset 2) and the wire bytes of each non-NULL field
/// (std::nullopt: NULL), concatenated.
inline std::vector<std::uint8_t> binary_row(const std::vector<std::optional<std::vector<std::uint8_t>>>& fields) {
    std::vector<std::uint8_t> out{0x00};
    const std::size_t bitmap = out.size();
    out.resize(out.size() + (fields.size() + 9) / 8, 0);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!fields[i]) {
            out[bitmap + (i + 2) / 8] |= static_cast<std::uint8_t>(1u << ((i + 2) % 8));
        } else {
            out.insert(out.end(), fields[i]->begin(), fields[i]->end());
        }
    }
    return out;
}

}  // namespace uvmysql::test
