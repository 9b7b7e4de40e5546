// SPDX-License-Identifier: MIT
// Fuzz target: binary result rows. Fuzzed payloads split over fuzzed columns (every view inside
// the payload) and decoded field by field; and rows serialized from fuzzed Values read back as
// the same values.
#include <cmath>

#include "fuzz_values.hpp"
#include "protocol/binary_field.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/binary_row_decoder.hpp"
#include "protocol/binary_row_writer.hpp"

using namespace uvmysql::detail;
using uvmysql::ColumnInfo;
using uvmysql::Kind;
using uvmysql::Value;
using uvmysql::fuzz::inside;

namespace {

void decode_fields(const std::vector<ColumnInfo>& cols, std::span<const FieldView> fields, Bytes payload) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const FieldView& f = fields[i];
        if (f.is_null) continue;
        UVMYSQL_FUZZ_CHECK(inside(f.data, f.size, payload));
        for (const bool unicode : {true, false}) {
            Value v;
            const Status st = decode_binary_field(cols[i], f, unicode, v);
            if (!st.ok()) UVMYSQL_FUZZ_CHECK(st.client_kind == ClientKind::data);
        }
        std::string text;
        append_binary_field_text(text, cols[i], f);
    }
}

// The value a binary row carries back for `sent` in `col`, where the round trip is exact.
bool same_value(const ColumnInfo& col, const Value& sent, const Value& got) {
    switch (binary_wire(col.type)) {
        case BinaryWire::int1: case BinaryWire::int2: case BinaryWire::int4: case BinaryWire::int8:
            if (sent.kind() == Kind::int64) {
                return col.is_unsigned() ? got == Value(static_cast<std::uint64_t>(*sent.get_if<std::int64_t>()))
                                         : got == sent;
            }
            if (sent.kind() == Kind::uint64) {
                return col.is_unsigned() ? got == sent : got == Value(static_cast<std::int64_t>(*sent.get_if<std::uint64_t>()));
            }
            return true;
        case BinaryWire::float8:
            if (sent.kind() == Kind::float64 && col.decimals >= 31) {
                const double a = *sent.get_if<double>();
                return got.kind() == Kind::float64 && (std::isnan(a) ? std::isnan(*got.get_if<double>()) : *got.get_if<double>() == a);
            }
            return true;
        case BinaryWire::lenenc:
            if (sent.kind() == Kind::text || sent.kind() == Kind::bytes) {
                const std::string want = sent.kind() == Kind::text ? *sent.get_if<std::string>()
                                                                   : sent.get_if<uvmysql::Bytes>()->str();
                if (got.kind() == Kind::text) return *got.get_if<std::string>() == want;
                if (got.kind() == Kind::bytes) return got.get_if<uvmysql::Bytes>()->str() == want;
            }
            return true;
        default:
            return true;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const bool round_trip = in.ConsumeBool();
    std::vector<ColumnInfo> cols(in.ConsumeIntegralInRange<std::size_t>(0, 10));
    for (auto& c : cols) c = uvmysql::fuzz::make_column(in);
    std::vector<FieldView> fields(cols.size());

    if (!round_trip) {
        const auto bytes = in.ConsumeRemainingBytes<std::uint8_t>();
        const Bytes payload(bytes);
        if (parse_binary_row(payload, cols, fields).ok()) decode_fields(cols, fields, payload);
        BinaryRowDecoder dec;
        dec.reset(in.ConsumeBool(), nullptr, std::make_shared<const std::vector<ColumnInfo>>(cols));
        std::vector<Value> row;
        Status field_error;
        if (dec.decode_row(payload, row, field_error).ok()) UVMYSQL_FUZZ_CHECK(row.size() == cols.size());
        return 0;
    }
    std::vector<Value> values;
    for (std::size_t i = 0; i < cols.size(); ++i) values.push_back(uvmysql::fuzz::make_scalar(in));
    std::vector<std::uint8_t> out = {0xCD};
    if (!serialize_binary_row(out, cols, values).ok()) {
        UVMYSQL_FUZZ_CHECK(out.size() == 1);   // nothing appended
        return 0;
    }
    const Bytes payload = Bytes(out).subspan(1);
    const Status parsed = parse_binary_row(payload, cols, fields);
    if (!parsed.ok()) {
        std::fprintf(stderr, "serialized row does not parse: %s\n", parsed.message.c_str());
        for (std::size_t i = 0; i < cols.size(); ++i) {
            std::fprintf(stderr, "  column %zu: type %d, value kind %d\n", i, static_cast<int>(cols[i].type),
                         static_cast<int>(values[i].kind()));
        }
    }
    UVMYSQL_FUZZ_CHECK(parsed.ok());
    for (std::size_t i = 0; i < cols.size(); ++i) UVMYSQL_FUZZ_CHECK(fields[i].is_null == values[i].is_null());
    decode_fields(cols, fields, payload);
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (fields[i].is_null) continue;
        Value got;
        if (!decode_binary_field(cols[i], fields[i], true, got).ok()) continue;
        if (!same_value(cols[i], values[i], got)) {
            std::fprintf(stderr, "column %zu type %d: sent kind %d, read kind %d\n", i, static_cast<int>(cols[i].type),
                         static_cast<int>(values[i].kind()), static_cast<int>(got.kind()));
        }
        UVMYSQL_FUZZ_CHECK(same_value(cols[i], values[i], got));
    }
    return 0;
}
