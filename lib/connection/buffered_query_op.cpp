// SPDX-License-Identifier: MIT
#include "connection/buffered_query_op.hpp"

#include "common/status_error.hpp"

namespace uvmysql::detail {

void BufferedQueryOp::deliver_ok(const OkPacket& ok) {
    ResultSet& rs = results_.emplace_back();
    rs.affected_rows = ok.affected_rows;
    rs.insert_id = ok.last_insert_id;
    rs.warning_count = ok.warnings;
    rs.server_status = ok.status_flags;
    rs.info = std::string(ok.info);
}

void BufferedQueryOp::deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) {
    results_.emplace_back().columns = columns;
}

void BufferedQueryOp::deliver_row(std::vector<Value>&& values) {
    ResultSet& rs = results_.back();
    rs.rows.emplace_back(std::move(values), rs.columns);
}

void BufferedQueryOp::deliver_end(const OkPacket& end, std::uint64_t rows) {
    ResultSet& rs = results_.back();
    rs.warning_count = end.warnings;
    rs.server_status = end.status_flags;
    rs.affected_rows = rows;
}

void BufferedQueryOp::finish() {
    observed_end(!client_error().ok() ? &client_error() : &server_error());
    // The rows of a set that an error cut short are not a result: the error replaces the set.
    if (!server_error().ok() && error_cut_result_set() && !results_.empty()) results_.pop_back();
    if (!client_error().ok()) {
        promise_.set_exception(to_exception(client_error()));
    } else if (!server_error().ok() && results_.empty()) {
        promise_.set_exception(to_exception(server_error()));   // the first statement failed
    } else {
        std::exception_ptr later;
        if (!server_error().ok()) later = to_exception(server_error());
        promise_.set_value(QueryResults{std::move(results_), std::move(later)});
    }
}

void BufferedQueryOp::fail(const Status& st) {
    observed_end(&st);
    promise_.set_exception(to_exception(st));
}

}  // namespace uvmysql::detail
