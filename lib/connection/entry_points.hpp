// SPDX-License-Identifier: MIT
// The connection layer's entry points for the cursors: commands with their own limits.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connection/op.hpp"
#include "connection/query_op.hpp"
#include "connection/stmt_command_op.hpp"
#include "connection/stmt_prepare_op.hpp"
#include "uvmysql/connection.hpp"

namespace uvmysql::detail {

class RowStream;

class CancelState;

/// What may interrupt a command besides the connection's own limits.
struct CommandLimits {
    std::optional<std::chrono::milliseconds> timeout;   // nullopt: the connection's query_timeout
    std::shared_ptr<CancelState> cancel;                // its CancelSignal, if any
};

/// Gives `op` the limits of its command (what make_limited_op() does for a statement's text).
inline void apply_limits(Op& op, const CommandLimits& limits) {
    op.timeout = limits.timeout;
    op.cancel_signal = limits.cancel;
}

/// An empty string to format a statement into: the buffer of one that finished on `conn`
/// (steady state: no allocation), or a new one.
std::string take_sql_buffer(const Connection& conn);

/// Connection::query_results() with its own limits (what a cursor's execute() sends); with
/// `sink`, the rows of text result sets go to it instead of into the ResultSets.
Future<QueryResults> query_results(const Connection& conn, std::string sql, const CommandLimits& limits,
                                   std::shared_ptr<RowSink> sink = nullptr);

/// Runs `sql` unbuffered on `conn` (what SSCursor::execute() sends): resolves once the first
/// result's header arrived; rows are then read through the stream as they are asked for.
Future<std::shared_ptr<RowStream>> start_stream(const Connection& conn, std::string sql, const CommandLimits& limits);

// --- prepared statements (the Statement handle and the cache call these) --------------------
class ConnectionImpl;

/// COM_STMT_PREPARE on `impl`.
Future<PreparedInfo> prepare_statement(ConnectionImpl& impl, std::string sql);
/// COM_STMT_EXECUTE: the request's payload is what serialize_com_stmt_execute() built.
/// Buffered, with the limits of a user's query (client-side; the statement text is not
/// rewritten for query_timeout_on_server).
Future<QueryResults> execute_statement(ConnectionImpl& impl, StatementRequest request, const CommandLimits& limits);
/// The same, resolving to the first result set alone (Statement::execute()): any error fails it.
Future<ResultSet> execute_statement_first_set(ConnectionImpl& impl, StatementRequest request,
                                              const CommandLimits& limits);
/// The same, unbuffered: rows are read through the stream (see start_stream()).
Future<std::shared_ptr<RowStream>> start_statement_stream(ConnectionImpl& impl, StatementRequest request,
                                                          const CommandLimits& limits);
/// COM_STMT_RESET, CLOSE or SEND_LONG_DATA, as `payload`.
Future<void> statement_command(ConnectionImpl& impl, std::vector<std::uint8_t> payload, StmtCommandOp::Reply reply);

}  // namespace uvmysql::detail
