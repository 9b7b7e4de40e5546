// SPDX-License-Identifier: MIT
// Query parameters: positional (%s), named (%(name)s), and Args, which accepts either.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "uvmysql/value.hpp"

namespace uvmysql {

/// Positional parameters, consumed in order by `%s` placeholders.
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
class Args {
public:
    enum class Style : unsigned char { none, positional, named };

    /// No arguments: the query is used as it is.
    Args() noexcept = default;
    Args(std::initializer_list<Value> positional) : style_(Style::positional), positional_(positional) {}
    Args(std::initializer_list<std::pair<std::string, Value>> named) : style_(Style::named), named_(named) {}
    Args(const Params& positional) : style_(Style::positional), positional_(positional) {}  // NOLINT
    Args(Params&& positional) noexcept : style_(Style::positional), positional_(std::move(positional)) {}  // NOLINT
    Args(const NamedParams& named) : style_(Style::named), named_(named) {}  // NOLINT
    Args(NamedParams&& named) noexcept : style_(Style::named), named_(std::move(named)) {}  // NOLINT

    [[nodiscard]] Style style() const noexcept { return style_; }
    /// True when no arguments were given (Style::none).
    [[nodiscard]] bool is_none() const noexcept { return style_ == Style::none; }
    /// The positional values (empty unless style() is positional).
    [[nodiscard]] const Params& positional() const noexcept { return positional_; }
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

}  // namespace uvmysql
