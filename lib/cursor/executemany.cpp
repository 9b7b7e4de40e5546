// SPDX-License-Identifier: MIT
#include "cursor/executemany.hpp"

#include <cctype>

#include "values/format_query.hpp"

namespace uvmysql::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool iequal(std::string_view s, std::size_t pos, std::string_view word) {
    if (pos + word.size() > s.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(s[pos + i])) != word[i]) return false;
    }
    return true;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && is_space(s[i])) ++i;
    return i;
}

/// Parses one placeholder (%s or %(name)s) at i; returns the index after it, or npos.
std::size_t placeholder_end(std::string_view s, std::size_t i) {
    if (i + 1 >= s.size() || s[i] != '%') return std::string_view::npos;
    if (s[i + 1] == 's') return i + 2;
    if (s[i + 1] != '(') return std::string_view::npos;
    const auto close = s.find(')', i + 2);
    if (close == std::string_view::npos || close == i + 2 || close + 1 >= s.size() || s[close + 1] != 's') {
        return std::string_view::npos;
    }
    return close + 2;
}

/// Parses "(ph, ph, ...)" at i; returns the index after ')', or npos.
std::size_t row_template_end(std::string_view s, std::size_t i) {
    if (i >= s.size() || s[i] != '(') return std::string_view::npos;
    i = skip_spaces(s, i + 1);
    for (;;) {
        i = placeholder_end(s, i);
        if (i == std::string_view::npos) return i;
        i = skip_spaces(s, i);
        if (i < s.size() && s[i] == ')') return i + 1;
        if (i >= s.size() || s[i] != ',') return std::string_view::npos;
        i = skip_spaces(s, i + 1);
    }
}

}  // namespace

bool split_insert_values(std::string_view query, InsertValuesParts& out) {
    // The statements PyMySQL's RE_INSERT_VALUES accepts: INSERT|REPLACE ... VALUE[S] followed by
    // one parenthesised row of placeholders only, then nothing but an optional
    // ON DUPLICATE ... clause, an optional ';' and spaces.
    const std::size_t start = skip_spaces(query, 0);
    const bool verb = (iequal(query, start, "INSERT") && !is_word(query.size() > start + 6 ? query[start + 6] : ' ')) ||
                      (iequal(query, start, "REPLACE") && !is_word(query.size() > start + 7 ? query[start + 7] : ' '));
    if (!verb) return false;
    // The last VALUE[S] keyword that is followed by a valid row template wins, as the greedy
    // regular expression would have it.
    for (std::size_t pos = query.size(); pos-- > start + 7;) {
        if (!iequal(query, pos, "VALUE") || is_word(query[pos - 1])) continue;
        std::size_t after = pos + 5;
        if (after < query.size() && (query[after] == 'S' || query[after] == 's')) ++after;
        if (after < query.size() && is_word(query[after])) continue;
        const std::size_t values_begin = skip_spaces(query, after);
        const std::size_t values_end = row_template_end(query, values_begin);
        if (values_end == std::string_view::npos) continue;

        std::string_view tail = query.substr(values_end);
        while (!tail.empty() && is_space(tail.back())) tail.remove_suffix(1);
        if (!tail.empty() && tail.back() == ';') tail.remove_suffix(1);
        const std::size_t clause = skip_spaces(tail, 0);
        if (clause != tail.size() && !iequal(tail, clause, "ON DUPLICATE")) continue;

        out.prefix = query.substr(0, values_begin);
        out.values = query.substr(values_begin, values_end - values_begin);
        out.postfix = clause == tail.size() ? std::string_view{} : tail;
        return true;
    }
    return false;
}

Status build_executemany(std::string_view query, const std::vector<Args>& seq, const EscapeOptions& opts,
                         std::size_t max_statement_size, std::vector<std::string>& out) {
    if (seq.empty()) return {};
    InsertValuesParts parts;
    if (!split_insert_values(query, parts)) {
        for (const Args& args : seq) {
            std::string sql;
            if (auto st = format_query(query, args, opts, sql); !st.ok()) return st;
            out.push_back(std::move(sql));
        }
        return {};
    }
    // PyMySQL formats the prefix with no arguments (`prefix % ()`): "%%" becomes "%".
    std::string prefix;
    if (auto st = format_query(parts.prefix, Params{}, opts, prefix); !st.ok()) return st;
    std::string sql = prefix;
    bool has_rows = false;
    std::string row;
    for (const Args& args : seq) {
        row.clear();
        if (auto st = format_query(parts.values, args, opts, row); !st.ok()) return st;
        if (has_rows && sql.size() + row.size() + parts.postfix.size() + 1 > max_statement_size) {
            sql += parts.postfix;
            out.push_back(std::move(sql));
            sql = prefix;
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
