// SPDX-License-Identifier: MIT
// QueryOp, SimpleCommandOp and QuitOp.
#include "connection/query_op.hpp"

#include "common/status_error.hpp"
#include "connection/connection_impl.hpp"
#include "connection/local_infile.hpp"
#include "protocol/commands.hpp"

namespace uvmysql::detail {

QueryOp::QueryOp(std::string sql, bool fatal_errors) : sql_(std::move(sql)), fatal_errors_(fatal_errors) {
    results_.reserve(1);
}

void QueryOp::start(ConnectionImpl& conn) {
    conn_ = &conn;
    reader_.use_column_cache(conn.column_cache);
    send_query(conn, sql_);
}

Status QueryOp::on_message(ConnectionImpl& conn, Bytes payload, Next& next) {
    bool done = false;
    if (auto st = reader_.on_message(payload, conn.capabilities(), done); !st.ok()) return st;
    if (done) {
        next = Next::done;
        // An ERR carries no status flags: the session stays as the last OK/EOF described it.
        if (!reader_.server_error().ok() && fatal_errors_) return reader_.server_error();
    }
    return {};
}

Status QueryOp::on_ok(const OkPacket& ok) {
    conn_->apply_ok(ok);
    ResultSet& rs = results_.emplace_back();
    rs.affected_rows = ok.affected_rows;
    rs.insert_id = ok.last_insert_id;
    rs.warning_count = ok.warnings;
    rs.server_status = ok.status_flags;
    rs.info = std::string(ok.info);
    return {};
}

Status QueryOp::on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) {
    conn_->row_decoder.reset(*conn_, columns);
    ResultSet& rs = results_.emplace_back();
    rs.columns = std::move(columns);
    return {};
}

Status QueryOp::on_row(std::span<const FieldView> fields) {
    ResultSet& rs = results_.back();
    std::vector<Value> values;
    conn_->row_decoder.decode(fields, values, error_);   // a bad field: keep reading in sync, fail at the end
    rs.rows.emplace_back(std::move(values), rs.columns);
    return {};
}

Status QueryOp::on_end_of_rows(const OkPacket& end) {
    ResultSet& rs = results_.back();
    rs.warning_count = end.warnings;
    rs.server_status = end.status_flags;
    conn_->set_status(end.status_flags);
    rs.affected_rows = rs.rows.size();
    return {};
}

Status QueryOp::on_local_infile(std::string_view filename) {
    Status refused = send_local_infile(*conn_, sql_, filename);
    if (!refused.ok() && error_.ok()) error_ = refused;
    return {};
}

void QueryOp::finish() {
    conn_ = nullptr;
    const Status& server_error = reader_.server_error();
    // The rows of a set that an error cut short are not a result: the error replaces the set.
    if (!server_error.ok() && reader_.error_cut_result_set() && !results_.empty()) results_.pop_back();
    if (!error_.ok()) {
        promise_.set_exception(to_exception(error_));
    } else if (!server_error.ok() && results_.empty()) {
        promise_.set_exception(to_exception(server_error));   // the first statement failed
    } else {
        std::exception_ptr later;
        if (!server_error.ok()) later = to_exception(server_error);
        promise_.set_value(QueryResults{std::move(results_), std::move(later)});
    }
}

void QueryOp::fail(const Status& st) {
    conn_ = nullptr;
    promise_.set_exception(to_exception(st));
}

void SimpleCommandOp::start(ConnectionImpl& conn) {
    conn.send([&](std::vector<std::uint8_t>& out) {
        switch (kind_) {
            case Kind::ping: serialize_com_ping(out); break;
            case Kind::init_db: serialize_com_init_db(out, arg_); break;
            case Kind::reset_connection: serialize_com_reset_connection(out); break;
        }
    });
}

Status SimpleCommandOp::on_message(ConnectionImpl& conn, Bytes payload, Next& next) {
    next = Next::done;
    switch (classify_command_response(payload)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(payload, conn.capabilities(), ok); !st.ok()) return st;
            conn.apply_ok(ok);
            if (kind_ == Kind::init_db) conn.db = arg_;
            return {};
        }
        case ResponseKind::err:
            error_ = parse_err_packet(payload, conn.capabilities());
            return error_.from_server ? Status{} : error_;
        default:
            return Status::malformed("unexpected reply to a command");
    }
}

void SimpleCommandOp::finish() {
    if (error_.ok()) {
        promise_.set_value();
    } else {
        promise_.set_exception(to_exception(error_));
    }
}

void SimpleCommandOp::fail(const Status& st) { promise_.set_exception(to_exception(st)); }

void QuitOp::start(ConnectionImpl& conn) {
    conn_ = &conn;
    conn.send([](std::vector<std::uint8_t>& out) { serialize_com_quit(out); });
}

void QuitOp::finish() {
    if (conn_) {
        conn_->flush();
        conn_->close_now(Status::client(0, "Connection closed", ClientKind::interface));
    }
    promise_.set_value();
}

void QuitOp::fail(const Status&) { promise_.set_value(); }   // closed anyway: that was the goal

}  // namespace uvmysql::detail
