// SPDX-License-Identifier: MIT
// Connection: one session with a MySQL/MariaDB server, and connect().
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "uvmysql/column.hpp"
#include "uvmysql/detail/row_sink.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/options.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/row.hpp"
#include "uvmysql/server_status.hpp"
#include "uvmysql/value.hpp"

struct uv_loop_s;

namespace uvmysql {

namespace detail {
class ConnectionImpl;
struct Access;
}
template <class RowT>
class BasicCursor;
using Cursor = BasicCursor<Row>;
class Statement;


/// The outcome of one statement: a result set (columns set, rows filled) or just an OK.
struct UVMYSQL_API ResultSet {
    /// Column metadata shared with every row; null when the statement produced no result set.
    std::shared_ptr<const std::vector<ColumnInfo>> columns;
    /// The rows of the result set (empty for a statement without one).
    std::vector<Row> rows;
    /// Rows changed, deleted or inserted; for a result set, the number of rows it has.
    std::uint64_t affected_rows = 0;
    /// The AUTO_INCREMENT id the statement generated (LAST_INSERT_ID()), 0 when none.
    std::uint64_t insert_id = 0;
    /// How many warnings the statement left (see Connection::show_warnings()).
    std::uint16_t warning_count = 0;
    /// The server_status flags reported after the statement (server_status::more_results_exists...).
    std::uint16_t server_status = 0;
    /// The server's human-readable info of an OK, e.g. "Records: 3  Duplicates: 0  Warnings: 0"
    /// (empty for most statements).
    std::string info;

    /// True when the statement produced a result set (columns is set), even one with no rows.
    [[nodiscard]] bool has_rows() const noexcept { return columns != nullptr; }
};

/// What Connection::query_results() gives: every result set read and, when a statement after
/// the first one failed (multi-statements, stored procedures), that statement's error.
struct UVMYSQL_API QueryResults {
    /// The result sets of the statements that succeeded, in order.
    std::vector<ResultSet> sets;
    std::exception_ptr later_error;   ///< null when every statement succeeded
};

/// A handle to one server session. Copies share the session; the session lives while a
/// handle or a pending operation refers to it. Every method must be called on the loop thread.
/// Commands issued while another runs are queued and sent in order.
class UVMYSQL_API Connection {
public:
    /// An empty handle (closed()).
    Connection() = default;

    // --- statements --------------------------------------------------------------------------
    /// Creates a buffered Cursor (no I/O). The `cursorclass` option does not change the C++ type:
    /// use cursor<DictCursor>() and friends (see cursor.hpp).
    [[nodiscard]] Cursor cursor() const;
    /// Creates a cursor of type C (DictCursor, SSCursor, SSDictCursor, BasicCursor<MyRow>...).
    template <class C>
    [[nodiscard]] C cursor() const { return C(*this); }

