// SPDX-License-Identifier: MIT
#include "common/sql_operation.hpp"

#include <algorithm>

namespace uvmysql::detail {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// Whether `sql` continues at `i` with the word `word` (upper case), case-insensitively.
bool word_at(std::string_view sql, std::size_t i, std::string_view word) {
    if (sql.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
        const auto upper = static_cast<unsigned char>(static_cast<unsigned char>(sql[i + k]) & ~0x20u);
        if (upper != static_cast<unsigned char>(word[k])) return false;
    }
    return i + word.size() == sql.size() || is_space(sql[i + word.size()]);
}

/// For MariaDB's `SET STATEMENT var=value[, ...] FOR statement` (what query_timeout_on_server
/// sends): where `statement` starts after `i`, or npos.
std::size_t set_statement_target(std::string_view sql, std::size_t i) {
    while (i < sql.size() && is_space(sql[i])) ++i;
    if (!word_at(sql, i, "STATEMENT")) return std::string_view::npos;
    for (i += 9; i + 4 < sql.size(); ++i) {
        if (is_space(sql[i]) && word_at(sql, i + 1, "FOR")) return i + 4;
    }
    return std::string_view::npos;
}
}  // namespace

std::string_view sql_operation(std::string_view sql, char (&out)[sql_operation_max]) noexcept {
    std::size_t i = 0;
    const std::size_t n = sql.size();
    // Nearly every statement starts with its keyword: the loop below is for the others.
    while (i < n && !is_alpha(sql[i])) {
        const char c = sql[i];
        if (is_space(c) || c == '(') {
            ++i;
        } else if (c == '#' ||
                   (c == '-' && i + 1 < n && sql[i + 1] == '-' && (i + 2 == n || is_space(sql[i + 2])))) {
            while (i < n && sql[i] != '\n') ++i;  // MySQL wants a space after "--"
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
    if (len == 3 && out[0] == 'S' && out[1] == 'E' && out[2] == 'T') [[unlikely]] {
        const std::size_t target = set_statement_target(sql, i);
        if (target != std::string_view::npos) return sql_operation(sql.substr(target), out);
    }
    return {out, len};
}

}  // namespace uvmysql::detail
