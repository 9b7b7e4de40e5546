// SPDX-License-Identifier: MIT
// Typed rows: result rows converted into std::tuple or a described struct, checked per result set.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "uvmysql/column.hpp"
#include "uvmysql/converters.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/row.hpp"
#include "uvmysql/temporal.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

/// How a typed row's fields find their columns.
enum class Match : std::uint8_t {
    by_position,   ///< field i is column i; the column count must equal the field count
    by_name,       ///< each field is the first column of its name (structs only); other columns are ignored
};

/// How rows are converted into a typed row: by position or by name, and whether a DECIMAL
/// column may go into a `double` (digits may be lost, so only when asked).
struct RowMapping {
    /// How fields find their columns.
    Match match = Match::by_position;
    /// Allows DECIMAL columns into float/double fields.
    bool decimal_to_double = false;

    /// The same mapping, allowing DECIMAL into double.
    [[nodiscard]] constexpr RowMapping with_decimal_to_double() const noexcept { return {match, true}; }
    /// Same settings.
    friend constexpr bool operator==(const RowMapping&, const RowMapping&) = default;
};
/// Fields by position (the default).
inline constexpr RowMapping by_position{};
/// Fields by column name: `cur.fetchall<User>(uvmysql::by_name)`.
inline constexpr RowMapping by_name{Match::by_name, false};

/// One field of a described struct: the column name it reads (by_name) and the member.
template <class S, class M>
struct Field {
    /// The column name the field matches with Match::by_name.
    std::string_view name;
    /// The data member the value goes into.
    M S::*member;
};
/// A field of a struct description: `uvmysql::field("id", &User::id)`.
template <class S, class M>
[[nodiscard]] constexpr Field<S, M> field(std::string_view name, M S::*member) noexcept {
    return {name, member};
}
/// A struct's description, in column order:
///
///     struct User {
///         std::int64_t id;
///         std::string name;
///         static constexpr auto uvmysql_fields =
///             uvmysql::fields(uvmysql::field("id", &User::id), uvmysql::field("name", &User::name));
///     };
template <class... Fs>
[[nodiscard]] constexpr std::tuple<Fs...> fields(Fs... fs) noexcept {
    return {fs...};
}

/// Where the description of struct T is found: by default its static `uvmysql_fields` member;
/// specialise it (with a `static constexpr auto value = uvmysql::fields(...)`) for a struct
/// you cannot change.
template <class T>
struct row_fields {
    /// The struct's fields (uvmysql::fields(...)).
    static constexpr auto value = T::uvmysql_fields;
};

