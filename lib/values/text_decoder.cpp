// SPDX-License-Identifier: MIT
// Text-protocol field decoding: PyMySQL's decoders and its charset/use_unicode rules.
#include "values/text_decoder.hpp"

#include <exception>

#include "common/status_error.hpp"
#include "uvmysql/error.hpp"
#include "values/number_text.hpp"

namespace uvmysql::detail {

namespace {

// Strings of the binary charset, and every string when use_unicode is off, stay bytes.
DecodeAs string_plan(const ColumnInfo& column, bool use_unicode) noexcept {
    return (use_unicode && !column.is_binary()) ? DecodeAs::text : DecodeAs::bytes;
}

const char* type_name(FieldType t) noexcept {
    switch (t) {
        case FieldType::tiny: return "TINYINT";
        case FieldType::short_: return "SMALLINT";
        case FieldType::long_: return "INT";
        case FieldType::int24: return "MEDIUMINT";
        case FieldType::longlong: return "BIGINT";
        case FieldType::year: return "YEAR";
        case FieldType::float_: return "FLOAT";
        case FieldType::double_: return "DOUBLE";
        case FieldType::decimal:
        case FieldType::newdecimal: return "DECIMAL";
        default: return "its type";
    }
}

}  // namespace

DecodeAs decode_plan(const ColumnInfo& column, bool use_unicode) noexcept {
    switch (column.type) {
        case FieldType::tiny:
        case FieldType::short_:
        case FieldType::long_:
        case FieldType::int24:
        case FieldType::longlong: return column.is_unsigned() ? DecodeAs::uint64 : DecodeAs::int64;
        // YEAR columns carry the UNSIGNED and ZEROFILL flags, yet PyMySQL gives a plain int.
        case FieldType::year: return DecodeAs::int64;
        case FieldType::float_:
        case FieldType::double_: return DecodeAs::float64;
        case FieldType::decimal:
        case FieldType::newdecimal: return DecodeAs::decimal;
        case FieldType::date:
        case FieldType::newdate: return DecodeAs::date;
        case FieldType::datetime:
        case FieldType::datetime2:
        case FieldType::timestamp:
        case FieldType::timestamp2: return DecodeAs::datetime;
        case FieldType::time:
        case FieldType::time2: return DecodeAs::time;
        case FieldType::null: return DecodeAs::null;
        // MySQL sends JSON with the binary collation although the document is utf8mb4 text.
        case FieldType::json: return use_unicode ? DecodeAs::text : DecodeAs::bytes;
        case FieldType::varchar:
        case FieldType::var_string:
        case FieldType::string:
        case FieldType::enum_:
        case FieldType::set:
        case FieldType::tiny_blob:
        case FieldType::medium_blob:
        case FieldType::long_blob:
        case FieldType::blob: return string_plan(column, use_unicode);
        case FieldType::bit:
        case FieldType::geometry: return DecodeAs::bytes;
    }
    return DecodeAs::bytes;   // a type code this client does not know: keep the raw bytes
}

namespace {

/// The built-in rules; `emit(x)` stores the Value made from x.
template <class Emit>
bool decode_with(DecodeAs as, std::string_view text, Emit&& emit) {
    switch (as) {
        case DecodeAs::null: emit(nullptr); return true;
        case DecodeAs::int64: {
            std::int64_t i = 0;
            if (!parse_integer(text, i)) return false;
            emit(i);
            return true;
        }
        case DecodeAs::uint64: {
            std::uint64_t u = 0;
            if (!parse_integer(text, u)) return false;
            emit(u);
            return true;
        }
        case DecodeAs::float64: {
            double d = 0;
            if (!parse_double(text, d)) return false;
            emit(d);
            return true;
        }
        case DecodeAs::decimal: {
            auto d = Decimal::parse(text);
            if (!d) return false;
            emit(std::move(*d));
            return true;
        }
        // Temporal values that are not valid (zero dates, 2021-02-30...) come back as text,
        // as PyMySQL returns the str when Python's datetime refuses the value.
        case DecodeAs::date:
            if (auto d = Date::parse(text)) {
                emit(*d);
            } else {
                emit(text);
            }
            return true;
        case DecodeAs::datetime:
            if (auto dt = DateTime::parse(text)) {
                emit(*dt);
            } else if (auto d = Date::parse(text)) {
                emit(*d);   // PyMySQL's convert_datetime falls back to convert_date
            } else {
                emit(text);
            }
            return true;
        case DecodeAs::time:
            if (auto t = Time::parse(text)) {
                emit(*t);
            } else {
                emit(text);
            }
            return true;
        case DecodeAs::text: emit(text); return true;
        case DecodeAs::bytes: emit(uvmysql::Bytes(text)); return true;
    }
    return false;
}

}  // namespace

bool decode_builtin(DecodeAs as, std::string_view text, Value& out) {
    return decode_with(as, text, [&](auto&& v) { out = Value(std::forward<decltype(v)>(v)); });
}

bool append_builtin(DecodeAs as, std::string_view text, std::vector<Value>& out) {
    return decode_with(as, text, [&](auto&& v) { out.emplace_back(std::forward<decltype(v)>(v)); });
}

Status bad_field(const ColumnInfo& column, std::string_view text) {
    std::string msg = "cannot decode ";
    msg += type_name(column.type);
    msg += " field '";
    msg += column.name;
    msg += "': '";
    for (const char c : text.substr(0, 64)) msg.push_back((c >= 0x20 && c < 0x7f) ? c : '?');
    msg += text.size() > 64 ? "...'" : "'";
    return Status::client(cr::malformed_packet, std::move(msg), ClientKind::data);
}

Status decode_text_field(const ColumnInfo& column, std::string_view text, bool use_unicode, Value& out) {
    if (decode_builtin(decode_plan(column, use_unicode), text, out)) return {};
    return bad_field(column, text);
}

Status decode_text_field(const ColumnInfo& column, std::span<const std::uint8_t> text, bool use_unicode,
                         Value& out) {
    return decode_text_field(column, std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                             use_unicode, out);
}

Status decode_text_field(const ColumnInfo& column, std::string_view text, bool use_unicode,
                         const Converters& converters, Value& out) {
    const ColumnDecoder decoder(column, use_unicode, &converters);
    Status st;
    if (decoder.decode(text, out, st)) return {};
    return st;
}

ColumnDecoder::ColumnDecoder(const ColumnInfo& column, bool use_unicode, const Converters* converters) noexcept
    : column_(&column),
      custom_(converters != nullptr ? converters->find(column.type) : nullptr),
      as_(decode_plan(column, use_unicode)) {}

bool ColumnDecoder::append_slow(std::string_view text, std::vector<Value>& out, Status& error) const {
    Status st;
    Value& v = out.emplace_back();
    if (decode_slow(text, v, st)) return true;
    v = Value();
    if (error.ok()) error = std::move(st);
    return false;
}

bool ColumnDecoder::decode_slow(std::string_view text, Value& out, Status& error) const {
    if (custom_ == nullptr) {
        error = bad_field(*column_, text);
        return false;
    }
    // A user converter is the one place on this path that may throw: its exception becomes the
    // Status that fails the fetch, instead of crossing the loop callback.
    try {
        out = (*custom_)(*column_, text);
        return true;
    } catch (const Error& e) {
        error = to_status(e);
        if (error.message.empty()) error.message = "converter failed";
    } catch (const std::exception& e) {
        error = Status::client(0, std::string("converter for column '") + column_->name + "' failed: " + e.what(),
                               ClientKind::data);
    } catch (...) {
        error = Status::client(0, "converter for column '" + column_->name + "' failed", ClientKind::data);
    }
    return false;
}

}  // namespace uvmysql::detail

namespace uvmysql {

Value default_convert(const ColumnInfo& column, std::string_view text, bool use_unicode) {
    Value out;
    if (!detail::decode_builtin(detail::decode_plan(column, use_unicode), text, out)) {
        throw DataError(detail::cr::malformed_packet, "HY000", detail::bad_field(column, text).message);
    }
    return out;
}

}  // namespace uvmysql
