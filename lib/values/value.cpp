// SPDX-License-Identifier: MIT
// Value, Bytes and Decimal: conversions, display, equality and the accessor errors.
#include "uvmysql/value.hpp"

#include <cmath>
#include <ostream>

#include "uvmysql/error.hpp"
#include "values/number_text.hpp"

namespace uvmysql {

namespace detail {

namespace {
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The parts of a decimal number's text, for validation and canonicalisation.
struct DecimalParts {
    bool negative = false;
    std::string_view int_digits;
    std::string_view frac_digits;
    bool exp_negative = false;
    std::string_view exp_digits;
    bool has_exp = false;
};

bool split_decimal(std::string_view s, DecimalParts& p) noexcept {
    std::size_t i = 0;
    const std::size_t n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) p.negative = s[i++] == '-';
    std::size_t start = i;
    while (i < n && is_digit(s[i])) ++i;
    p.int_digits = s.substr(start, i - start);
    if (i < n && s[i] == '.') {
        start = ++i;
        while (i < n && is_digit(s[i])) ++i;
        p.frac_digits = s.substr(start, i - start);
    }
    if (p.int_digits.empty() && p.frac_digits.empty()) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        p.has_exp = true;
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) p.exp_negative = s[i++] == '-';
        start = i;
        while (i < n && is_digit(s[i])) ++i;
        p.exp_digits = s.substr(start, i - start);
        if (p.exp_digits.empty()) return false;
    }
    return i == n;
}
}  // namespace

bool is_decimal_text(std::string_view s) noexcept {
    DecimalParts p;
    return split_decimal(s, p);
}

void throw_value_kind(Kind have, std::string_view wanted) {
    std::string msg = "cannot convert a ";
    msg += kind_name(have);
    msg += " value to ";
    msg += wanted;
    if (have == Kind::null) msg += " (use as<std::optional<T>>() for nullable columns)";
    throw InterfaceError(0, "HY000", std::move(msg));
}

void throw_value_range(const Value& value, std::string_view wanted) {
    throw DataError(0, "22003", "value " + value.to_string() + " is out of range for " + std::string(wanted));
}

}  // namespace detail

// ---- Decimal ----

std::optional<Decimal> Decimal::parse(std::string_view text) {
    detail::DecimalParts p;
    if (!detail::split_decimal(text, p)) return std::nullopt;
    Decimal d;
    std::string& out = d.text_;
    // What the server sends is already canonical: no sign but '-', no exponent, no leading zero.
    const bool canonical = !p.has_exp && !text.empty() && text[0] != '+' && !p.int_digits.empty() &&
                           (p.int_digits.size() == 1 || p.int_digits[0] != '0') &&
                           (text.back() != '.');
    if (canonical) {
        out.assign(text);
        return d;
    }
    out.clear();
    out.reserve(text.size() + 1);
    if (p.negative) out.push_back('-');
    auto digits = p.int_digits;
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (digits.empty()) digits = "0";
    out.append(digits);
    if (!p.frac_digits.empty()) {
        out.push_back('.');
        out.append(p.frac_digits);
    }
    auto exp = p.exp_digits;
    while (!exp.empty() && exp.front() == '0') exp.remove_prefix(1);
    if (!exp.empty()) {
        out.push_back('E');
        if (p.exp_negative) out.push_back('-');
        out.append(exp);
    }
    return d;
}

Decimal::Decimal(std::string_view text) {
    auto d = parse(text);
    if (!d) {
        std::string shown(text.substr(0, 64));
        throw DataError(0, "22018", "'" + shown + (text.size() > 64 ? "...'" : "'") + " is not a decimal number");
    }
    text_ = std::move(d->text_);
}

double Decimal::to_double() const noexcept {
    double d = 0;
    // The canonical text always parses; an exponent beyond double's range gives +-inf or 0.
    const auto r = std::from_chars(text_.data(), text_.data() + text_.size(), d);
    if (r.ec == std::errc::result_out_of_range) {
        const bool neg = !text_.empty() && text_[0] == '-';
        const bool tiny = text_.find("E-") != std::string::npos;
        if (tiny) return neg ? -0.0 : 0.0;
        return neg ? -HUGE_VAL : HUGE_VAL;
    }
    return d;
}

// ---- Value ----

