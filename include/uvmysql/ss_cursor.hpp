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

class RowStream;

/// The state shared by the copies of one streaming cursor. Not for direct use.
struct UVMYSQL_API SSCursorCore : CursorStateBase {
    std::shared_ptr<RowStream> stream;
    std::size_t rownumber = 0;

    explicit SSCursorCore(Connection c) : CursorStateBase(std::move(c)) {}
    Future<std::uint64_t> execute(std::shared_ptr<SSCursorCore> self, std::string query, const Args& args);
    Future<std::optional<Row>> fetchone(std::shared_ptr<SSCursorCore> self);
    Future<std::vector<Row>> fetchmany(std::shared_ptr<SSCursorCore> self, std::size_t n);
    Future<bool> nextset(std::shared_ptr<SSCursorCore> self);
    Future<void> scroll(std::shared_ptr<SSCursorCore> self, std::int64_t value, ScrollMode mode);
    Future<void> close(std::shared_ptr<SSCursorCore> self);
    [[nodiscard]] std::string mogrify(std::string_view query, const Args& args) const;
    /// Copies the current set's metadata (description, rowcount) from the stream.
    void sync_from_stream();
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
template <class RowT>
class BasicSSCursor : public detail::CursorProperties<detail::SSCursorCore> {
public:
    /// The type of the rows the fetch methods return.
    using row_type = RowT;

    /// A streaming cursor on `conn` (no I/O), as `conn.cursor<SSCursor>()` makes it.
    explicit BasicSSCursor(Connection conn)
        : CursorProperties(std::make_shared<detail::SSCursorCore>(std::move(conn))) {}

    /// Sends `query` (args as for Cursor::execute); resolves to 0 for a result set (rows are
    /// not counted yet) or to the affected rows. A previous unread result is discarded first.
    [[nodiscard]] Future<std::uint64_t> execute(std::string query, Args args = {}) {
        return core_->execute(core_, std::move(query), args);
    }
    /// execute() with positional values given one by one (compiles in coroutines on GCC 12).
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<std::uint64_t> execute(std::string query, Vs&&... values) {
        return execute(std::move(query), Args(positional(std::forward<Vs>(values)...)));
    }
    /// The exact statement execute() would send. Throws ProgrammingError for bad arguments.
    [[nodiscard]] std::string mogrify(std::string_view query, const Args& args = {}) const {
        return core_->mogrify(query, args);
    }
    /// mogrify() with positional values given one by one.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] std::string mogrify(std::string_view query, Vs&&... values) const {
        return mogrify(query, Args(positional(std::forward<Vs>(values)...)));
    }
    /// The next row from the socket, or std::nullopt at the end of the result set.
    [[nodiscard]] Future<std::optional<RowT>> fetchone() {
        return core_->fetchone(core_).then([](std::optional<Row> r) {
            if (!r) return std::optional<RowT>();
            return std::optional<RowT>(row_traits<RowT>::from_row(std::move(*r)));
        });
    }
    /// Up to `size` rows (arraysize() by default).
    [[nodiscard]] Future<std::vector<RowT>> fetchmany(std::optional<std::size_t> size = std::nullopt) {
        return core_->fetchmany(core_, size.value_or(core_->arraysize)).then(&BasicSSCursor::adapt);
    }
    /// Every remaining row of the set (this is where memory grows with the result).
    [[nodiscard]] Future<std::vector<RowT>> fetchall() {
        return core_->fetchmany(core_, SIZE_MAX).then(&BasicSSCursor::adapt);
    }
    /// Skips the rest of this result set; resolves to false when there is no further set.
    [[nodiscard]] Future<bool> nextset() { return core_->nextset(core_); }
    /// Skips rows forward (relative), or to row `value` (absolute, not behind the current row).
    [[nodiscard]] Future<void> scroll(std::int64_t value, ScrollMode mode = ScrollMode::relative) {
        return core_->scroll(core_, value, mode);
    }
    /// Reads and drops whatever is left, so the connection is usable again; then closes.
    [[nodiscard]] Future<void> close() { return core_->close(core_); }

    /// Rows fetched from the current result set so far.
    [[nodiscard]] std::size_t rownumber() const { return core_->rownumber; }
    /// The shared state (for tests and the pool: the stream behind the cursor).
    [[nodiscard]] const std::shared_ptr<detail::SSCursorCore>& core() const { return core_; }

private:
    static std::vector<RowT> adapt(std::vector<Row> rows) { return detail::adapt_rows<RowT>(std::move(rows)); }
};

/// Unbuffered cursor returning Row.
using SSCursor = BasicSSCursor<Row>;
/// Unbuffered cursor returning DictRow.
using SSDictCursor = BasicSSCursor<DictRow>;

}  // namespace uvmysql
