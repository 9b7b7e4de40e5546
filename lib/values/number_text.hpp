// SPDX-License-Identifier: MIT
// Allocation-free number <-> text helpers shared by the value formatting and decoding code.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace uvmysql::detail {

/// Appends `v` in decimal.
template <class Int>
inline void append_integer(std::string& out, Int v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// Appends |v| in decimal, left-padded with zeros to `width` digits; a '-' first when v < 0.
inline void append_padded(std::string& out, std::int64_t v, int width) {
    std::uint64_t mag = static_cast<std::uint64_t>(v);
    if (v < 0) {
        out.push_back('-');
        mag = 0 - mag;
    }
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, mag);
    for (auto n = r.ptr - buf; n < width; ++n) out.push_back('0');
    out.append(buf, r.ptr);
}

/// Appends the shortest text that reads back as exactly `v` ("inf", "nan" for those).
template <class Float>
inline void append_shortest(std::string& out, Float v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// Parses the whole of `s` as an integer: no sign other than a leading '-' for signed types,
/// no spaces, no trailing bytes, no overflow.
template <class Int>
[[nodiscard]] inline bool parse_integer(std::string_view s, Int& out) noexcept {
    const char* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, out);
    return r.ec == std::errc{} && r.ptr == end && !s.empty();
}

/// Parses the whole of `s` as a double (decimal or exponent form, "inf"/"nan" included).
[[nodiscard]] inline bool parse_double(std::string_view s, double& out) noexcept {
    const char* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, out);
    return r.ec == std::errc{} && r.ptr == end && !s.empty();
}

/// True when `s` is a decimal number: [+-] (digits [. digits*] | . digits) ([eE] [+-] digits).
[[nodiscard]] bool is_decimal_text(std::string_view s) noexcept;

}  // namespace uvmysql::detail