    /// Runs `sql` exactly as given (COM_QUERY) and buffers every result set it produces.
    /// Fails with the server's error class (ProgrammingError for syntax errors...).
    [[nodiscard]] Future<std::vector<ResultSet>> query(std::string sql);
    /// The one-call form of cursor() + execute() + fetchall(): runs `sql` with `args`
    /// interpolated client-side, as Cursor::execute() does (`%%s` / `%(name)s`; an empty Args: sent
    /// as it is), and resolves to the rows of its result set (none for a statement without one).
    /// Statement warnings are fetched and logged as for a cursor (ConnectOptions::show_warnings).
    /// Fails as Cursor::execute() does; an error of a later statement fails it too.
    /// query(sql) with no argument at all is the call above, which resolves to every result
    /// set; for rows of a statement without parameters use execute(sql) (its `rows`).
    [[nodiscard]] Future<std::vector<Row>> query(std::string sql, Args args);
    /// query() with positional values given one by one: `query("... WHERE id = %s", id)`.
    /// Needs no braced list, so it compiles inside coroutines on GCC 12 (see Args).
    /// The values stay on the stack: no parameter list is allocated.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<Row>> query(std::string_view sql, Vs&&... values) {
        const std::array<Value, sizeof...(Vs)> list{Value(std::forward<Vs>(values))...};
        return query_values(sql, list);
    }
    /// query() whose rows go straight into T — a std::tuple or a described struct (docs/values.md,
    /// "Typed rows") — without a Value per field: the cheapest way to read rows. The columns are
    /// checked against T once, before any row is converted (ProgrammingError naming the
    /// column, its SQL type and the C++ type); a value that does not convert (a zero date, NULL
    /// where T has no optional) fails it with DataError. The response is read to its end
    /// either way, so the connection stays usable. Rows of the first result set only.
    /// Converters (ConnectOptions::conv) do not apply: T decides each field's type.
    template <TypedRow T, class... Vs>
    requires detail::MaybeParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<T>> query_as(std::string_view sql, Vs&&... values) {
        return query_as<T>(RowMapping{}, sql, std::forward<Vs>(values)...);
    }
    /// query_as() with a RowMapping: `query_as<User>(uvmysql::by_name, "SELECT * ...", id)`.
    template <TypedRow T, class... Vs>
    requires detail::MaybeParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<T>> query_as(const RowMapping& mapping, std::string_view sql, Vs&&... values) {
        const std::array<Value, sizeof...(Vs)> list{Value(std::forward<Vs>(values))...};
        auto sink = std::make_shared<detail::TypedRowSink<T>>(mapping);
        return query_into(sql, list, sink).then([sink](ResultSet) { return sink->take_rows(); });
    }
    /// Runs `sql` with `args` interpolated (as query() with arguments) and resolves to its
    /// outcome: affected_rows, insert_id, warning_count, and the rows when it returned a result
    /// set. When the statement produces several result sets (CALL, multi-statements) this is
    /// the first; the others are read and dropped, and an error among them fails the future.
    [[nodiscard]] Future<ResultSet> execute(std::string sql, Args args = {});
    /// execute() with positional values given one by one.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<ResultSet> execute(std::string_view sql, Vs&&... values) {
        const std::array<Value, sizeof...(Vs)> list{Value(std::forward<Vs>(values))...};
        return execute_values(sql, list);
    }
    /// As query(), except that an error of a statement after the first one does not fail the
    /// future: it comes with the result sets before it. Cursors raise it from nextset(), as
    /// PyMySQL does. An error of the first statement fails the future as in query(), also when
    /// it arrives after some of its rows (max_statement_time, an overflow in a later row): the
    /// rows of a result set cut short by an error are never returned.
    [[nodiscard]] Future<QueryResults> query_results(std::string sql);
    /// Prepares `sql` on the server (COM_STMT_PREPARE; `?` placeholders) and resolves to a
    /// Statement of this connection (include uvmysql/statement.hpp to use it). With
    /// ConnectOptions::prepared_statement_cache_size, a statement of the same text prepared
    /// before and still in the cache is returned without a round trip. Fails with the server's
    /// error class: ProgrammingError for a syntax error or a multi-statement string (1064),
    /// OperationalError when max_prepared_stmt_count is reached (1461); the connection stays
    /// usable.
    [[nodiscard]] Future<Statement> prepare(std::string sql);
    /// Sends every statement at once, without waiting for each reply (one write), and
    /// resolves each future with its own statement's result sets, in order, as query() would.
    /// A failing statement fails only its own future: the ones after it still run (so do not
    /// batch statements that must stop at the first error — use a transaction and check each
    /// result). Commands issued meanwhile are queued behind the batch. With local_infile on,
    /// the statements are sent one after the other instead (LOAD DATA LOCAL must be alone on
    /// the wire). See also ConnectOptions::pipeline.
    [[nodiscard]] std::vector<Future<std::vector<ResultSet>>> pipeline(std::vector<std::string> statements);
    /// pipeline() with the statements given one by one: `pipeline("SELECT 1", "SELECT 2")`
    /// (no braced list at the call site, so it compiles inside coroutines on GCC 12).
    template <class... Ss>
    requires(sizeof...(Ss) > 0 && (std::is_convertible_v<Ss, std::string> && ...))
    [[nodiscard]] std::vector<Future<std::vector<ResultSet>>> pipeline(std::string first, Ss&&... rest) {
        std::vector<std::string> statements;
        statements.reserve(1 + sizeof...(Ss));
        statements.push_back(std::move(first));
        (statements.emplace_back(std::forward<Ss>(rest)), ...);
        return pipeline(std::move(statements));
    }

    // --- session -----------------------------------------------------------------------------
    /// Closes the socket at once; queued operations fail with InterfaceError. Idempotent.
    void close();
    /// Sends COM_QUIT after queued work, then closes. Resolves when the socket is closed.
    [[nodiscard]] Future<void> ensure_closed();
    /// SET AUTOCOMMIT = value.
    [[nodiscard]] Future<void> autocommit(bool value);
    /// Autocommit mode as the server last reported it (no round-trip).
    [[nodiscard]] bool get_autocommit() const;
    /// BEGIN (aiomysql's begin()). Fails with InterfaceError when the connection was closed
    /// (OperationalError 2006 when its link was lost), else with the server's error. For
    /// transaction objects, options and nesting see uvmysql::begin() in transaction.hpp.
    [[nodiscard]] Future<void> begin();
    /// COMMIT. Fails as begin() does.
    [[nodiscard]] Future<void> commit();
    /// ROLLBACK. Fails as begin() does.
    [[nodiscard]] Future<void> rollback();
    /// COM_INIT_DB: changes the current database.
    [[nodiscard]] Future<void> select_db(std::string db);
    /// COM_PING. With `reconnect`, a closed or lost connection is opened again first.
    [[nodiscard]] Future<void> ping(bool reconnect = true);
    /// COM_RESET_CONNECTION: clears session state (variables, temporary tables, transactions,
    /// prepared statements), then sets up again what connect() did: SET NAMES with the
    /// connection's `charset` option, sql_mode, init_command, autocommit. The current database
    /// stays. Fails with the first error of these steps.
    [[nodiscard]] Future<void> reset_connection();
    /// SHOW WARNINGS: rows of (Level, Code, Message).
    [[nodiscard]] Future<std::vector<Row>> show_warnings();
    /// Sets the session's character set (SET NAMES). Escape-unsafe sets are refused.
    [[nodiscard]] Future<void> set_charset(std::string charset);

    // --- escaping (client side, honours NO_BACKSLASH_ESCAPES) --------------------------------
    /// The SQL literal for `v` ('text', 12, NULL, _binary'...', '2024-01-01 00:00:00').
    /// Throws DataError for NaN/infinity.
    [[nodiscard]] std::string literal(const Value& v) const;
    /// Same as literal (aiomysql's escape()).
    [[nodiscard]] std::string escape(const Value& v) const { return literal(v); }
    /// Escapes a string's content without adding quotes.
    [[nodiscard]] std::string escape_string(std::string_view s) const;

    // --- properties --------------------------------------------------------------------------
    /// True for an empty handle and once the connection is closed (close(), ensure_closed(), a
    /// lost link or a fatal error; see is_fatal()).
    [[nodiscard]] bool closed() const;
    /// The server host connected to ("localhost" when ConnectOptions::host was empty).
    [[nodiscard]] const std::string& host() const;
    /// The TCP port (3306 when ConnectOptions::port was 0).
    [[nodiscard]] int port() const;
    /// The unix socket path, empty when connected over TCP.
    [[nodiscard]] const std::string& unix_socket() const;
    /// The current database (tracked through select_db).
    [[nodiscard]] std::optional<std::string> db() const;
    /// The user name logged in with.
    [[nodiscard]] const std::string& user() const;
    /// Whether every statement is logged (ConnectOptions::echo).
    [[nodiscard]] bool echo() const;
    /// The session's character set: ConnectOptions::charset (utf8mb4 by default), or what
    /// set_charset() last set.
    [[nodiscard]] const std::string& charset() const;
    /// The encoding name for the charset ("utf8" for utf8mb4/utf8mb3, as aiomysql reports it).
    [[nodiscard]] std::string encoding() const;
    /// The version string the server sent in its greeting, e.g. "8.0.36" or "10.11.6-MariaDB".
    [[nodiscard]] const std::string& server_version() const;
    /// aiomysql's get_server_info().
    [[nodiscard]] const std::string& get_server_info() const { return server_version(); }
    /// True when the server is MariaDB (its version string says so).
    [[nodiscard]] bool is_mariadb() const;
    /// The time limit of commands issued from now on (ConnectOptions::query_timeout; 0: none).
    [[nodiscard]] std::chrono::milliseconds query_timeout() const;
    /// Changes query_timeout for the commands issued from now on (a cursor's own set_timeout()
    /// still wins). No effect on an empty handle.
    void set_query_timeout(std::chrono::milliseconds limit);
    /// The server's id for this session (CONNECTION_ID(), what KILL takes).
    [[nodiscard]] std::uint32_t thread_id() const;
    /// Last AUTO_INCREMENT id the server reported.
    [[nodiscard]] std::uint64_t insert_id() const;
    /// Affected rows of the last statement that ended with an OK (statements without a result set).
    [[nodiscard]] std::uint64_t affected_rows() const;
    /// The server_status flags as the server last reported them (no round-trip).
    [[nodiscard]] std::uint16_t server_status() const;
    /// True while a transaction is open (server_status::in_trans as last reported).
    [[nodiscard]] bool in_transaction() const;
    /// True when sql_mode NO_BACKSLASH_ESCAPES is on; the escaping functions follow it.
    [[nodiscard]] bool no_backslash_escapes() const;
    /// True while an unbuffered result (SSCursor) is queued or still being read: other
    /// commands fail with ProgrammingError 2014 until it is read or its cursor closed.
    [[nodiscard]] bool has_unread_result() const;
    /// Reads and drops what is left of an unbuffered result (an SSCursor not read to its end),
    /// as SSCursor::close() does, so that the connection runs commands again. Ready at once when
    /// there is none; fails with ProgrammingError 2014 while a fetch on that result is pending.
    [[nodiscard]] Future<void> discard_unread_result();
    /// Number of commands queued or running on this connection.
    [[nodiscard]] std::size_t pending_commands() const;
    /// The TLS state of the link (false for plain TCP and unix sockets).
    [[nodiscard]] bool is_tls() const;
    /// The options the connection was opened with, defaults and option file applied.
    [[nodiscard]] const ConnectOptions& options() const;
    /// The libuv loop the connection runs on (null for an empty handle).
    [[nodiscard]] uv_loop_s* loop() const;

private:
    friend struct detail::Access;   // the layers built on Connection reach the session through it
    /// query(sql, values...) and execute(sql, values...) without building a Params.
    Future<std::vector<Row>> query_values(std::string_view sql, std::span<const Value> values);
    Future<ResultSet> execute_values(std::string_view sql, std::span<const Value> values);
    /// query_as(): runs the statement with its rows going to `sink` instead of into Values.
    Future<ResultSet> query_into(std::string_view sql, std::span<const Value> values,
                            std::shared_ptr<detail::RowSink> sink);
    explicit Connection(std::shared_ptr<detail::ConnectionImpl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<detail::ConnectionImpl> impl_;
};

/// Opens a connection. Resolves once the server accepted the login and the session is set up
/// (charset, sql_mode, init_command, autocommit). Fails with OperationalError for network,
/// TLS (2026), timeout and access-denied (1045) errors, ProgrammingError for bad options.
/// Call on the loop's thread; the returned Connection is bound to `loop`.
[[nodiscard]] UVMYSQL_API Future<Connection> connect(uv_loop_s* loop, ConnectOptions options);

}  // namespace uvmysql
