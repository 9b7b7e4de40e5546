// SPDX-License-Identifier: MIT
#include "values/charset_table.hpp"

namespace uvmysql::detail {

namespace {

// Collation ids are the charsets' default collations (SHOW CHARACTER SET), the same in MySQL
// and MariaDB. MySQL's latin1 is Windows-1252, hence PyMySQL's "cp1252".
constexpr CharsetInfo charsets[] = {
    {"utf8mb4", 45, true, "utf8"},   // utf8mb4_general_ci
    {"utf8mb3", 33, true, "utf8"},   // utf8mb3_general_ci
    {"utf8", 33, true, "utf8"},      // the old name of utf8mb3
    {"latin1", 8, true, "cp1252"},   // latin1_swedish_ci
    {"ascii", 11, true, "ascii"},    // ascii_general_ci
    {"binary", 63, true, "binary"},
    // Single-byte sets: escaping is safe, but uvmysql does not connect with them.
    {"latin2", 0, true, "latin2"},     {"latin5", 0, true, "latin5"},     {"latin7", 0, true, "latin7"},
    {"cp1250", 0, true, "cp1250"},     {"cp1251", 0, true, "cp1251"},     {"cp1256", 0, true, "cp1256"},
    {"cp1257", 0, true, "cp1257"},     {"cp850", 0, true, "cp850"},       {"cp852", 0, true, "cp852"},
    {"cp866", 0, true, "cp866"},       {"koi8r", 0, true, "koi8r"},       {"koi8u", 0, true, "koi8u"},
    {"greek", 0, true, "greek"},       {"hebrew", 0, true, "hebrew"},     {"dec8", 0, true, "dec8"},
    {"hp8", 0, true, "hp8"},           {"swe7", 0, true, "swe7"},         {"armscii8", 0, true, "armscii8"},
    {"geostd8", 0, true, "geostd8"},   {"keybcs2", 0, true, "keybcs2"},   {"macce", 0, true, "macce"},
    {"macroman", 0, true, "macroman"}, {"tis620", 0, true, "tis620"},
    // Multibyte sets whose characters can hold 0x5c (or that are not ASCII-compatible): refused.
    {"big5", 0, false, "big5"},        {"cp932", 0, false, "cp932"},      {"gbk", 0, false, "gbk"},
    {"gb18030", 0, false, "gb18030"},  {"sjis", 0, false, "sjis"},        {"ucs2", 0, false, "ucs2"},
    {"utf16", 0, false, "utf16"},      {"utf32", 0, false, "utf32"},
};

bool equal_ignoring_case(std::string_view a, std::string_view lower) noexcept {
    if (a.size() != lower.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
        if (c != lower[i]) return false;
    }
    return true;
}

}  // namespace

const CharsetInfo* find_charset(std::string_view name) noexcept {
    for (const CharsetInfo& cs : charsets) {
        if (equal_ignoring_case(name, cs.name)) return &cs;
    }
    return nullptr;
}

std::uint8_t collation_for_charset(std::string_view charset) noexcept {
    const CharsetInfo* cs = find_charset(charset);
    return cs != nullptr && cs->escape_safe ? cs->collation : 0;
}

}  // namespace uvmysql::detail
