// SPDX-License-Identifier: MIT
// sql_operation(): a statement's first keyword, upper-cased (OpenTelemetry's db.operation).
#pragma once

#include <cstddef>
#include <string_view>

namespace uvmysql::detail {

/// Longest keyword kept; a longer word is cut (no SQL keyword is that long).
inline constexpr std::size_t sql_operation_max = 24;

/// The first keyword of `sql`, upper-cased into `out`: leading white space, `-- ` and `#` line
/// comments, `/* */` comments and opening parentheses are skipped (MySQL's `/*! ... */`
/// executable comments too, as the server may not run them). MariaDB's `SET STATEMENT ... FOR
/// stmt` (query_timeout_on_server's rewriting) gives the operation of `stmt`. Returns a view of
/// `out`; empty when `sql` starts with no letter. Pure, allocation-free.
std::string_view sql_operation(std::string_view sql, char (&out)[sql_operation_max]) noexcept;

}  // namespace uvmysql::detail
