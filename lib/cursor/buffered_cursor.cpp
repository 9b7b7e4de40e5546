// SPDX-License-Identifier: MIT
// BufferedCursorBase: what Cursor and DictCursor share — execute, executemany, callproc, fetch, scroll.
#include <algorithm>

#include "async/block_cache.hpp"
#include "common/access.hpp"
#include "common/logger.hpp"
#include "common/status_error.hpp"
#include "connection/connection_impl.hpp"
#include "connection/entry_points.hpp"
#include "cursor/cursor_common.hpp"
#include "cursor/cursor_state.hpp"
#include "cursor/executemany.hpp"
#include "uvmysql/cursor.hpp"
#include "values/escape.hpp"
#include "values/format_query.hpp"
#include "values/placeholders.hpp"
#include "connection/statement_state.hpp"

namespace uvmysql::detail {

namespace {

/// Logs and keeps the warnings a statement left (aiomysql's _show_warnings); only called when
/// the statement reported some.
Future<void> fetch_warnings(std::shared_ptr<BufferedCursorState> self) {
    return self->conn.show_warnings().then([self](std::vector<Row> rows) {
        for (const Row& w : rows) {
            if (w.size() < 3) continue;
            // Notes (DROP ... IF EXISTS and the like) are routine: debug level only.
            const auto level = w[0].to_string() == "Note" ? spdlog::level::debug : spdlog::level::warn;
            logger()->log(level, "{} {}: {}", w[0].to_string(), w[1].to_string(), w[2].to_string());
        }
        self->warnings = std::move(rows);
    });
}

}  // namespace

std::exception_ptr BufferedCursorState::check_usable() const {
    if (closed) return programming_error("Cursor closed");
    if (conn.closed()) {
        return to_exception(detail::Access::impl(conn) ? detail::Access::impl(conn)->closed_error()
                                        : connection_gone("Not connected"));
    }
    return nullptr;
}

void BufferedCursorState::take_results(QueryResults r) {
    results = std::move(r.sets);
    later_error = std::move(r.later_error);
    set = 0;
    select_set();
}

void BufferedCursorState::select_set() {
    pos = 0;
    moved = 0;
    if (set >= results.size()) {
        describe(nullptr);
        rowcount = -1;
        return;
    }
    const ResultSet& rs = results[set];
    describe(rs.columns);
    if (rs.columns) {
        rowcount = static_cast<std::int64_t>(rs.rows.size());
    } else {
        rowcount = static_cast<std::int64_t>(rs.affected_rows);
    }
    lastrowid = rs.insert_id;
}

namespace {

/// The prepared path of run_buffered(): `%s` -> `?`, then the statement from the connection's
/// cache, or prepared and executed in one round trip (see prepare_and_execute()).
Future<QueryResults> run_prepared(const std::shared_ptr<BufferedCursorState>& self, std::string_view query,
                                  std::span<const Value> values) {
    std::string sql;
    std::size_t count = 0;
    if (auto st = to_question_marks(query, sql, count); !st.ok()) {
        return make_exception_future<QueryResults>(to_exception(st));
    }
    self->last_executed = sql;
    return prepare_and_execute(self->conn, std::move(sql), count, values, self->limits);
}

/// The text path of run_buffered(): sends the formatted `sql` and keeps its results.
Future<std::uint64_t> run_formatted(std::shared_ptr<BufferedCursorState> self, std::string sql) {
    self->last_executed = sql;
    Future<QueryResults> results = query_results(self->conn, std::move(sql), self->limits, self->row_sink);
    return keep_results(std::move(self), std::move(results));
}

}  // namespace

Future<std::uint64_t> run_buffered_values(std::shared_ptr<BufferedCursorState> self, std::string_view query,
                                          std::span<const Value> values) {
    if (auto e = self->check_usable()) return make_exception_future<std::uint64_t>(e);
    if (self->prepared) return keep_results(self, run_prepared(self, query, values));
    std::string sql = take_sql_buffer(self->conn);
    const EscapeOptions opts{self->conn.no_backslash_escapes()};
    if (auto st = format_positional(query, values, opts, sql); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    return run_formatted(std::move(self), std::move(sql));
}

namespace {

/// executemany() of a prepared cursor: the statement prepared once (the cache), then
/// Statement::executemany() (MariaDB's bulk execute, or one execute per row).
Future<std::uint64_t> executemany_prepared(const std::shared_ptr<BufferedCursorState>& self, std::string_view query,
                                           std::vector<Args>& seq) {
    std::vector<Params> rows;
    rows.reserve(seq.size());
    for (Args& a : seq) {
        if (a.style() == Args::Style::named) {
            return make_exception_future<std::uint64_t>(named_params_not_prepared());
        }
        rows.push_back(std::move(a).positional());   // `seq` is the caller's, given by value
    }
    std::string sql;
    std::size_t count = 0;
    if (auto st = to_question_marks(query, sql, count); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    self->last_executed = sql;
    self->warnings.clear();
    self->results.clear();
    self->later_error = nullptr;
    Connection conn = self->conn;
    return conn.prepare(std::move(sql))
        .then([rows = std::move(rows)](Statement stmt) mutable { return stmt.executemany(std::move(rows)); })
        .then([self](std::uint64_t total) {
            self->rowcount = static_cast<std::int64_t>(total);
            return total;
        });
}

}  // namespace

Future<std::uint64_t> run_buffered(std::shared_ptr<BufferedCursorState> self, std::string_view query,
                                   const Args& args) {
    // Without arguments a text query is sent as it is (no `%` processing); a prepared one still
    // has its `%s` translated.
    if (args.style() == Args::Style::positional || (args.is_none() && self->prepared)) {
        return run_buffered_values(std::move(self), query, args.positional());
    }
    if (auto e = self->check_usable()) return make_exception_future<std::uint64_t>(e);
    if (self->prepared) {
        return make_exception_future<std::uint64_t>(named_params_not_prepared());
    }
    std::string sql = take_sql_buffer(self->conn);
    if (auto st = format_statement(self->conn, query, args, sql); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    return run_formatted(std::move(self), std::move(sql));
}

Future<std::uint64_t> keep_results(std::shared_ptr<BufferedCursorState> self, Future<QueryResults> results) {
    self->warnings.clear();
    self->results.clear();
    self->later_error = nullptr;
    return std::move(results).then([self](QueryResults r) -> Future<std::uint64_t> {
        self->take_results(std::move(r));
        const auto count = static_cast<std::uint64_t>(std::max<std::int64_t>(self->rowcount, 0));
        // The last statement's warnings (a successful query always has at least one result).
        if (self->results.empty() || self->results.back().warning_count == 0 || !self->conn.options().show_warnings) {
            return make_ready_future(count);
        }
        return fetch_warnings(self).then([count]() { return count; });
    });
}

std::shared_ptr<BufferedCursorState> new_buffered_state(Connection conn) {
    return std::allocate_shared<BufferedCursorState>(CachedBlockAllocator<BufferedCursorState>{}, std::move(conn));
}

BufferedCursorBase::BufferedCursorBase(Connection conn) : CursorBase(new_buffered_state(std::move(conn))) {}

BufferedCursorState& BufferedCursorBase::core() const noexcept { return static_cast<BufferedCursorState&>(*state_); }

Future<std::uint64_t> BufferedCursorBase::execute(std::string_view query, Args args) {
    return run_buffered(std::static_pointer_cast<BufferedCursorState>(state_), query, args);
}

Future<std::uint64_t> BufferedCursorBase::execute_values(std::string_view query, std::span<const Value> values) {
    return run_buffered_values(std::static_pointer_cast<BufferedCursorState>(state_), query, values);
}

Future<std::uint64_t> BufferedCursorBase::execute(const Statement& statement, Params params) {
    auto self = std::static_pointer_cast<BufferedCursorState>(state_);
    if (auto e = self->check_usable()) return make_exception_future<std::uint64_t>(e);
    if (auto e = foreign_statement(self->conn, statement)) return make_exception_future<std::uint64_t>(e);
    self->last_executed = statement.sql();
    return keep_results(self, execute_prepared(state_of(statement), params, self->limits));
}

Future<std::uint64_t> BufferedCursorBase::executemany(std::string query, std::vector<Args> seq) {
    if (auto e = core().check_usable()) return make_exception_future<std::uint64_t>(e);
    if (seq.empty()) return make_ready_future<std::uint64_t>(0);
    if (core().prepared) return executemany_prepared(std::static_pointer_cast<BufferedCursorState>(state_), query, seq);
    const Connection& conn = core().conn;
    std::vector<std::string> statements;
    EscapeOptions opts{conn.no_backslash_escapes()};
    // PyMySQL's Cursor.max_stmt_length: far below any server's max_allowed_packet.
    constexpr std::size_t max_stmt_length = 1024000;
    const std::size_t limit = std::min<std::size_t>(max_stmt_length, conn.options().max_allowed_packet);
    if (auto st = build_executemany(query, seq, opts, limit, statements); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    // Run the statements one after the other, summing the row counts.
    auto self = std::static_pointer_cast<BufferedCursorState>(state_);
    auto total = std::make_shared<std::uint64_t>(0);
    auto shared = std::make_shared<std::vector<std::string>>(std::move(statements));
    Future<void> chain = make_ready_future();
    for (std::size_t i = 0; i < shared->size(); ++i) {
        chain = std::move(chain).then([self, shared, total, i]() {
            return run_buffered(self, std::move((*shared)[i]), Args{}).then([total](std::uint64_t n) {
                *total += n;
            });
        });
    }
    return std::move(chain).then([self, total]() {
        self->rowcount = static_cast<std::int64_t>(*total);
        return *total;
    });
}

Future<Params> BufferedCursorBase::callproc(std::string procname, Params args) {
    if (auto e = core().check_usable()) return make_exception_future<Params>(e);
    EscapeOptions opts{core().conn.no_backslash_escapes()};
    // The name and the @`_name_n` variables are quoted identifiers: CALL `foo.bar`(@`_foo.bar_0`).
    std::string call = "CALL ";
    if (auto st = append_identifier(procname, call); !st.ok()) return make_exception_future<Params>(to_exception(st));
    call += '(';
    std::vector<std::string> sets;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string var = "@";
        (void)append_identifier("_" + procname + "_" + std::to_string(i), var);   // valid: procname is
        std::string set = "SET " + var + "=";
        if (auto st = append_literal(args[i], opts, set); !st.ok()) {
            return make_exception_future<Params>(to_exception(st));
        }
        sets.push_back(std::move(set));
        call += (i ? "," : "") + var;
    }
    call += ")";
    auto self = std::static_pointer_cast<BufferedCursorState>(state_);
    Future<void> chain = make_ready_future();
    for (auto& s : sets) {
        chain = std::move(chain).then([self, s = std::move(s)]() mutable {
            return self->conn.query(std::move(s)).then([](std::vector<ResultSet>) {});
        });
    }
    auto shared_args = std::make_shared<Params>(std::move(args));
    return std::move(chain)
        .then([self, call = std::move(call)]() mutable { return run_buffered(self, std::move(call), Args{}); })
        .then([shared_args](std::uint64_t) { return std::move(*shared_args); });
}

Future<bool> BufferedCursorBase::nextset() {
    if (auto e = check_fetch()) return make_exception_future<bool>(e);
    BufferedCursorState& c = core();
    if (c.set + 1 >= c.results.size()) {
        // PyMySQL raises a later statement's error here, once.
        if (auto e = std::exchange(c.later_error, nullptr)) return make_exception_future<bool>(e);
        return make_ready_future(false);
    }
    ++c.set;
    c.select_set();
    return make_ready_future(true);
}

Future<void> BufferedCursorBase::close() {
    core().closed = true;
    core().results.clear();
    return make_ready_future();
}

std::size_t BufferedCursorBase::rownumber() const { return core().pos; }

const std::vector<Row>& BufferedCursorBase::warnings() const { return core().warnings; }

std::exception_ptr BufferedCursorBase::check_fetch() const {
    if (core().closed) return programming_error("Cursor closed");
    if (core().results.empty()) return programming_error("execute() first");
    return nullptr;
}

std::optional<Row> BufferedCursorBase::next_row() {
    BufferedCursorState& c = core();
    if (c.set >= c.results.size()) return std::nullopt;
    auto& rows = c.results[c.set].rows;
    if (c.pos >= rows.size()) return std::nullopt;
    return rows[c.pos++];
}

std::vector<Row> BufferedCursorBase::take_rows(std::size_t n) {
    BufferedCursorState& c = core();
    std::vector<Row> out;
    if (c.set >= c.results.size()) return out;
    auto& rows = c.results[c.set].rows;
    if (c.pos >= rows.size()) return out;   // read to the end (or taken whole)
    const std::size_t end = c.pos + std::min(n, rows.size() - c.pos);
    const auto first = rows.begin() + static_cast<std::ptrdiff_t>(c.pos);
    const auto last = rows.begin() + static_cast<std::ptrdiff_t>(end);
    if (c.pos == 0 && end == rows.size()) {
        // Taking the whole set: the vector itself (no allocation); scroll() knows its size from
        // `moved` and refuses to go back into it.
        out.swap(rows);
        c.moved = end;
    } else if (end == rows.size()) {
        // Taking the rest: move instead of copying (half the memory and time of a big fetchall);
        // scroll() refuses to go back into moved-out rows.
        out.assign(std::make_move_iterator(first), std::make_move_iterator(last));
        c.moved = end;
    } else {
        out.assign(first, last);
    }
    c.pos = end;
    return out;
}

Future<void> BufferedCursorBase::scroll(std::int64_t value, ScrollMode mode) {
    if (auto e = check_fetch()) return make_exception_future<void>(e);
    BufferedCursorState& c = core();
    // A set whose rows were all taken at once is empty now: `moved` still counts them.
    const auto size = static_cast<std::int64_t>(
        std::max(c.moved, c.set < c.results.size() ? c.results[c.set].rows.size() : std::size_t{0}));
    const std::int64_t target = mode == ScrollMode::relative ? static_cast<std::int64_t>(c.pos) + value : value;
    if (target < 0 || target >= size) return make_exception_future<void>(programming_error("out of range"));
    if (static_cast<std::size_t>(target) < c.moved) {
        return make_exception_future<void>(
            programming_error("cannot scroll back into rows that fetchall() or fetchmany() already returned"));
    }
    c.pos = static_cast<std::size_t>(target);
    return make_ready_future();
}

}  // namespace uvmysql::detail
