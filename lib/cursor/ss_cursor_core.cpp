// SPDX-License-Identifier: MIT
// SSCursorCore: the streaming cursors over a RowStream.
#include "connection/row_stream.hpp"
#include "cursor/cursor_common.hpp"
#include "uvmysql/ss_cursor.hpp"

namespace uvmysql::detail {

namespace {
std::exception_ptr closed_error() { return programming_error("Cursor closed"); }
std::exception_ptr not_executed() { return programming_error("execute() first"); }
}  // namespace

std::string SSCursorCore::mogrify(std::string_view query, const Args& args) const {
    std::string out;
    if (auto st = format_statement(conn, query, args, out); !st.ok()) std::rethrow_exception(to_exception(st));
    return out;
}

void SSCursorCore::sync_from_stream() {
    const StreamSetInfo& set = stream->current();
    rownumber = 0;
    describe_columns(set.columns, described_columns, description);
    if (set.columns) {
        rowcount = -1;   // unknown until the set has been read
    } else {
        rowcount = static_cast<std::int64_t>(set.affected_rows);
    }
    lastrowid = set.insert_id;
}

Future<std::uint64_t> SSCursorCore::execute(std::shared_ptr<SSCursorCore> self, std::string query, const Args& args) {
    if (closed) return make_exception_future<std::uint64_t>(closed_error());
    std::string sql;
    if (auto st = format_statement(conn, query, args, sql); !st.ok()) {
        return make_exception_future<std::uint64_t>(to_exception(st));
    }
    // A previous result still on the wire is read to its end and dropped first.
    Future<void> previous = stream && !stream->finished() ? stream->discard() : make_ready_future();
    return std::move(previous).then([self, sql = std::move(sql)]() mutable {
        self->last_executed = sql;
        return self->conn.query_stream(std::move(sql)).then([self](std::shared_ptr<RowStream> s) {
            self->stream = std::move(s);
            self->sync_from_stream();
            return static_cast<std::uint64_t>(std::max<std::int64_t>(self->rowcount, 0));
        });
    });
}

Future<std::optional<Row>> SSCursorCore::fetchone(std::shared_ptr<SSCursorCore> self) {
    using Result = std::optional<Row>;
    if (closed) return make_exception_future<Result>(closed_error());
    if (!stream) return make_exception_future<Result>(not_executed());
    return stream->next_row().then([self](Result row) {
        if (row) {
            ++self->rownumber;
        } else if (self->stream->current().columns) {
            self->rowcount = static_cast<std::int64_t>(self->rownumber);
        }
        return row;
    });
}

Future<std::vector<Row>> SSCursorCore::fetchmany(std::shared_ptr<SSCursorCore> self, std::size_t n) {
    using Result = std::vector<Row>;
    if (closed) return make_exception_future<Result>(closed_error());
    if (!stream) return make_exception_future<Result>(not_executed());
    return stream->next_rows(n).then([self, n](Result rows) {
        self->rownumber += rows.size();
        if (rows.size() < n && self->stream->current().columns) {
            self->rowcount = static_cast<std::int64_t>(self->rownumber);
        }
        return rows;
    });
}

Future<bool> SSCursorCore::nextset(std::shared_ptr<SSCursorCore> self) {
    if (closed) return make_exception_future<bool>(closed_error());
    if (!stream) return make_ready_future(false);
    return stream->next_set().then([self](bool more) {
        if (more) self->sync_from_stream();
        return more;
    });
}

Future<void> SSCursorCore::scroll(std::shared_ptr<SSCursorCore> self, std::int64_t value, ScrollMode mode) {
    if (closed) return make_exception_future<void>(closed_error());
    if (!stream) return make_exception_future<void>(not_executed());
    const std::int64_t skip = mode == ScrollMode::relative ? value : value - static_cast<std::int64_t>(rownumber);
    if (skip < 0) {
        return make_exception_future<void>(to_exception(
            Status::client(0, "Backwards scrolling not supported by this cursor", ClientKind::not_supported)));
    }
    if (skip == 0) return make_ready_future();
    const auto wanted = static_cast<std::size_t>(skip);
    return fetchmany(self, wanted).then([wanted](std::vector<Row> rows) {
        if (rows.size() < wanted) std::rethrow_exception(programming_error("out of range"));
    });
}

Future<void> SSCursorCore::close(std::shared_ptr<SSCursorCore> self) {
    if (closed) return make_ready_future();
    closed = true;
    if (!stream) return make_ready_future();
    return stream->discard().then([self]() { self->stream.reset(); });
}

}  // namespace uvmysql::detail
