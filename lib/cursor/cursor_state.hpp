// SPDX-License-Identifier: MIT
// The state behind the cursor handles: what their copies share, private to the library.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "connection/entry_points.hpp"
#include "uvmysql/cursor.hpp"

namespace uvmysql::detail {

class RowStream;
struct StatementState;
class ServerCursor;

/// What both cursor kinds keep about their last statement.
struct CursorState {
    Connection conn;
    std::int64_t rowcount = -1;
    std::uint64_t lastrowid = 0;
    std::size_t arraysize = 1;
    bool closed = false;
    std::shared_ptr<const std::vector<Description>> description;   // null: none
    std::shared_ptr<const Columns> described_columns;               // what `description` describes

    /// Describes `columns` (null: no result set) unless they are the ones described already.
    void describe(const std::shared_ptr<const Columns>& columns);
    std::string last_executed;
    CommandLimits limits;   // its own timeout and CancelSignal (Cursor::set_timeout()...)
    bool prepared = false;  // execute through server-side prepared statements (set_prepared())

    explicit CursorState(Connection c) : conn(std::move(c)) {}
    virtual ~CursorState() = default;
};

/// Cursor and DictCursor: every result set of the last statement, read into memory.
struct BufferedCursorState : CursorState {
    std::vector<ResultSet> results;
    std::size_t set = 0;           // current result set in `results`
    std::size_t pos = 0;           // next row of the current set
    std::size_t moved = 0;         // rows before this one were moved out by a fetch to the end
    std::exception_ptr later_error;   // a later statement's error, raised by nextset()
    std::vector<Row> warnings;
    std::shared_ptr<RowSink> row_sink;   // Connection::query_as(): rows go there, not into Values

    explicit BufferedCursorState(Connection c) : CursorState(std::move(c)) {}
    /// Null when the cursor can run a statement; else ProgrammingError (closed) or InterfaceError.
    [[nodiscard]] std::exception_ptr check_usable() const;
    /// Takes a finished statement's results and makes the first one current.
    void take_results(QueryResults r);
    /// Makes results[set] current (description, rowcount, lastrowid).
    void select_set();
};

/// A new buffered cursor state on `conn`, from the block cache (cursors are often made per
/// query: `async with conn.cursor()`, Connection::query()).
std::shared_ptr<BufferedCursorState> new_buffered_state(Connection conn);

/// Cursor::execute() on `self`: formats `query`, runs it, keeps its results and warnings, and
/// resolves to the row count. Connection::execute() and query() run it on a state of their own.
Future<std::uint64_t> run_buffered(std::shared_ptr<BufferedCursorState> self, std::string_view query,
                                   const Args& args);
/// run_buffered() with positional values given one by one (no Args built).
Future<std::uint64_t> run_buffered_values(std::shared_ptr<BufferedCursorState> self, std::string_view query,
                                          std::span<const Value> values);
/// The rest of an execute: keeps `results` (and fetches the warnings) as run_buffered() does.
Future<std::uint64_t> keep_results(std::shared_ptr<BufferedCursorState> self, Future<QueryResults> results);

/// SSCursor and SSDictCursor: the stream of the last statement's rows.
struct StreamCursorState : CursorState {
    std::shared_ptr<RowStream> stream;
    std::size_t rownumber = 0;
    std::shared_ptr<StatementState> statement;   // what a prepared execute() streams from
    std::uint32_t fetch_size = 0;                  // > 0: a server-side cursor (set_fetch_size())
    std::shared_ptr<ServerCursor> server_cursor;   // the open one, whose stream is `stream`

    explicit StreamCursorState(Connection c) : CursorState(std::move(c)) {}
    /// Copies the current set's metadata (description, rowcount) from the stream.
    void sync_from_stream();
};

class StreamCursorBase;
/// The stream behind a streaming cursor (null before execute()).
const std::shared_ptr<RowStream>& stream_of(const StreamCursorBase& cursor);

}  // namespace uvmysql::detail
