// SPDX-License-Identifier: MIT
// Fuzzed column types and Values shared by the binary-protocol targets.
#pragma once

#include <array>
#include <chrono>

#include "fuzz_check.hpp"
#include "uvmysql/column.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::fuzz {

/// Every type code the protocol names, and one it does not.
inline constexpr std::array all_field_types = {
    FieldType::decimal,     FieldType::tiny,       FieldType::short_,    FieldType::long_,      FieldType::float_,
    FieldType::double_,     FieldType::null,       FieldType::timestamp, FieldType::longlong,   FieldType::int24,
    FieldType::date,        FieldType::time,       FieldType::datetime,  FieldType::year,       FieldType::newdate,
    FieldType::varchar,     FieldType::bit,        FieldType::timestamp2, FieldType::datetime2, FieldType::time2,
    FieldType::json,        FieldType::newdecimal, FieldType::enum_,     FieldType::set,        FieldType::tiny_blob,
    FieldType::medium_blob, FieldType::long_blob,  FieldType::blob,      FieldType::var_string, FieldType::string,
    FieldType::geometry,    static_cast<FieldType>(100),
};

/// A column of a fuzzed type, flags, collation and decimals.
inline ColumnInfo make_column(FuzzedDataProvider& in) {
    ColumnInfo col;
    col.type = in.PickValueInArray(all_field_types);
    col.flags = in.ConsumeIntegral<std::uint16_t>();
    col.collation = in.ConsumeBool() ? binary_collation : in.ConsumeIntegralInRange<std::uint16_t>(1, 300);
    col.decimals = in.ConsumeIntegralInRange<std::uint8_t>(0, 40);
    col.length = in.ConsumeIntegralInRange<std::uint32_t>(0, 70);
    return col;
}

/// A scalar Value of any kind (no lists), with plausible and implausible temporal parts.
inline Value make_scalar(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 12)) {
        case 0: return Value();
        case 1: return Value(in.ConsumeBool());
        case 2: return Value(in.ConsumeIntegral<std::int64_t>());
        case 3: return Value(in.ConsumeIntegral<std::uint64_t>());
        case 4: return Value(in.ConsumeFloatingPoint<float>());
        case 5: return Value(in.ConsumeFloatingPoint<double>());
        case 6: return Value(in.ConsumeRandomLengthString(40));
        case 7: return Value(Bytes(in.ConsumeRandomLengthString(40)));
        case 8: {
            auto d = Decimal::parse(in.ConsumeRandomLengthString(24));
            return d ? Value(*d) : Value(in.ConsumeIntegral<std::int8_t>());
        }
        case 9: return Value(Date{in.ConsumeIntegralInRange(0, 10000), in.ConsumeIntegralInRange(0, 13),
                                  in.ConsumeIntegralInRange(0, 32)});
        case 10: return Value(DateTime{in.ConsumeIntegralInRange(0, 10000), in.ConsumeIntegralInRange(0, 13),
                                       in.ConsumeIntegralInRange(0, 32), in.ConsumeIntegralInRange(0, 24),
                                       in.ConsumeIntegralInRange(0, 60), in.ConsumeIntegralInRange(0, 60),
                                       in.ConsumeIntegralInRange(-1, 1000000)});
        case 11: return Value(Time(std::chrono::microseconds(in.ConsumeIntegral<std::int64_t>() >> in.ConsumeIntegralInRange(0, 40))));
        default: return Value(std::int64_t{in.ConsumeIntegralInRange(-300, 300)});
    }
}

}  // namespace uvmysql::fuzz
