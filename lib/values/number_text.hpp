// SPDX-License-Identifier: MIT
// Allocation-free number <-> text helpers shared by the value formatting and decoding code.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

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
/// The hot path of every integer column: a digit loop, with std::from_chars only for texts
/// long enough to overflow (which libstdc++'s generic loop handles at several times the cost).
template <class Int>
[[nodiscard]] inline bool parse_integer(std::string_view s, Int& out) noexcept {
    using U = std::make_unsigned_t<Int>;
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = std::is_signed_v<Int> && p != end && *p == '-';
    if (negative) ++p;
    if (p == end || end - p > std::numeric_limits<U>::digits10) {
        const auto r = std::from_chars(s.data(), end, out);
        return r.ec == std::errc{} && r.ptr == end && !s.empty();
    }
    U v = 0;   // digits10 digits cannot overflow U
    for (; p != end; ++p) {
        const unsigned digit = static_cast<unsigned char>(*p) - static_cast<unsigned>('0');
        if (digit > 9) return false;
        v = static_cast<U>(v * 10 + digit);
    }
    if constexpr (std::is_signed_v<Int>) {
        const U limit = static_cast<U>(std::numeric_limits<Int>::max()) + (negative ? 1 : 0);
        if (v > limit) return false;
        out = negative ? static_cast<Int>(U(0) - v) : static_cast<Int>(v);
    } else {
        out = v;
    }
    return true;
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