namespace detail {

template <class T>
inline constexpr bool is_tuple_v = false;
template <class... Ts>
inline constexpr bool is_tuple_v<std::tuple<Ts...>> = true;

/// What a C++ field type asks of a column, for the checks made once per result set.
enum class CppKind : std::uint8_t { boolean, integer, float32, float64, string, bytes, decimal, date, datetime, time, value };

/// A C++ field type as the checks see it.
struct CppType {
    CppKind kind;
    std::uint8_t bits = 0;      // integers: width
    bool is_signed = false;     // integers: signedness
    bool optional = false;      // std::optional<...>: NULL allowed
    std::string_view name;      // for messages: "std::int32_t"
};

template <class C>
struct CppTypeOf {
    static_assert(!sizeof(C*), "a typed row field must be bool, an integer, float, double, std::string, Bytes, "
                               "Decimal, Date, DateTime, Time, Value or std::optional of one of these");
};
template <class C>
requires std::is_integral_v<C> && (!std::is_same_v<C, bool>) && (!std::is_same_v<C, char>)
struct CppTypeOf<C> {
    static constexpr std::string_view names[2][4] = {
        {"std::uint8_t", "std::uint16_t", "std::uint32_t", "std::uint64_t"},
        {"std::int8_t", "std::int16_t", "std::int32_t", "std::int64_t"}};
    static constexpr int width_index = sizeof(C) == 1 ? 0 : sizeof(C) == 2 ? 1 : sizeof(C) == 4 ? 2 : 3;
    static constexpr CppType value{CppKind::integer, static_cast<std::uint8_t>(8 * sizeof(C)), std::is_signed_v<C>,
                                   false, names[std::is_signed_v<C> ? 1 : 0][width_index]};
};
template <>
struct CppTypeOf<bool> {
    static constexpr CppType value{CppKind::boolean, 0, false, false, "bool"};
};
template <>
struct CppTypeOf<float> {
    static constexpr CppType value{CppKind::float32, 0, false, false, "float"};
};
template <>
struct CppTypeOf<double> {
    static constexpr CppType value{CppKind::float64, 0, false, false, "double"};
};
template <>
struct CppTypeOf<std::string> {
    static constexpr CppType value{CppKind::string, 0, false, false, "std::string"};
};
template <>
struct CppTypeOf<uvmysql::Bytes> {
    static constexpr CppType value{CppKind::bytes, 0, false, false, "uvmysql::Bytes"};
};
template <>
struct CppTypeOf<Decimal> {
    static constexpr CppType value{CppKind::decimal, 0, false, false, "uvmysql::Decimal"};
};
template <>
struct CppTypeOf<Date> {
    static constexpr CppType value{CppKind::date, 0, false, false, "uvmysql::Date"};
};
template <>
struct CppTypeOf<DateTime> {
    static constexpr CppType value{CppKind::datetime, 0, false, false, "uvmysql::DateTime"};
};
template <>
struct CppTypeOf<Time> {
    static constexpr CppType value{CppKind::time, 0, false, false, "uvmysql::Time"};
};
template <>
struct CppTypeOf<Value> {
    static constexpr CppType value{CppKind::value, 0, false, false, "uvmysql::Value"};
};
template <class C>
struct CppTypeOf<std::optional<C>> {
    static constexpr CppType value{CppTypeOf<C>::value.kind, CppTypeOf<C>::value.bits,
                                   CppTypeOf<C>::value.is_signed, true, CppTypeOf<C>::value.name};
};

/// Checks that `column` (number `index`, from 0) can fill a field of type `type`: a
/// ProgrammingError naming the column, its SQL type and the C++ type when not; null when it can.
[[nodiscard]] UVMYSQL_API std::exception_ptr check_column(const ColumnInfo& column, std::size_t index,
                                                          const CppType& type, const RowMapping& mapping);
/// The ProgrammingError of a result set whose column count does not match the fields.
[[noreturn]] UVMYSQL_API void throw_column_count(std::size_t columns, std::size_t fields, bool by_name);
/// The DataError of an integer field that is not a number (22018) or does not fit (22003).
[[noreturn]] UVMYSQL_API void throw_integer_field(const ColumnInfo& column, std::size_t index,
                                                  std::string_view cpp_name, std::string_view text);
/// The ProgrammingError of Match::by_name asked for a tuple, whose fields have no names.
[[noreturn]] UVMYSQL_API void throw_tuple_by_name();
/// The ProgrammingError of a field whose column is not in the result set (Match::by_name).
[[noreturn]] UVMYSQL_API void throw_no_column(std::string_view name);
/// The DataError of one field that does not convert (`sqlstate` says why: 22002 NULL, 22003
/// out of range, 22007 invalid date or time, 22018 not a number).
[[noreturn]] UVMYSQL_API void throw_field(const ColumnInfo& column, std::size_t index, std::string_view cpp_name,
                                          const char* sqlstate, std::string_view what);

/// Parses the whole of `text` as a decimal integer (the library's fast path for integer
/// columns); false when it is not one or does not fit.
[[nodiscard]] UVMYSQL_API bool parse_integer_text(std::string_view text, std::int64_t& out) noexcept;
/// The same for unsigned integers.
[[nodiscard]] UVMYSQL_API bool parse_integer_text(std::string_view text, std::uint64_t& out) noexcept;

/// One field as the wire gave it: its text, or NULL.
struct FieldText {
    std::string_view text;
    bool is_null = false;
};

template <class C>
void integer_from_text(std::string_view text, const ColumnInfo& column, std::size_t index, C& out) {
    using Wide = std::conditional_t<std::is_signed_v<C>, std::int64_t, std::uint64_t>;
    Wide wide = 0;
    if (parse_integer_text(text, wide) && std::in_range<C>(wide)) {
        out = static_cast<C>(wide);
        return;
    }
    throw_integer_field(column, index, CppTypeOf<C>::value.name, text);
}

/// A non-NULL field's text into a C (the typed path that makes no Value).
template <class C>
void from_text(std::string_view text, const ColumnInfo& column, std::size_t index, C& out) {
    constexpr std::string_view name = CppTypeOf<C>::value.name;
    if constexpr (std::is_same_v<C, bool>) {
        if (column.type == FieldType::bit) {   // BIT(1) comes as one raw byte
            out = !text.empty() && text.back() != 0;
            return;
        }
        std::int64_t n = 0;
        integer_from_text(text, column, index, n);
        out = n != 0;
    } else if constexpr (std::is_integral_v<C>) {
        integer_from_text(text, column, index, out);
    } else if constexpr (std::is_floating_point_v<C>) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        if (ec != std::errc() || end != text.data() + text.size()) throw_field(column, index, name, "22018", text);
    } else if constexpr (std::is_same_v<C, std::string>) {
        out.assign(text);
    } else if constexpr (std::is_same_v<C, uvmysql::Bytes>) {
        out = uvmysql::Bytes(text);
    } else if constexpr (std::is_same_v<C, Decimal>) {
        auto d = Decimal::parse(text);
        if (!d) throw_field(column, index, name, "22018", text);
        out = std::move(*d);
    } else if constexpr (std::is_same_v<C, Date> || std::is_same_v<C, DateTime> || std::is_same_v<C, Time>) {
        auto t = C::parse(text);
        if (!t) throw_field(column, index, name, "22007", text);
        out = *t;
    } else {
        static_assert(std::is_same_v<C, Value>);
        out = default_convert(column, text);
    }
}

