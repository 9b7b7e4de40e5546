// SPDX-License-Identifier: MIT
// The response to COM_STMT_PREPARE: PREPARE_OK, then the parameter and column definitions.
#include "protocol/stmt_prepare_response.hpp"

#include <algorithm>

#include "protocol/capabilities.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/packet_reader.hpp"
#include "protocol/response.hpp"

namespace uvmysql::detail {

namespace {
constexpr std::size_t size_without_warnings = 10;
constexpr std::size_t reserve_limit = 256;
}  // namespace

Status parse_stmt_prepare_ok(Bytes payload, StmtPrepareOk& out) {
    PacketReader r(payload);
    if (r.int1() != header::ok) r.fail();
    out.statement_id = r.int4();
    out.column_count = r.int2();
    out.param_count = r.int2();
    r.skip(1);   // filler
    out.warning_count = payload.size() == size_without_warnings ? 0 : r.int2();
    if (!r.ok()) return Status::malformed("bad COM_STMT_PREPARE_OK");
    return {};
}

Status StmtPrepareReader::on_message(Bytes payload) {
    switch (stage_) {
        case Stage::prepare_ok: {
            if (!payload.empty() && payload[0] == header::err) {
                stage_ = Stage::done;
                return parse_err_packet(payload, capabilities_);
            }
            if (Status st = parse_stmt_prepare_ok(payload, ok_); !st.ok()) return st;
            params_.clear();
            columns_.clear();
            // The counts are the server's word: reserve for common sizes, grow past them if true.
            params_.reserve(std::min<std::size_t>(ok_.param_count, reserve_limit));
            columns_.reserve(std::min<std::size_t>(ok_.column_count, reserve_limit));
            stage_ = Stage::params;
            if (ok_.param_count == 0) after_params();
            return {};
        }
        case Stage::params: return definition(payload, params_, ok_.param_count, Stage::params_eof);
        case Stage::params_eof: {
            Status st = end_of_definitions(payload, Stage::columns);
            if (st.ok()) after_params();
            return st;
        }
        case Stage::columns: return definition(payload, columns_, ok_.column_count, Stage::columns_eof);
        case Stage::columns_eof: return end_of_definitions(payload, Stage::done);
        case Stage::done: break;
    }
    return Status::malformed("unexpected packet after the COM_STMT_PREPARE response");
}

Status StmtPrepareReader::definition(Bytes payload, std::vector<ColumnInfo>& into, std::uint16_t count,
                                     Stage eof_stage) {
    ColumnInfo& c = into.emplace_back();
    if (Status st = parse_column_definition41(payload, c); !st.ok()) return st;
    if (into.size() < count) return {};
    if (capabilities_ & cap::deprecate_eof) {
        // No EOF: what follows the last definition is the next block (or nothing).
        if (eof_stage == Stage::params_eof) {
            after_params();
        } else {
            stage_ = Stage::done;
        }
        return {};
    }
    stage_ = eof_stage;
    return {};
}

Status StmtPrepareReader::end_of_definitions(Bytes payload, Stage next) {
    if (classify_row_response(payload, capabilities_) != ResponseKind::eof) {
        return Status::malformed("expected EOF after the statement's definitions");
    }
    EofPacket eof;
    if (Status st = parse_eof_packet(payload, capabilities_, eof); !st.ok()) return st;
    stage_ = next;
    return {};
}

void StmtPrepareReader::after_params() { stage_ = ok_.column_count == 0 ? Stage::done : Stage::columns; }

}  // namespace uvmysql::detail
