// SPDX-License-Identifier: MIT
// Value: one SQL value (a field of a row or a query parameter), with Bytes and Decimal.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "uvmysql/export.hpp"
#include "uvmysql/temporal.hpp"

namespace uvmysql {

/// Binary data (BLOB, BINARY, VARBINARY, BIT, GEOMETRY columns; ``_binary'...'`` parameters).
/// A distinct type from text so that `Value(Bytes(...))` is sent as binary; embedded NULs are kept.
class UVMYSQL_API Bytes {
public:
    Bytes() = default;
    /// Takes the bytes of `data` (copied or moved).
    explicit Bytes(std::string data) noexcept : data_(std::move(data)) {}
    /// Copies the bytes of `data`.
    explicit Bytes(std::string_view data) : data_(data) {}
    /// Copies `size` bytes from `data`.
    Bytes(const void* data, std::size_t size) : data_(static_cast<const char*>(data), size) {}
    /// Copies the bytes of `data`.
    explicit Bytes(std::span<const std::uint8_t> data) : Bytes(data.data(), data.size()) {}
    /// Copies the bytes of `data`.
    explicit Bytes(std::span<const std::byte> data) : Bytes(data.data(), data.size()) {}
    /// From a string literal, keeping every byte but the terminating NUL: `Bytes("a\0b")` has 3.
    template <std::size_t N>
    explicit Bytes(const char (&literal)[N]) : data_(literal, N - 1) {}

    /// The bytes, held in a std::string (not text: any byte may appear).
    [[nodiscard]] const std::string& str() const& noexcept { return data_; }
    /// On a temporary, moves the bytes out: `std::move(b).str()`.
    [[nodiscard]] std::string&& str() && noexcept { return std::move(data_); }
    /// A view of the bytes, valid while this Bytes is.
    [[nodiscard]] std::string_view view() const noexcept { return data_; }
    /// Pointer to the first byte.
    [[nodiscard]] const char* data() const noexcept { return data_.data(); }
    /// Number of bytes.
    [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
    /// True when there are no bytes.
    [[nodiscard]] bool empty() const noexcept { return data_.empty(); }
    /// The bytes as unsigned octets, valid while this Bytes is.
    [[nodiscard]] std::span<const std::uint8_t> span() const noexcept {
        return {reinterpret_cast<const std::uint8_t*>(data_.data()), data_.size()};
    }

    /// Same bytes.
    friend bool operator==(const Bytes&, const Bytes&) = default;

private:
    std::string data_;
};

/// An exact decimal number (DECIMAL / NUMERIC), kept as its text so that no digit is lost.
/// The text is validated (`[+-]digits[.digits][e[+-]digits]`, NaN and infinities refused) and
/// stored in a canonical form: no '+' sign, no superfluous leading zeros ("007.50" -> "7.50"),
/// a leading "0" before a bare fraction (".5" -> "0.5"), exponent as "E" with no '+' or leading
/// zeros and dropped when zero. Trailing zeros are significant, as in SQL: "1.50" != "1.5".
class UVMYSQL_API Decimal {
public:
    /// Zero.
    Decimal() = default;
    /// Parses `text`. Throws DataError when it is not a decimal number.
    explicit Decimal(std::string_view text);
    /// Parses `text`; std::nullopt when it is not a decimal number.
    [[nodiscard]] static std::optional<Decimal> parse(std::string_view text);

    /// The canonical text, e.g. "-12.50".
    [[nodiscard]] const std::string& str() const noexcept { return text_; }
    /// The nearest double (exact digits may be lost).
    [[nodiscard]] double to_double() const noexcept;

