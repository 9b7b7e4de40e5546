// SPDX-License-Identifier: MIT
// The connection layer's entry points for the cursors: commands with their own limits.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "uvmysql/connection.hpp"

namespace uvmysql::detail {

class RowStream;

class CancelState;

/// What may interrupt a command besides the connection's own limits.
struct CommandLimits {
    std::optional<std::chrono::milliseconds> timeout;   // nullopt: the connection's query_timeout
    std::shared_ptr<CancelState> cancel;                // its CancelSignal, if any
};

/// Connection::query_results() with its own limits (what a cursor's execute() sends).
Future<QueryResults> query_results(const Connection& conn, std::string sql, const CommandLimits& limits);

/// Runs `sql` unbuffered on `conn` (what SSCursor::execute() sends): resolves once the first
/// result's header arrived; rows are then read through the stream as they are asked for.
Future<std::shared_ptr<RowStream>> start_stream(const Connection& conn, std::string sql, const CommandLimits& limits);

}  // namespace uvmysql::detail
