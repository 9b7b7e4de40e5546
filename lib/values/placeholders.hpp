// SPDX-License-Identifier: MIT
// aiomysql-shaped `%s` placeholders turned into the `?` of server-side prepared statements.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace uvmysql::detail {

/// Appends `query` to `out` with each `%s` outside quotes and comments replaced by `?` and
/// each `%%` by `%` (everywhere, as the text path's formatting does), and sets `count` to the
/// number of placeholders. Quotes are '...', "..." (backslash escapes and doubled quotes) and
/// `...`; comments are -- and # to the end of the line and /* ... */. ProgrammingError (and
/// `out` as it was) for what a prepared statement cannot express: a `%s` inside quotes or a
/// comment (the text path would put a literal there), a `?` outside them (it would become a
/// placeholder), `%(name)s`, any other `%` sequence.
[[nodiscard]] Status to_question_marks(std::string_view query, std::string& out, std::size_t& count);

}  // namespace uvmysql::detail