    /// Equality of the canonical texts ("1.5" == "+01.5", but "1.50" != "1.5").
    friend bool operator==(const Decimal&, const Decimal&) = default;

private:
    std::string text_{"0"};
};

/// What a Value holds. The order is the order of the alternatives of the underlying variant.
enum class Kind : std::uint8_t {
    null,       ///< SQL NULL
    boolean,    ///< bool, for parameters: sent as 1 / 0
    int64,      ///< std::int64_t (signed integer columns, signed C++ integers)
    uint64,     ///< std::uint64_t (UNSIGNED integer columns, unsigned C++ integers)
    float32,    ///< float, for parameters (sent with float's shortest digits)
    float64,    ///< double (FLOAT and DOUBLE columns)
    text,       ///< std::string, UTF-8 (or the connection charset)
    bytes,      ///< Bytes
    decimal,    ///< Decimal
    date,       ///< Date
    datetime,   ///< DateTime
    time,       ///< Time
    list,       ///< std::vector<Value>, for parameters: sent as (a,b,c)
};

/// The lower-case name of a kind: "null", "int64", "text"...
[[nodiscard]] UVMYSQL_API std::string_view kind_name(Kind kind) noexcept;

class Value;

namespace detail {
template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

/// Integer types a Value stores as a number (bool and the character types are not numbers).
template <class T>
concept ValueInteger = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> &&
                       !std::same_as<T, wchar_t> && !std::same_as<T, char8_t> &&
                       !std::same_as<T, char16_t> && !std::same_as<T, char32_t>;

[[noreturn]] UVMYSQL_API void throw_value_kind(Kind have, std::string_view wanted);
[[noreturn]] UVMYSQL_API void throw_value_range(const Value& value, std::string_view wanted);
}  // namespace detail

/// One SQL value: NULL, bool, int64, uint64, float, double, text, Bytes, Decimal, Date,
/// DateTime, Time or a list of Values. Rows hold Values; parameters are Values.
///
/// Built implicitly from the natural C++ types: nullptr / std::nullopt (NULL), bool, every
/// integer width (signed -> int64, unsigned -> uint64), float, double, const char*,
/// std::string, std::string_view (text), Bytes, Decimal, Date, DateTime, Time,
/// std::chrono durations (-> Time), std::optional<T> (std::nullopt -> NULL) and
/// std::vector<Value> (a list). `char` is refused, so that ``Value('x')`` is not 120.
///
/// Small: no heap allocation except for the text/bytes/decimal payload and lists.
class UVMYSQL_API Value {
public:
    /// A list of values (Kind::list), for `IN %%s` parameters: `Value(Value::List{1, 2, 3})`.
    using List = std::vector<Value>;

    /// NULL.
    Value() noexcept = default;
    /// NULL, from nullptr.
    Value(std::nullptr_t) noexcept {}       // NOLINT: implicit by design
    /// NULL, from std::nullopt.
    Value(std::nullopt_t) noexcept {}       // NOLINT
    /// Kind::boolean, from bool only (no pointer or integer converts to it).
    template <class T>
        requires std::same_as<T, bool>
    Value(T b) noexcept : v_(std::in_place_type<bool>, b) {}  // NOLINT
    /// From any integer type but bool and the character types: Kind::int64 for signed ones,
    /// Kind::uint64 for unsigned ones.
    template <detail::ValueInteger T>
    Value(T i) noexcept  // NOLINT
        : v_(std::in_place_type<std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>>, i) {}
    /// A float (Kind::float32), sent with float's shortest digits.
    Value(float f) noexcept : v_(std::in_place_type<float>, f) {}    // NOLINT
    /// A double (Kind::float64).
    Value(double d) noexcept : v_(std::in_place_type<double>, d) {}  // NOLINT
    /// Text; a null pointer gives NULL.
    Value(const char* s) {  // NOLINT
        if (s != nullptr) v_.emplace<std::string>(s);
    }
    /// Text (Kind::text), moved in.
    Value(std::string s) noexcept : v_(std::in_place_type<std::string>, std::move(s)) {}  // NOLINT
    /// Text (Kind::text), copied.
    Value(std::string_view s) : v_(std::in_place_type<std::string>, s) {}                 // NOLINT
    /// Binary data (Kind::bytes), sent as ``_binary'...'``.
    Value(Bytes b) noexcept : v_(std::in_place_type<Bytes>, std::move(b)) {}              // NOLINT
    /// An exact decimal (Kind::decimal).
    Value(Decimal d) noexcept : v_(std::in_place_type<Decimal>, std::move(d)) {}          // NOLINT
    /// A DATE (Kind::date).
    Value(Date d) noexcept : v_(d) {}                                                     // NOLINT
    /// A DATETIME / TIMESTAMP (Kind::datetime).
    Value(DateTime dt) noexcept : v_(dt) {}                                               // NOLINT
    /// A TIME (Kind::time).
    Value(Time t) noexcept : v_(t) {}                                                     // NOLINT
    /// A TIME (Kind::time) from any std::chrono duration convertible to microseconds.
    template <class Rep, class Period>
        requires std::is_convertible_v<std::chrono::duration<Rep, Period>, std::chrono::microseconds>
    Value(std::chrono::duration<Rep, Period> d) noexcept  // NOLINT
        : v_(Time(std::chrono::microseconds(d))) {}
    /// A list (Kind::list), for `IN %%s`: sent as (a,b,c).
    Value(List list) noexcept : v_(std::in_place_type<List>, std::move(list)) {}  // NOLINT
    /// NULL when `o` is empty, else Value(*o).
    template <class T>
        requires std::is_constructible_v<Value, const T&>
    Value(const std::optional<T>& o) {  // NOLINT
        if (o) *this = Value(*o);
    }
    /// NULL when `o` is empty, else Value(std::move(*o)).
    template <class T>
        requires std::is_constructible_v<Value, T&&>
    Value(std::optional<T>&& o) {  // NOLINT
        if (o) *this = Value(std::move(*o));
    }
    /// ``Value('x')`` would silently be the integer 120: write "x" or std::string(1, c).
    Value(char) = delete;

