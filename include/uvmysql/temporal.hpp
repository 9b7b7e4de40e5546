// SPDX-License-Identifier: MIT
// Date, DateTime and Time: MySQL's temporal values, with parsing and formatting in MySQL's text form.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "uvmysql/export.hpp"

namespace uvmysql {

/// A calendar date (MySQL DATE), field by field; no time zone.
/// Any field values can be stored (and sent: the server decides what it accepts);
/// is_valid() tells whether the date exists in the proleptic Gregorian calendar.
struct UVMYSQL_API Date {
    int year = 0;    ///< 1..9999 for a valid date
    int month = 0;   ///< 1..12
    int day = 0;     ///< 1..days in that month

    /// Parses MySQL's "YYYY-MM-DD" (1-4 digit year, 1-2 digit month and day, nothing else).
    /// Returns std::nullopt for anything else, for zero dates ("0000-00-00", "2020-00-10")
    /// and for dates that do not exist ("2021-02-29") — the rule of Python's datetime.date,
    /// which PyMySQL follows.
    [[nodiscard]] static std::optional<Date> parse(std::string_view text) noexcept;
    /// True for an existing date with year 1..9999 (Python's datetime.date range).
    [[nodiscard]] bool is_valid() const noexcept;
    /// "YYYY-MM-DD", zero-padded.
    [[nodiscard]] std::string to_string() const;

    /// Field by field (year, month, day): chronological order for valid dates.
    friend auto operator<=>(const Date&, const Date&) = default;
};

/// A date and a time of day with microseconds (MySQL DATETIME and TIMESTAMP); no time zone.
struct UVMYSQL_API DateTime {
    /// 1..9999 for a valid value.
    int year = 0;
    /// 1..12
    int month = 0;
    /// 1..days in that month
    int day = 0;
    int hour = 0;          ///< 0..23
    int minute = 0;        ///< 0..59
    int second = 0;        ///< 0..59
    int microsecond = 0;   ///< 0..999999

    /// Parses "YYYY-MM-DD HH:MM:SS[.ffffff]" ('T' is accepted in place of the space; 1 to 6
    /// fraction digits, "5" meaning 500000 µs). Returns std::nullopt for anything else and for
    /// values that are not valid (see is_valid()), as PyMySQL's convert_datetime does.
    [[nodiscard]] static std::optional<DateTime> parse(std::string_view text) noexcept;
    /// The date part.
    [[nodiscard]] Date date() const noexcept { return Date{year, month, day}; }
    /// True when date() is valid and the time of day is in range.
    [[nodiscard]] bool is_valid() const noexcept;
    /// "YYYY-MM-DD HH:MM:SS", followed by ".ffffff" only when microsecond is not zero.
    [[nodiscard]] std::string to_string() const;

    /// Field by field, year to microsecond: chronological order for valid values.
    friend auto operator<=>(const DateTime&, const DateTime&) = default;
};

/// MySQL TIME: a signed duration, which may exceed 24 hours (the server's range is
/// -838:59:59.999999 to 838:59:59.999999, but any std::chrono::microseconds is representable).
/// Stored as one signed microsecond count, so "-00:00:01.5" is -1,500,000 µs; the accessors
/// hours()/minute()/second()/microsecond() give the parts of the absolute value.
class UVMYSQL_API Time {
public:
    constexpr Time() noexcept = default;
    /// From a duration, implicitly: `Time t = std::chrono::hours(25);`.
    constexpr Time(std::chrono::microseconds duration) noexcept : duration_(duration) {}  // NOLINT

    /// Builds -/+ (hours:minute:second.microsecond); the parts are not range-checked.
    [[nodiscard]] static Time from_parts(bool negative, std::int64_t hours, std::int64_t minute,
                                         std::int64_t second, std::int64_t microsecond = 0) noexcept;
    /// Parses MySQL's "[-]H:MM:SS[.ffffff]" (any number of hour digits up to 9, minutes and
    /// seconds 0..59, 1-6 fraction digits). Returns std::nullopt for anything else.
    [[nodiscard]] static std::optional<Time> parse(std::string_view text) noexcept;

    /// The signed duration, in microseconds.
    [[nodiscard]] constexpr std::chrono::microseconds duration() const noexcept { return duration_; }
    /// True for a negative duration.
    [[nodiscard]] constexpr bool negative() const noexcept { return duration_.count() < 0; }
    /// Whole hours of the absolute value (may exceed 23).
    [[nodiscard]] std::int64_t hours() const noexcept;
    /// Minutes of the absolute value (0..59).
    [[nodiscard]] int minute() const noexcept;
    /// Seconds of the absolute value (0..59).
    [[nodiscard]] int second() const noexcept;
    /// Microseconds of the absolute value (0..999999).
    [[nodiscard]] int microsecond() const noexcept;
    /// "[-]HH:MM:SS" (at least two hour digits), then ".ffffff" only when microsecond() != 0.
    [[nodiscard]] std::string to_string() const;

    /// Compares the signed durations.
    friend constexpr auto operator<=>(const Time&, const Time&) = default;

private:
    std::chrono::microseconds duration_{0};
};

UVMYSQL_API std::ostream& operator<<(std::ostream& os, const Date& d);
UVMYSQL_API std::ostream& operator<<(std::ostream& os, const DateTime& dt);
UVMYSQL_API std::ostream& operator<<(std::ostream& os, const Time& t);

}  // namespace uvmysql
