// SPDX-License-Identifier: MIT
// The server's side of binary rows and PREPARE_OK, for the fake server and round-trip tests.
#include "protocol/binary_row_writer.hpp"

#include <bit>
#include <string>

#include "protocol/binary_param.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/packet_writer.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::size_t null_bitmap_offset = 2;

bool is_zero_date_text(const Value& v) noexcept {
    const auto* s = v.get_if<std::string>();
    if (s == nullptr || s->size() < 10) return false;
    for (const char c : *s) {
        if (c != '0' && c != '-' && c != ' ' && c != ':' && c != '.') return false;
    }
    return true;
}

Status append_value(std::vector<std::uint8_t>& out, const ColumnInfo& column, const Value& v) {
    switch (binary_wire(column.type)) {
        case BinaryWire::int1:
        case BinaryWire::int2:
        case BinaryWire::int4:
        case BinaryWire::int8:
            return append_binary_param(out, v, {column.type, column.is_unsigned() || column.type == FieldType::year});
        case BinaryWire::float4: {
            float f = 0;
            if (const auto* d = v.get_if<double>()) {
                f = static_cast<float>(*d);
            } else if (const auto* p = v.get_if<float>()) {
                f = *p;
            } else {
                break;
            }
            PacketWriter(out).int4(std::bit_cast<std::uint32_t>(f));
            return {};
        }
        case BinaryWire::float8: {
            if (const auto* p = v.get_if<float>()) {
                PacketWriter(out).int8(std::bit_cast<std::uint64_t>(static_cast<double>(*p)));
                return {};
            }
            return append_binary_param(out, v, {FieldType::double_, false});
        }
        case BinaryWire::date_time:
        case BinaryWire::time:
            if (is_zero_date_text(v)) {
                out.push_back(0);
                return {};
            }
            // Each layout takes its own kinds only: a Time in a DATETIME column (or a Date in a
            // TIME column) would be written in a length the reader rightly refuses.
            if (binary_wire(column.type) == BinaryWire::time) {
                if (v.kind() == Kind::time) return append_binary_param(out, v, {FieldType::time, false});
                break;
            }
            if (v.kind() == Kind::date) return append_binary_param(out, v, {FieldType::date, false});
            if (v.kind() == Kind::datetime) return append_binary_param(out, v, {FieldType::datetime, false});
            break;
        case BinaryWire::none: break;
        case BinaryWire::lenenc: return append_binary_param(out, v, {FieldType::string, false});
    }
    return Status::client(0, "cannot write a " + std::string(kind_name(v.kind())) + " in a column of type " +
                                 std::to_string(static_cast<int>(column.type)),
                          ClientKind::programming);
}

}  // namespace

void serialize_stmt_prepare_ok(std::vector<std::uint8_t>& out, const StmtPrepareOk& ok) {
    PacketWriter w(out);
    w.int1(0x00);
    w.int4(ok.statement_id);
    w.int2(ok.column_count);
    w.int2(ok.param_count);
    w.int1(0);   // filler
    w.int2(ok.warning_count);
}

Status serialize_binary_row(std::vector<std::uint8_t>& out, std::span<const ColumnInfo> columns,
                            std::span<const Value> values) {
    if (columns.size() != values.size()) {
        return Status::client(0, "a binary row needs one value per column", ClientKind::programming);
    }
    const std::size_t start = out.size();
    out.push_back(0x00);
    const std::size_t bitmap = out.size();
    out.resize(out.size() + binary_row_null_bitmap_size(columns.size()), 0);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (values[i].is_null()) {
            const std::size_t bit = i + null_bitmap_offset;
            out[bitmap + bit / 8] |= static_cast<std::uint8_t>(1u << (bit % 8));
            continue;
        }
        if (Status st = append_value(out, columns[i], values[i]); !st.ok()) {
            out.resize(start);
            return Status::client(0, "column " + std::to_string(i + 1) + ": " + st.message, ClientKind::programming);
        }
    }
    return {};
}

}  // namespace uvmysql::detail
