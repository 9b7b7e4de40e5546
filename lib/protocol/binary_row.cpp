// SPDX-License-Identifier: MIT
// Binary-protocol result rows (ProtocolBinary::ResultsetRow), split into fields without allocating.
#include "protocol/binary_row.hpp"

#include "protocol/packet_reader.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::uint8_t row_header = 0x00;
constexpr std::size_t null_bitmap_offset = 2;   // the first two bits are unused in result rows

bool valid_length(BinaryWire wire, std::size_t n) noexcept {
    if (wire == BinaryWire::date_time) return n == 0 || n == 4 || n == 7 || n == 11;
    return n == 0 || n == 8 || n == 12;
}

// The next value of a column laid out as `wire`, as a view of its bytes.
Bytes next_value(PacketReader& r, BinaryWire wire) noexcept {
    switch (wire) {
        case BinaryWire::int1: return r.bytes(1);
        case BinaryWire::int2: return r.bytes(2);
        case BinaryWire::int4:
        case BinaryWire::float4: return r.bytes(4);
        case BinaryWire::int8:
        case BinaryWire::float8: return r.bytes(8);
        case BinaryWire::date_time:
        case BinaryWire::time: {
            const std::size_t n = r.int1();
            if (!valid_length(wire, n)) r.fail();
            return r.bytes(n);
        }
        case BinaryWire::none: return {};
        case BinaryWire::lenenc: return r.lenenc_str();
    }
    return {};
}

}  // namespace

BinaryWire binary_wire(FieldType type) noexcept {
    switch (type) {
        case FieldType::tiny: return BinaryWire::int1;
        case FieldType::short_:
        case FieldType::year: return BinaryWire::int2;
        case FieldType::int24:
        case FieldType::long_: return BinaryWire::int4;
        case FieldType::longlong: return BinaryWire::int8;
        case FieldType::float_: return BinaryWire::float4;
        case FieldType::double_: return BinaryWire::float8;
        case FieldType::date:
        case FieldType::newdate:
        case FieldType::datetime:
        case FieldType::datetime2:
        case FieldType::timestamp:
        case FieldType::timestamp2: return BinaryWire::date_time;
        case FieldType::time:
        case FieldType::time2: return BinaryWire::time;
        case FieldType::null: return BinaryWire::none;
        default: return BinaryWire::lenenc;
    }
}

Status parse_binary_row(Bytes payload, std::span<const ColumnInfo> columns, std::span<FieldView> out) {
    if (out.size() != columns.size()) return Status::malformed("binary row decoded into the wrong number of fields");
    PacketReader r(payload);
    if (r.int1() != row_header) return Status::malformed("binary row without its 0x00 header");
    const Bytes bitmap = r.bytes(binary_row_null_bitmap_size(columns.size()));
    for (std::size_t i = 0; i < columns.size() && r.ok(); ++i) {
        const std::size_t bit = i + null_bitmap_offset;
        if (bitmap[bit / 8] & (1u << (bit % 8))) {
            out[i] = FieldView{};
            continue;
        }
        const Bytes b = next_value(r, binary_wire(columns[i].type));
        out[i] = FieldView{b.data(), b.size(), false};
    }
    if (!r.ok()) return Status::malformed("binary row shorter than its columns");
    if (!r.done()) return Status::malformed("binary row longer than its columns");
    return {};
}

}  // namespace uvmysql::detail
