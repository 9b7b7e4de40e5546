// SPDX-License-Identifier: MIT
#include "connection/server_time_limit.hpp"

#include <cstdio>
#include <string_view>

namespace uvmysql::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// Offset of the first character of `sql` that is neither blank nor inside a comment
/// (`/* */`, `-- ` and `#` to the end of the line); sql.size() if there is none.
std::size_t statement_start(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size()) {
        if (is_blank(sql[i])) {
            ++i;
        } else if (sql.substr(i, 2) == "/*") {
            const auto end = sql.find("*/", i + 2);
            if (end == std::string_view::npos) return sql.size();
            i = end + 2;
        } else if (sql[i] == '#' || (sql.substr(i, 2) == "--" && (i + 2 == sql.size() || is_blank(sql[i + 2])))) {
            const auto end = sql.find('\n', i);
            if (end == std::string_view::npos) return sql.size();
            i = end + 1;
        } else {
            return i;
        }
    }
    return i;
}

/// True if `sql` has the keyword SELECT (any case) at `at`, not followed by a word character.
bool select_at(std::string_view sql, std::size_t at) {
    static constexpr std::string_view keyword = "select";
    if (sql.size() - at < keyword.size()) return false;
    for (std::size_t k = 0; k < keyword.size(); ++k) {
        const char c = sql[at + k];
        if ((c | 0x20) != keyword[k]) return false;
    }
    if (at + keyword.size() == sql.size()) return true;
    const char next = sql[at + keyword.size()];
    return !(next == '_' || next == '$' || (next >= '0' && next <= '9') || ((next | 0x20) >= 'a' && (next | 0x20) <= 'z') ||
             static_cast<unsigned char>(next) >= 0x80);
}

}  // namespace

bool limit_on_server(std::string& sql, std::chrono::milliseconds limit, bool mariadb) {
    if (mariadb) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(limit.count()) / 1000.0);
        sql.insert(0, "SET STATEMENT max_statement_time=" + std::string(seconds) + " FOR ");
        return true;
    }
    const std::size_t at = statement_start(sql);
    if (!select_at(sql, at)) return false;
    sql.insert(at + 6, " /*+ MAX_EXECUTION_TIME(" + std::to_string(limit.count()) + ") */");
    return true;
}

}  // namespace uvmysql::detail
