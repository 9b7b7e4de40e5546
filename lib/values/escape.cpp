// SPDX-License-Identifier: MIT
// String escaping, the escape-safe charset rule and Value -> SQL literal.
#include "values/escape.hpp"

#include <array>
#include <cmath>

#include "values/charset_table.hpp"
#include "values/number_text.hpp"

namespace uvmysql::detail {

namespace {

// The character after the backslash for each byte that mysql_real_escape_string escapes, else 0.
constexpr std::array<char, 256> backslash_table = [] {
    std::array<char, 256> t{};
    t[0x00] = '0';
    t['\n'] = 'n';
    t['\r'] = 'r';
    t['\\'] = '\\';
    t['\''] = '\'';
    t['"'] = '"';
    t[0x1a] = 'Z';
    return t;
}();

Status bad_argument(std::string msg) {
    return Status::client(0, std::move(msg), ClientKind::programming);   // errno 0: API misuse
}

}  // namespace

Status append_identifier(std::string_view name, std::string& out) {
    if (name.empty()) return bad_argument("empty identifier");
    if (name.find('\0') != std::string_view::npos) return bad_argument("identifier contains a NUL byte");
    out += '`';
    for (const char c : name) {
        if (c == '`') out += '`';
        out += c;
    }
    out += '`';
    return {};
}

void append_escaped(std::string& out, std::string_view s, bool no_backslash_escapes) {
    const char* p = s.data();
    const char* const end = p + s.size();
    const char* run = p;
    if (no_backslash_escapes) {
        for (; p != end; ++p) {
            if (*p == '\'') {
                out.append(run, p + 1);   // the quote itself, then its double
                out.push_back('\'');
                run = p + 1;
            }
        }
    } else {
        for (; p != end; ++p) {
            const char e = backslash_table[static_cast<unsigned char>(*p)];
            if (e != 0) {
                out.append(run, p);
                out.push_back('\\');
                out.push_back(e);
                run = p + 1;
            }
        }
    }
    out.append(run, end);
}

std::string escape_string(std::string_view s, bool no_backslash_escapes) {
    std::string out;
    out.reserve(s.size() + s.size() / 8 + 2);
    append_escaped(out, s, no_backslash_escapes);
    return out;
}

bool charset_is_escape_safe(std::string_view charset) noexcept {
    const CharsetInfo* cs = find_charset(charset);
    return cs != nullptr && cs->escape_safe;
}

Status append_literal(const Value& v, const EscapeOptions& opts, std::string& out) {
    switch (v.kind()) {
        case Kind::null: out += "NULL"; return {};
        case Kind::boolean: out.push_back(*v.get_if<bool>() ? '1' : '0'); return {};
        case Kind::int64: append_integer(out, *v.get_if<std::int64_t>()); return {};
        case Kind::uint64: append_integer(out, *v.get_if<std::uint64_t>()); return {};
        case Kind::float32:
        case Kind::float64: {
            const bool is_float = v.kind() == Kind::float32;
            const double d = is_float ? *v.get_if<float>() : *v.get_if<double>();
            if (!std::isfinite(d)) {
                return bad_argument(std::string(std::isnan(d) ? "nan" : d > 0 ? "inf" : "-inf") +
                                    " can not be used with MySQL");
            }
            const std::size_t start = out.size();
            if (is_float) {
                append_shortest(out, *v.get_if<float>());
            } else {
                append_shortest(out, d);
            }
            // Without an exponent the server would read a DECIMAL literal ("0.1" is exact there).
            if (out.find('e', start) == std::string::npos) out += "e0";
            return {};
        }
        case Kind::text: {
            const auto& s = *v.get_if<std::string>();
            out.reserve(out.size() + s.size() + 2);
            out.push_back('\'');
            append_escaped(out, s, opts.no_backslash_escapes);
            out.push_back('\'');
            return {};
        }
        case Kind::bytes: {
            const auto s = v.get_if<uvmysql::Bytes>()->view();
            out.reserve(out.size() + s.size() + 9);
            out += "_binary'";
            append_escaped(out, s, opts.no_backslash_escapes);
            out.push_back('\'');
            return {};
        }
        case Kind::decimal: {
            // A Decimal is validated when built; checked again because its text goes out raw.
            const auto& s = v.get_if<Decimal>()->str();
            if (!is_decimal_text(s)) return bad_argument("decimal value is not a number");
            out += s;
            return {};
        }
        case Kind::date: {
            out.push_back('\'');
            out += v.get_if<Date>()->to_string();
            out.push_back('\'');
            return {};
        }
        case Kind::datetime: {
            const auto& dt = *v.get_if<DateTime>();
            if (dt.microsecond < 0 || dt.microsecond > 999999) {
                return bad_argument("datetime microsecond " + std::to_string(dt.microsecond) +
                                    " is outside 0..999999");
            }
            out.push_back('\'');
            out += dt.to_string();
            out.push_back('\'');
            return {};
        }
        case Kind::time: {
            out.push_back('\'');
            out += v.get_if<Time>()->to_string();
            out.push_back('\'');
            return {};
        }
        case Kind::list: {
            out.push_back('(');
            bool first = true;
            for (const Value& e : *v.get_if<Value::List>()) {
                if (!first) out.push_back(',');
                first = false;
                if (auto st = append_literal(e, opts, out); !st.ok()) return st;
            }
            out.push_back(')');
            return {};
        }
    }
    return bad_argument("unknown value kind");
}

Status literal(const Value& v, const EscapeOptions& opts, std::string& out) {
    out.clear();
    return append_literal(v, opts, out);
}

}  // namespace uvmysql::detail