/// A field into a C or std::optional<C>: NULL only into an optional.
template <class C>
void field_from_text(const FieldText& f, const ColumnInfo& column, std::size_t index, C& out) {
    if constexpr (is_optional_v<C>) {
        if (f.is_null) {
            out.reset();
            return;
        }
        from_text(f.text, column, index, out.emplace());
    } else if constexpr (std::is_same_v<C, Value>) {
        out = f.is_null ? Value() : default_convert(column, f.text);
    } else {
        if (f.is_null) throw_field(column, index, CppTypeOf<C>::value.name, "22002", "NULL");
        from_text(f.text, column, index, out);
    }
}

/// A decoded Value into a C (the typed path over rows of Values), moving strings out.
template <class C>
void from_value(Value&& v, const ColumnInfo& column, std::size_t index, C& out) {
    constexpr std::string_view name = CppTypeOf<C>::value.name;
    if constexpr (std::is_same_v<C, Value>) {
        out = std::move(v);
    } else if constexpr (is_optional_v<C>) {
        if (v.is_null()) {
            out.reset();
        } else {
            from_value(std::move(v), column, index, out.emplace());
        }
    } else {
        if (v.is_null()) throw_field(column, index, name, "22002", "NULL");
        if constexpr (std::is_same_v<C, std::string>) {
            if (auto* s = v.get_if<std::string>()) {
                out = std::move(*s);
                return;
            }
            if (auto* b = v.get_if<uvmysql::Bytes>()) {
                out = std::move(*b).str();
                return;
            }
        } else if constexpr (std::is_same_v<C, uvmysql::Bytes>) {
            if (auto* s = v.get_if<std::string>()) {
                out = uvmysql::Bytes(std::move(*s));
                return;
            }
        }
        if constexpr (std::is_same_v<C, Date> || std::is_same_v<C, DateTime> || std::is_same_v<C, Time>) {
            // Zero and invalid dates decode to text: there is no C value for them.
            if (v.get_if<C>() == nullptr) throw_field(column, index, name, "22007", v.to_string());
        }
        if constexpr (std::is_integral_v<C> && !std::is_same_v<C, bool>) {
            const auto* i = v.get_if<std::int64_t>();
            const auto* u = v.get_if<std::uint64_t>();
            if ((i && !std::in_range<C>(*i)) || (u && !std::in_range<C>(*u))) {
                throw_field(column, index, name, "22003", v.to_string());
            }
        }
        out = std::move(v).template as<C>();
    }
}

