// SPDX-License-Identifier: MIT
// StreamCursorBase: the streaming cursors over a RowStream.
#include "common/access.hpp"
#include "connection/entry_points.hpp"
#include "connection/row_stream.hpp"
#include "connection/server_cursor.hpp"
#include "cursor/cursor_common.hpp"
#include "cursor/cursor_state.hpp"
#include "connection/statement_state.hpp"
#include "values/placeholders.hpp"
#include "uvmysql/ss_cursor.hpp"

namespace uvmysql::detail {

namespace {
std::exception_ptr closed_error() { return programming_error("Cursor closed"); }
std::exception_ptr not_executed() { return programming_error("execute() first"); }

/// Reads a previous result still on the wire to its end and drops it.
Future<void> discard_previous(const std::shared_ptr<StreamCursorState>& self) {
    Future<void> previous = self->stream && !self->stream->finished() ? self->stream->discard() : make_ready_future();
    return std::move(previous).then([self]() { self->server_cursor.reset(); });
}

/// Took over the rows of a statement that was just executed: the first set becomes current.
std::uint64_t took_stream(const std::shared_ptr<StreamCursorState>& self, std::shared_ptr<RowStream> stream) {
    self->stream = std::move(stream);
    self->sync_from_stream();
    return static_cast<std::uint64_t>(std::max<std::int64_t>(self->rowcount, 0));
}

/// Executes `statement` for the cursor: streamed, or through a server-side cursor with a fetch size.
Future<std::uint64_t> stream_statement(const std::shared_ptr<StreamCursorState>& self,
                                       std::shared_ptr<StatementState> statement, const Params& params) {
    if (self->fetch_size == 0) {
        self->statement = statement;   // closing it must wait until the stream is read (the next execute)
        return stream_prepared(statement, params, self->limits).then([self](std::shared_ptr<RowStream> s) {
            return took_stream(self, std::move(s));
        });
    }
    self->statement = nullptr;   // the server cursor holds it, and lets it go once read or dropped
    return ServerCursor::open(std::move(statement), params, self->fetch_size, self->limits)
        .then([self](std::shared_ptr<ServerCursor> cursor) {
            self->server_cursor = std::move(cursor);
            return took_stream(self, self->server_cursor->stream());
        });
}

/// execute() of a prepared streaming cursor: `%s` -> `?`, the statement from the connection's
/// cache (or its own, with a fetch size), then stream_statement().
Future<std::uint64_t> execute_prepared_stream(const std::shared_ptr<StreamCursorState>& self, std::string_view query,
                                              const Args& args) {
    if (args.style() == Args::Style::named) {
        return make_exception_future<std::uint64_t>(named_params_not_prepared());
    }
    std::string sql;
    std::size_t count = 0;
    if (auto st = to_question_marks(query, sql, count); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    return discard_previous(self)
        .then([self, sql = std::move(sql)]() mutable -> Future<std::shared_ptr<StatementState>> {
            self->last_executed = sql;
            // With a fetch size, a statement of its own: executing a cached statement elsewhere
            // would close this cursor's server-side cursor.
            if (self->fetch_size > 0) return prepare_uncached(self->conn, std::move(sql));
            Connection conn = self->conn;
            return conn.prepare(std::move(sql)).then([](Statement stmt) { return state_of(stmt); });
        })
        .then([self, params = args.positional()](std::shared_ptr<StatementState> statement) {
            return stream_statement(self, std::move(statement), params);
        });
}
}  // namespace

void StreamCursorState::sync_from_stream() {
    const StreamSetInfo& set = stream->current();
    rownumber = 0;
    describe(set.columns);
    if (set.columns) {
        rowcount = -1;   // unknown until the set has been read
    } else {
        rowcount = static_cast<std::int64_t>(set.affected_rows);
    }
    lastrowid = set.insert_id;
}

StreamCursorBase::StreamCursorBase(Connection conn) : CursorBase(std::make_shared<StreamCursorState>(std::move(conn))) {}

std::shared_ptr<StreamCursorState> StreamCursorBase::core() const {
    return std::static_pointer_cast<StreamCursorState>(state_);
}

const std::shared_ptr<RowStream>& stream_of(const StreamCursorBase& cursor) {
    return static_cast<const StreamCursorState&>(*Access::state(cursor)).stream;
}

void StreamCursorBase::set_fetch_size(std::uint32_t rows) { core()->fetch_size = rows; }
std::uint32_t StreamCursorBase::fetch_size() const { return static_cast<const StreamCursorState&>(*state_).fetch_size; }

std::size_t StreamCursorBase::rownumber() const { return static_cast<const StreamCursorState&>(*state_).rownumber; }

Future<std::uint64_t> StreamCursorBase::execute(std::string_view query, Args args) {
    auto self = core();
    if (self->closed) return make_exception_future<std::uint64_t>(closed_error());
    if (self->prepared || self->fetch_size > 0) return execute_prepared_stream(self, query, args);
    std::string sql = take_sql_buffer(self->conn);
    if (auto st = format_statement(self->conn, query, args, sql); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    return discard_previous(self).then([self, sql = std::move(sql)]() mutable {
        self->last_executed = sql;
        return start_stream(self->conn, std::move(sql), self->limits).then([self](std::shared_ptr<RowStream> s) {
            return took_stream(self, std::move(s));
        });
    });
}

Future<std::uint64_t> StreamCursorBase::execute(const Statement& statement, Params params) {
    auto self = core();
    if (self->closed) return make_exception_future<std::uint64_t>(closed_error());
    if (auto e = foreign_statement(self->conn, statement)) return make_exception_future<std::uint64_t>(e);
    return discard_previous(self).then([self, statement = state_of(statement), params = std::move(params)]() {
        self->last_executed = statement->sql;
        return stream_statement(self, statement, params);
    });
}

Future<std::optional<Row>> StreamCursorBase::fetch_row() {
    using Result = std::optional<Row>;
    auto self = core();
    if (self->closed) return make_exception_future<Result>(closed_error());
    if (!self->stream) return make_exception_future<Result>(not_executed());
    return self->stream->next_row().then([self](Result row) {
        if (row) {
            ++self->rownumber;
        } else if (self->stream->current().columns) {
            self->rowcount = static_cast<std::int64_t>(self->rownumber);
        }
        return row;
    });
}

Future<std::vector<Row>> StreamCursorBase::fetch_rows(std::size_t n) {
    using Result = std::vector<Row>;
    auto self = core();
    if (self->closed) return make_exception_future<Result>(closed_error());
    if (!self->stream) return make_exception_future<Result>(not_executed());
    return self->stream->next_rows(n).then([self, n](Result rows) {
        self->rownumber += rows.size();
        if (rows.size() < n && self->stream->current().columns) {
            self->rowcount = static_cast<std::int64_t>(self->rownumber);
        }
        return rows;
    });
}

Future<bool> StreamCursorBase::nextset() {
    auto self = core();
    if (self->closed) return make_exception_future<bool>(closed_error());
    if (!self->stream) return make_ready_future(false);
    return self->stream->next_set().then([self](bool more) {
        if (more) self->sync_from_stream();
        return more;
    });
}

Future<void> StreamCursorBase::scroll(std::int64_t value, ScrollMode mode) {
    const auto& self = core();
    if (self->closed) return make_exception_future<void>(closed_error());
    if (!self->stream) return make_exception_future<void>(not_executed());
    const std::int64_t skip = mode == ScrollMode::relative ? value : value - static_cast<std::int64_t>(self->rownumber);
    if (skip < 0) {
        return make_exception_future<void>(to_exception(
            Status::client(0, "Backwards scrolling not supported by this cursor", ClientKind::not_supported)));
    }
    if (skip == 0) return make_ready_future();
    const auto wanted = static_cast<std::size_t>(skip);
    return fetch_rows(wanted).then([wanted](std::vector<Row> rows) {
        if (rows.size() < wanted) std::rethrow_exception(programming_error("out of range"));
    });
}

Future<void> StreamCursorBase::close() {
    auto self = core();
    if (self->closed) return make_ready_future();
    self->closed = true;
    if (!self->stream) return make_ready_future();
    return self->stream->discard().then([self]() {
        self->stream.reset();
        self->server_cursor.reset();
    });
}

}  // namespace uvmysql::detail
