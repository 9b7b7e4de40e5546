// SPDX-License-Identifier: MIT
#include "connection/stmt_prepare_op.hpp"

#include "common/logger.hpp"
#include "common/status_error.hpp"
#include "protocol/stmt_commands.hpp"

namespace uvmysql::detail {

Action StmtPrepareOp::step(SessionState& s, Bytes message) {
    if (!reader_) {
        reader_ = std::make_unique<StmtPrepareReader>(s.capabilities);
        if (s.options->echo) logger()->info("PREPARE {}", sql_);
        s.send([&](std::vector<std::uint8_t>& out) { serialize_com_stmt_prepare(out, sql_); });
        return Action::write;
    }
    if (auto st = reader_->on_message(message); !st.ok()) {
        if (!st.from_server) return fail_with(std::move(st));
        error_ = std::move(st);   // the server refused the statement: the session is fine
        return Action::done;
    }
    if (!reader_->done()) return Action::read;
    columns_ = std::make_shared<const std::vector<ColumnInfo>>(std::move(reader_->columns()));
    if (columns_slot_) *columns_slot_ = columns_;
    return Action::done;
}

void StmtPrepareOp::finish() {
    if (!error_.ok()) {
        promise_.set_exception(to_exception(error_));
        return;
    }
    PreparedInfo info;
    const StmtPrepareOk& ok = reader_->prepare_ok();
    info.id = ok.statement_id;
    info.param_count = ok.param_count;
    info.warning_count = ok.warning_count;
    info.params = std::make_shared<const std::vector<ColumnInfo>>(std::move(reader_->params()));
    info.columns = columns_;
    promise_.set_value(std::move(info));
}

void StmtPrepareOp::fail(const Status& st) { promise_.set_exception(to_exception(st)); }

}  // namespace uvmysql::detail