    /// Which kind of value this is.
    [[nodiscard]] Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
    /// True for SQL NULL (Kind::null).
    [[nodiscard]] bool is_null() const noexcept { return v_.index() == 0; }
    /// True for boolean, int64, uint64, float32 and float64.
    [[nodiscard]] bool is_number() const noexcept {
        const Kind k = kind();
        return k >= Kind::boolean && k <= Kind::float64;
    }

    /// A pointer to the stored alternative if it is exactly `T` (bool, std::int64_t,
    /// std::uint64_t, float, double, std::string for text, Bytes, Decimal, Date, DateTime,
    /// Time, Value::List), else nullptr. Never throws, never converts.
    template <class T>
    [[nodiscard]] const T* get_if() const noexcept {
        return std::get_if<T>(&v_);
    }
    /// Same as the const form, giving a writable pointer.
    template <class T>
    [[nodiscard]] T* get_if() noexcept {
        return std::get_if<T>(&v_);
    }

    /// The value as `T`, converting where it is lossless or natural:
    /// - any integer type: from int64/uint64/bool when the value fits (else DataError);
    /// - bool: from bool, or an integer (non-zero is true);
    /// - float / double: from any number, and from Decimal (nearest double);
    /// - std::string: a copy of text, bytes, or a Decimal's text;
    /// - std::string_view: a view of text, bytes or a Decimal's text, valid while this Value is;
    /// - std::chrono::microseconds: from Time;
    /// - Bytes, Decimal, Date, DateTime, Time, Value::List: exactly that kind;
    /// - std::optional<U>: std::nullopt for NULL, else as<U>().
    /// Throws InterfaceError when the kind does not convert to `T` (NULL included: use
    /// is_null() or as<std::optional<U>>()), DataError when a number does not fit.
    template <class T>
    [[nodiscard]] T as() const&;
    /// On a temporary Value, the same except that a std::string_view (which would dangle) is refused.
    template <class T>
    [[nodiscard]] T as() const&& {
        static_assert(!std::is_same_v<std::remove_cvref_t<T>, std::string_view>,
                      "as<std::string_view>() on a temporary Value would dangle: use as<std::string>()");
        return static_cast<const Value&>(*this).as<T>();
    }

    /// For display and logs: "NULL", numbers in their shortest form, text and bytes as they are
    /// (unquoted), temporal values in MySQL's format, decimals as their text, bools as
    /// "true"/"false", lists as "(a, b, c)". Not an SQL literal: use the escaping functions.
    [[nodiscard]] std::string to_string() const;

