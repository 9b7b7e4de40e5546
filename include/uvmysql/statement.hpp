// SPDX-License-Identifier: MIT
// Statement: a server-side prepared statement of one connection (Connection::prepare()).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "uvmysql/column.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

namespace detail {
struct StatementState;
}

/// A statement the server prepared (COM_STMT_PREPARE) with `?` placeholders: executing it sends
/// typed parameters that never pass through a SQL string, and its rows come in the binary
/// protocol, decoded into the same Values a text query gives. Made by Connection::prepare().
///
/// A handle: copies share the statement. It belongs to the session it was prepared on: once
/// that connection is closed, reconnected (ping(true)) or reset (reset_connection()), or once
/// the statement was closed, using it fails (InterfaceError when the connection is closed,
/// ProgrammingError 1243 otherwise) and the connection stays usable. Call on the loop thread.
class UVMYSQL_API Statement {
public:
    /// An empty handle (closed()).
    Statement() = default;

    /// Executes the statement with one value per `?`, in order, and resolves to its outcome
    /// as Connection::execute() does: affected_rows, insert_id, warning_count and the rows.
    /// When it produces several result sets (CALL) this is the first, the others are dropped.
    /// A wrong number of values is a ProgrammingError (errno 1210) before anything is sent; a
    /// value that cannot be sent (a list) is a ProgrammingError; server errors fail with their
    /// class. Obeys the connection's query_timeout. For the other result shapes execute the
    /// statement through a cursor of its connection, `cur.execute(stmt, values...)`: a DictCursor
    /// for DictRows, an SSCursor to stream the rows (with set_fetch_size() through a server-side
    /// cursor).
    [[nodiscard]] Future<ResultSet> execute(Params params = {});
    /// execute() with the values given one by one: `stmt.execute(id, "x")` (no braced list at
    /// the call site, so it compiles inside coroutines on GCC 12). The values stay on the
    /// stack: no parameter list is allocated.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<ResultSet> execute(Vs&&... values) {
        const std::array<Value, sizeof...(Vs)> list{Value(std::forward<Vs>(values))...};
        return execute_values(list);
    }
    /// execute() whose rows go straight into T — a std::tuple or a described struct
    /// (docs/values.md, "Typed rows") — without a Value per field: the binary rows of the first
    /// result set are converted as Connection::query_as() converts text rows, with the same
    /// checks (once per result set) and errors.
    template <TypedRow T, class... Vs>
    requires detail::MaybeParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<T>> execute_as(Vs&&... values) {
        return execute_as<T>(RowMapping{}, std::forward<Vs>(values)...);
    }
    /// execute_as() with a RowMapping: `stmt.execute_as<User>(uvmysql::by_name, id)`.
    template <TypedRow T, class... Vs>
    requires detail::MaybeParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<T>> execute_as(const RowMapping& mapping, Vs&&... values) {
        const std::array<Value, sizeof...(Vs)> list{Value(std::forward<Vs>(values))...};
        auto sink = std::make_shared<detail::TypedRowSink<T>>(mapping);
        return execute_into(list, sink).then([sink](QueryResults r) {
            if (r.later_error) std::rethrow_exception(r.later_error);
            return sink->take_rows();
        });
    }
    /// Executes the statement once per row of `rows` (one Params each) and resolves to the sum
    /// of the affected rows. On MariaDB (10.2+, when the server offers bulk operations) the rows
    /// go in COM_STMT_BULK_EXECUTE commands of up to 4 MiB (and max_allowed_packet) each, one
    /// round trip per command; elsewhere, or when a parameter's values do not share one type
    /// (text in one row, a number in another), one execute per row. Stops at the first failing
    /// command or row, which fails the future with its error (the rows before it stay executed:
    /// use a transaction to undo them). A row with a wrong number of values is a
    /// ProgrammingError (1210) before anything is sent.
    [[nodiscard]] Future<std::uint64_t> executemany(std::vector<Params> rows);
    /// Sends `data` as (a part of) the value of parameter `index` (0-based) with
    /// COM_STMT_SEND_LONG_DATA, in chunks, for values larger than one packet should carry. The
    /// parts add up until the next execute(), whose value for that parameter is then ignored
    /// (pass any value, e.g. nullptr). No reply: an error (too large for max_allowed_packet on
    /// the server) comes with that execute(). Fails with ProgrammingError for a bad index.
    [[nodiscard]] Future<void> send_long_data(std::size_t index, std::string_view data);
    /// COM_STMT_RESET: forgets the long data sent since the last execute().
    [[nodiscard]] Future<void> reset();
    /// COM_STMT_CLOSE: frees the statement on the server (no reply). Idempotent; a statement of
    /// a connection that is gone is only marked closed. A statement of the connection's cache
    /// (see ConnectOptions::prepared_statement_cache_size) is only given back to the cache.
    [[nodiscard]] Future<void> close();

    /// The number of `?` placeholders.
    [[nodiscard]] std::size_t param_count() const noexcept;
    /// The result columns as PREPARE described them (empty for a statement without rows).
    [[nodiscard]] const std::shared_ptr<const std::vector<ColumnInfo>>& columns() const noexcept;
    /// The statement's text.
    [[nodiscard]] const std::string& sql() const noexcept;
    /// True for an empty handle, after close(), and once its session is gone or was reset.
    [[nodiscard]] bool closed() const noexcept;

private:
    friend struct detail::Access;
    /// execute(values...) without building a Params.
    Future<ResultSet> execute_values(std::span<const Value> values);
    /// execute_as(): the rows go to `sink` instead of into Values.
    Future<QueryResults> execute_into(std::span<const Value> values, std::shared_ptr<detail::RowSink> sink);
    Statement(std::shared_ptr<detail::StatementState> state, std::shared_ptr<detail::ConnectionImpl> conn)
        : state_(std::move(state)), conn_(std::move(conn)) {}
    std::shared_ptr<detail::StatementState> state_;
    std::shared_ptr<detail::ConnectionImpl> conn_;   // a statement keeps its session alive
};

}  // namespace uvmysql
