// SPDX-License-Identifier: MIT
// Fuzz target: the query-parameter formatter (%s, %(name)s, %%) against a reference, and every
// literal it produces read back as the server reads it: a string literal, lexed under backslash
// and under NO_BACKSLASH_ESCAPES rules, gives the original bytes with nothing after its closing
// quote; numbers and temporal values parse back to the value. Identifiers quoted with backticks
// read back the same way.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz_check.hpp"
#include "values/escape.hpp"
#include "values/format_query.hpp"

using namespace uvmysql::detail;
using uvmysql::Kind;
using uvmysql::NamedParams;
using uvmysql::Params;
using uvmysql::Value;

namespace {

// The server's lexer for one quoted string literal (sql_lex.cc: get_text), with the optional
// _binary introducer. nullopt: not a single well-formed literal.
std::optional<std::string> lex_string(std::string_view lit, bool no_backslash_escapes) {
    if (lit.starts_with("_binary")) lit.remove_prefix(7);
    if (lit.empty() || lit.front() != '\'') return std::nullopt;
    std::string out;
    for (std::size_t i = 1; i < lit.size(); ++i) {
        const char c = lit[i];
        if (c == '\\' && !no_backslash_escapes) {
            if (i + 1 >= lit.size()) return std::nullopt;
            const char e = lit[++i];
            switch (e) {
                case '0': out += '\0'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'b': out += '\b'; break;
                case 'Z': out += '\x1a'; break;
                case '%': case '_': out += '\\'; out += e; break;   // kept for LIKE patterns
                default: out += e; break;
            }
            continue;
        }
        if (c == '\'') {
            if (i + 1 < lit.size() && lit[i + 1] == '\'') {
                out += '\'';
                ++i;
                continue;
            }
            if (i + 1 != lit.size()) return std::nullopt;   // something after the closing quote
            return out;
        }
        out += c;
    }
    return std::nullopt;   // unterminated
}

// The server's lexer for one backtick-quoted identifier. nullopt: not a single one.
std::optional<std::string> lex_identifier(std::string_view q) {
    if (q.empty() || q.front() != '`') return std::nullopt;
    std::string out;
    for (std::size_t i = 1; i < q.size(); ++i) {
        if (q[i] != '`') {
            out += q[i];
            continue;
        }
        if (i + 1 < q.size() && q[i + 1] == '`') {
            out += '`';
            ++i;
            continue;
        }
        if (i + 1 != q.size()) return std::nullopt;
        return out;
    }
    return std::nullopt;
}

std::string_view unquote(std::string_view lit) {
    if (lit.size() >= 2 && lit.front() == '\'' && lit.back() == '\'') return lit.substr(1, lit.size() - 2);
    return {};
}

template <class T>
bool parses_to(std::string_view s, T want) {
    T got{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), got);
    return ec == std::errc{} && end == s.data() + s.size() && got == want;
}

// Checks one literal of `v` (append_literal succeeded) against the value.
void check_literal(const Value& v, const std::string& lit, bool nbe) {
    switch (v.kind()) {
        case Kind::null: UVMYSQL_FUZZ_CHECK(lit == "NULL"); break;
        case Kind::boolean: UVMYSQL_FUZZ_CHECK(lit == (*v.get_if<bool>() ? "1" : "0")); break;
        case Kind::int64: UVMYSQL_FUZZ_CHECK(parses_to(lit, *v.get_if<std::int64_t>())); break;
        case Kind::uint64: UVMYSQL_FUZZ_CHECK(parses_to(lit, *v.get_if<std::uint64_t>())); break;
        case Kind::float32:
            UVMYSQL_FUZZ_CHECK(lit.find('e') != std::string::npos);
            UVMYSQL_FUZZ_CHECK(std::strtof(lit.c_str(), nullptr) == *v.get_if<float>());
            break;
        case Kind::float64:
            UVMYSQL_FUZZ_CHECK(lit.find('e') != std::string::npos);   // a DOUBLE literal, not a DECIMAL
            UVMYSQL_FUZZ_CHECK(std::strtod(lit.c_str(), nullptr) == *v.get_if<double>());
            break;
        case Kind::text: {
            UVMYSQL_FUZZ_CHECK(!lit.starts_with("_binary"));
            const auto back = lex_string(lit, nbe);
            UVMYSQL_FUZZ_CHECK(back && *back == *v.get_if<std::string>());
            break;
        }
        case Kind::bytes: {
            UVMYSQL_FUZZ_CHECK(lit.starts_with("_binary'"));
            const auto back = lex_string(lit, nbe);
            UVMYSQL_FUZZ_CHECK(back && *back == v.get_if<uvmysql::Bytes>()->str());
            break;
        }
        case Kind::decimal: UVMYSQL_FUZZ_CHECK(lit == v.get_if<uvmysql::Decimal>()->str()); break;
        case Kind::date: {
            const auto& d = *v.get_if<uvmysql::Date>();
            const auto back = uvmysql::Date::parse(unquote(lit));
            if (d.is_valid()) UVMYSQL_FUZZ_CHECK(back && *back == d);
            UVMYSQL_FUZZ_CHECK(lex_string(lit, nbe).has_value());
            break;
        }
        case Kind::datetime: {
            const auto& dt = *v.get_if<uvmysql::DateTime>();
            const auto back = uvmysql::DateTime::parse(unquote(lit));
            if (dt.is_valid()) UVMYSQL_FUZZ_CHECK(back && *back == dt);
            UVMYSQL_FUZZ_CHECK(lex_string(lit, nbe).has_value());
            break;
        }
        case Kind::time: {
            const auto back = uvmysql::Time::parse(unquote(lit));
            if (back) UVMYSQL_FUZZ_CHECK(*back == *v.get_if<uvmysql::Time>());
            UVMYSQL_FUZZ_CHECK(lex_string(lit, nbe).has_value());
            break;
        }
        case Kind::list:
            UVMYSQL_FUZZ_CHECK(lit.size() >= 2 && lit.front() == '(' && lit.back() == ')');
            break;
    }
}

