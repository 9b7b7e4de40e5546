// SPDX-License-Identifier: MIT
// COM_STMT_EXECUTE: a prepared statement's id, cursor flags, null bitmap, types and values.
#include "protocol/stmt_execute.hpp"

#include <string>

#include "protocol/binary_param.hpp"
#include "protocol/commands.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::uint8_t iteration_count = 1;   // int<4>, always 1

Status check_request(const StmtExecuteRequest& req) {
    if (req.params.size() > max_statement_params) {
        return Status::client(0, "too many parameters: " + std::to_string(req.params.size()) + " (at most 65535)",
                              ClientKind::programming);
    }
    if (!req.long_data.empty() && req.long_data.size() != req.params.size()) {
        return Status::client(0, "long data flags do not match the parameters", ClientKind::programming);
    }
    return {};
}

bool is_long_data(const StmtExecuteRequest& req, std::size_t i) noexcept {
    return !req.long_data.empty() && req.long_data[i] != 0;
}

// A long-data parameter left NULL in the Value still needs a string type: BLOB.
Status param_type(const StmtExecuteRequest& req, std::size_t i, ParamType& type) {
    if (Status st = binary_param_type(req.params[i], type); !st.ok()) return param_error(i, st.message);
    if (type.type == FieldType::null && is_long_data(req, i)) type = {FieldType::blob, false};
    return {};
}

/// An upper bound of what append_params() writes for most values (a DECIMAL's text aside):
/// reserved at once, the payload grows without reallocating.
std::size_t params_size_hint(const StmtExecuteRequest& req) {
    const std::size_t n = req.params.size();
    std::size_t size = (n + 7) / 8 + 1 + 2 * n;
    for (const Value& v : req.params) {
        if (const auto* s = v.get_if<std::string>()) {
            size += 9 + s->size();
        } else if (const auto* b = v.get_if<uvmysql::Bytes>()) {
            size += 9 + b->size();
        } else {
            size += 13;   // a DATETIME with microseconds, the longest fixed form
        }
    }
    return size;
}

Status append_params(std::vector<std::uint8_t>& out, const StmtExecuteRequest& req) {
    const std::size_t n = req.params.size();
    // One pass: the NULL bitmap, the new-params-bound flag and the types go in front of the
    // values, so their room is made first and filled in as each parameter is looked at.
    const std::size_t bitmap_pos = out.size();
    const std::size_t types_pos = bitmap_pos + (n + 7) / 8 + 1;
    out.resize(types_pos + (req.send_types ? 2 * n : 0), 0);
    out[types_pos - 1] = req.send_types ? 1 : 0;
    ParamType type;
    for (std::size_t i = 0; i < n; ++i) {
        const Value& v = req.params[i];
        const bool long_data = is_long_data(req, i);
        if (v.is_null() && !long_data) out[bitmap_pos + i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
        if (Status st = param_type(req, i, type); !st.ok()) return st;
        if (req.send_types) {
            const std::uint16_t wire = type.wire();
            out[types_pos + 2 * i] = static_cast<std::uint8_t>(wire);
            out[types_pos + 2 * i + 1] = static_cast<std::uint8_t>(wire >> 8);
        }
        if (v.is_null() || long_data) continue;
        if (Status st = append_binary_param(out, v, type); !st.ok()) return param_error(i, st.message);
    }
    return {};
}

}  // namespace

Status serialize_com_stmt_execute(std::vector<std::uint8_t>& out, const StmtExecuteRequest& req) {
    if (Status st = check_request(req); !st.ok()) return st;
    const std::size_t start = out.size();
    out.reserve(start + 10 + (req.params.empty() ? 0 : params_size_hint(req)));   // one allocation
    // The fixed part, appended at once.
    const std::uint32_t id = req.statement_id;
    const std::uint8_t head[10] = {static_cast<std::uint8_t>(Command::stmt_execute),
                                   static_cast<std::uint8_t>(id), static_cast<std::uint8_t>(id >> 8),
                                   static_cast<std::uint8_t>(id >> 16), static_cast<std::uint8_t>(id >> 24),
                                   req.flags, iteration_count, 0, 0, 0};
    out.insert(out.end(), head, head + sizeof head);
    if (req.params.empty()) return {};
    Status st = append_params(out, req);
    if (!st.ok()) out.resize(start);
    return st;
}

}  // namespace uvmysql::detail