    /// Numbers compare by numeric value across kinds (Value(5) == Value(5u) == Value(5.0);
    /// bool is a number here, as in Python: true == 1); every other kind equals only the same
    /// kind with an equal value; NULL == NULL is true (this is C++ equality, not SQL's).
    friend UVMYSQL_API bool operator==(const Value& a, const Value& b) noexcept;

private:
    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, float, double, std::string, Bytes,
                 Decimal, Date, DateTime, Time, List>
        v_;
};

UVMYSQL_API std::ostream& operator<<(std::ostream& os, const Value& v);
UVMYSQL_API std::ostream& operator<<(std::ostream& os, const Bytes& b);
UVMYSQL_API std::ostream& operator<<(std::ostream& os, const Decimal& d);

///@cond
template <class T>
T Value::as() const& {
    using U = std::remove_cvref_t<T>;
    if constexpr (detail::is_optional_v<U>) {
        if (is_null()) return U{};
        return U{as<typename U::value_type>()};
    } else if constexpr (std::same_as<U, bool>) {
        if (const auto* b = get_if<bool>()) return *b;
        if (const auto* i = get_if<std::int64_t>()) return *i != 0;
        if (const auto* u = get_if<std::uint64_t>()) return *u != 0;
        detail::throw_value_kind(kind(), "bool");
    } else if constexpr (std::integral<U>) {
        if (const auto* i = get_if<std::int64_t>()) {
            if (std::in_range<U>(*i)) return static_cast<U>(*i);
            detail::throw_value_range(*this, "this integer type");
        }
        if (const auto* u = get_if<std::uint64_t>()) {
            if (std::in_range<U>(*u)) return static_cast<U>(*u);
            detail::throw_value_range(*this, "this integer type");
        }
        if (const auto* b = get_if<bool>()) return static_cast<U>(*b ? 1 : 0);
        detail::throw_value_kind(kind(), "an integer");
    } else if constexpr (std::floating_point<U>) {
        switch (kind()) {
            case Kind::float64: return static_cast<U>(*get_if<double>());
            case Kind::float32: return static_cast<U>(*get_if<float>());
            case Kind::int64: return static_cast<U>(*get_if<std::int64_t>());
            case Kind::uint64: return static_cast<U>(*get_if<std::uint64_t>());
            case Kind::boolean: return static_cast<U>(*get_if<bool>() ? 1 : 0);
            case Kind::decimal: return static_cast<U>(get_if<Decimal>()->to_double());
            default: detail::throw_value_kind(kind(), "a floating-point number");
        }
    } else if constexpr (std::same_as<U, std::string> || std::same_as<U, std::string_view>) {
        if (const auto* s = get_if<std::string>()) return U(*s);
        if (const auto* b = get_if<Bytes>()) return U(b->str());
        if (const auto* d = get_if<Decimal>()) return U(d->str());
        detail::throw_value_kind(kind(), "a string");
    } else if constexpr (std::same_as<U, std::chrono::microseconds>) {
        if (const auto* t = get_if<Time>()) return t->duration();
        detail::throw_value_kind(kind(), "a duration");
    } else if constexpr (std::same_as<U, Bytes> || std::same_as<U, Decimal> || std::same_as<U, Date> ||
                         std::same_as<U, DateTime> || std::same_as<U, Time> || std::same_as<U, List>) {
        if (const auto* p = get_if<U>()) return *p;
        constexpr std::string_view wanted = std::same_as<U, Bytes>      ? "bytes"
                                            : std::same_as<U, Decimal>  ? "decimal"
                                            : std::same_as<U, Date>     ? "date"
                                            : std::same_as<U, DateTime> ? "datetime"
                                            : std::same_as<U, Time>     ? "time"
                                                                        : "list";
        detail::throw_value_kind(kind(), wanted);
    } else {
        static_assert(!sizeof(U*), "Value::as<T>(): unsupported target type");
    }
}
///@endcond

}  // namespace uvmysql