Value make_value(FuzzedDataProvider& in, int depth) {
    switch (in.ConsumeIntegralInRange<int>(0, 13)) {
        case 0: return Value();
        case 1: return Value(in.ConsumeBool());
        case 2: return Value(in.ConsumeIntegral<std::int64_t>());
        case 3: return Value(in.ConsumeIntegral<std::uint64_t>());
        case 4: return Value(in.ConsumeFloatingPoint<float>());
        case 5: return Value(in.ConsumeFloatingPoint<double>());
        case 6: case 7: return Value(in.ConsumeRandomLengthString(64));
        case 8: return Value(uvmysql::Bytes(in.ConsumeRandomLengthString(64)));
        case 9: {
            auto d = uvmysql::Decimal::parse(in.ConsumeRandomLengthString(24));
            return d ? Value(*d) : Value();
        }
        case 10: return Value(uvmysql::Date{in.ConsumeIntegralInRange(-1, 10000), in.ConsumeIntegralInRange(0, 13),
                                            in.ConsumeIntegralInRange(0, 32)});
        case 11: return Value(uvmysql::DateTime{in.ConsumeIntegralInRange(0, 9999), in.ConsumeIntegralInRange(1, 12),
                                                in.ConsumeIntegralInRange(1, 31), in.ConsumeIntegralInRange(0, 23),
                                                in.ConsumeIntegralInRange(0, 59), in.ConsumeIntegralInRange(0, 59),
                                                in.ConsumeIntegralInRange(-1, 1000000)});
        case 12: return Value(uvmysql::Time(std::chrono::microseconds(in.ConsumeIntegral<std::int64_t>() >> 16)));
        default: {
            Value::List list;
            if (depth < 2) {
                const int n = in.ConsumeIntegralInRange(0, 3);
                for (int i = 0; i < n; ++i) list.push_back(make_value(in, depth + 1));
            }
            return Value(std::move(list));
        }
    }
}

// The reference: Python's % with %s (positional) or %(name)s (named) and %%, nothing else.
std::optional<std::string> reference(std::string_view q, const Params* pos, const NamedParams* named,
                                     const EscapeOptions& opts) {
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i] != '%') {
            out += q[i];
            continue;
        }
        if (i + 1 >= q.size()) return std::nullopt;
        const char d = q[i + 1];
        if (d == '%') {
            out += '%';
            ++i;
            continue;
        }
        const Value* v = nullptr;
        if (pos != nullptr) {
            if (d != 's' || next >= pos->size()) return std::nullopt;
            v = &(*pos)[next++];
            ++i;
        } else {
            if (d != '(') return std::nullopt;
            const auto close = q.find(')', i + 2);
            if (close == std::string_view::npos || close + 1 >= q.size() || q[close + 1] != 's') return std::nullopt;
            const auto name = q.substr(i + 2, close - i - 2);
            for (const auto& [n, val] : *named) {
                if (n == name) v = &val;   // the last duplicate wins
            }
            if (v == nullptr) return std::nullopt;
            i = close + 1;
        }
        if (!append_literal(*v, opts, out).ok()) return std::nullopt;
    }
    if (pos != nullptr && next != pos->size()) return std::nullopt;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const bool named_style = in.ConsumeBool();
    const int count = in.ConsumeIntegralInRange(0, 5);
    Params pos;
    NamedParams named;
    for (int i = 0; i < count; ++i) {
        Value v = make_value(in, 0);
        if (named_style) {
            named.emplace_back(in.ConsumeRandomLengthString(6), std::move(v));
        } else {
            pos.push_back(std::move(v));
        }
    }
    const std::string query = in.ConsumeRemainingBytesAsString();

    // The query text as an identifier too (lib/sql quotes table and column names this way).
    std::string ident = "x";
    const Status ist = append_identifier(query, ident);
    if (query.empty() || query.find('\0') != std::string::npos) {
        UVMYSQL_FUZZ_CHECK(!ist.ok() && ist.client_kind == ClientKind::programming);
    } else {
        UVMYSQL_FUZZ_CHECK(ist.ok());
        const auto back = lex_identifier(std::string_view(ident).substr(1));
        UVMYSQL_FUZZ_CHECK(back && *back == query);
    }

    for (const bool nbe : {false, true}) {
        const EscapeOptions opts{nbe};
        for (const Value& v : named_style ? [&] {
                 Params vs;
                 for (const auto& p : named) vs.push_back(p.second);
                 return vs;
             }()
                                          : pos) {
            std::string lit;
            if (literal(v, opts, lit).ok()) check_literal(v, lit, nbe);
        }
        std::string out = "prefix;";
        const Status st = named_style ? format_query(query, named, opts, out) : format_query(query, pos, opts, out);
        const auto want = named_style ? reference(query, nullptr, &named, opts) : reference(query, &pos, nullptr, opts);
        if (!st.ok()) {
            UVMYSQL_FUZZ_CHECK(out == "prefix;");   // restored on error
            UVMYSQL_FUZZ_CHECK(st.client_kind == ClientKind::programming);
        }
        UVMYSQL_FUZZ_CHECK(st.ok() == want.has_value());
        if (st.ok()) UVMYSQL_FUZZ_CHECK(out == "prefix;" + *want);
    }
    return 0;
}
