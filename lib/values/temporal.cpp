// SPDX-License-Identifier: MIT
// Date, DateTime and Time: validity, parsing and formatting in MySQL's text format.
#include "uvmysql/temporal.hpp"

#include <ostream>

#include "values/number_text.hpp"

namespace uvmysql {

namespace {

constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_minute = 60 * us_per_second;
constexpr std::int64_t us_per_hour = 60 * us_per_minute;

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) noexcept {
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// A cursor over the text being parsed; every read is bounds-checked.
struct Scanner {
    std::string_view s;
    std::size_t i = 0;

    // Reads between min and max decimal digits (as many as there are, up to max).
    bool number(int min, int max, std::int64_t& out) noexcept {
        std::size_t n = 0;
        std::int64_t v = 0;
        while (i < s.size() && n < static_cast<std::size_t>(max) && s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (s[i] - '0');
            ++i;
            ++n;
        }
        out = v;
        return n >= static_cast<std::size_t>(min) && !(i < s.size() && s[i] >= '0' && s[i] <= '9');
    }
    bool number(int min, int max, int& out) noexcept {
        std::int64_t v = 0;
        const bool ok = number(min, max, v);
        out = static_cast<int>(v);
        return ok;
    }
    bool literal(char c) noexcept {
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
    // ".f{1,6}" if present, as microseconds ("5" -> 500000); true when absent too.
    bool fraction(int& us) noexcept {
        us = 0;
        if (!literal('.')) return true;
        const std::size_t start = i;
        int v = 0;
        if (!number(1, 6, v)) return false;
        for (auto n = i - start; n < 6; ++n) v *= 10;
        us = v;
        return true;
    }
    [[nodiscard]] bool done() const noexcept { return i == s.size(); }
};

// `n` ASCII digits at p as a number, or -1.
int fixed_digits(const char* p, int n) noexcept {
    int v = 0;
    for (int k = 0; k < n; ++k) {
        const unsigned digit = static_cast<unsigned char>(p[k]) - unsigned{'0'};
        if (digit > 9) return -1;
        v = v * 10 + static_cast<int>(digit);
    }
    return v;
}

// The layout the server sends, "YYYY-MM-DD", read at fixed positions (the fast path; anything
// else goes through the Scanner, which gives the same result for this layout).
bool fixed_date(std::string_view s, int& y, int& m, int& d) noexcept {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
    y = fixed_digits(s.data(), 4);
    m = fixed_digits(s.data() + 5, 2);
    d = fixed_digits(s.data() + 8, 2);
    return y >= 0 && m >= 0 && d >= 0;
}

// "YYYY-MM-DD hh:mm:ss[.f{1,6}]" at fixed positions.
bool fixed_datetime(std::string_view s, DateTime& t) noexcept {
    if (s.size() < 19 || s.size() == 20 || s.size() > 26 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        s[16] != ':' || !fixed_date(s, t.year, t.month, t.day)) {
        return false;
    }
    t.hour = fixed_digits(s.data() + 11, 2);
    t.minute = fixed_digits(s.data() + 14, 2);
    t.second = fixed_digits(s.data() + 17, 2);
    t.microsecond = 0;
    if (s.size() > 19) {
        if (s[19] != '.') return false;
        const int n = static_cast<int>(s.size()) - 20;
        t.microsecond = fixed_digits(s.data() + 20, n);
        for (int k = n; k < 6 && t.microsecond >= 0; ++k) t.microsecond *= 10;
    }
    return t.hour >= 0 && t.minute >= 0 && t.second >= 0 && t.microsecond >= 0;
}

bool scan_date(Scanner& sc, int& y, int& m, int& d) noexcept {
    return sc.number(1, 4, y) && sc.literal('-') && sc.number(1, 2, m) && sc.literal('-') && sc.number(1, 2, d);
}

void append_date(std::string& out, int y, int m, int d) {
    detail::append_padded(out, y, 4);
    out.push_back('-');
    detail::append_padded(out, m, 2);
    out.push_back('-');
    detail::append_padded(out, d, 2);
}

void append_fraction(std::string& out, std::int64_t us) {
    if (us == 0) return;
    out.push_back('.');
    detail::append_padded(out, us, 6);
}

}  // namespace

// ---- Date ----

std::optional<Date> Date::parse(std::string_view text) noexcept {
    Date d;
    if (text.size() == 10 && fixed_date(text, d.year, d.month, d.day)) {
        if (!d.is_valid()) return std::nullopt;
        return d;
    }
    Scanner sc{text};
    if (!scan_date(sc, d.year, d.month, d.day) || !sc.done() || !d.is_valid()) return std::nullopt;
    return d;
}

bool Date::is_valid() const noexcept {
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::string Date::to_string() const {
    std::string out;
    out.reserve(10);
    append_date(out, year, month, day);
    return out;
}

// ---- DateTime ----

std::optional<DateTime> DateTime::parse(std::string_view text) noexcept {
    DateTime t;
    if (fixed_datetime(text, t)) {
        if (!t.is_valid()) return std::nullopt;
        return t;
    }
    t = DateTime{};
    Scanner sc{text};
    if (!scan_date(sc, t.year, t.month, t.day)) return std::nullopt;
    if (!sc.literal(' ') && !sc.literal('T')) return std::nullopt;
    if (!sc.number(1, 2, t.hour) || !sc.literal(':') || !sc.number(1, 2, t.minute) || !sc.literal(':') ||
        !sc.number(1, 2, t.second) || !sc.fraction(t.microsecond) || !sc.done() || !t.is_valid()) {
        return std::nullopt;
    }
    return t;
}

bool DateTime::is_valid() const noexcept {
    return date().is_valid() && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 &&
           second <= 59 && microsecond >= 0 && microsecond <= 999999;
}

std::string DateTime::to_string() const {
    std::string out;
    out.reserve(26);
    append_date(out, year, month, day);
    out.push_back(' ');
    detail::append_padded(out, hour, 2);
    out.push_back(':');
    detail::append_padded(out, minute, 2);
    out.push_back(':');
    detail::append_padded(out, second, 2);
    append_fraction(out, microsecond);
    return out;
}

// ---- Time ----

Time Time::from_parts(bool negative, std::int64_t hours, std::int64_t minute, std::int64_t second,
                      std::int64_t microsecond) noexcept {
    // Unsigned arithmetic: out-of-range parts wrap instead of being undefined behaviour.
    using U = std::uint64_t;
    const U us = U(hours) * U(us_per_hour) + U(minute) * U(us_per_minute) + U(second) * U(us_per_second) +
                 U(microsecond);
    return Time(std::chrono::microseconds(static_cast<std::int64_t>(negative ? 0 - us : us)));
}

std::optional<Time> Time::parse(std::string_view text) noexcept {
    Scanner sc{text};
    const bool negative = sc.literal('-');
    std::int64_t h = 0;
    int m = 0;
    int s = 0;
    int us = 0;
    if (!sc.number(1, 9, h) || !sc.literal(':') || !sc.number(1, 2, m) || !sc.literal(':') || !sc.number(1, 2, s) ||
        !sc.fraction(us) || !sc.done() || m > 59 || s > 59) {
        return std::nullopt;
    }
    return from_parts(negative, h, m, s, us);
}

namespace {
std::uint64_t magnitude(std::chrono::microseconds d) noexcept {
    const auto c = static_cast<std::uint64_t>(d.count());
    return d.count() < 0 ? 0 - c : c;
}
}  // namespace

std::int64_t Time::hours() const noexcept {
    return static_cast<std::int64_t>(magnitude(duration_) / static_cast<std::uint64_t>(us_per_hour));
}
int Time::minute() const noexcept {
    return static_cast<int>(magnitude(duration_) / us_per_minute % 60);
}
int Time::second() const noexcept {
    return static_cast<int>(magnitude(duration_) / us_per_second % 60);
}
int Time::microsecond() const noexcept {
    return static_cast<int>(magnitude(duration_) % us_per_second);
}

std::string Time::to_string() const {
    std::string out;
    out.reserve(20);
    if (negative()) out.push_back('-');
    const std::uint64_t h = magnitude(duration_) / static_cast<std::uint64_t>(us_per_hour);
    if (h < 10) out.push_back('0');
    detail::append_integer(out, h);
    out.push_back(':');
    detail::append_padded(out, minute(), 2);
    out.push_back(':');
    detail::append_padded(out, second(), 2);
    append_fraction(out, microsecond());
    return out;
}

std::ostream& operator<<(std::ostream& os, const Date& d) { return os << d.to_string(); }
std::ostream& operator<<(std::ostream& os, const DateTime& dt) { return os << dt.to_string(); }
std::ostream& operator<<(std::ostream& os, const Time& t) { return os << t.to_string(); }

}  // namespace uvmysql
