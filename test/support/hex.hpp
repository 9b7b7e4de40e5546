// SPDX-License-Identifier: MIT
// hex(): byte vectors for tests, written as hex digits with optional spaces.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace uvmysql::test {

/// Decodes "0a 35 2e" (whitespace anywhere, upper or lower case) into bytes.
/// Throws std::invalid_argument on an odd digit count or a non-hex character.
inline std::vector<std::uint8_t> hex(std::string_view text) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::vector<std::uint8_t> out;
    int high = -1;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
        const int d = digit(c);
        if (d < 0) throw std::invalid_argument("hex(): bad character '" + std::string(1, c) + "'");
        if (high < 0) {
            high = d;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | d));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("hex(): odd number of digits");
    return out;
}

/// The bytes of a string (no terminator), for building payloads from text.
inline std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

/// Concatenates byte vectors.
inline std::vector<std::uint8_t> concat(std::initializer_list<std::vector<std::uint8_t>> parts) {
    std::vector<std::uint8_t> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace uvmysql::test
