// SPDX-License-Identifier: MIT
#include "common/sql_operation.hpp"

namespace uvmysql::detail {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '_'; }
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
    std::size_t len = 0;
    if (i >= n || !is_alpha(sql[i])) return {};
    while (i < n && is_word(sql[i]) && len < sql_operation_max) {
        const char c = sql[i++];
        out[len++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return {out, len};
}

}  // namespace uvmysql::detail
