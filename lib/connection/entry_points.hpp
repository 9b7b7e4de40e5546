// SPDX-License-Identifier: MIT
// The connection layer's entry points for the cursors: commands with a per-call time limit.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "uvmysql/connection.hpp"

namespace uvmysql::detail {

class RowStream;

/// A command's own time limit; nullopt: the connection's query_timeout.
using TimeLimit = std::optional<std::chrono::milliseconds>;

/// Connection::query_results() with its own time limit (what a cursor's execute() sends).
Future<QueryResults> query_results(const Connection& conn, std::string sql, TimeLimit timeout);

/// Runs `sql` unbuffered on `conn` (what SSCursor::execute() sends): resolves once the first
/// result's header arrived; rows are then read through the stream as they are asked for.
Future<std::shared_ptr<RowStream>> start_stream(const Connection& conn, std::string sql, TimeLimit timeout);

}  // namespace uvmysql::detail
