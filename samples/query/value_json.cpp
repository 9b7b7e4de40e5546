// SPDX-License-Identifier: MIT
// JSON encoding of Values: plain JSON where a reader gets the exact value back, tagged otherwise.
#include "value_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>

namespace query_tool {

namespace {

// Integers a JSON reader that parses numbers as doubles (JavaScript, many others) still gets
// exactly: |v| <= 2^53 - 1. Larger ones are tagged strings.
constexpr std::int64_t max_exact_json_integer = (std::int64_t{1} << 53) - 1;

template <class T>
void append_chars(std::string& out, T v) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc{} ? end : buf);
}

// {"kind": "<payload>"}; the payload must be ASCII (digits, base64, dates) or valid UTF-8.
void append_tagged(std::string& out, uvmysql::Kind kind, std::string_view payload) {
    out += "{\"";
    out += uvmysql::kind_name(kind);
    out += "\":";
    append_json_string(out, payload);
    out += '}';
}

void append_tagged_base64(std::string& out, uvmysql::Kind kind, std::string_view bytes) {
    std::string payload;
    append_base64(payload, bytes);
    append_tagged(out, kind, payload);
}

template <class Int>
void append_integer(std::string& out, uvmysql::Kind kind, Int i) {
    if (std::cmp_less_equal(i, max_exact_json_integer) && std::cmp_greater_equal(i, -max_exact_json_integer)) {
        append_chars(out, i);
        return;
    }
    std::string digits;
    append_chars(digits, i);
    append_tagged(out, kind, digits);
}

std::string_view non_finite_name(double d) {
    if (std::isnan(d)) return "NaN";
    return d < 0 ? "-Infinity" : "Infinity";
}

void append_double(std::string& out, double d) {
    if (!std::isfinite(d)) {
        append_tagged(out, uvmysql::Kind::float64, non_finite_name(d));
        return;
    }
    const auto start = out.size();
    append_chars(out, d);   // shortest text that reads back as the same double
    // A '.' or an exponent keeps the kind visible: 3.0 is a double, 3 an integer.
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

void append_float(std::string& out, float f) {
    // Parameters only (no column decodes to float32): tagged with float's own shortest digits,
    // which a double reader would otherwise take for a different value (0.1f != 0.1).
    if (!std::isfinite(f)) {
        append_tagged(out, uvmysql::Kind::float32, non_finite_name(f));
        return;
    }
    std::string digits;
    append_chars(digits, f);
    append_tagged(out, uvmysql::Kind::float32, digits);
}

void append_text(std::string& out, const std::string& text) {
    if (is_valid_utf8(text)) {
        append_json_string(out, text);
    } else {
        append_tagged_base64(out, uvmysql::Kind::text, text);   // e.g. character_set_results=NULL
    }
}

void append_list(std::string& out, const uvmysql::Value::List& list) {
    out += "{\"list\":[";
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i != 0) out += ',';
        append_value_json(out, list[i]);
    }
    out += "]}";
}

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not well-formed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;   // range of the second byte (RFC 3629 table)
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;        // no overlong forms
        if (b0 == 0xED) hi = 0x9F;        // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;        // no overlong forms
        if (b0 == 0xF4) hi = 0x8F;        // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return len;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const auto len = utf8_sequence_length(text, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) {
            const auto len = utf8_sequence_length(text, i);
            if (len == 0) {
                out += "\xEF\xBF\xBD";   // U+FFFD REPLACEMENT CHARACTER
                ++i;
            } else {
                out.append(text.substr(i, len));
                i += len;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += hex[u >> 4];
                    out += hex[u & 0xF];
                } else {
                    out += c;
                }
        }
        ++i;
    }
    out += '"';
}

void append_base64(std::string& out, std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k])); };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        out += alphabet[n >> 6 & 63];
        out += alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 0) return;
    const std::uint32_t n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += rest == 2 ? alphabet[n >> 6 & 63] : '=';
    out += '=';
}

void append_value_json(std::string& out, const uvmysql::Value& v) {
    using uvmysql::Kind;
    switch (v.kind()) {
        case Kind::null: out += "null"; return;
        case Kind::boolean: out += *v.get_if<bool>() ? "true" : "false"; return;
        case Kind::int64: append_integer(out, Kind::int64, *v.get_if<std::int64_t>()); return;
        case Kind::uint64: append_integer(out, Kind::uint64, *v.get_if<std::uint64_t>()); return;
        case Kind::float32: append_float(out, *v.get_if<float>()); return;
        case Kind::float64: append_double(out, *v.get_if<double>()); return;
        case Kind::text: append_text(out, *v.get_if<std::string>()); return;
        case Kind::bytes: append_tagged_base64(out, Kind::bytes, v.get_if<uvmysql::Bytes>()->view()); return;
        case Kind::decimal: append_tagged(out, Kind::decimal, v.get_if<uvmysql::Decimal>()->str()); return;
        case Kind::date: append_tagged(out, Kind::date, v.get_if<uvmysql::Date>()->to_string()); return;
        case Kind::datetime: append_tagged(out, Kind::datetime, v.get_if<uvmysql::DateTime>()->to_string()); return;
        case Kind::time: append_tagged(out, Kind::time, v.get_if<uvmysql::Time>()->to_string()); return;
        case Kind::list: append_list(out, *v.get_if<uvmysql::Value::List>()); return;
    }
}

void append_row_json(std::string& out, const uvmysql::Row& row) {
    out += '[';
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i != 0) out += ',';
        append_value_json(out, row[i]);
    }
    out += ']';
}

void append_row_json(std::string& out, const uvmysql::DictRow& row) {
    out += '{';
    bool first = true;
    for (const auto [key, value] : row) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        append_value_json(out, value);
    }
    out += '}';
}

}  // namespace query_tool
