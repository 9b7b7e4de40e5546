// SPDX-License-Identifier: MIT
// BinaryRowDecoder: binary rows of one result set -> the same Values the text protocol gives.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "protocol/text_row.hpp"
#include "uvmysql/value.hpp"
#include "values/text_decoder.hpp"

namespace uvmysql::detail {

/// Decodes one non-NULL field of a binary row (as parse_binary_row split it) with the built-in
/// rules, giving the Value the text protocol gives for the same column and value: integers by
/// the UNSIGNED flag, FLOAT/DOUBLE as the number of the server's text, DECIMAL exact, valid
/// dates and times as Date/DateTime/Time and invalid or zero ones as their text, strings as
/// text or bytes by collation and use_unicode. Only an invalid DECIMAL text fails (DataError).
[[nodiscard]] Status decode_binary_field(const ColumnInfo& column, const FieldView& field, bool use_unicode,
                                         Value& out);

/// The per-column decoders of the current binary result set, prepared once per set: the
/// binary twin of RowDecoder, with the same inputs (use_unicode, the converters). A column
/// with a user converter gets the field's text as the text protocol would carry it
/// (append_binary_field_text), so converters behave alike on both protocols.
class BinaryRowDecoder {
public:
    /// Prepares for a result set, with the connection's use_unicode and converters (null: none).
    void reset(bool use_unicode, const Converters* converters,
               const std::shared_ptr<const std::vector<ColumnInfo>>& columns);
    /// The columns the decoder was prepared for.
    [[nodiscard]] std::span<const ColumnInfo> columns() const noexcept;

    /// Decodes one row split by parse_binary_row over the same columns into `out` (resized to
    /// the column count). A field that does not decode becomes NULL and the first such failure
    /// is kept in `error`; returns false if any failed.
    bool decode(std::span<const FieldView> fields, std::vector<Value>& out, Status& error);

    /// parse_binary_row + decode: a malformed row is the returned Status (the stream cannot be
    /// trusted); a field that does not decode is reported in `field_error` as decode() does.
    Status decode_row(Bytes payload, std::vector<Value>& out, Status& field_error);

private:
    bool append(std::size_t i, const FieldView& field, std::vector<Value>& out, Status& error);

    bool use_unicode_ = true;
    std::shared_ptr<const std::vector<ColumnInfo>> columns_;   // what decoders_ point into
    std::vector<ColumnDecoder> decoders_;
    std::vector<FieldView> fields_;   // decode_row's reused split
    std::string text_;                // reused for fields that go through their text
};

}  // namespace uvmysql::detail
