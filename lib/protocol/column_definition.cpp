// SPDX-License-Identifier: MIT
// ColumnDefinition41: one column's metadata in a result set.
#include "protocol/column_definition.hpp"

#include "protocol/packet_reader.hpp"

namespace uvmysql::detail {

namespace {
constexpr std::uint64_t fixed_fields_length = 0x0C;
}  // namespace

Status parse_column_definition41(Bytes payload, ColumnInfo& out) {
    PacketReader r(payload);
    out.catalog.assign(as_string_view(r.lenenc_str()));
    out.schema.assign(as_string_view(r.lenenc_str()));
    out.table.assign(as_string_view(r.lenenc_str()));
    out.org_table.assign(as_string_view(r.lenenc_str()));
    out.name.assign(as_string_view(r.lenenc_str()));
    out.org_name.assign(as_string_view(r.lenenc_str()));
    if (r.lenenc_int() != fixed_fields_length) r.fail();
    out.collation = r.int2();
    out.length = r.int4();
    out.type = static_cast<FieldType>(r.int1());
    out.flags = r.int2();
    out.decimals = r.int1();
    r.skip(2);  // filler
    if (!r.ok()) return Status::malformed("bad column definition");
    return {};
}

}  // namespace uvmysql::detail
