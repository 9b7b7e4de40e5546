// SPDX-License-Identifier: MIT
// Converters: the replaceable per-column-type decoders of text-protocol fields (aiomysql's `conv`).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "uvmysql/column.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

/// A user decoder: turns the text of one non-NULL field (exactly the bytes the server sent, in
/// the connection charset) into a Value. NULL fields never reach a converter.
/// It may throw a uvmysql::Error (e.g. DataError) to fail the fetch with that class; any other
/// exception fails it with DataError. It runs on the loop thread, once per field: keep it cheap.
using Converter = std::function<Value(const ColumnInfo& column, std::string_view text)>;

/// Per-column-type decoder overrides. Types without an override use the built-in rules
/// (see docs/values.md and default_convert()). Copying is cheap for a handful of overrides.
/// ```
/// uvmysql::Converters conv;
/// conv.set(uvmysql::FieldType::newdecimal, [](const uvmysql::ColumnInfo&, std::string_view s) {
///     return uvmysql::Value(uvmysql::Decimal(s).to_double());   // DECIMAL -> double
/// });
/// opt.conv = conv;
/// ```
class UVMYSQL_API Converters {
public:
    /// No overrides: every type decodes with the built-in rules.
    Converters() = default;

    /// Uses `fn` for every column of wire type `type` (an empty `fn` removes the override).
    Converters& set(FieldType type, Converter fn);
    /// Back to the built-in rule for `type`.
    Converters& reset(FieldType type);
    /// The override for `type`, or nullptr when the built-in rule applies.
    [[nodiscard]] const Converter* find(FieldType type) const noexcept {
        const auto slot = slot_[static_cast<std::uint8_t>(type)];
        return slot == 0 ? nullptr : &fns_[slot - 1];
    }
    /// True when nothing is overridden.
    [[nodiscard]] bool empty() const noexcept;

private:
    std::array<std::uint16_t, 256> slot_{};   // 0: built-in, n: fns_[n - 1]
    std::vector<Converter> fns_;
};

/// The built-in decoding of one non-NULL text-protocol field, for converters that want to fall
/// back to it: integer types -> int64 (uint64 when UNSIGNED), FLOAT/DOUBLE -> double,
/// DECIMAL -> Decimal, DATE -> Date, DATETIME/TIMESTAMP -> DateTime, TIME -> Time (invalid or
/// zero temporal values -> text), BIT/GEOMETRY/binary strings -> Bytes, other strings -> text
/// (Bytes when `use_unicode` is false), NULL type -> NULL.
/// Throws DataError when a numeric field is not a number.
[[nodiscard]] UVMYSQL_API Value default_convert(const ColumnInfo& column, std::string_view text, bool use_unicode = true);

}  // namespace uvmysql
