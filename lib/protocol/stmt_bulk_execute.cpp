// SPDX-License-Identifier: MIT
// MariaDB's COM_STMT_BULK_EXECUTE: one prepared statement run over many parameter rows.
#include "protocol/stmt_bulk_execute.hpp"

#include <limits>
#include <string>

#include "protocol/packet_writer.hpp"

namespace uvmysql::detail {

namespace {

Status bulk_error(std::string what) { return Status::client(0, std::move(what), ClientKind::programming); }

bool is_integer_kind(Kind k) noexcept { return k == Kind::boolean || k == Kind::int64 || k == Kind::uint64; }

// What the rows tell about one parameter's integers.
struct IntegerRange {
    bool any_negative = false;
    bool any_above_int64 = false;
    bool any_non_bool = false;
};

void note_range(IntegerRange& r, const Value& v) noexcept {
    if (const auto* i = v.get_if<std::int64_t>()) {
        r.any_negative |= *i < 0;
        r.any_non_bool = true;
    } else if (const auto* u = v.get_if<std::uint64_t>()) {
        r.any_above_int64 |= *u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        r.any_non_bool = true;
    }
}

Status check_rows(const StmtBulkExecuteRequest& req) {
    if (req.rows.empty()) return bulk_error("bulk execute needs at least one row");
    if (req.param_count == 0) return bulk_error("bulk execute needs a statement with parameters");
    for (std::size_t r = 0; r < req.rows.size(); ++r) {
        if (req.rows[r].size() != req.param_count) {
            return bulk_error("row " + std::to_string(r + 1) + " has " + std::to_string(req.rows[r].size()) +
                              " values, the statement has " + std::to_string(req.param_count) + " parameters");
        }
    }
    return {};
}

/// What the rows that fit in `max_payload` take, from their values' sizes (a value of fixed
/// size counted as the longest, a DATETIME with microseconds). Reserved at once, so that the
/// payload does not grow by doubling, each step a copy into fresh pages.
std::size_t payload_size_hint(const StmtBulkExecuteRequest& req, std::size_t max_payload) {
    std::size_t size = 7 + 2 * req.param_count;
    for (const std::vector<Value>& row : req.rows) {
        for (const Value& v : row) {
            size += 1;   // the indicator
            if (const auto* s = v.get_if<std::string>()) {
                size += 9 + s->size();
            } else if (const auto* b = v.get_if<uvmysql::Bytes>()) {
                size += 9 + b->size();
            } else if (!v.is_null()) {
                size += 13;
            }
        }
        if (size > max_payload) break;   // this row goes to the next command
    }
    return size;
}

}  // namespace

Status bulk_param_types(std::span<const std::vector<Value>> rows, std::size_t param_count, std::vector<ParamType>& out) {
    out.assign(param_count, ParamType{});
    for (std::size_t p = 0; p < param_count; ++p) {
        IntegerRange range;
        bool integers = false;
        Kind seen = Kind::null;   // the last kind checked: a value of the same kind has the same type
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const Value& v = rows[r][p];
            const Kind kind = v.kind();
            if (kind == Kind::null) continue;
            if (integers && is_integer_kind(kind)) {
                note_range(range, v);
                continue;
            }
            if (kind == seen) continue;
            seen = kind;
            ParamType t;
            if (Status st = binary_param_type(v, t); !st.ok()) return param_error(p, st.message);
            const bool first = out[p].type == FieldType::null;
            if (is_integer_kind(v.kind()) && (first || integers)) {
                integers = true;
                note_range(range, v);
            } else if (!first && !(t == out[p])) {
                return param_error(p, "row " + std::to_string(r + 1) + " has a " + std::string(kind_name(v.kind())) +
                                          " where earlier rows have another type");
            }
            out[p] = t;
        }
        if (!integers) continue;
        if (range.any_negative && range.any_above_int64) {
            return param_error(p, "integers both negative and above 9223372036854775807");
        }
        out[p] = range.any_non_bool ? ParamType{FieldType::longlong, range.any_above_int64}
                                    : ParamType{FieldType::tiny, false};
    }
    return {};
}

Status serialize_com_stmt_bulk_execute(std::vector<std::uint8_t>& out, const StmtBulkExecuteRequest& req,
                                       std::size_t max_payload, std::size_t& rows_written) {
    rows_written = 0;
    if (Status st = check_rows(req); !st.ok()) return st;
    std::vector<ParamType> own_types;
    std::span<const ParamType> types = req.types;
    if (types.size() != req.param_count) {
        if (Status st = bulk_param_types(req.rows, req.param_count, own_types); !st.ok()) return st;
        types = own_types;
    }

    const std::size_t start = out.size();
    out.reserve(start + payload_size_hint(req, max_payload));
    PacketWriter w(out);
    w.int1(com_stmt_bulk_execute);
    w.int4(req.statement_id);
    w.int2(static_cast<std::uint16_t>(req.flags | bulk_flag::send_types));
    for (const ParamType& t : types) w.int2(t.wire());

    for (const std::vector<Value>& row : req.rows) {
        const std::size_t row_number = rows_written + 1;
        const std::size_t row_start = out.size();
        for (std::size_t p = 0; p < req.param_count; ++p) {
            if (row[p].is_null()) {
                w.int1(bulk_indicator::null);
                continue;
            }
            w.int1(bulk_indicator::none);
            if (Status st = append_binary_param(out, row[p], types[p]); !st.ok()) {
                out.resize(start);
                rows_written = 0;
                return param_error(p, "row " + std::to_string(row_number) + ": " + st.message);
            }
        }
        if (out.size() - start > max_payload) {
            out.resize(rows_written == 0 ? start : row_start);
            if (rows_written == 0) {
                return Status::client(cr::net_packet_too_large,
                                      "one bulk row exceeds the maximum packet size (" + std::to_string(max_payload) +
                                          " bytes)");
            }
            break;
        }
        ++rows_written;
    }
    return {};
}

}  // namespace uvmysql::detail
