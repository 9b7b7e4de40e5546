// SPDX-License-Identifier: MIT
#include "connection/result_reader.hpp"

#include "protocol/binary_row.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_execute_response.hpp"

namespace uvmysql::detail {

Status ResultReader::on_message(Bytes payload, std::uint64_t caps, bool& done) {
    done = false;
    switch (state_) {
        case State::header:
            return on_header(payload, caps, done);
        case State::columns:
            cache_->add(payload);
            if (!cache_->complete()) return {};
            if (!(caps & cap::deprecate_eof)) {
                state_ = State::columns_eof;
                return {};
            }
            return start_rows();
        case State::columns_eof: {
            if (classify_row_response(payload, caps) != ResponseKind::eof) {
                return Status::malformed("expected EOF after the column definitions");
            }
            if (auto st = start_rows(); !st.ok() || !cursor_) return st;
            // A server-side cursor was opened (COM_STMT_EXECUTE with a cursor flag): this EOF
            // ends the response, the rows come with COM_STMT_FETCH.
            OkPacket end;
            if (auto st = parse_end_of_rows(payload, caps, end); !st.ok()) return st;
            if (!(end.status_flags & status::cursor_exists)) return {};
            return end_rows(end, done);
        }
        case State::rows: {
            switch (classify_row_response(payload, caps)) {
                case ResponseKind::row: {
                    auto& fields = cache_->field_views();
                    if (auto st = binary_ ? parse_binary_row(payload, *columns_, fields) : parse_text_row(payload, fields);
                        !st.ok()) {
                        return st;
                    }
                    return sink_.on_row(fields);
                }
                case ResponseKind::eof: {
                    OkPacket end;
                    if (auto st = parse_end_of_rows(payload, caps, end); !st.ok()) return st;
                    return end_rows(end, done);
                }
                case ResponseKind::err:
                    error_in_rows_ = true;
                    return on_server_error(payload, caps, done);
                default:
                    return Status::malformed("unexpected packet in a result set");
            }
        }
    }
    return Status::malformed("result reader in an impossible state");
}

Status ResultReader::on_header(Bytes payload, std::uint64_t caps, bool& done) {
    switch (classify_command_response(payload)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(payload, caps, ok); !st.ok()) return st;
            last_status_ = ok.status_flags;
            if (auto st = sink_.on_ok(ok); !st.ok()) return st;
            return after_end(ok.status_flags, done);
        }
        case ResponseKind::err:
            return on_server_error(payload, caps, done);
        case ResponseKind::local_infile: {
            std::string_view filename;
            if (auto st = parse_local_infile_request(payload, filename); !st.ok()) return st;
            return sink_.on_local_infile(filename);   // the OK/ERR that follows is a new header
        }
        case ResponseKind::result_set: {
            ExecuteResultHeader header;
            if (auto st = parse_execute_result_header(payload, caps, header); !st.ok()) return st;
            if (!header.metadata_follows) {
                if (!statement_columns_ || !*statement_columns_ ||
                    (*statement_columns_)->size() != header.column_count) {
                    return Status::malformed("the server left out column definitions the client does not have");
                }
                skipped_columns_ = *statement_columns_;
                if (!(caps & cap::deprecate_eof)) {
                    state_ = State::columns_eof;
                    return {};
                }
                return start_rows();
            }
            cache_->begin(header.column_count);
            state_ = State::columns;
            return {};
        }
        default:
            return Status::malformed("unexpected response to a query");
    }
}

Status ResultReader::on_server_error(Bytes payload, std::uint64_t caps, bool& done) {
    server_error_ = parse_err_packet(payload, caps);
    done = true;
    // A malformed ERR (errno 0, too short) is not a statement's error: the stream is broken.
    return server_error_.from_server ? Status{} : server_error_;
}

Status ResultReader::start_rows() {
    std::shared_ptr<const std::vector<ColumnInfo>> columns = std::move(skipped_columns_);
    if (!columns) {
        if (auto st = cache_->finish(columns); !st.ok()) return st;
        if (statement_columns_) *statement_columns_ = columns;
    }
    state_ = State::rows;
    cache_->field_views().assign(columns->size(), FieldView{});
    if (binary_) columns_ = columns;
    return sink_.on_columns(std::move(columns));
}

Status ResultReader::end_rows(const OkPacket& end, bool& done) {
    last_status_ = end.status_flags;
    if (auto st = sink_.on_end_of_rows(end); !st.ok()) return st;
    return after_end(end.status_flags, done);
}

void ResultReader::continue_rows(std::shared_ptr<const std::vector<ColumnInfo>> columns) {
    binary_ = true;
    state_ = State::rows;
    cache_->field_views().assign(columns->size(), FieldView{});
    columns_ = std::move(columns);
}

Status ResultReader::after_end(std::uint16_t status_flags, bool& done) {
    state_ = State::header;
    done = !(status_flags & status::more_results_exists);
    return {};
}

}  // namespace uvmysql::detail
