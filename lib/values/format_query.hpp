// SPDX-License-Identifier: MIT
// Client-side parameter interpolation (mogrify): %s, %(name)s and %% in the text protocol.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "uvmysql/params.hpp"
#include "values/escape.hpp"

namespace uvmysql::detail {

/// Appends `query` to `out` with each `%s` replaced by the SQL literal of the next positional
/// argument and `%%` by `%`, in one pass. Errors (ClientKind::programming, i.e.
/// ProgrammingError, worded like Python's % operator that PyMySQL relies on):
/// "not enough arguments for format string", "not all arguments converted during string
/// formatting", "format requires a mapping" (a %(name)s), "unsupported format character 'd'
/// (0x64) at index 7", "incomplete format", and any append_literal() error.
/// Always processes `%`, even with no arguments: callers that got no arguments at all send the
/// query as it is (see the Args overload). On error `out` is restored to its previous size.
[[nodiscard]] Status format_positional(std::string_view query, std::span<const Value> args,
                                       const EscapeOptions& opts, std::string& out);
/// format_positional() of a Params.
[[nodiscard]] inline Status format_query(std::string_view query, const Params& args, const EscapeOptions& opts,
                                         std::string& out) {
    return format_positional(query, args, opts, out);
}

/// The same with `%(name)s` placeholders looked up in `args` (the last duplicate wins; unused
/// names are fine). Extra errors: "no value for named parameter 'x'", "positional
/// placeholder %s at index 7 but named arguments were given", "incomplete format key".
[[nodiscard]] Status format_query(std::string_view query, const NamedParams& args, const EscapeOptions& opts,
                                  std::string& out);

/// Dispatches on args.style(); Style::none appends `query` untouched (no `%` processing).
[[nodiscard]] Status format_query(std::string_view query, const Args& args, const EscapeOptions& opts,
                                  std::string& out);

}  // namespace uvmysql::detail
