// SPDX-License-Identifier: MIT
// Text-protocol field decoding (PyMySQL's converters): the text of one field -> Value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "uvmysql/column.hpp"
#include "uvmysql/converters.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// What the built-in rules make of a column (decided once per column, not per field).
enum class DecodeAs : std::uint8_t {
    null,       // MYSQL_TYPE_NULL
    int64,      // TINY, SHORT, LONG, INT24, LONGLONG (signed), YEAR
    uint64,     // the same, UNSIGNED
    float64,    // FLOAT, DOUBLE
    decimal,    // DECIMAL, NEWDECIMAL
    date,       // DATE, NEWDATE
    datetime,   // DATETIME, TIMESTAMP (and their *2 internal codes)
    time,       // TIME, TIME2
    text,       // strings with a non-binary collation, ENUM, SET, JSON (use_unicode)
    bytes,      // binary strings, BIT, GEOMETRY, unknown types, any string when !use_unicode
};

/// The built-in rule for `column` (PyMySQL's decoders + its use_unicode/charset handling).
[[nodiscard]] DecodeAs decode_plan(const ColumnInfo& column, bool use_unicode) noexcept;

/// Decodes a non-NULL field with a built-in rule. Returns false (and leaves `out` unspecified)
/// only when a number is not a number; temporal values that do not parse become text.
[[nodiscard]] bool decode_builtin(DecodeAs as, std::string_view text, Value& out);
/// The same, appending the value to `out` (built in place: the row decoding hot path).
/// Returns false, appending nothing, when a number is not a number.
[[nodiscard]] bool append_builtin(DecodeAs as, std::string_view text, std::vector<Value>& out);

/// Decodes the text of one non-NULL field of `column` with the built-in rules.
/// Garbage in a numeric column is a Status of errno cr::malformed_packet, ClientKind::data
/// (DataError): the packet framing is intact, the value is not.
[[nodiscard]] Status decode_text_field(const ColumnInfo& column, std::string_view text, bool use_unicode,
                                       Value& out);
[[nodiscard]] Status decode_text_field(const ColumnInfo& column, std::span<const std::uint8_t> text,
                                       bool use_unicode, Value& out);
/// The same, honouring the overrides in `converters` (an exception thrown by a user converter
/// becomes a Status of its class, or ClientKind::data for non-uvmysql exceptions).
[[nodiscard]] Status decode_text_field(const ColumnInfo& column, std::string_view text, bool use_unicode,
                                       const Converters& converters, Value& out);

/// The decoder of one column of a result set, prepared once and used for every row: the hot
/// path of buffered and streamed reads. Keeps pointers to `column` and to the converter, which
/// must outlive it (the result set's shared Columns and the connection's Converters do).
class ColumnDecoder {
public:
    ColumnDecoder() = default;
    ColumnDecoder(const ColumnInfo& column, bool use_unicode, const Converters* converters = nullptr) noexcept;

    /// Decodes a non-NULL field into `out`. On failure returns false and sets `error`.
    [[nodiscard]] bool decode(std::string_view text, Value& out, Status& error) const {
        if (custom_ == nullptr && decode_builtin(as_, text, out)) return true;
        return decode_slow(text, out, error);
    }
    /// Decodes a field: `null` gives NULL.
    [[nodiscard]] bool decode(std::string_view text, bool null, Value& out, Status& error) const {
        if (null) {
            out = Value();
            return true;
        }
        return decode(text, out, error);
    }
    /// Appends the decoded field to `out` (NULL when `null`). A field that does not decode
    /// appends NULL, records the failure in `error` unless it already holds one, and returns false.
    [[nodiscard]] bool append(std::string_view text, bool null, std::vector<Value>& out, Status& error) const {
        if (null) {
            out.emplace_back();
            return true;
        }
        if (custom_ == nullptr && append_builtin(as_, text, out)) return true;
        return append_slow(text, out, error);
    }
    [[nodiscard]] DecodeAs plan() const noexcept { return as_; }
    [[nodiscard]] bool has_custom() const noexcept { return custom_ != nullptr; }

private:
    bool decode_slow(std::string_view text, Value& out, Status& error) const;
    bool append_slow(std::string_view text, std::vector<Value>& out, Status& error) const;

    const ColumnInfo* column_ = nullptr;
    const Converter* custom_ = nullptr;
    DecodeAs as_ = DecodeAs::bytes;
};

/// The Status for a field that did not decode as its column type.
[[nodiscard]] Status bad_field(const ColumnInfo& column, std::string_view text);

}  // namespace uvmysql::detail
