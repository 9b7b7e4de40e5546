// SPDX-License-Identifier: MIT
// Sends a transaction's statements: one, several queued together, or several in turn.
#pragma once

#include <string>
#include <vector>

#include "uvmysql/connection.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Runs `sql` on `conn`, dropping any result.
Future<void> run_statement(const Connection& conn, std::string sql);
/// Queues `statements` at once, so that nothing queued later runs between them; each runs
/// whatever the one before gave. Fails with the first failure, by position.
Future<void> run_together(const Connection& conn, std::vector<std::string> statements);
/// Runs `statements` one after the other; the first failure stops and fails the sequence.
Future<void> run_in_turn(const Connection& conn, std::vector<std::string> statements);

}  // namespace uvmysql::detail
