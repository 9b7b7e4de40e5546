// SPDX-License-Identifier: MIT
#include "connection/stream_op.hpp"

#include "connection/connection_impl.hpp"
#include "connection/local_infile.hpp"

namespace uvmysql::detail {

void StreamQueryOp::start(ConnectionImpl& conn) {
    conn_ = &conn;
    reader_.use_column_cache(conn.column_cache);
    send_query(conn, sql_);
}

Status StreamQueryOp::on_message(ConnectionImpl& conn, Bytes payload, Next& next) {
    bool done = false;
    if (auto st = reader_.on_message(payload, conn.capabilities(), done); !st.ok()) return st;
    if (done) next = Next::done;
    return {};
}

Status StreamQueryOp::on_ok(const OkPacket& ok) {
    conn_->apply_ok(ok);
    StreamSetInfo info;
    info.affected_rows = ok.affected_rows;
    info.insert_id = ok.last_insert_id;
    info.warning_count = ok.warnings;
    stream_->push_header(info);
    stream_->push_end(info);
    return {};
}

Status StreamQueryOp::on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) {
    conn_->row_decoder.reset(*conn_, columns);
    set_ = StreamSetInfo{};
    set_.columns = std::move(columns);
    stream_->push_header(set_);
    return {};
}

Status StreamQueryOp::on_row(std::span<const FieldView> fields) {
    ++set_.rows;
    if (stream_->discarding() || !error_.ok()) return {};   // dropped undecoded
    std::vector<Value> values;
    // A bad field: keep reading to stay in sync; the stream fails at the end.
    if (conn_->row_decoder.decode(fields, values, error_)) stream_->push_row(Row(std::move(values), set_.columns));
    return {};
}

Status StreamQueryOp::on_end_of_rows(const OkPacket& end) {
    conn_->set_status(end.status_flags);
    set_.warning_count = end.warnings;
    set_.affected_rows = set_.rows;
    stream_->push_end(set_);
    return {};
}

Status StreamQueryOp::on_local_infile(std::string_view filename) {
    Status refused = send_local_infile(*conn_, sql_, filename);
    if (!refused.ok() && error_.ok()) error_ = refused;
    return {};
}

void StreamQueryOp::finish() {
    conn_ = nullptr;
    stream_->finish(!reader_.server_error().ok() ? reader_.server_error() : error_);
}

void StreamQueryOp::fail(const Status& st) {
    conn_ = nullptr;
    stream_->finish(st);
}

}  // namespace uvmysql::detail
