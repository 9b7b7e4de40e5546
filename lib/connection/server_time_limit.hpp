// SPDX-License-Identifier: MIT
// A statement rewritten so that the server stops it itself once its time limit passed
// (ConnectOptions::query_timeout_on_server).
#pragma once

#include <chrono>
#include <string>

namespace uvmysql::detail {

/// Rewrites `sql` so that the server ends it after `limit`, and says whether it could:
/// - MariaDB: `SET STATEMENT max_statement_time=<seconds> FOR <sql>` (any statement; the server
///   reports 1969 when the time runs out);
/// - MySQL: a `/*+ MAX_EXECUTION_TIME(<ms>) */` optimizer hint right after the leading SELECT
///   keyword (MySQL honours the hint on SELECT only, and reports 3024). Any other statement
///   is left as it is and false is returned: the client's KILL QUERY then enforces the limit.
/// Leading blanks and comments before the SELECT are kept; the hint goes after the keyword,
/// where MySQL looks for it.
bool limit_on_server(std::string& sql, std::chrono::milliseconds limit, bool mariadb);

}  // namespace uvmysql::detail
