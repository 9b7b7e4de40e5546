// SPDX-License-Identifier: MIT
// One-pass interpolation of escaped parameters into a query (Python's % operator, as PyMySQL uses it).
#include "values/format_query.hpp"

#include <cstdio>

namespace uvmysql::detail {

namespace {

Status format_error(std::string msg) {
    return Status::client(0, std::move(msg), ClientKind::programming);   // errno 0: API misuse
}

Status unsupported(std::string_view query, std::size_t at) {
    const auto c = static_cast<unsigned char>(query[at]);
    char buf[96];
    std::snprintf(buf, sizeof buf, "unsupported format character '%c' (0x%x) at index %zu",
                  (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?', c, at);
    return format_error(buf);
}

// A rough size of what the arguments add, so that `out` grows once.
std::size_t estimate(const Value& v) noexcept {
    if (const auto* s = v.get_if<std::string>()) return s->size() + s->size() / 8 + 2;
    if (const auto* b = v.get_if<uvmysql::Bytes>()) return b->size() + b->size() / 8 + 9;
    if (const auto* l = v.get_if<Value::List>()) {
        std::size_t n = 2;
        for (const auto& e : *l) n += estimate(e) + 1;
        return n;
    }
    return 24;
}

// Finds the value for `name`; the last duplicate wins, as in a Python dict literal.
const Value* lookup(const NamedParams& args, std::string_view name) noexcept {
    for (auto it = args.rbegin(); it != args.rend(); ++it) {
        if (it->first == name) return &it->second;
    }
    return nullptr;
}

// The shared scanner: `on_positional` handles "%s", `on_named` handles "%(name)s".
template <class Positional, class Named>
Status scan(std::string_view query, std::string& out, std::size_t reserve, Positional&& on_positional,
            Named&& on_named) {
    const std::size_t start_size = out.size();
    out.reserve(start_size + reserve);
    std::size_t i = 0;
    Status st;
    while (true) {
        const std::size_t pct = query.find('%', i);
        if (pct == std::string_view::npos) {
            out.append(query.substr(i));
            return {};
        }
        out.append(query.substr(i, pct - i));
        if (pct + 1 >= query.size()) {
            st = format_error("incomplete format");
            break;
        }
        const char c = query[pct + 1];
        if (c == '%') {
            out.push_back('%');
            i = pct + 2;
        } else if (c == 's') {
            st = on_positional(pct);
            if (!st.ok()) break;
            i = pct + 2;
        } else if (c == '(') {
            const std::size_t close = query.find(')', pct + 2);
            if (close == std::string_view::npos) {
                st = format_error("incomplete format key");
                break;
            }
            if (close + 1 >= query.size()) {
                st = format_error("incomplete format");
                break;
            }
            if (query[close + 1] != 's') {
                st = unsupported(query, close + 1);
                break;
            }
            st = on_named(query.substr(pct + 2, close - pct - 2));
            if (!st.ok()) break;
            i = close + 2;
        } else {
            st = unsupported(query, pct + 1);
            break;
        }
    }
    out.resize(start_size);
    return st;
}

}  // namespace

Status format_positional(std::string_view query, std::span<const Value> args, const EscapeOptions& opts,
                         std::string& out) {
    std::size_t reserve = query.size();
    for (const auto& a : args) reserve += estimate(a);
    std::size_t next = 0;
    const std::size_t start_size = out.size();
    Status st = scan(
        query, out, reserve,
        [&](std::size_t) -> Status {
            if (next >= args.size()) return format_error("not enough arguments for format string");
            return append_literal(args[next++], opts, out);
        },
        [&](std::string_view) -> Status { return format_error("format requires a mapping"); });
    if (st.ok() && next < args.size()) {
        out.resize(start_size);
        return format_error("not all arguments converted during string formatting");
    }
    return st;
}

Status format_query(std::string_view query, const NamedParams& args, const EscapeOptions& opts,
                    std::string& out) {
    std::size_t reserve = query.size();
    for (const auto& a : args) reserve += estimate(a.second);
    return scan(
        query, out, reserve,
        [&](std::size_t at) -> Status {
            return format_error("positional placeholder %s at index " + std::to_string(at) +
                                " but named arguments were given");
        },
        [&](std::string_view name) -> Status {
            const Value* v = lookup(args, name);
            if (v == nullptr) return format_error("no value for named parameter '" + std::string(name) + "'");
            return append_literal(*v, opts, out);
        });
}

Status format_query(std::string_view query, const Args& args, const EscapeOptions& opts, std::string& out) {
    switch (args.style()) {
        case Args::Style::positional: return format_query(query, args.positional(), opts, out);
        case Args::Style::named: return format_query(query, args.named(), opts, out);
        case Args::Style::none: break;
    }
    out.append(query);
    return {};
}

}  // namespace uvmysql::detail
