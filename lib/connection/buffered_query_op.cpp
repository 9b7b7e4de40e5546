// SPDX-License-Identifier: MIT
#include "connection/buffered_query_op.hpp"

#include "common/status_error.hpp"

namespace uvmysql::detail {

ResultSet* BufferedQueryOp::new_set() {
    if (!first_set_only_) {
        current_ = &results_.emplace_back();
    } else {
        current_ = first_ ? nullptr : &first_.emplace();
    }
    return current_;
}

void BufferedQueryOp::deliver_ok(const OkPacket& ok) {
    ResultSet* rs = new_set();
    if (!rs) return;
    rs->affected_rows = ok.affected_rows;
    rs->insert_id = ok.last_insert_id;
    rs->warning_count = ok.warnings;
    rs->server_status = ok.status_flags;
    rs->info = std::string(ok.info);
}

void BufferedQueryOp::deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) {
    if (ResultSet* rs = new_set()) rs->columns = columns;
}

void BufferedQueryOp::deliver_row(std::vector<Value>&& values) {
    current_->rows.emplace_back(std::move(values), current_->columns);   // wants_rows(): current_ is set
}

void BufferedQueryOp::deliver_end(const OkPacket& end, std::uint64_t rows) {
    if (!current_) return;
    current_->warning_count = end.warnings;
    current_->server_status = end.status_flags;
    current_->affected_rows = rows;
}

void BufferedQueryOp::finish() {
    observed_end(!client_error().ok() ? &client_error() : &server_error());
    // The rows of a set that an error cut short are not a result: the error replaces the set.
    if (!server_error().ok() && error_cut_result_set() && !results_.empty()) results_.pop_back();
    if (first_set_only_) {
        if (!client_error().ok()) {
            first_set_promise_.set_exception(to_exception(client_error()));
        } else if (!server_error().ok()) {
            first_set_promise_.set_exception(to_exception(server_error()));
        } else {
            first_set_promise_.set_value(first_ ? std::move(*first_) : ResultSet());
        }
        return;
    }
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
    if (first_set_only_) {
        first_set_promise_.set_exception(to_exception(st));
    } else {
        promise_.set_exception(to_exception(st));
    }
}

}  // namespace uvmysql::detail
