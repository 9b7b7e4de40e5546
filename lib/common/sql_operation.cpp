// SPDX-License-Identifier: MIT
#include "common/sql_operation.hpp"

#include <algorithm>

namespace uvmysql::detail {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
}  // namespace

std::string_view sql_operation(std::string_view sql, char (&out)[sql_operation_max]) noexcept {
    std::size_t i = 0;
    const std::size_t n = sql.size();
    // Nearly every statement starts with its keyword: the loop below is for the others.
    while (i < n && !is_alpha(sql[i])) {
        const char c = sql[i];
        if (is_space(c) || c == '(') {
            ++i;
        } else if (c == '#' || (c == '-' && i + 1 < n && sql[i + 1] == '-' && (i + 2 == n || is_space(sql[i + 2])))) {
            while (i < n && sql[i] != '\n') ++i;   // MySQL wants a space after "--"
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            const auto end = sql.find("*/", i + 2);
            if (end == std::string_view::npos) return {};
            i = end + 2;
        } else {
            break;
        }
    }
    if (i >= n || !is_alpha(sql[i])) return {};
    // Runs once per observed statement: a short branch-light loop (ASCII letters differ from
    // their capitals by bit 0x20 only).
    const std::size_t end = i + std::min(n - i, sql_operation_max);
    std::size_t len = 0;
    for (; i < end; ++i) {
        const auto c = static_cast<unsigned char>(sql[i]);
        const auto upper = static_cast<unsigned char>(c & ~0x20u);
        if (upper >= 'A' && upper <= 'Z') {
            out[len++] = static_cast<char>(upper);
        } else if ((c >= '0' && c <= '9') || c == '_') {
            out[len++] = static_cast<char>(c);
        } else {
            break;
        }
    }
    return {out, len};
}

}  // namespace uvmysql::detail
