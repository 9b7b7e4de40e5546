// SPDX-License-Identifier: MIT
// Cursor and DictCursor: buffered cursors with aiomysql's methods.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uvmysql/cancel.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/row.hpp"
#include "uvmysql/row_traits.hpp"
#include "uvmysql/typed_row.hpp"

namespace uvmysql {

class Statement;

/// One column of Cursor::description(), PEP 249's 7-tuple.
struct UVMYSQL_API Description {
    /// The column's name (its alias in the statement).
    std::string name;
    /// The column's wire type.
    FieldType type_code = FieldType::null;
    std::optional<std::uint32_t> display_size;   ///< never known on the text protocol (None)
    std::uint32_t internal_size = 0;             ///< the column length in bytes
    /// The column length, as PyMySQL reports it (same as internal_size).
    std::uint32_t precision = 0;
    std::uint8_t scale = 0;                      ///< decimals
    /// False for NOT NULL columns.
    bool null_ok = true;
};

/// How scroll() counts.
enum class ScrollMode { relative, absolute };

namespace detail {

struct CursorState;
struct BufferedCursorState;

/// Rows made into RowT (no work for Row itself).
template <class RowT>
std::vector<RowT> adapt_rows(std::vector<Row> rows) {
    if constexpr (std::is_same_v<RowT, Row>) {
        return rows;
    } else {
        std::vector<RowT> out;
        out.reserve(rows.size());
        for (auto& r : rows) out.push_back(row_traits<RowT>::from_row(std::move(r)));
        return out;
    }
}

/// Rows of the result set `columns` describes converted into T; the columns are checked first,
/// also when there are no rows (none to check when the statement returned no result set).
template <class T>
Future<std::vector<T>> typed_rows(Future<std::vector<Row>> rows, const RowMapping& mapping,
                                  std::shared_ptr<const Columns> columns) {
    return std::move(rows).then([mapping, columns = std::move(columns)](std::vector<Row> r) {
        return rows_as<T>(std::move(r), mapping, columns);
    });
}

/// One row converted into T (see typed_rows()); std::nullopt stays std::nullopt.
template <class T>
Future<std::optional<T>> typed_row(Future<std::optional<Row>> row, const RowMapping& mapping,
                                   std::shared_ptr<const Columns> columns) {
    return std::move(row).then([mapping, columns = std::move(columns)](std::optional<Row> r) {
        if (!columns) return std::optional<T>();
        const auto& plan = plan_for<T>(columns, mapping);   // checked once per result set
        if (!r) return std::optional<T>();
        return std::optional<T>(plan.convert(std::move(*r)));
    });
}

/// The properties both cursor kinds offer (PEP 249's and aiomysql's) over their shared,
/// library-private state.
class UVMYSQL_API CursorBase {
public:
    /// Columns of the current result set; empty when it has none.
    [[nodiscard]] const std::vector<Description>& description() const;
    /// Rows in the current result set or rows affected; -1 before any statement.
    [[nodiscard]] std::int64_t rowcount() const;
    /// AUTO_INCREMENT id of the last INSERT (0 when none).
    [[nodiscard]] std::uint64_t lastrowid() const;
    /// How many rows fetchmany() returns by default.
    [[nodiscard]] std::size_t arraysize() const;
    void set_arraysize(std::size_t n);
    [[nodiscard]] bool closed() const;
    [[nodiscard]] const Connection& connection() const;
    [[nodiscard]] bool echo() const;
    /// The last statement sent (aiomysql's _executed).
    [[nodiscard]] const std::string& last_executed() const;
    /// The time limit of each statement this cursor runs from now on (0: none), instead of the
    /// connection's query_timeout (see ConnectOptions::query_timeout for what happens past it).
    void set_timeout(std::chrono::milliseconds limit);
    /// The limit this cursor's statements run with: its own, or the connection's.
    [[nodiscard]] std::chrono::milliseconds timeout() const;
    /// Binds the statements this cursor runs from now on to `signal`: signal.cancel() removes
    /// them unsent when queued, interrupts the running one (KILL QUERY), and each fails with
    /// CancelledError; the connection stays usable.
    void set_cancel_signal(const CancelSignal& signal);
    /// With `on`, execute() (and executemany() of a buffered cursor) runs its
    /// statement as a server-side prepared statement: the same `%%s` placeholders become `?`,
    /// the values travel typed in COM_STMT_EXECUTE (never through the SQL text) and the rows in
    /// the binary protocol, decoded into the same Values. Statements come from the connection's
    /// cache (ConnectOptions::prepared_statement_cache_size), so a repeated text is prepared
    /// once. Named `%%(name)s` placeholders, a `%%s` inside quotes or a comment and a bare `?`
    /// are ProgrammingErrors. A streaming cursor (SSCursor) streams the binary rows as it
    /// streams text rows. See docs/prepared-statements.md.
    void set_prepared(bool on);
    /// Whether execute() uses server-side prepared statements (set_prepared()).
    [[nodiscard]] bool prepared() const;
    /// The exact statement execute() would send. Throws ProgrammingError for bad arguments.
    [[nodiscard]] std::string mogrify(std::string_view query, const Args& args = {}) const;
    /// mogrify() with positional values given one by one.
    template <class... Vs>
    requires ParameterValues<Vs...>
    [[nodiscard]] std::string mogrify(std::string_view query, Vs&&... values) const {
        return mogrify(query, Args(positional(std::forward<Vs>(values)...)));
    }

protected:
    explicit CursorBase(std::shared_ptr<CursorState> state) noexcept;
    /// The current result set's columns (null when the statement returned none).
    [[nodiscard]] std::shared_ptr<const Columns> result_columns() const;
    friend struct Access;   // tests and the engine reach the state through it
    std::shared_ptr<CursorState> state_;
};

/// What Cursor and DictCursor share: every method but the row-typed fetches.
class UVMYSQL_API BufferedCursorBase : public CursorBase {
public:
    /// Runs `query` with `args` interpolated client-side (`%%s` / `%(name)s`; no args: sent as is).
    /// Resolves to the row count (rows in the result set, or affected rows). Statement warnings
    /// are fetched and logged (see warnings()). Fails with ProgrammingError for bad arguments
    /// or SQL, the server's error class otherwise, InterfaceError when closed.
    /// `query` is read before execute() returns: it need not outlive the call.
    [[nodiscard]] Future<std::uint64_t> execute(std::string_view query, Args args = {});
    /// execute() with positional values given one by one: `execute("... %s, %s", id, "x")`.
    /// Needs no braced list, so it compiles inside coroutines on GCC 12 (see Args). The values
    /// stay on the stack: no parameter list is allocated.
    template <class... Vs>
    requires ParameterValues<Vs...>
    [[nodiscard]] Future<std::uint64_t> execute(std::string_view query, Vs&&... values) {
        const std::array<Value, sizeof...(Vs)> list{Value(std::forward<Vs>(values))...};
        return execute_values(query, list);
    }
    /// Executes `statement` (prepared on this cursor's connection) with one value per `?` and
    /// keeps its results as execute(query) does: the same fetches, rowcount, description and
    /// warnings. A statement of another connection is a ProgrammingError; see Statement for
    /// the statement's own errors.
    [[nodiscard]] Future<std::uint64_t> execute(const Statement& statement, Params params);
    /// execute(statement, params) with the values given one by one (no braced list needed).
    template <class... Vs>
    requires ParameterValues<Vs...>
    [[nodiscard]] Future<std::uint64_t> execute(const Statement& statement, Vs&&... values) {
        return execute(statement, Params(positional(std::forward<Vs>(values)...)));
    }
    /// Runs `query` for each Args of `seq`. INSERT/REPLACE ... VALUES (...) statements are sent
    /// as multi-row statements, each under max_allowed_packet, as PyMySQL does. Resolves to the
    /// total row count.
    [[nodiscard]] Future<std::uint64_t> executemany(std::string query, std::vector<Args> seq);
    /// executemany() with the rows given one by one, e.g. `positional(1, "a"), positional(2, "b")`
    /// or named(...) lists: no braced list at the call site (see Args).
    template <class... Rows>
    requires(sizeof...(Rows) > 0 && (ArgumentList<Rows> && ...))
    [[nodiscard]] Future<std::uint64_t> executemany(std::string query, Rows&&... rows) {
        std::vector<Args> seq;
        seq.reserve(sizeof...(Rows));
        (seq.emplace_back(std::forward<Rows>(rows)), ...);
        return executemany(std::move(query), std::move(seq));
    }
    /// CALL procname(args...) the PyMySQL way: each argument is stored in `@_procname_n` first,
    /// so OUT/INOUT values can be read with `SELECT @_procname_0, ...` Resolves to `args`.
    /// `procname` is sent as one quoted identifier (``CALL `foo.bar`(@`_foo.bar_0`)``): it cannot
    /// inject SQL, and it names a procedure of the current database.
    [[nodiscard]] Future<Params> callproc(std::string procname, Params args = {});
    /// callproc() with the arguments given one by one: `callproc("p", 1, "x")`.
    template <class... Vs>
    requires ParameterValues<Vs...>
    [[nodiscard]] Future<Params> callproc(std::string procname, Vs&&... values) {
        return callproc(std::move(procname), positional(std::forward<Vs>(values)...));
    }
    /// Moves to the next result set; resolves to false when there is none.
    [[nodiscard]] Future<bool> nextset();
    /// Moves the position in the result set. Fails with ProgrammingError when the target is
    /// outside it (PyMySQL's IndexError).
    [[nodiscard]] Future<void> scroll(std::int64_t value, ScrollMode mode = ScrollMode::relative);
    /// Closes the cursor (no I/O for a buffered cursor). Later calls fail with ProgrammingError.
    [[nodiscard]] Future<void> close();
    /// Index of the next row in the current result set.
    [[nodiscard]] std::size_t rownumber() const;
    /// The warnings (Level, Code, Message) the last statement left.
    [[nodiscard]] const std::vector<Row>& warnings() const;

protected:
    explicit BufferedCursorBase(Connection conn);
    /// Null when rows can be fetched; else ProgrammingError (closed, or nothing executed).
    [[nodiscard]] std::exception_ptr check_fetch() const;
    /// The next row of the current set, or std::nullopt after the last one.
    std::optional<Row> next_row();
    /// Up to `n` rows of the current set (SIZE_MAX: the rest).
    std::vector<Row> take_rows(std::size_t n);

private:
    BufferedCursorState& core() const noexcept;
    /// execute(query, values...) without building a Params.
    Future<std::uint64_t> execute_values(std::string_view query, std::span<const Value> values);
};

}  // namespace detail

/// A buffered cursor whose rows are RowT (Row for Cursor, DictRow for DictCursor, or a row
/// type of your own with a row_traits<RowT>). execute() reads the whole result into memory;
/// fetch methods then need no I/O (they return ready futures, so code written for the
/// streaming cursors works unchanged). Copies share the cursor. Use on the loop thread.
/// execute(), executemany(), callproc(), mogrify(), nextset(), scroll(), close() and the
/// PEP 249 properties (description(), rowcount(), lastrowid(), arraysize()...) come from its
/// base; only the fetches depend on RowT.
template <class RowT>
class BasicCursor : public detail::BufferedCursorBase {
public:
    /// The type of the rows the fetch methods return.
    using row_type = RowT;

