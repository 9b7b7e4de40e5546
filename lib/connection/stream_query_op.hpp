// SPDX-License-Identifier: MIT
// StreamQueryOp: a statement whose rows flow into a RowStream as they arrive (SSCursor).
#pragma once

#include <memory>
#include <string>

#include "connection/query_op.hpp"
#include "connection/row_stream.hpp"

namespace uvmysql::detail {

/// Like BufferedQueryOp, but rows go to `stream` one by one instead of being buffered, so
/// memory stays flat; the stream pauses the socket when its consumer falls behind. The
/// connection runs no other command until the whole response has been read (see
/// ConnectionImpl::enqueue).
class StreamQueryOp final : public QueryOp {
public:
    StreamQueryOp(std::string sql, std::shared_ptr<RowStream> stream)
        : QueryOp(std::move(sql), false), stream_(std::move(stream)) {}
    /// Executes a prepared statement: `request` is its COM_STMT_EXECUTE payload (see QueryOp).
    StreamQueryOp(StatementRequest request, std::shared_ptr<RowStream> stream)
        : QueryOp(std::move(request)), stream_(std::move(stream)) {}

    [[nodiscard]] bool is_stream() const override { return true; }
    void finish() override;
    void fail(const Status& st) override;

private:
    void deliver_ok(const OkPacket& ok) override;
    void deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) override;
    [[nodiscard]] bool wants_rows() const override { return !stream_->discarding(); }
    void deliver_row(std::vector<Value>&& values) override;
    void deliver_end(const OkPacket& end, std::uint64_t rows) override;

    std::shared_ptr<RowStream> stream_;
    StreamSetInfo set_;
};

}  // namespace uvmysql::detail
