// SPDX-License-Identifier: MIT
// Cursor and DictCursor: buffered cursors with aiomysql's methods.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uvmysql/connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/row.hpp"
#include "uvmysql/row_traits.hpp"

namespace uvmysql {

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

/// What both cursor kinds keep about their last statement. Not for direct use.
struct UVMYSQL_API CursorStateBase {
    Connection conn;
    std::int64_t rowcount = -1;
    std::uint64_t lastrowid = 0;
    std::size_t arraysize = 1;
    bool closed = false;
    std::vector<Description> description;
    std::shared_ptr<const Columns> described_columns;   // what `description` was built from
    std::string last_executed;

    explicit CursorStateBase(Connection c) : conn(std::move(c)) {}
};

/// The properties both cursor kinds offer (PEP 249's and aiomysql's), over their shared state.
template <class Core>
class CursorProperties {
public:
    /// Columns of the current result set; empty when it has none.
    [[nodiscard]] const std::vector<Description>& description() const { return core_->description; }
    /// Rows in the current result set or rows affected; -1 before any statement.
    [[nodiscard]] std::int64_t rowcount() const { return core_->rowcount; }
    /// AUTO_INCREMENT id of the last INSERT (0 when none).
    [[nodiscard]] std::uint64_t lastrowid() const { return core_->lastrowid; }
    /// How many rows fetchmany() returns by default.
    [[nodiscard]] std::size_t arraysize() const { return core_->arraysize; }
    void set_arraysize(std::size_t n) { core_->arraysize = n == 0 ? 1 : n; }
    [[nodiscard]] bool closed() const { return core_->closed; }
    [[nodiscard]] const Connection& connection() const { return core_->conn; }
    [[nodiscard]] bool echo() const { return core_->conn.echo(); }
    /// The last statement sent (aiomysql's _executed).
    [[nodiscard]] const std::string& last_executed() const { return core_->last_executed; }

protected:
    explicit CursorProperties(std::shared_ptr<Core> core) : core_(std::move(core)) {}
    std::shared_ptr<Core> core_;
};

/// The state shared by the copies of one buffered cursor. Not for direct use.
struct UVMYSQL_API CursorCore : CursorStateBase {
    std::vector<ResultSet> results;
    std::size_t set = 0;           // current result set in `results`
    std::size_t pos = 0;           // next row of the current set
    std::size_t moved_ = 0;        // rows before this one were moved out by a fetch to the end
    std::exception_ptr later_error;   // a later statement's error, raised by nextset()
    std::vector<Row> warnings;

    explicit CursorCore(Connection c) : CursorStateBase(std::move(c)) {}
    /// Null when the cursor can run a statement; else ProgrammingError (closed) or InterfaceError.
    std::exception_ptr check_usable() const;
    /// Null when rows can be fetched; else ProgrammingError (closed, or nothing executed).
    std::exception_ptr check_fetch() const;
    /// Takes a finished statement's results and makes the first one current.
    void take_results(QueryResults r);
    /// Makes results[set] current (description, rowcount, lastrowid).
    void select_set();
    [[nodiscard]] std::string mogrify(std::string_view query, const Args& args) const;
    Future<std::uint64_t> execute(std::shared_ptr<CursorCore> self, std::string query, const Args& args);
    Future<std::uint64_t> executemany(std::shared_ptr<CursorCore> self, std::string query, std::vector<Args> seq);
    Future<Params> callproc(std::shared_ptr<CursorCore> self, std::string procname, Params args);
    std::optional<Row> next_row();
    std::vector<Row> take_rows(std::size_t n);
    std::exception_ptr scroll(std::int64_t value, ScrollMode mode);
};

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

}  // namespace detail

/// A buffered cursor whose rows are RowT (Row for Cursor, DictRow for DictCursor, or a row
/// type of your own with a row_traits<RowT>). execute() reads the whole result into memory;
/// fetch methods then need no I/O (they return ready futures, so code written for the
/// streaming cursors works unchanged). Copies share the cursor. Use on the loop thread.
template <class RowT>
class BasicCursor : public detail::CursorProperties<detail::CursorCore> {
public:
    /// The type of the rows the fetch methods return.
    using row_type = RowT;

    /// A cursor on `conn` (no I/O); Connection::cursor() is the usual way to make one.
    explicit BasicCursor(Connection conn) : CursorProperties(std::make_shared<detail::CursorCore>(std::move(conn))) {}

