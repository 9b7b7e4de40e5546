// SPDX-License-Identifier: MIT
// What the buffered and the streaming cursors share: descriptions and query formatting.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "common/status_error.hpp"
#include "uvmysql/cursor.hpp"
#include "values/format_query.hpp"

namespace uvmysql::detail {

/// PEP 249's description of one column.
Description describe(const ColumnInfo& c);

/// The statement for `query` with `args` interpolated (no args: `query` as it is).
Status format_statement(const Connection& conn, std::string_view query, const Args& args, std::string& out);

/// ProgrammingError with errno 0.
std::exception_ptr programming_error(std::string msg);

}  // namespace uvmysql::detail