/// The fields of a tuple or a described struct, as one interface.
template <class T>
struct RowShape {
    static constexpr std::size_t size = std::tuple_size_v<std::decay_t<decltype(row_fields<T>::value)>>;
    template <std::size_t I>
    static auto& get(T& row) noexcept {
        return row.*(std::get<I>(row_fields<T>::value).member);
    }
    template <std::size_t I>
    static constexpr std::string_view name() noexcept {
        return std::get<I>(row_fields<T>::value).name;
    }
    static constexpr bool has_names = true;
};
template <class... Ts>
struct RowShape<std::tuple<Ts...>> {
    static constexpr std::size_t size = sizeof...(Ts);
    template <std::size_t I>
    static auto& get(std::tuple<Ts...>& row) noexcept {
        return std::get<I>(row);
    }
    template <std::size_t I>
    static constexpr std::string_view name() noexcept {
        return {};
    }
    static constexpr bool has_names = false;
};

template <class T, std::size_t I>
using field_type_t = std::remove_reference_t<decltype(RowShape<T>::template get<I>(std::declval<T&>()))>;

/// Which column each field of T reads, for one result set's columns; made after the checks.
template <class T>
class RowPlan {
public:
    /// Checks `columns` against T under `mapping` and plans the conversion. Throws
    /// ProgrammingError (count, a missing name, a type that does not fit).
    RowPlan(const Columns& columns, const RowMapping& mapping) : columns_(&columns) {
        using Shape = RowShape<T>;
        if (mapping.match == Match::by_name) {
            if constexpr (!Shape::has_names) {
                throw_tuple_by_name();
            } else {
                plan_by_name(columns, std::make_index_sequence<Shape::size>{});
            }
        } else {
            if (columns.size() != Shape::size) throw_column_count(columns.size(), Shape::size, false);
            for (std::size_t i = 0; i < Shape::size; ++i) index_[i] = i;
        }
        check(columns, mapping, std::make_index_sequence<Shape::size>{});
    }

    /// The column field `i` reads.
    [[nodiscard]] std::size_t column_of(std::size_t i) const noexcept { return index_[i]; }

    /// Converts one row of wire fields (the columns' count) into T.
    [[nodiscard]] T convert(std::span<const FieldText> fields) const {
        T row{};
        convert_into(row, fields);
        return row;
    }
    /// The same into a default-constructed row already in place (a query's result vector).
    void convert_into(T& row, std::span<const FieldText> fields) const {
        fill_text(row, fields, std::make_index_sequence<RowShape<T>::size>{});
    }
    /// Converts a decoded Row (of the columns this plan was made for) into T.
    [[nodiscard]] T convert(Row&& source) const {
        T row{};
        std::vector<Value> values = std::move(source).values();
        // A Row built by hand may hold fewer values than its columns claim.
        if (values.size() != columns_->size()) throw_column_count(values.size(), RowShape<T>::size, false);
        fill_values(row, values, std::make_index_sequence<RowShape<T>::size>{});
        return row;
    }

private:
    template <std::size_t... I>
    void plan_by_name(const Columns& columns, std::index_sequence<I...>) {
        auto find = [&columns](std::string_view name) {
            for (std::size_t c = 0; c < columns.size(); ++c) {
                if (columns[c].name == name) return c;
            }
            throw_no_column(name);
        };
        ((index_[I] = find(RowShape<T>::template name<I>())), ...);
    }
    template <std::size_t... I>
    void check(const Columns& columns, const RowMapping& mapping, std::index_sequence<I...>) const {
        std::exception_ptr error;
        ((error = error ? error
                        : check_column(columns[index_[I]], index_[I],
                                       CppTypeOf<std::remove_cv_t<field_type_t<T, I>>>::value, mapping)),
         ...);
        if (error) std::rethrow_exception(error);
    }
    template <std::size_t... I>
    void fill_text(T& row, std::span<const FieldText> fields, std::index_sequence<I...>) const {
        (field_from_text(fields[index_[I]], (*columns_)[index_[I]], index_[I], RowShape<T>::template get<I>(row)),
         ...);
    }
    template <std::size_t... I>
    void fill_values(T& row, std::vector<Value>& values, std::index_sequence<I...>) const {
        (from_value(std::move(values[index_[I]]), (*columns_)[index_[I]], index_[I], RowShape<T>::template get<I>(row)),
         ...);
    }

