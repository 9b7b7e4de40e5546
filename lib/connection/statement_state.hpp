// SPDX-License-Identifier: MIT
// StatementState: what a Statement handle and the statement cache share about one prepared statement.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "connection/entry_points.hpp"
#include "connection/query_op.hpp"
#include "connection/stmt_prepare_op.hpp"
#include "uvmysql/statement.hpp"

namespace uvmysql::detail {

class ConnectionImpl;

/// One statement prepared on one session. The connection is weak: the cache (owned by the
/// connection) holds these states, the Statement handles hold the connection.
struct StatementState {
    StatementState() = default;
    StatementState(const StatementState&) = delete;
    StatementState& operator=(const StatementState&) = delete;
    /// Closes the statement on the server (COM_STMT_CLOSE, no reply) unless it was closed or
    /// its session is gone: dropping the last handle of a statement does not leak it.
    ~StatementState();

    std::weak_ptr<ConnectionImpl> conn;
    std::uint64_t epoch = 0;   // the connection's statement_epoch when prepared
    std::string sql;
    PreparedInfo info;
    /// Parameters whose value went with COM_STMT_SEND_LONG_DATA since the last execute (one
    /// flag per parameter; empty: none).
    std::vector<std::uint8_t> long_data;
    bool closed = false;       // closed by the user, or forgotten by the server (reset, reconnect)
    bool cached = false;       // in the connection's cache: close() leaves it prepared
};

/// Why `st` cannot be used now (ok: it can): closed (ProgrammingError 1243), its connection
/// closed (the connection's closed error), or reset/reconnected since (ProgrammingError 1243).
Status statement_usable(const StatementState& st);

/// The COM_STMT_EXECUTE of `st` (a statement of `impl`) for `params`, or a ProgrammingError
/// (1210 for a wrong count); `cursor_flags` from cursor_type. Consumes the long data flags.
Status build_execute(const std::shared_ptr<StatementState>& st, ConnectionImpl& impl,
                     std::span<const Value> params, std::uint8_t cursor_flags, StatementRequest& out);

/// Statement::execute() with `limits` (a cursor's), resolving to every result set as
/// Connection::query_results() does.
/// With `sink`, the binary rows go to it instead of into the ResultSets (Statement::execute_as()).
Future<QueryResults> execute_prepared(const std::shared_ptr<StatementState>& st, std::span<const Value> params,
                                      const CommandLimits& limits, std::shared_ptr<RowSink> sink = nullptr);
/// The same, unbuffered (what a prepared SSCursor sends): resolves once the first result's
/// header arrived; rows are then read through the stream.
Future<std::shared_ptr<RowStream>> stream_prepared(const std::shared_ptr<StatementState>& st,
                                                   std::span<const Value> params, const CommandLimits& limits);
/// A statement of `impl` prepared in its session `epoch`.
std::shared_ptr<StatementState> new_statement(const std::shared_ptr<ConnectionImpl>& impl, std::uint64_t epoch,
                                              PreparedInfo info);
/// Puts the just prepared `st` with text `sql` in the connection's cache, unless the session
/// was reset since (then it is only named) or the cache already has that text (then `st`
/// becomes the cached one and the new one is closed once dropped).
void keep_in_cache(ConnectionImpl& impl, std::shared_ptr<StatementState>& st, std::string sql);

/// Executes `sql` (with `?` placeholders, `param_count` of them by the client's count) as a
/// prepared statement, buffered: from the connection's cache when it has it; else on MariaDB
/// 10.2+ with "execute direct" (COM_STMT_PREPARE and a COM_STMT_EXECUTE of statement id -1
/// written together: one round trip), else prepare, then execute. The prepared statement
/// goes into the cache.
Future<QueryResults> prepare_and_execute(const Connection& conn, std::string sql, std::size_t param_count,
                                         std::span<const Value> params, const CommandLimits& limits);

/// COM_STMT_PREPARE outside the connection's cache: the statement is closed on the server as
/// soon as its last holder lets it go (what a server-side cursor executes).
Future<std::shared_ptr<StatementState>> prepare_uncached(const Connection& conn, std::string sql);
/// The state behind a Statement handle.
const std::shared_ptr<StatementState>& state_of(const Statement& stmt);

}  // namespace uvmysql::detail
