// SPDX-License-Identifier: MIT
// What the buffered and the streaming cursors share: descriptions and query formatting.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status_error.hpp"
#include "uvmysql/cursor.hpp"
#include "values/format_query.hpp"

namespace uvmysql::detail {

/// PEP 249's description of `columns` (null when null), shared: a statement run again shares
/// its metadata (the connection's ColumnCache), and `conn` keeps the description of the last
/// columns described, so a new cursor per query (`async with conn.cursor()`) builds nothing.
std::shared_ptr<const std::vector<Description>> describe_columns(const Connection& conn,
                                                                 const std::shared_ptr<const Columns>& columns);

/// The statement for `query` with `args` interpolated (no args: `query` as it is).
Status format_statement(const Connection& conn, std::string_view query, const Args& args, std::string& out);

/// ProgrammingError when `statement` was prepared on another connection than `conn`; else null.
/// (A closed or forgotten statement is the statement's own error, raised when it is used.)
std::exception_ptr foreign_statement(const Connection& conn, const Statement& statement);

/// ProgrammingError with errno 0.
std::exception_ptr programming_error(std::string msg);

/// The ProgrammingError of a prepared cursor given named (`%(name)s`) parameters.
std::exception_ptr named_params_not_prepared();

}  // namespace uvmysql::detail
