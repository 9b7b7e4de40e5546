// SPDX-License-Identifier: MIT
#include "connection/stream_query_op.hpp"

namespace uvmysql::detail {

void StreamQueryOp::deliver_ok(const OkPacket& ok) {
    StreamSetInfo info;
    info.affected_rows = ok.affected_rows;
    info.insert_id = ok.last_insert_id;
    info.warning_count = ok.warnings;
    stream_->push_header(info);
    stream_->push_end(info);
}

void StreamQueryOp::deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) {
    set_ = StreamSetInfo{};
    set_.columns = columns;
    stream_->push_header(set_);
}

void StreamQueryOp::deliver_row(std::vector<Value>&& values) { stream_->push_row(Row(std::move(values), set_.columns)); }

void StreamQueryOp::deliver_end(const OkPacket& end, std::uint64_t rows) {
    set_.rows = rows;
    set_.warning_count = end.warnings;
    set_.affected_rows = rows;
    stream_->push_end(set_);
}

void StreamQueryOp::finish() {
    const Status& outcome = !server_error().ok() ? server_error() : client_error();
    observed_end(&outcome);
    stream_->finish(outcome);
}

void StreamQueryOp::fail(const Status& st) {
    observed_end(&st);
    stream_->finish(st);
}

}  // namespace uvmysql::detail
