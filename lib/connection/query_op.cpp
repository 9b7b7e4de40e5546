// SPDX-License-Identifier: MIT
// QueryOp: the COM_QUERY exchange shared by buffered and streamed queries.
#include "connection/query_op.hpp"

#include "common/logger.hpp"
#include "common/status_error.hpp"
#include "connection/local_infile.hpp"
#include "protocol/binary_field.hpp"
#include "protocol/commands.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::detail {

Action QueryOp::step(SessionState& s, Bytes message) {
    session_ = &s;
    if (!started_) [[unlikely]] {
        started_ = true;
        reader_.use_column_cache(s.column_cache);
        if (s.options->echo) logger()->info("{}", sql_);
        if (statement_columns_) reader_.use_statement_columns(statement_columns_);
        if (fetch_columns_) {
            reader_.continue_rows(fetch_columns_);
            s.binary_row_decoder.reset(s.options->use_unicode, s.converters, fetch_columns_);
        }
        if (binary_) {
            reader_.use_binary_rows();
            s.send([&](std::vector<std::uint8_t>& out) { out.insert(out.end(), request_.begin(), request_.end()); });
        } else {
            s.send([&](std::vector<std::uint8_t>& out) { serialize_com_query(out, sql_); });
        }
        return Action::write;
    }
    bool done = false;
    if (auto st = reader_.on_message(message, s.capabilities, done); !st.ok()) return fail_with(std::move(st));
    if (infile_answered_) {
        infile_answered_ = false;
        return Action::write;   // then the server's OK or ERR for the LOAD DATA
    }
    if (!done) return Action::read;
    // An ERR carries no status flags: the session stays as the last OK/EOF described it.
    if (fatal_errors_ && !server_error().ok()) return fail_with(server_error());
    // The request is no longer needed: its buffer serves the connection's next one (an
    // observed statement's text is reported at its end).
    if (!watch_) [[likely]] SessionState::recycle(s.spare_sql, std::move(sql_));
    SessionState::recycle(s.spare_payload, std::move(request_), SessionState::largest_kept_payload);
    return Action::done;
}

void QueryOp::observe(Observer& observer, const SessionState& session) {
    std::uint32_t statement_id = 0;
    if (binary_ && request_.size() >= 5) {   // COM_STMT_EXECUTE: 0x17, then the id (int<4>)
        for (int i = 4; i >= 1; --i) statement_id = (statement_id << 8) | request_[static_cast<std::size_t>(i)];
    }
    watch_ = std::make_unique<QueryWatch>(observer, session, sql_, statement_id);
}

void QueryOp::end_watch(const Status* failure) noexcept {
    std::exchange(watch_, nullptr)->end(failure);
    // The text was kept for the observer; now its buffer can serve the connection's next one
    // (session_ is set once the op started; one that never did keeps its buffer).
    if (session_) SessionState::recycle(session_->spare_sql, std::move(sql_));
}

Status QueryOp::on_ok(const OkPacket& ok) {
    session_->apply_ok(ok);
    if (watch_) [[unlikely]] watch_->tally(0, ok.affected_rows, ok.warnings);
    deliver_ok(ok);
    return {};
}

Status QueryOp::on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) {
    if (binary_) {
        session_->binary_row_decoder.reset(session_->options->use_unicode, session_->converters, columns);
    } else {
        session_->row_decoder.reset(session_->options->use_unicode, session_->converters, columns);
    }
    rows_in_set_ = 0;
    if (sink_) {
        sink_columns_ = columns;
        to_sink([&] { sink_->begin_set(columns); });
    }
    deliver_columns(columns);
    return {};
}

void QueryOp::to_sink_row(std::span<const FieldView> fields) {
    auto& scratch = session_->sink_scratch;   // reused by every command: no allocation per row
    scratch.fields.resize(fields.size());
    if (binary_) {
        // The text the text protocol sends for each field: the typed conversions then agree on
        // both protocols (FLOAT's digits, zero dates) and no Value is made. Strings, DECIMAL and
        // BIT travel as that text already and are viewed in place; numbers and dates are
        // written into one buffer, viewed once it stopped growing.
        const auto& columns = *sink_columns_;
        scratch.text.clear();
        scratch.ends.clear();   // (field, end) of each written field
        for (std::size_t i = 0; i < fields.size(); ++i) {
            scratch.fields[i] = {fields[i].text(), fields[i].is_null};
            if (fields[i].is_null || binary_wire(columns[i].type) == BinaryWire::lenenc) continue;
            append_binary_field_text(scratch.text, columns[i], fields[i]);
            scratch.ends.push_back(i);
            scratch.ends.push_back(scratch.text.size());
        }
        std::size_t begin = 0;
        for (std::size_t k = 0; k < scratch.ends.size(); k += 2) {
            const std::size_t end = scratch.ends[k + 1];
            scratch.fields[scratch.ends[k]].text = std::string_view(scratch.text).substr(begin, end - begin);
            begin = end;
        }
    } else {
        for (std::size_t i = 0; i < fields.size(); ++i) scratch.fields[i] = {fields[i].text(), fields[i].is_null};
    }
    to_sink([&] { sink_->row(scratch.fields); });
}

template <class F>
void QueryOp::to_sink(F&& call) noexcept {
    if (!error_.ok()) return;   // the op fails with its first error; the rest only keeps in sync
    try {
        call();
    } catch (const Error& e) {
        error_ = to_status(e);
    } catch (const std::exception& e) {
        error_ = Status::client(0, std::string("typed row: ") + e.what(), ClientKind::data);
    } catch (...) {
        error_ = Status::client(0, "typed row: unknown exception", ClientKind::data);
    }
}

Status QueryOp::on_row(std::span<const FieldView> fields) {
    ++rows_in_set_;
    // After a field that does not decode the op only keeps the stream in sync: its result fails.
    if (!error_.ok() || !wants_rows()) return {};
    if (sink_) {
        to_sink_row(fields);
        return {};
    }
    std::vector<Value> values;
    const bool decoded = binary_ ? session_->binary_row_decoder.decode(fields, values, error_)
                                 : session_->row_decoder.decode(fields, values, error_);
    if (decoded) deliver_row(std::move(values));
    return {};
}

Status QueryOp::on_end_of_rows(const OkPacket& end) {
    session_->status = end.status_flags;
    if (watch_) [[unlikely]] watch_->tally(rows_in_set_, 0, end.warnings);
    deliver_end(end, rows_in_set_);
    return {};
}

Status QueryOp::on_local_infile(std::string_view filename) {
    Status refused = send_local_infile(*session_, sql_, filename);
    if (!refused.ok() && error_.ok()) error_ = std::move(refused);
    infile_answered_ = true;
    return {};
}

}  // namespace uvmysql::detail
