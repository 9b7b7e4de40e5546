// SPDX-License-Identifier: MIT
// BinaryRowDecoder: binary rows of one result set -> the same Values the text protocol gives.
#include "protocol/binary_row_decoder.hpp"

#include "protocol/binary_field.hpp"
#include "protocol/binary_row.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::uint64_t max_text_hours = 999'999'999;   // Time::parse reads at most 9 digits

bool is_integer_wire(BinaryWire w) noexcept {
    return w == BinaryWire::int1 || w == BinaryWire::int2 || w == BinaryWire::int4 || w == BinaryWire::int8;
}

// The value of a field whose binary form maps straight onto the Value the text rule gives;
// false when the field must go through its text instead (FLOAT, fixed decimals, invalid or
// zero temporal values, and any type/plan pairing not listed).
template <class Emit>
bool decode_direct(DecodeAs as, const ColumnInfo& column, const FieldView& field, Emit&& emit) {
    const Bytes b = field.bytes();
    const BinaryWire wire = binary_wire(column.type);
    switch (as) {
        case DecodeAs::null: emit(nullptr); return true;
        case DecodeAs::int64:
            if (!is_integer_wire(wire)) return false;
            // YEAR is unsigned on the wire but a plain int in the text rule.
            emit(column.type == FieldType::year ? static_cast<std::int64_t>(binary_unsigned(b)) : binary_signed(b));
            return true;
        case DecodeAs::uint64:
            if (!is_integer_wire(wire)) return false;
            emit(binary_unsigned(b));
            return true;
        case DecodeAs::float64:
            // The text protocol rounds FLOAT to 6 digits, and fixed decimals to that many.
            if (wire != BinaryWire::float8 || column.decimals < not_fixed_decimals) return false;
            emit(binary_floating(b));
            return true;
        case DecodeAs::date: {
            if (wire != BinaryWire::date_time) return false;
            const BinaryDateTime t = binary_date_time(b);
            const Date d{t.year, t.month, t.day};
            if (!d.is_valid()) return false;
            emit(d);
            return true;
        }
        case DecodeAs::datetime: {
            if (wire != BinaryWire::date_time) return false;
            const BinaryDateTime t = binary_date_time(b);
            const DateTime dt{t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond};
            if (!dt.is_valid()) return false;
            emit(dt);
            return true;
        }
        case DecodeAs::time: {
            if (wire != BinaryWire::time) return false;
            const BinaryTime t = binary_time(b);
            if (t.minute > 59 || t.second > 59 || t.microsecond > 999'999 || t.hours > max_text_hours) return false;
            emit(Time::from_parts(t.negative, static_cast<std::int64_t>(t.hours), t.minute, t.second,
                                  static_cast<std::int64_t>(t.microsecond)));
            return true;
        }
        case DecodeAs::text:
            if (wire != BinaryWire::lenenc) return false;
            emit(as_string_view(b));
            return true;
        case DecodeAs::bytes:
            if (wire != BinaryWire::lenenc) return false;
            emit(uvmysql::Bytes(b));
            return true;
        case DecodeAs::decimal: return false;   // the text rule validates it: same outcome
    }
    return false;
}

}  // namespace

Status decode_binary_field(const ColumnInfo& column, const FieldView& field, bool use_unicode, Value& out) {
    if (field.is_null) {
        out = Value();
        return {};
    }
    const DecodeAs as = decode_plan(column, use_unicode);
    if (decode_direct(as, column, field, [&](auto&& v) { out = Value(std::forward<decltype(v)>(v)); })) return {};
    std::string text;
    append_binary_field_text(text, column, field);
    if (decode_builtin(as, text, out)) return {};
    return bad_field(column, text);
}

void BinaryRowDecoder::reset(bool use_unicode, const Converters* converters,
                             const std::shared_ptr<const std::vector<ColumnInfo>>& columns) {
    if (columns == columns_ && use_unicode == use_unicode_) return;
    decoders_.clear();
    decoders_.reserve(columns->size());
    for (const ColumnInfo& col : *columns) decoders_.emplace_back(col, use_unicode, converters);
    fields_.resize(columns->size());
    columns_ = columns;
    use_unicode_ = use_unicode;
}

std::span<const ColumnInfo> BinaryRowDecoder::columns() const noexcept {
    if (!columns_) return {};
    return *columns_;
}

bool BinaryRowDecoder::append(std::size_t i, const FieldView& field, std::vector<Value>& out, Status& error) {
    const ColumnDecoder& decoder = decoders_[i];
    const ColumnInfo& column = (*columns_)[i];
    if (field.is_null) {
        out.emplace_back();
        return true;
    }
    if (!decoder.has_custom() &&
        decode_direct(decoder.plan(), column, field, [&](auto&& v) { out.emplace_back(std::forward<decltype(v)>(v)); })) {
        return true;
    }
    text_.clear();
    append_binary_field_text(text_, column, field);
    return decoder.append(text_, false, out, error);
}

bool BinaryRowDecoder::decode(std::span<const FieldView> fields, std::vector<Value>& out, Status& error) {
    out.clear();
    out.reserve(fields.size());
    bool ok = true;
    for (std::size_t i = 0; i < fields.size() && i < decoders_.size(); ++i) ok &= append(i, fields[i], out, error);
    return ok;
}

Status BinaryRowDecoder::decode_row(Bytes payload, std::vector<Value>& out, Status& field_error) {
    if (Status st = parse_binary_row(payload, columns(), fields_); !st.ok()) return st;
    decode(fields_, out, field_error);
    return {};
}

}  // namespace uvmysql::detail