    /// A cursor on `conn` (no I/O); Connection::cursor() is the usual way to make one.
    explicit BasicCursor(Connection conn) : BufferedCursorBase(std::move(conn)) {}

    /// The next row, or std::nullopt after the last one.
    [[nodiscard]] Future<std::optional<RowT>> fetchone() {
        if (auto e = check_fetch()) return make_exception_future<std::optional<RowT>>(e);
        auto row = next_row();
        if (!row) return make_ready_future(std::optional<RowT>());
        return make_ready_future(std::optional<RowT>(row_traits<RowT>::from_row(std::move(*row))));
    }
    /// Up to `size` rows (arraysize() by default).
    [[nodiscard]] Future<std::vector<RowT>> fetchmany(std::optional<std::size_t> size = std::nullopt) {
        if (auto e = check_fetch()) return make_exception_future<std::vector<RowT>>(e);
        return make_ready_future(detail::adapt_rows<RowT>(take_rows(size.value_or(arraysize()))));
    }
    /// All remaining rows.
    [[nodiscard]] Future<std::vector<RowT>> fetchall() {
        if (auto e = check_fetch()) return make_exception_future<std::vector<RowT>>(e);
        return make_ready_future(detail::adapt_rows<RowT>(take_rows(SIZE_MAX)));
    }

