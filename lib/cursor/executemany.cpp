// SPDX-License-Identifier: MIT
#include "cursor/executemany.hpp"

#include <regex>

#include "values/format_query.hpp"

namespace uvmysql::detail {

bool split_insert_values(std::string_view query, InsertValuesParts& out) {
    // PyMySQL's RE_INSERT_VALUES: a prefix ending in VALUE(S), one parenthesised row of
    // placeholders only, then optionally ON DUPLICATE ..., an optional ';' and spaces.
    static const std::regex re(
        R"(^\s*((?:INSERT|REPLACE)\b[\s\S]+\bVALUES?\s*)(\(\s*(?:%s|%\([^)]+\)s)\s*(?:,\s*(?:%s|%\([^)]+\)s)\s*)*\))(\s*(?:ON DUPLICATE[\s\S]*)?);?\s*$)",
        std::regex::icase | std::regex::ECMAScript);
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(query.begin(), query.end(), m, re)) return false;
    auto view = [&](int i) {
        return std::string_view(&*m[i].first, static_cast<std::size_t>(m[i].length()));
    };
    out.prefix = view(1);
    out.values = view(2);
    out.postfix = m[3].length() ? view(3) : std::string_view{};
    return true;
}

Status build_executemany(std::string_view query, const std::vector<Args>& seq, const EscapeOptions& opts,
                         std::size_t max_statement_size, std::vector<std::string>& out) {
    InsertValuesParts parts;
    if (!split_insert_values(query, parts)) {
        for (const Args& args : seq) {
            std::string sql;
            if (auto st = format_query(query, args, opts, sql); !st.ok()) return st;
            out.push_back(std::move(sql));
        }
        return {};
    }
    std::string sql(parts.prefix);
    bool has_rows = false;
    std::string row;
    for (const Args& args : seq) {
        row.clear();
        if (auto st = format_query(parts.values, args, opts, row); !st.ok()) return st;
        if (has_rows && sql.size() + row.size() + parts.postfix.size() + 1 > max_statement_size) {
            sql += parts.postfix;
            out.push_back(std::move(sql));
            sql.assign(parts.prefix);
            has_rows = false;
        }
        if (has_rows) sql += ',';
        sql += row;
        has_rows = true;
    }
    sql += parts.postfix;
    out.push_back(std::move(sql));
    return {};
}

}  // namespace uvmysql::detail
