// SPDX-License-Identifier: MIT
// One field of a binary row: its number, temporal parts, and the text the text protocol sends.
#include "protocol/binary_field.hpp"

#include <bit>
#include <charconv>

#include "values/number_text.hpp"

namespace uvmysql::detail {

namespace {

constexpr int max_fraction_digits = 6;

// ".ffffff" cut to the column's fractional digits; all six when the column has none fixed
// (or the value has more than it declares, which only a wrong server would send).
void append_fraction(std::string& out, std::uint32_t us, std::uint8_t decimals) {
    if (us > 999'999) {   // no server sends this: 7+ digits, which no temporal text rule accepts
        out.push_back('.');
        append_integer(out, us);
        return;
    }
    int digits = decimals;
    if (digits < 1 || digits > max_fraction_digits) {
        if (us == 0) return;
        digits = max_fraction_digits;
    }
    std::uint32_t cut = 1;
    for (int k = digits; k < max_fraction_digits; ++k) cut *= 10;
    if (us % cut != 0) {
        cut = 1;
        digits = max_fraction_digits;
    }
    out.push_back('.');
    append_padded(out, us / cut, digits);
}

void append_date(std::string& out, const BinaryDateTime& t) {
    append_padded(out, t.year, 4);
    out.push_back('-');
    append_padded(out, t.month, 2);
    out.push_back('-');
    append_padded(out, t.day, 2);
}

void append_clock(std::string& out, std::uint64_t hours, int minute, int second) {
    if (hours < 10) out.push_back('0');
    append_integer(out, hours);
    out.push_back(':');
    append_padded(out, minute, 2);
    out.push_back(':');
    append_padded(out, second, 2);
}

void append_floating(std::string& out, double d, bool is_float, std::uint8_t decimals) {
    char buf[400];   // fixed notation of DBL_MAX with 30 decimals fits
    std::to_chars_result r{};
    if (decimals < not_fixed_decimals) {
        r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, decimals);
    } else if (is_float) {
        r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, 6);   // FLT_DIG digits
    } else {
        r = std::to_chars(buf, buf + sizeof buf, d);
    }
    out.append(buf, r.ptr);
}

void append_integer_text(std::string& out, const ColumnInfo& column, Bytes b) {
    const bool is_unsigned = column.is_unsigned() || column.type == FieldType::year;
    if (!is_unsigned) {
        append_integer(out, binary_signed(b));
        return;
    }
    const std::uint64_t u = binary_unsigned(b);
    // YEAR is always shown with 4 digits, ZEROFILL columns with their display width.
    int width = column.type == FieldType::year ? 4 : 0;
    if ((column.flags & column_flag::zerofill) && column.length > static_cast<std::uint32_t>(width)) {
        width = static_cast<int>(column.length < 64 ? column.length : 64);
    }
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, u);
    for (auto n = r.ptr - buf; n < width; ++n) out.push_back('0');
    out.append(buf, r.ptr);
}

}  // namespace

std::uint64_t binary_unsigned(Bytes b) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < b.size() && i < 8; ++i) v |= std::uint64_t{b[i]} << (8 * i);
    return v;
}

std::int64_t binary_signed(Bytes b) noexcept {
    const std::uint64_t v = binary_unsigned(b);
    if (b.empty() || b.size() >= 8) return static_cast<std::int64_t>(v);
    const unsigned bits = static_cast<unsigned>(b.size()) * 8;
    const std::uint64_t sign = std::uint64_t{1} << (bits - 1);
    return static_cast<std::int64_t>((v ^ sign) - sign);   // sign-extends without shifting negatives
}

double binary_floating(Bytes b) noexcept {
    if (b.size() == 4) return std::bit_cast<float>(static_cast<std::uint32_t>(binary_unsigned(b)));
    return std::bit_cast<double>(binary_unsigned(b));
}

BinaryDateTime binary_date_time(Bytes b) noexcept {
    BinaryDateTime t;
    if (b.size() >= 4) {
        t.year = static_cast<int>(binary_unsigned(b.first(2)));
        t.month = b[2];
        t.day = b[3];
    }
    if (b.size() >= 7) {
        t.hour = b[4];
        t.minute = b[5];
        t.second = b[6];
    }
    if (b.size() >= 11) t.microsecond = static_cast<int>(binary_unsigned(b.subspan(7, 4)) & 0x7FFFFFFF);
    return t;
}

BinaryTime binary_time(Bytes b) noexcept {
    BinaryTime t;
    if (b.size() >= 8) {
        t.negative = b[0] != 0;
        t.hours = binary_unsigned(b.subspan(1, 4)) * 24 + b[5];
        t.minute = b[6];
        t.second = b[7];
    }
    if (b.size() >= 12) t.microsecond = static_cast<std::uint32_t>(binary_unsigned(b.subspan(8, 4)));
    return t;
}

void append_binary_field_text(std::string& out, const ColumnInfo& column, const FieldView& field) {
    const Bytes b = field.bytes();
    switch (binary_wire(column.type)) {
        case BinaryWire::int1:
        case BinaryWire::int2:
        case BinaryWire::int4:
        case BinaryWire::int8: append_integer_text(out, column, b); return;
        case BinaryWire::float4:
        case BinaryWire::float8:
            append_floating(out, binary_floating(b), b.size() == 4, column.decimals);
            return;
        case BinaryWire::date_time: {
            const BinaryDateTime t = binary_date_time(b);
            append_date(out, t);
            if (column.type == FieldType::date || column.type == FieldType::newdate) return;
            out.push_back(' ');
            append_clock(out, static_cast<std::uint64_t>(t.hour), t.minute, t.second);
            append_fraction(out, static_cast<std::uint32_t>(t.microsecond), column.decimals);
            return;
        }
        case BinaryWire::time: {
            const BinaryTime t = binary_time(b);
            if (t.negative) out.push_back('-');
            append_clock(out, t.hours, t.minute, t.second);
            append_fraction(out, t.microsecond, column.decimals);
            return;
        }
        case BinaryWire::none: return;
        case BinaryWire::lenenc: out.append(as_string_view(b)); return;
    }
}

}  // namespace uvmysql::detail
