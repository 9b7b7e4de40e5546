// SPDX-License-Identifier: MIT
// Sends a transaction's statements: one, or several in order, each after the previous succeeded.
#pragma once

#include <string>
#include <vector>

#include "uvmysql/connection.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Runs `sql` on `conn`, dropping any result.
Future<void> run_statement(Connection conn, std::string sql);
/// Runs `statements` one after the other; the first failure stops and fails the sequence.
Future<void> run_statements(Connection conn, std::vector<std::string> statements);

}  // namespace uvmysql::detail
