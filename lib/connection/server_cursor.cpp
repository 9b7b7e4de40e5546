// SPDX-License-Identifier: MIT
#include "connection/server_cursor.hpp"

#include "common/status_error.hpp"
#include "connection/buffered_query_op.hpp"
#include "connection/connection_impl.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_commands.hpp"
#include "protocol/stmt_execute.hpp"

namespace uvmysql::detail {

namespace {

/// One COM_STMT_FETCH: its rows go straight into the cursor's stream, its end to the cursor.
class StmtFetchOp final : public QueryOp {
public:
    StmtFetchOp(std::vector<std::uint8_t> request, std::shared_ptr<const std::vector<ColumnInfo>> columns,
                std::shared_ptr<ServerCursor> cursor)
        : QueryOp(std::move(request), columns), columns_(std::move(columns)), cursor_(std::move(cursor)) {}

    void finish() override {
        cursor_->fetched(status_, warnings_, rows_, !server_error().ok() ? server_error() : client_error());
    }
    void fail(const Status& st) override { cursor_->fetched(0, 0, 0, st); }

private:
    void deliver_ok(const OkPacket&) override {}   // a fetch's response has no header
    void deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>&) override {}
    [[nodiscard]] bool wants_rows() const override { return !cursor_->stream()->discarding(); }
    void deliver_row(std::vector<Value>&& values) override { cursor_->stream()->push_row(Row(std::move(values), columns_)); }
    void deliver_end(const OkPacket& end, std::uint64_t rows) override {
        status_ = end.status_flags;
        warnings_ = end.warnings;
        rows_ = rows;
    }

    std::shared_ptr<const std::vector<ColumnInfo>> columns_;
    std::shared_ptr<ServerCursor> cursor_;
    std::uint16_t status_ = 0;
    std::uint16_t warnings_ = 0;
    std::uint64_t rows_ = 0;
};

}  // namespace

Future<std::shared_ptr<ServerCursor>> ServerCursor::open(std::shared_ptr<StatementState> statement,
                                                        std::span<const Value> params, std::uint32_t fetch_size,
                                                        const CommandLimits& limits) {
    using Result = std::shared_ptr<ServerCursor>;
    if (auto why = statement_usable(*statement); !why.ok()) return make_exception_future<Result>(to_exception(why));
    auto impl = statement->conn.lock();
    StatementRequest request;
    if (auto st = build_execute(statement, *impl, params, cursor_type::read_only, request); !st.ok()) {
        return make_exception_future<Result>(to_exception(st));
    }
    auto op = std::make_unique<BufferedQueryOp>(std::move(request));
    op->expect_cursor();
    apply_limits(*op, limits);
    auto opened = op->get_future();
    observe_statement(impl->session(), *op);
    impl->enqueue(std::move(op));
    auto cursor = std::make_shared<ServerCursor>(std::move(statement), fetch_size);
    return std::move(opened).then([cursor](QueryResults results) {
        cursor->start(std::move(results));
        return cursor->stream_->first_set().then([cursor]() { return cursor; });
    });
}

void ServerCursor::start(QueryResults opened) {
    stream_ = std::make_shared<RowStream>(weak_from_this());
    ResultSet& rs = opened.sets.front();   // a single statement: one set, or the error instead
    set_.columns = rs.columns;
    if (rs.columns && (rs.server_status & status::cursor_exists)) {
        stream_->push_header(set_);
        fetch_more();
        return;
    }
    // No cursor: the response held everything (an OK, or rows the server sent at once).
    set_.affected_rows = rs.affected_rows;
    set_.insert_id = rs.insert_id;
    set_.warning_count = rs.warning_count;
    set_.rows = rs.rows.size();
    stream_->push_header(set_);
    for (Row& row : rs.rows) stream_->push_row(std::move(row));
    stream_->push_end(set_);
    end_with({});
}

void ServerCursor::fetch_more() {
    if (in_flight_ || done_ || paused_) return;
    if (auto why = statement_usable(*statement_); !why.ok()) {
        end_with(why);
        return;
    }
    std::vector<std::uint8_t> payload;
    serialize_com_stmt_fetch(payload, statement_->info.id, fetch_size_);
    in_flight_ = true;
    statement_->conn.lock()->enqueue(std::make_unique<StmtFetchOp>(std::move(payload), set_.columns, shared_from_this()));
}

void ServerCursor::fetched(std::uint16_t status_flags, std::uint16_t warnings, std::uint64_t rows, const Status& error) {
    in_flight_ = false;
    if (!error.ok()) {
        end_with(error);
        return;
    }
    set_.rows += rows;
    set_.warning_count = warnings;
    if (stream_->discarding()) {
        end_with({});
    } else if ((status_flags & status::last_row_sent) || !(status_flags & status::cursor_exists)) {
        set_.affected_rows = set_.rows;
        stream_->push_end(set_);
        end_with({});
    } else {
        fetch_more();
    }
}

bool ServerCursor::pause_reading() {
    paused_ = true;
    return true;
}

bool ServerCursor::resume_reading() {
    paused_ = false;
    if (stream_->discarding() && !in_flight_ && !done_) {
        end_with({});   // nothing on the wire: closing the statement closes the server's cursor
    } else {
        fetch_more();
    }
    return true;
}

void ServerCursor::end_with(const Status& st) {
    if (done_) return;
    done_ = true;
    statement_.reset();   // the last holder: COM_STMT_CLOSE frees the statement and its cursor
    stream_->finish(st);
}

}  // namespace uvmysql::detail