    /// The next row converted into T — a std::tuple or a described struct (docs/values.md,
    /// "Typed rows") — or std::nullopt after the last one. The result set's columns are checked
    /// against T once, before any row is converted: a mismatch fails with ProgrammingError
    /// naming the column, its SQL type and the C++ type; a value that does not convert (a zero
    /// date, NULL where T has no optional) with DataError.
    template <TypedRow T>
    [[nodiscard]] Future<std::optional<T>> fetchone(const RowMapping& mapping = {}) {
        if (auto e = check_fetch()) return make_exception_future<std::optional<T>>(e);
        return detail::typed_row<T>(make_ready_future(next_row()), mapping, result_columns());
    }
    /// Up to `size` rows (arraysize() by default) converted into T, as fetchone<T>() does.
    template <TypedRow T>
    [[nodiscard]] Future<std::vector<T>> fetchmany(std::optional<std::size_t> size = std::nullopt,
                                                   const RowMapping& mapping = {}) {
        if (auto e = check_fetch()) return make_exception_future<std::vector<T>>(e);
        return detail::typed_rows<T>(make_ready_future(take_rows(size.value_or(arraysize()))), mapping,
                                     result_columns());
    }
    /// All remaining rows converted into T, as fetchone<T>() does:
    /// `co_await cur.fetchall<std::tuple<std::int64_t, std::string>>()`.
    template <TypedRow T>
    [[nodiscard]] Future<std::vector<T>> fetchall(const RowMapping& mapping = {}) {
        if (auto e = check_fetch()) return make_exception_future<std::vector<T>>(e);
        return detail::typed_rows<T>(make_ready_future(take_rows(SIZE_MAX)), mapping, result_columns());
    }
};

/// Buffered cursor returning Row (values by position, or by name with Row::at("name")).
using Cursor = BasicCursor<Row>;
/// Buffered cursor returning DictRow (name -> value, duplicate names as table.name).
using DictCursor = BasicCursor<DictRow>;

}  // namespace uvmysql
