// SPDX-License-Identifier: MIT
// uvmysql-query's exit statuses and its one-line JSON error objects.
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace query_tool {

/// The process exit statuses (docs/query-tool.md).
enum ExitStatus : int {
    exit_ok = 0,
    exit_statement_failed = 1,   ///< a statement failed, or the connection broke while running
    exit_usage = 2,              ///< bad command line, unreadable stdin or --defaults-file
    exit_connect_failed = 3,     ///< connect() failed: network, TLS, login, option file contents
};

/// {"errno":N,"sqlstate":"S","class":"C","message":"M"} without a trailing newline.
[[nodiscard]] std::string error_json(int errno_code, std::string_view sqlstate, std::string_view error_class,
                                     std::string_view message);

/// The error object of an exception: a uvmysql::Error gives its errno, SQLSTATE, PEP 249 class
/// name and message; anything else is errno 0, SQLSTATE HY000, class InterfaceError, what().
[[nodiscard]] std::string error_json(const std::exception& e);

/// The error object of a command line the tool cannot run: errno 0, HY000, class UsageError.
[[nodiscard]] std::string usage_error_json(std::string_view message);

/// Writes `json` and a newline to stderr.
void report_error(const std::string& json);

}  // namespace query_tool