    /// Runs `query` with `args` interpolated client-side (`%%s` / `%(name)s`; no args: sent as is).
    /// Resolves to the row count (rows in the result set, or affected rows). Statement warnings
    /// are fetched and logged (see warnings()). Fails with ProgrammingError for bad arguments
    /// or SQL, the server's error class otherwise, InterfaceError when closed.
    [[nodiscard]] Future<std::uint64_t> execute(std::string query, Args args = {}) {
        return core_->execute(core_, std::move(query), args);
    }
    /// execute() with positional values given one by one: `execute("... %s, %s", id, "x")`.
    /// Needs no braced list, so it compiles inside coroutines on GCC 12 (see Args).
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<std::uint64_t> execute(std::string query, Vs&&... values) {
        return execute(std::move(query), Args(positional(std::forward<Vs>(values)...)));
    }
    /// Runs `query` for each Args of `seq`. INSERT/REPLACE ... VALUES (...) statements are sent
    /// as multi-row statements, each under max_allowed_packet, as PyMySQL does. Resolves to the
    /// total row count.
    [[nodiscard]] Future<std::uint64_t> executemany(std::string query, std::vector<Args> seq) {
        return core_->executemany(core_, std::move(query), std::move(seq));
    }
    /// executemany() with the rows given one by one, e.g. `positional(1, "a"), positional(2, "b")`
    /// or named(...) lists: no braced list at the call site (see Args).
    template <class... Rows>
    requires(sizeof...(Rows) > 0 && (detail::ArgumentList<Rows> && ...))
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
    [[nodiscard]] Future<Params> callproc(std::string procname, Params args = {}) {
        return core_->callproc(core_, std::move(procname), std::move(args));
    }
    /// callproc() with the arguments given one by one: `callproc("p", 1, "x")`.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<Params> callproc(std::string procname, Vs&&... values) {
        return callproc(std::move(procname), positional(std::forward<Vs>(values)...));
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
    /// Moves to the next result set; resolves to false when there is none.
    [[nodiscard]] Future<bool> nextset() {
        if (auto e = core_->check_fetch()) return make_exception_future<bool>(e);
        if (core_->set + 1 >= core_->results.size()) {
            // PyMySQL raises a later statement's error here, once.
            if (auto e = std::exchange(core_->later_error, nullptr)) return make_exception_future<bool>(e);
            return make_ready_future(false);
        }
        ++core_->set;
        core_->select_set();
        return make_ready_future(true);
    }
    /// The next row, or std::nullopt after the last one.
    [[nodiscard]] Future<std::optional<RowT>> fetchone() {
        if (auto e = core_->check_fetch()) return make_exception_future<std::optional<RowT>>(e);
        auto row = core_->next_row();
        if (!row) return make_ready_future(std::optional<RowT>());
        return make_ready_future(std::optional<RowT>(row_traits<RowT>::from_row(std::move(*row))));
    }
    /// Up to `size` rows (arraysize() by default).
    [[nodiscard]] Future<std::vector<RowT>> fetchmany(std::optional<std::size_t> size = std::nullopt) {
        if (auto e = core_->check_fetch()) return make_exception_future<std::vector<RowT>>(e);
        return make_ready_future(adapt(core_->take_rows(size.value_or(core_->arraysize))));
    }
    /// All remaining rows.
    [[nodiscard]] Future<std::vector<RowT>> fetchall() {
        if (auto e = core_->check_fetch()) return make_exception_future<std::vector<RowT>>(e);
        return make_ready_future(adapt(core_->take_rows(SIZE_MAX)));
    }
    /// Moves the position in the result set. Fails with ProgrammingError when the target is
    /// outside it (PyMySQL's IndexError).
    [[nodiscard]] Future<void> scroll(std::int64_t value, ScrollMode mode = ScrollMode::relative) {
        if (auto e = core_->scroll(value, mode)) return make_exception_future<void>(e);
        return make_ready_future();
    }
    /// Closes the cursor (no I/O for a buffered cursor). Later calls fail with ProgrammingError.
    [[nodiscard]] Future<void> close() {
        core_->closed = true;
        core_->results.clear();
        return make_ready_future();
    }

    /// Index of the next row in the current result set.
    [[nodiscard]] std::size_t rownumber() const { return core_->pos; }
    /// The warnings (Level, Code, Message) the last statement left.
    [[nodiscard]] const std::vector<Row>& warnings() const { return core_->warnings; }

private:
    static std::vector<RowT> adapt(std::vector<Row> rows) { return detail::adapt_rows<RowT>(std::move(rows)); }
};

/// Buffered cursor returning Row (values by position, or by name with Row::at("name")).
using Cursor = BasicCursor<Row>;
/// Buffered cursor returning DictRow (name -> value, duplicate names as table.name).
using DictCursor = BasicCursor<DictRow>;

}  // namespace uvmysql
