// SPDX-License-Identifier: MIT
// Query parameters: positional (%s), named (%(name)s), and Args, which accepts either.
#pragma once

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "uvmysql/export.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

/// Positional parameters, consumed in order by `%%s` placeholders.
using Params = std::vector<Value>;

/// Named parameters, looked up by `%(name)s` placeholders. When a name appears more than once,
/// the last one wins (as in a Python dict literal). Names not used by the query are ignored.
using NamedParams = std::vector<std::pair<std::string, Value>>;

/// The parameters of one execute(): none, positional or named.
///
/// An overload set on `const Params&` and `const NamedParams&` cannot take brace lists: GCC
/// and Clang both find `f({{"a", 1}})` ambiguous (and GCC `f({5})`), so APIs take `Args`:
/// ```
/// cur.execute("SELECT %s, %s", {5, "x"});                   // positional
/// cur.execute("SELECT %(a)s + %(b)s", {{"a", 1}, {"b", 2}}); // named
/// cur.execute("SELECT 100 % 7");                              // none: sent as it is
/// cur.execute("SELECT %s", params);                           // an existing Params / NamedParams
/// ```
/// A braced element that is itself a `{name, value}` pair makes the list named; a list value
/// must be spelled `Value::List{1, 2, 3}` (or a std::vector<Value>), never a bare `{1, 2, 3}`.
/// With no arguments (default-constructed, or `{}`) no `%` processing happens, as in PyMySQL
/// when args is None.
///
/// **Coroutines and GCC 12.** GCC 12 (Debian 12's compiler) rejects *any* std::initializer_list
/// inside a `co_await` full-expression ("array used as initializer", reported at the end of the
/// coroutine): `co_await cur.execute(q, {id})`, `co_await cur.execute(q, Args{id})` and
/// `co_await cur.execute(q, Params{id})` all fail, whatever the element types. GCC 13 and Clang
/// accept them. Inside coroutines, use the forms that need no braced list at the call site:
/// ```
/// co_await cur.execute("SELECT %s, %s", id, "x");                          // values, variadic
/// co_await cur.execute("SELECT %(a)s + %(b)s", uvmysql::named("a", 1, "b", 2));
/// co_await cur.execute("SELECT %s", params);                               // a named variable
/// ```
/// The variadic form takes one or more values (anything a Value is made from). A single
/// argument that is itself a parameter list (Args, Params, NamedParams, or a Value::List, which
/// is a Params) is the list, not one value: to pass one list for `IN %%s`, wrap it as
/// `Value(list)`; `Value::List{...}` is a braced list too, so inside co_await write
/// `Value(positional(1, 2, 3))`. Outside co_await expressions every form compiles everywhere.
class UVMYSQL_API Args {
public:
    /// Which kind of arguments an Args holds: none (the query is sent as it is), positional
    /// (`%%s`) or named (`%(name)s`).
    enum class Style : unsigned char { none, positional, named };

    /// No arguments: the query is used as it is.
    Args() noexcept = default;
    /// Positional values from a braced list: `{5, "x"}`.
    Args(std::initializer_list<Value> positional) : style_(Style::positional), positional_(positional) {}
    /// Named values from a braced list of pairs: `{{"a", 1}, {"b", 2}}`.
    Args(std::initializer_list<std::pair<std::string, Value>> named) : style_(Style::named), named_(named) {}
    /// Positional values, copied from `positional`.
    Args(const Params& positional) : style_(Style::positional), positional_(positional) {}  // NOLINT
    /// Positional values, moved from `positional`.
    Args(Params&& positional) noexcept : style_(Style::positional), positional_(std::move(positional)) {}  // NOLINT
    /// Named values, copied from `named`.
    Args(const NamedParams& named) : style_(Style::named), named_(named) {}  // NOLINT
    /// Named values, moved from `named`.
    Args(NamedParams&& named) noexcept : style_(Style::named), named_(std::move(named)) {}  // NOLINT

    /// Which kind of arguments these are.
    [[nodiscard]] Style style() const noexcept { return style_; }
    /// True when no arguments were given (Style::none).
    [[nodiscard]] bool is_none() const noexcept { return style_ == Style::none; }
    /// The positional values (empty unless style() is positional).
    [[nodiscard]] const Params& positional() const& noexcept { return positional_; }
    /// On a temporary (or moved) Args, moves the positional values out:
    /// `std::move(args).positional()`.
    [[nodiscard]] Params&& positional() && noexcept { return std::move(positional_); }
    /// The named values (empty unless style() is named).
    [[nodiscard]] const NamedParams& named() const noexcept { return named_; }
    /// Number of values given.
    [[nodiscard]] std::size_t size() const noexcept {
        return style_ == Style::named ? named_.size() : positional_.size();
    }

private:
    Style style_ = Style::none;
    Params positional_;
    NamedParams named_;
};

namespace detail {

/// What an Args is made from (Args, Params, NamedParams): given alone, such an argument is the
/// parameter list itself.
template <class T>
concept ArgumentList = std::convertible_to<T, Args>;

/// One or more parameter values for a variadic call, excluding a lone ArgumentList (which the
/// `Args` overload takes).
template <class... Vs>
concept ParameterValues = sizeof...(Vs) > 0 && !(sizeof...(Vs) == 1 && (ArgumentList<Vs> && ...)) &&
                          (std::constructible_from<Value, Vs> && ...);
/// Zero or more parameter values (the typed-row calls, which have no Args overload).
template <class... Vs>
concept MaybeParameterValues = sizeof...(Vs) == 0 || ParameterValues<Vs...>;

/// True when Ts alternate a name (text) and a value: what named() takes.
template <class... Ts>
struct NameValuePairs : std::false_type {};
template <>
struct NameValuePairs<> : std::true_type {};
template <class Name, class V, class... Rest>
struct NameValuePairs<Name, V, Rest...>
    : std::bool_constant<std::constructible_from<std::string, Name> && std::constructible_from<Value, V> &&
                         NameValuePairs<Rest...>::value> {};

inline void append_named(NamedParams&) {}

template <class Name, class V, class... Rest>
void append_named(NamedParams& out, Name&& name, V&& value, Rest&&... rest) {
    out.emplace_back(std::string(std::forward<Name>(name)), Value(std::forward<V>(value)));
    append_named(out, std::forward<Rest>(rest)...);
}

}  // namespace detail

/// Positional parameters from values, without a braced list: `positional(5, "x")` equals
/// `Params{5, "x"}`. Useful for executemany() rows inside coroutines (see Args).
template <class... Vs>
requires(std::constructible_from<Value, Vs> && ...)
[[nodiscard]] Params positional(Vs&&... values) {
    Params out;
    out.reserve(sizeof...(Vs));
    (out.emplace_back(std::forward<Vs>(values)), ...);
    return out;
}

/// Named parameters from alternating names and values, without a braced list:
/// `named("a", 1, "b", 2)` equals `NamedParams{{"a", 1}, {"b", 2}}`.
template <class... NamesAndValues>
requires detail::NameValuePairs<NamesAndValues...>::value
[[nodiscard]] NamedParams named(NamesAndValues&&... names_and_values) {
    NamedParams out;
    out.reserve(sizeof...(NamesAndValues) / 2);
    detail::append_named(out, std::forward<NamesAndValues>(names_and_values)...);
    return out;
}

}  // namespace uvmysql
