// SPDX-License-Identifier: MIT
// The character sets uvmysql knows: collation ids, escape-safety and Python-style encoding names, in one table.
#pragma once

#include <cstdint>
#include <string_view>

namespace uvmysql::detail {

/// One connection character set.
struct CharsetInfo {
    std::string_view name;       ///< MySQL's name, lower case ("utf8mb4")
    /// The collation id (one byte) the handshake announces for it, 0 when uvmysql does not
    /// connect with this charset (its text would not decode: see values/text_decoder.hpp).
    std::uint8_t collation;
    /// Byte-wise escaping is injection-safe: UTF-8 (no byte of a multibyte sequence is ASCII)
    /// and single-byte sets. Not big5, cp932, gbk, gb18030, sjis: their multibyte characters
    /// can end in 0x5c, so an escaping backslash could be swallowed ("\xbf\x5c" in gbk).
    bool escape_safe;
    /// The encoding name Connection::encoding() reports, as PyMySQL/aiomysql name it.
    std::string_view encoding;
};

/// The entry for `name` (case-insensitive), or null for a charset not in the table.
[[nodiscard]] const CharsetInfo* find_charset(std::string_view name) noexcept;

/// The collation id the handshake announces for `charset`, or 0 when the charset is unknown,
/// not escape-safe, or not one uvmysql connects with.
[[nodiscard]] std::uint8_t collation_for_charset(std::string_view charset) noexcept;

}  // namespace uvmysql::detail
