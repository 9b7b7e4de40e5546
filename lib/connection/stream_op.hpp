// SPDX-License-Identifier: MIT
// StreamQueryOp: COM_QUERY whose rows flow into a RowStream as they arrive (SSCursor).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connection/op.hpp"
#include "connection/result_reader.hpp"
#include "connection/row_stream.hpp"

namespace uvmysql::detail {

/// Like QueryOp, but rows go to `stream` one by one instead of being buffered, so memory stays
/// flat; the stream pauses the socket when its consumer falls behind. The connection runs no
/// other command until the whole response has been read (see ConnectionImpl::enqueue).
class StreamQueryOp final : public Op, private ResultSink {
public:
    StreamQueryOp(std::string sql, std::shared_ptr<RowStream> stream)
        : sql_(std::move(sql)), stream_(std::move(stream)) {}

    void start(ConnectionImpl& conn) override;
    Status on_message(ConnectionImpl& conn, Bytes payload, Next& next) override;
    void finish() override;
    void fail(const Status& st) override;
    [[nodiscard]] std::size_t request_size() const override { return 1 + sql_.size(); }
    [[nodiscard]] bool is_stream() const override { return true; }

private:
    Status on_ok(const OkPacket& ok) override;
    Status on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) override;
    Status on_row(std::span<const FieldView> fields) override;
    Status on_end_of_rows(const OkPacket& end) override;
    Status on_local_infile(std::string_view filename) override;

    std::string sql_;
    std::shared_ptr<RowStream> stream_;
    ConnectionImpl* conn_ = nullptr;
    ResultReader reader_{*this};
    StreamSetInfo set_;
    Status error_;
};

}  // namespace uvmysql::detail