std::string_view kind_name(Kind kind) noexcept {
    switch (kind) {
        case Kind::null: return "null";
        case Kind::boolean: return "boolean";
        case Kind::int64: return "int64";
        case Kind::uint64: return "uint64";
        case Kind::float32: return "float32";
        case Kind::float64: return "float64";
        case Kind::text: return "text";
        case Kind::bytes: return "bytes";
        case Kind::decimal: return "decimal";
        case Kind::date: return "date";
        case Kind::datetime: return "datetime";
        case Kind::time: return "time";
        case Kind::list: return "list";
    }
    return "unknown";
}

namespace {

// A number seen as one of three exact representations, for cross-kind equality.
struct Number {
    enum { i64, u64, f64 } rep;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;
};

Number number_of(const Value& v) noexcept {
    switch (v.kind()) {
        case Kind::boolean: return {Number::i64, *v.get_if<bool>() ? 1 : 0};
        case Kind::int64: return {Number::i64, *v.get_if<std::int64_t>()};
        case Kind::uint64: return {Number::u64, 0, *v.get_if<std::uint64_t>()};
        case Kind::float32: return {Number::f64, 0, 0, *v.get_if<float>()};
        default: return {Number::f64, 0, 0, *v.get_if<double>()};
    }
}

bool double_equals_int(double d, std::int64_t i) noexcept {
    // [-2^63, 2^63) are exactly the doubles that convert to int64 without overflow.
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || std::trunc(d) != d) return false;
    return static_cast<std::int64_t>(d) == i;
}

bool double_equals_uint(double d, std::uint64_t u) noexcept {
    if (!(d >= 0.0 && d < 18446744073709551616.0) || std::trunc(d) != d) return false;
    return static_cast<std::uint64_t>(d) == u;
}

bool numbers_equal(const Number& a, const Number& b) noexcept {
    if (a.rep == Number::i64) {
        if (b.rep == Number::i64) return a.i == b.i;
        if (b.rep == Number::u64) return a.i >= 0 && static_cast<std::uint64_t>(a.i) == b.u;
        return double_equals_int(b.d, a.i);
    }
    if (a.rep == Number::u64) {
        if (b.rep == Number::i64) return numbers_equal(b, a);
        if (b.rep == Number::u64) return a.u == b.u;
        return double_equals_uint(b.d, a.u);
    }
    if (b.rep != Number::f64) return numbers_equal(b, a);
    return a.d == b.d;
}

void append_display(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Kind::null: out += "NULL"; break;
        case Kind::boolean: out += *v.get_if<bool>() ? "true" : "false"; break;
        case Kind::int64: detail::append_integer(out, *v.get_if<std::int64_t>()); break;
        case Kind::uint64: detail::append_integer(out, *v.get_if<std::uint64_t>()); break;
        case Kind::float32: detail::append_shortest(out, *v.get_if<float>()); break;
        case Kind::float64: detail::append_shortest(out, *v.get_if<double>()); break;
        case Kind::text: out += *v.get_if<std::string>(); break;
        case Kind::bytes: out += v.get_if<Bytes>()->view(); break;
        case Kind::decimal: out += v.get_if<Decimal>()->str(); break;
        case Kind::date: out += v.get_if<Date>()->to_string(); break;
        case Kind::datetime: out += v.get_if<DateTime>()->to_string(); break;
        case Kind::time: out += v.get_if<Time>()->to_string(); break;
        case Kind::list: {
            out.push_back('(');
            bool first = true;
            for (const Value& e : *v.get_if<Value::List>()) {
                if (!first) out += ", ";
                first = false;
                append_display(out, e);
            }
            out.push_back(')');
            break;
        }
    }
}

}  // namespace

std::string Value::to_string() const {
    std::string out;
    append_display(out, *this);
    return out;
}

bool operator==(const Value& a, const Value& b) noexcept {
    if (a.is_number() && b.is_number()) return numbers_equal(number_of(a), number_of(b));
    return a.v_ == b.v_;
}

std::ostream& operator<<(std::ostream& os, const Value& v) {
    return os << kind_name(v.kind()) << '(' << v.to_string() << ')';
}

std::ostream& operator<<(std::ostream& os, const Bytes& b) {
    static constexpr char hex[] = "0123456789abcdef";
    os << "Bytes(";
    for (const auto c : b.span()) os << hex[c >> 4] << hex[c & 15];
    return os << ')';
}

std::ostream& operator<<(std::ostream& os, const Decimal& d) { return os << d.str(); }

}  // namespace uvmysql
