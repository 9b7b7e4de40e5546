// SPDX-License-Identifier: MIT
// The server's side of COM_STMT_EXECUTE, for the fake server and round-trip tests.
#include "protocol/stmt_execute_reader.hpp"

#include <bit>

#include "protocol/binary_field.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/commands.hpp"
#include "protocol/packet_reader.hpp"

namespace uvmysql::detail {

namespace {

bool is_blob(FieldType t) noexcept {
    return t == FieldType::blob || t == FieldType::tiny_blob || t == FieldType::medium_blob ||
           t == FieldType::long_blob;
}

bool is_known(FieldType t) noexcept {
    switch (t) {
        case FieldType::decimal:
        case FieldType::tiny:
        case FieldType::short_:
        case FieldType::long_:
        case FieldType::float_:
        case FieldType::double_:
        case FieldType::null:
        case FieldType::timestamp:
        case FieldType::longlong:
        case FieldType::int24:
        case FieldType::date:
        case FieldType::time:
        case FieldType::datetime:
        case FieldType::year:
        case FieldType::varchar:
        case FieldType::bit:
        case FieldType::json:
        case FieldType::newdecimal:
        case FieldType::enum_:
        case FieldType::set:
        case FieldType::tiny_blob:
        case FieldType::medium_blob:
        case FieldType::long_blob:
        case FieldType::blob:
        case FieldType::var_string:
        case FieldType::string:
        case FieldType::geometry: return true;
        default: return false;
    }
}

// Reads one value of `type`; false when it cannot be one.
bool read_value(PacketReader& r, ParamType type, Value& out) {
    const BinaryWire wire = binary_wire(type.type);
    Bytes b;
    switch (wire) {
        case BinaryWire::int1: b = r.bytes(1); break;
        case BinaryWire::int2: b = r.bytes(2); break;
        case BinaryWire::int4:
        case BinaryWire::float4: b = r.bytes(4); break;
        case BinaryWire::int8:
        case BinaryWire::float8: b = r.bytes(8); break;
        case BinaryWire::date_time:
        case BinaryWire::time: {
            const std::size_t n = r.int1();
            const bool ok = wire == BinaryWire::time ? (n == 0 || n == 8 || n == 12)
                                                     : (n == 0 || n == 4 || n == 7 || n == 11);
            if (!ok) return false;
            b = r.bytes(n);
            break;
        }
        case BinaryWire::none: out = Value(); return true;
        case BinaryWire::lenenc: b = r.lenenc_str(); break;
    }
    if (!r.ok()) return false;
    switch (wire) {
        case BinaryWire::int1:
        case BinaryWire::int2:
        case BinaryWire::int4:
        case BinaryWire::int8:
            out = type.is_unsigned ? Value(binary_unsigned(b)) : Value(binary_signed(b));
            return true;
        case BinaryWire::float4:
        case BinaryWire::float8: out = Value(binary_floating(b)); return true;
        case BinaryWire::date_time: {
            const BinaryDateTime t = binary_date_time(b);
            if (type.type == FieldType::date) {
                out = Value(Date{t.year, t.month, t.day});
            } else {
                out = Value(DateTime{t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond});
            }
            return true;
        }
        case BinaryWire::time: {
            const BinaryTime t = binary_time(b);
            out = Value(Time::from_parts(t.negative, static_cast<std::int64_t>(t.hours), t.minute, t.second,
                                         static_cast<std::int64_t>(t.microsecond)));
            return true;
        }
        case BinaryWire::lenenc:
            if (type.type == FieldType::newdecimal || type.type == FieldType::decimal) {
                auto d = Decimal::parse(as_string_view(b));
                if (!d) return false;
                out = Value(std::move(*d));
            } else if (is_blob(type.type)) {
                out = Value(uvmysql::Bytes(b));
            } else {
                out = Value(as_string_view(b));
            }
            return true;
        case BinaryWire::none: break;
    }
    return false;
}

}  // namespace

Status parse_com_stmt_execute(Bytes payload, std::size_t param_count, StmtExecuteCommand& out) {
    const auto malformed = [] { return Status::malformed("bad COM_STMT_EXECUTE"); };
    PacketReader r(payload);
    if (r.int1() != static_cast<std::uint8_t>(Command::stmt_execute)) return malformed();
    out.statement_id = r.int4();
    out.flags = r.int1();
    out.iteration_count = r.int4();
    out.params.clear();
    out.new_params_bound = false;
    if (param_count == 0) return r.done() ? Status{} : malformed();

    const Bytes bitmap = r.bytes((param_count + 7) / 8);
    out.new_params_bound = r.int1() == 1;
    if (!r.ok()) return malformed();
    if (out.new_params_bound) {
        out.types.assign(param_count, ParamType{});
        for (ParamType& t : out.types) {
            const std::uint16_t wire = r.int2();
            t = {static_cast<FieldType>(wire & 0xFF), (wire & 0x8000) != 0};
            if (!is_known(t.type)) return malformed();
        }
    } else if (out.types.size() != param_count) {
        return malformed();
    }
    out.params.resize(param_count);
    for (std::size_t i = 0; i < param_count; ++i) {
        if (bitmap[i / 8] & (1u << (i % 8))) continue;   // NULL
        if (!read_value(r, out.types[i], out.params[i])) return malformed();
    }
    if (!r.done()) return malformed();
    return {};
}

}  // namespace uvmysql::detail
