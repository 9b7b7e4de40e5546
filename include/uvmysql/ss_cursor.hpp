// SPDX-License-Identifier: MIT
// SSCursor and SSDictCursor: unbuffered cursors that stream rows from the socket as they are fetched.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uvmysql/cursor.hpp"
#include "uvmysql/export.hpp"

namespace uvmysql {

namespace detail {

struct StreamCursorState;

/// What SSCursor and SSDictCursor share: every method but the row-typed fetches.
class UVMYSQL_API StreamCursorBase : public CursorBase {
public:
    /// Sends `query` (args as for Cursor::execute); resolves to 0 for a result set (rows are
    /// not counted yet) or to the affected rows. A previous unread result is discarded first.
    [[nodiscard]] Future<std::uint64_t> execute(std::string_view query, Args args = {});
    /// execute() with positional values given one by one (compiles in coroutines on GCC 12).
    template <class... Vs>
    requires ParameterValues<Vs...>
    [[nodiscard]] Future<std::uint64_t> execute(std::string_view query, Vs&&... values) {
        return execute(query, Args(positional(std::forward<Vs>(values)...)));
    }
    /// Executes `statement` (prepared on this cursor's connection) with one value per `?` and
    /// streams its binary rows as execute(query) streams a result; with set_fetch_size() through
    /// a server-side cursor on that statement (executing the statement again elsewhere closes
    /// the server's cursor: the next fetch then fails). A statement of another connection is a
    /// ProgrammingError.
    [[nodiscard]] Future<std::uint64_t> execute(const Statement& statement, Params params);
    /// execute(statement, params) with the values given one by one (no braced list needed).
    template <class... Vs>
    requires ParameterValues<Vs...>
    [[nodiscard]] Future<std::uint64_t> execute(const Statement& statement, Vs&&... values) {
        return execute(statement, Params(positional(std::forward<Vs>(values)...)));
    }
    /// Skips the rest of this result set; resolves to false when there is no further set.
    [[nodiscard]] Future<bool> nextset();
    /// Skips rows forward (relative), or to row `value` (absolute, not behind the current row).
    [[nodiscard]] Future<void> scroll(std::int64_t value, ScrollMode mode = ScrollMode::relative);
    /// Reads and drops whatever is left, so the connection is usable again; then closes.
    [[nodiscard]] Future<void> close();
    /// With `rows` > 0, execute() runs the statement as a prepared statement (as set_prepared()
    /// does: `%%s` placeholders) with a read-only server-side cursor, and the rows come `rows` at
    /// a time with COM_STMT_FETCH, requested as the cursor is read. Memory stays flat as for a
    /// plain stream, and the connection is free between fetches: statements of other cursors on
    /// the same connection run while this one is open. Each execute() prepares its own statement
    /// (one round trip more), closed when its rows are read or dropped. MariaDB materializes the
    /// result on the server when the cursor opens. 0 (the default): rows stream from the socket.
    void set_fetch_size(std::uint32_t rows);
    /// The rows per COM_STMT_FETCH (0: no server-side cursor).
    [[nodiscard]] std::uint32_t fetch_size() const;
    /// Rows fetched from the current result set so far.
    [[nodiscard]] std::size_t rownumber() const;

protected:
    explicit StreamCursorBase(Connection conn);
    /// The next row from the socket, or std::nullopt at the end of the result set.
    Future<std::optional<Row>> fetch_row();
    /// Up to `n` rows (SIZE_MAX: the rest of the set).
    Future<std::vector<Row>> fetch_rows(std::size_t n);

private:
    std::shared_ptr<StreamCursorState> core() const;
};

}  // namespace detail

/// An unbuffered cursor (aiomysql's SSCursor) returning RowT. execute() resolves once the
/// result's columns are known; each fetch then reads rows from the socket as needed, so memory
/// stays flat however many rows the result has: at most about a thousand decoded rows wait in
/// memory, and the socket is not read while the caller is not fetching.
///
/// While a streamed result is being read, its connection runs no other command: a statement
/// issued meanwhile on the same connection (through another cursor) fails at once with
/// ProgrammingError (CR_COMMANDS_OUT_OF_SYNC, 2014) instead of waiting forever. Read the result
/// to the end or close() the cursor first. rowcount() is -1 while rows are still arriving and
/// the number of rows once the set has been read to its end (affected rows for statements
/// without a result set). scroll() moves forward only (backward: NotSupportedError).
/// execute(), mogrify(), nextset(), scroll(), close() and the PEP 249 properties come from
/// its base; only the fetches depend on RowT.
template <class RowT>
class BasicSSCursor : public detail::StreamCursorBase {
public:
    /// The type of the rows the fetch methods return.
    using row_type = RowT;

    /// A streaming cursor on `conn` (no I/O), as `conn.cursor<SSCursor>()` makes it.
    explicit BasicSSCursor(Connection conn) : StreamCursorBase(std::move(conn)) {}

    /// The next row from the socket, or std::nullopt at the end of the result set.
    [[nodiscard]] Future<std::optional<RowT>> fetchone() {
        if constexpr (std::is_same_v<RowT, Row>) {
            return fetch_row();
        } else {
            return fetch_row().then([](std::optional<Row> r) {
                if (!r) return std::optional<RowT>();
                return std::optional<RowT>(row_traits<RowT>::from_row(std::move(*r)));
            });
        }
    }
    /// Up to `size` rows (arraysize() by default).
    [[nodiscard]] Future<std::vector<RowT>> fetchmany(std::optional<std::size_t> size = std::nullopt) {
        return adapt(fetch_rows(size.value_or(arraysize())));
    }
    /// Every remaining row of the set (this is where memory grows with the result).
    [[nodiscard]] Future<std::vector<RowT>> fetchall() { return adapt(fetch_rows(SIZE_MAX)); }

    /// The next row from the socket converted into T (a std::tuple or a described struct), or
    /// std::nullopt at the end of the set; the columns are checked once per result set, as
    /// Cursor::fetchone<T>() does.
    template <TypedRow T>
    [[nodiscard]] Future<std::optional<T>> fetchone(const RowMapping& mapping = {}) {
        return detail::typed_row<T>(fetch_row(), mapping, result_columns());
    }
    /// Up to `size` rows (arraysize() by default) converted into T.
    template <TypedRow T>
    [[nodiscard]] Future<std::vector<T>> fetchmany(std::optional<std::size_t> size = std::nullopt,
                                                   const RowMapping& mapping = {}) {
        return detail::typed_rows<T>(fetch_rows(size.value_or(arraysize())), mapping, result_columns());
    }
    /// Every remaining row of the set converted into T.
    template <TypedRow T>
    [[nodiscard]] Future<std::vector<T>> fetchall(const RowMapping& mapping = {}) {
        return detail::typed_rows<T>(fetch_rows(SIZE_MAX), mapping, result_columns());
    }

private:
    static Future<std::vector<RowT>> adapt(Future<std::vector<Row>> rows) {
        if constexpr (std::is_same_v<RowT, Row>) {
            return rows;
        } else {
            return std::move(rows).then(&detail::adapt_rows<RowT>);
        }
    }
};

/// Unbuffered cursor returning Row.
using SSCursor = BasicSSCursor<Row>;
/// Unbuffered cursor returning DictRow.
using SSDictCursor = BasicSSCursor<DictRow>;

}  // namespace uvmysql