    const Columns* columns_;
    std::size_t index_[RowShape<T>::size]{};
};

/// The columns of rows built without metadata.
UVMYSQL_API const Columns& no_columns() noexcept;

/// What a thread keeps of the last result set it converted into T: the plan, and how many rows
/// the set had (a statement run again reserves that many in place, see TypedRowSink).
template <class T>
struct CachedPlan {
    const Columns* raw = nullptr;
    std::weak_ptr<const Columns> alive;   // while it is, no other Columns can have `raw`'s address
    RowMapping mapping;
    std::optional<RowPlan<T>> plan;
    std::size_t last_row_count = 0;
};

template <class T>
CachedPlan<T>& plan_cache() noexcept {
    thread_local CachedPlan<T> cached;
    return cached;
}

/// The plan for rows of `columns`, made once per result set (per thread, per T and mapping):
/// a fetchone() loop checks the metadata on its first row only.
template <class T>
const CachedPlan<T>& cached_plan(const std::shared_ptr<const Columns>& columns, const RowMapping& mapping) {
    CachedPlan<T>& cached = plan_cache<T>();
    if (!cached.plan || cached.raw != columns.get() || cached.alive.expired() || cached.mapping != mapping) {
        cached.plan.reset();
        cached.plan.emplace(columns ? *columns : no_columns(), mapping);
        cached.raw = columns.get();
        cached.alive = columns;
        cached.mapping = mapping;
        cached.last_row_count = 0;
    }
    return cached;
}

template <class T>
const RowPlan<T>& plan_for(const std::shared_ptr<const Columns>& columns, const RowMapping& mapping) {
    return *cached_plan<T>(columns, mapping).plan;
}

}  // namespace detail

/// A row type the typed fetches accept: a std::tuple of field types, or a struct described by
/// row_fields<T> (its `uvmysql_fields`). Field types: bool, the integer types, float, double,
/// std::string, Bytes, Decimal, Date, DateTime, Time, Value, and std::optional of each
/// (docs/values.md, "Typed rows").
template <class T>
concept TypedRow = detail::is_tuple_v<T> || requires { row_fields<T>::value; };

/// Converts one Row into T, checking the row's columns first (once per result set).
/// Throws ProgrammingError when the columns do not fit T, DataError when a value does not.
template <TypedRow T>
[[nodiscard]] T row_as(Row row, const RowMapping& mapping = {}) {
    const auto columns = row.columns_ptr();
    return detail::plan_for<T>(columns, mapping).convert(std::move(row));
}

/// Converts rows of the result set described by `columns` into T, checking the columns first
/// (also when there are no rows). Null `columns`: the first row's.
template <TypedRow T>
[[nodiscard]] std::vector<T> rows_as(std::vector<Row> rows, const RowMapping& mapping = {},
                                     std::shared_ptr<const Columns> columns = nullptr) {
    std::vector<T> out;
    if (!columns && !rows.empty()) columns = rows.front().columns_ptr();
    if (!columns && rows.empty()) return out;   // nothing to check, nothing to convert
    const detail::RowPlan<T> plan(columns ? *columns : detail::no_columns(), mapping);
    out.reserve(rows.size());
    for (Row& r : rows) out.push_back(plan.convert(std::move(r)));
    return out;
}

}  // namespace uvmysql
