// SPDX-License-Identifier: MIT
#include "values/placeholders.hpp"

namespace uvmysql::detail {

namespace {

Status refuse(std::string what, std::size_t at) {
    return Status::client(0, "cannot prepare this statement: " + std::move(what) + " at index " + std::to_string(at),
                          ClientKind::programming);
}

}  // namespace

Status to_question_marks(std::string_view query, std::string& out, std::size_t& count) {
    const std::size_t start = out.size();
    count = 0;
    enum class In { code, quote, line_comment, block_comment } in = In::code;
    char quote = 0;
    auto fail = [&](std::string what, std::size_t at) {
        out.resize(start);
        return refuse(std::move(what), at);
    };
    for (std::size_t i = 0; i < query.size(); ++i) {
        const char c = query[i];
        const char next = i + 1 < query.size() ? query[i + 1] : '\0';
        if (c == '%') {
            if (next == '%') {
                out += '%';
                ++i;
                continue;
            }
            if (next == 's') {
                if (in != In::code) return fail("a %s inside quotes or a comment", i);
                out += '?';
                ++count;
                ++i;
                continue;
            }
            if (next == '(') return fail("a named placeholder %(name)s (use positional %s)", i);
            return fail(next == '\0' ? std::string("an incomplete format") : std::string("the format %") + next, i);
        }
        switch (in) {
            case In::code:
                if (c == '?') return fail("a '?' outside quotes", i);
                if (c == '\'' || c == '"' || c == '`') {
                    in = In::quote;
                    quote = c;
                } else if (c == '#' || (c == '-' && next == '-' && i + 2 <= query.size() &&
                                        (i + 2 == query.size() || query[i + 2] == ' ' || query[i + 2] == '\t' ||
                                         query[i + 2] == '\n'))) {
                    in = In::line_comment;
                } else if (c == '/' && next == '*') {
                    in = In::block_comment;
                    out += c;
                    out += next;
                    ++i;
                    continue;
                }
                break;
            case In::quote:
                if (c == '\\' && quote != '`' && next != '\0') {
                    out += c;
                    if (next == '%') continue;   // the % is handled by the next turn
                    out += next;
                    ++i;
                    continue;
                }
                if (c == quote) in = In::code;   // a doubled quote closes and reopens
                break;
            case In::line_comment:
                if (c == '\n') in = In::code;
                break;
            case In::block_comment:
                if (c == '*' && next == '/') {
                    in = In::code;
                    out += c;
                    out += next;
                    ++i;
                    continue;
                }
                break;
        }
        out += c;
    }
    return {};
}

}  // namespace uvmysql::detail
