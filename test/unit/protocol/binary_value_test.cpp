// SPDX-License-Identifier: MIT
// Binary fields -> Values: every column type, boundary values, and the same Value as the text
// protocol gives for the same column and value; parameters decode back to what was encoded.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "binary_builder.hpp"
#include "hex.hpp"
#include "protocol/binary_param.hpp"
#include "protocol/binary_field.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/binary_row_decoder.hpp"
#include "values/text_decoder.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload

// A column, the text the text protocol sends for a value, and the binary row's bytes for it.
struct Case {
    ColumnInfo col;
    std::string text;
    std::vector<std::uint8_t> wire;
    Value want;
};

Value decode_binary(const ColumnInfo& col, const std::vector<std::uint8_t>& wire, bool use_unicode = true) {
    const std::vector<std::uint8_t> row = binary_row({wire});
    std::vector<FieldView> f(1);
    const std::vector<ColumnInfo> cols{col};
    const Status split = parse_binary_row(Bytes(row), cols, f);
    EXPECT_TRUE(split.ok()) << split.message;
    Value v;
    const Status st = decode_binary_field(col, f[0], use_unicode, v);
    EXPECT_TRUE(st.ok()) << st.message;
    return v;
}

Value decode_text(const ColumnInfo& col, std::string_view text, bool use_unicode = true) {
    Value v;
    const Status st = decode_text_field(col, text, use_unicode, v);
    EXPECT_TRUE(st.ok()) << st.message;
    return v;
}


ColumnInfo num(FieldType t, std::uint8_t decimals = 0) { return column(t, 0, binary_collation, decimals); }
ColumnInfo unum(FieldType t) { return unsigned_column(t); }
constexpr auto i64min = std::numeric_limits<std::int64_t>::min();
constexpr auto i64max = std::numeric_limits<std::int64_t>::max();
constexpr auto u64max = std::numeric_limits<std::uint64_t>::max();

std::vector<Case> cases() {
    using B = std::vector<std::uint8_t>;
    return {
        // Integers: the limits of every width, signed by the column's UNSIGNED flag.
        {num(FieldType::tiny), "-128", hex("80"), Value(-128)},
        {num(FieldType::tiny), "127", hex("7f"), Value(127)},
        {num(FieldType::tiny), "0", hex("00"), Value(0)},
        {unum(FieldType::tiny), "255", hex("ff"), Value(255u)},
        {num(FieldType::short_), "-32768", hex("0080"), Value(-32768)},
        {num(FieldType::short_), "32767", hex("ff7f"), Value(32767)},
        {unum(FieldType::short_), "65535", hex("ffff"), Value(65535u)},
        {num(FieldType::int24), "-8388608", hex("000080ff"), Value(-8388608)},
        {num(FieldType::int24), "8388607", hex("ffff7f00"), Value(8388607)},
        {unum(FieldType::int24), "16777215", hex("ffffff00"), Value(16777215u)},
        {num(FieldType::long_), "-2147483648", hex("00000080"), Value(-2147483648LL)},
        {num(FieldType::long_), "2147483647", hex("ffffff7f"), Value(2147483647)},
        {num(FieldType::long_), "-1", hex("ffffffff"), Value(-1)},
        {unum(FieldType::long_), "4294967295", hex("ffffffff"), Value(4294967295u)},
        {num(FieldType::longlong), "-9223372036854775808", hex("0000000000000080"), Value(i64min)},
        {num(FieldType::longlong), "9223372036854775807", hex("ffffffffffffff7f"), Value(i64max)},
        {unum(FieldType::longlong), "18446744073709551615", hex("ffffffffffffffff"), Value(u64max)},
        // YEAR: UNSIGNED ZEROFILL on the wire, a plain int64 in the text rule.
        {column(FieldType::year, column_flag::unsigned_ | column_flag::zerofill, binary_collation), "2024",
         hex("e807"), Value(2024)},
        {column(FieldType::year, column_flag::unsigned_ | column_flag::zerofill, binary_collation), "0000",
         hex("0000"), Value(0)},
        {num(FieldType::year), "2155", hex("6b08"), Value(2155)},
        // FLOAT: the text protocol shows 6 significant digits (or the fixed decimals).
        {num(FieldType::float_, 31), "3.14159", hex("db0f4940"), Value(3.14159)},
        {num(FieldType::float_, 31), "1.1", hex("cdcc8c3f"), Value(1.1)},
        {num(FieldType::float_, 31), "16777200", hex("0000804b"), Value(16777200.0)},
        {num(FieldType::float_, 31), "1.4013e-45", hex("01000000"), Value(1.4013e-45)},
        {num(FieldType::float_, 31), "3.4e38", hex("9ec97f7f"), Value(3.4e38)},
        {num(FieldType::float_, 31), "-0.5", hex("000000bf"), Value(-0.5)},
        {num(FieldType::float_, 3), "1.100", hex("cdcc8c3f"), Value(1.1)},
        // DOUBLE: the shortest digits, or the fixed decimals.
        {num(FieldType::double_, 31), "0.1", hex("9a9999999999b93f"), Value(0.1)},
        {num(FieldType::double_, 31), "1.7976931348623157e308", hex("ffffffffffffef7f"), Value(1.7976931348623157e308)},
        {num(FieldType::double_, 31), "-2.5", hex("00000000000004c0"), Value(-2.5)},
        {num(FieldType::double_, 31), "0.3333333333333333", hex("555555555555d53f"), Value(1.0 / 3)},
        {num(FieldType::double_, 2), "0.12", hex("000000000000c03f"), Value(0.12)},
        // DECIMAL: exact text.
        {num(FieldType::newdecimal, 2), "-12.50", hex("06 2d31322e3530"), Value(Decimal("-12.50"))},
        {num(FieldType::decimal, 6), "99999999999999999999.999999",
         concat({hex("1b"), bytes_of("99999999999999999999.999999")}), Value(Decimal("99999999999999999999.999999"))},
        // DATE: valid dates are Dates, zero and invalid ones their text.
        {num(FieldType::date), "2024-02-29", hex("04 e807 02 1d"), Value(Date{2024, 2, 29})},
        {num(FieldType::date), "9999-12-31", hex("04 0f27 0c 1f"), Value(Date{9999, 12, 31})},
        {num(FieldType::date), "1000-01-01", hex("04 e803 01 01"), Value(Date{1000, 1, 1})},
        {num(FieldType::date), "0000-00-00", hex("00"), Value("0000-00-00")},
        {num(FieldType::date), "2021-02-29", hex("04 e507 02 1d"), Value("2021-02-29")},
        {num(FieldType::date), "0000-01-01", hex("04 0000 01 01"), Value("0000-01-01")},
        {num(FieldType::date), "2020-00-10", hex("04 e407 00 0a"), Value("2020-00-10")},
        // DATETIME and TIMESTAMP: the 0/4/7/11-byte forms, microseconds, zero and invalid values.
        {num(FieldType::datetime), "2024-01-02 03:04:05", hex("07 e807 01 02 03 04 05"),
         Value(DateTime{2024, 1, 2, 3, 4, 5, 0})},
        {num(FieldType::datetime), "2024-01-02 00:00:00", hex("04 e807 01 02"), Value(DateTime{2024, 1, 2, 0, 0, 0, 0})},
        {num(FieldType::datetime, 6), "2024-01-02 03:04:05.123456", hex("0b e807 01 02 03 04 05 40e20100"),
         Value(DateTime{2024, 1, 2, 3, 4, 5, 123456})},
        {num(FieldType::datetime, 3), "2024-01-02 03:04:05.120", hex("0b e807 01 02 03 04 05 c0d40100"),
         Value(DateTime{2024, 1, 2, 3, 4, 5, 120000})},
        {num(FieldType::datetime, 6), "2024-01-02 03:04:05.000000", hex("07 e807 01 02 03 04 05"),
         Value(DateTime{2024, 1, 2, 3, 4, 5, 0})},
        {num(FieldType::datetime), "0000-00-00 00:00:00", hex("00"), Value("0000-00-00 00:00:00")},
        {num(FieldType::datetime, 6), "0000-00-00 00:00:00.000000", hex("00"), Value("0000-00-00 00:00:00.000000")},
        {num(FieldType::datetime), "2021-02-30 10:00:00", hex("07 e507 02 1e 0a 00 00"), Value("2021-02-30 10:00:00")},
        {num(FieldType::timestamp), "2038-01-19 03:14:07", hex("07 f607 01 13 03 0e 07"),
         Value(DateTime{2038, 1, 19, 3, 14, 7, 0})},
        {num(FieldType::timestamp), "0000-00-00 00:00:00", hex("00"), Value("0000-00-00 00:00:00")},
        {num(FieldType::timestamp, 6), "1970-01-01 00:00:01.000001", hex("0b b207 01 01 00 00 01 01000000"),
         Value(DateTime{1970, 1, 1, 0, 0, 1, 1})},
        // TIME: the 0/8/12-byte forms, negative, beyond 24 hours, the 838:59:59 limits.
        {num(FieldType::time), "00:00:00", hex("00"), Value(Time{})},
        {num(FieldType::time), "838:59:59", hex("08 00 22000000 16 3b 3b"), Value(Time::from_parts(false, 838, 59, 59, 0))},
        {num(FieldType::time), "-838:59:59", hex("08 01 22000000 16 3b 3b"), Value(Time::from_parts(true, 838, 59, 59, 0))},
        {num(FieldType::time), "25:00:00", hex("08 00 01000000 01 00 00"), Value(Time::from_parts(false, 25, 0, 0, 0))},
        {num(FieldType::time), "-12:00:00", hex("08 01 00000000 0c 00 00"), Value(Time::from_parts(true, 12, 0, 0, 0))},
        {num(FieldType::time, 6), "-00:00:01.500000", hex("0c 01 00000000 00 00 01 20a10700"),
         Value(Time::from_parts(true, 0, 0, 1, 500000))},
        {num(FieldType::time, 2), "12:34:56.78", hex("0c 00 00000000 0c 22 38 e0e60b00"),
         Value(Time::from_parts(false, 12, 34, 56, 780000))},
        {num(FieldType::time, 6), "-838:59:59.000000", hex("08 01 22000000 16 3b 3b"),
         Value(Time::from_parts(true, 838, 59, 59, 0))},
        // BIT, strings by collation, JSON, GEOMETRY, ENUM, SET.
        {num(FieldType::bit), std::string("\x05", 1), hex("01 05"), Value(uvmysql::Bytes(std::string("\x05", 1)))},
        {num(FieldType::bit), std::string("\x01\x00", 2), hex("02 0100"), Value(uvmysql::Bytes(std::string("\x01\x00", 2)))},
        {column(FieldType::var_string), "h\xc3\xa9llo", hex("06 68c3a96c6c6f"), Value("h\xc3\xa9llo")},
        {column(FieldType::string), "", hex("00"), Value("")},
        {column(FieldType::var_string, column_flag::binary, binary_collation), std::string("a\0b", 3), hex("03 610062"),
         Value(uvmysql::Bytes(std::string("a\0b", 3)))},
        {column(FieldType::blob, column_flag::blob | column_flag::binary, binary_collation), "xyz", hex("03 78797a"),
         Value(uvmysql::Bytes(std::string("xyz")))},
        {column(FieldType::blob, column_flag::blob), "text", hex("04 74657874"), Value("text")},
        {column(FieldType::json, column_flag::binary | column_flag::blob, binary_collation), "{\"a\": 1}",
         concat({hex("08"), bytes_of("{\"a\": 1}")}), Value("{\"a\": 1}")},
        {column(FieldType::geometry, column_flag::binary | column_flag::blob, binary_collation), std::string("\0\0\0\0\x01", 5),
         hex("05 0000000001"), Value(uvmysql::Bytes(std::string("\0\0\0\0\x01", 5)))},
        {column(FieldType::string, column_flag::enum_), "small", hex("05 736d616c6c"), Value("small")},
        {column(FieldType::enum_), "small", hex("05 736d616c6c"), Value("small")},
        {column(FieldType::string, column_flag::set), "a,b", hex("03 612c62"), Value("a,b")},
        {column(FieldType::set), "a,b", hex("03 612c62"), Value("a,b")},
        {column(static_cast<FieldType>(242), 0, binary_collation), "\x01\x02", hex("02 0102"),
         Value(uvmysql::Bytes(std::string("\x01\x02")))},
        {column(FieldType::null, 0, binary_collation), "", B{}, Value()},
    };
}

TEST(BinaryValue, EveryTypeDecodesAsExpected) {
    for (const Case& c : cases()) {
        SCOPED_TRACE("type " + std::to_string(static_cast<int>(c.col.type)) + " text '" + c.text + "'");
        const Value v = decode_binary(c.col, c.wire);
        EXPECT_EQ(v.kind(), c.want.kind());
        EXPECT_EQ(v, c.want);
    }
}

TEST(BinaryValue, SameValueAsTheTextProtocol) {
    for (const bool use_unicode : {true, false}) {
        for (const Case& c : cases()) {
            SCOPED_TRACE("type " + std::to_string(static_cast<int>(c.col.type)) + " text '" + c.text + "' unicode " +
                         std::to_string(use_unicode));
            const Value t = decode_text(c.col, c.text, use_unicode);
            const Value b = decode_binary(c.col, c.wire, use_unicode);
            EXPECT_EQ(b.kind(), t.kind());
            EXPECT_EQ(b, t);
        }
    }
}

TEST(BinaryValue, ConvertersSeeTheTextProtocolsText) {
    for (const Case& c : cases()) {
        if (c.col.type == FieldType::null || c.col.type == FieldType::float_) continue;   // FLOAT: digits may differ in form
        SCOPED_TRACE("type " + std::to_string(static_cast<int>(c.col.type)) + " text '" + c.text + "'");
        const std::vector<std::uint8_t> row = binary_row({c.wire});
        std::vector<FieldView> f(1);
        ASSERT_TRUE(parse_binary_row(Bytes(row), std::vector<ColumnInfo>{c.col}, f).ok());
        std::string text;
        append_binary_field_text(text, c.col, f[0]);
        if (c.col.type == FieldType::double_ && c.col.decimals >= 31) {
            EXPECT_EQ(std::stod(text), std::stod(c.text));   // shortest digits, exponent form may differ
        } else {
            EXPECT_EQ(text, c.text);
        }
    }
}

TEST(BinaryValue, Float32WideningKeepsTheServersDigits) {
    // FLOAT 3.1415927f is shown as 3.14159 by the server: that number, not 3.1415927410125732.
    const Value v = decode_binary(num(FieldType::float_, 31), hex("db0f4940"));
    EXPECT_EQ(v, Value(3.14159));
}

TEST(BinaryValue, ImpossibleTimePartsBecomeText) {
    // Minutes of 60 cannot be a TIME: the text rule keeps such a value as its text.
    EXPECT_EQ(decode_binary(num(FieldType::time), hex("08 00 00000000 01 3c 00")), Value("01:60:00"));
    // Days beyond what Time::parse reads (9 hour digits): text too, as the text protocol would give.
    EXPECT_EQ(decode_binary(num(FieldType::time), hex("08 00 ffffffff 00 00 00")).kind(), Kind::text);
}

TEST(BinaryValue, ImpossibleMicrosecondsBecomeText) {
    // 1000000 microseconds: no server sends it, and it must not turn into a wrong DateTime.
    const Value v = decode_binary(num(FieldType::datetime, 3), hex("0b e807 01 02 03 04 05 40420f00"));
    EXPECT_EQ(v, Value("2024-01-02 03:04:05.1000000"));
    EXPECT_EQ(decode_binary(num(FieldType::time, 6), hex("0c 00 00000000 00 00 00 40420f00")), Value("00:00:00.1000000"));
}

TEST(BinaryValue, InvalidDecimalIsADataError) {
    const std::vector<std::uint8_t> row = binary_row({hex("03 78797a")});
    std::vector<FieldView> f(1);
    const ColumnInfo col = num(FieldType::newdecimal);
    ASSERT_TRUE(parse_binary_row(Bytes(row), std::vector<ColumnInfo>{col}, f).ok());
    Value v;
    const Status st = decode_binary_field(col, f[0], true, v);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::data);
}

// decode(encode(x)) == x: a parameter's binary value is laid out as a result field of the same
// type, so a row made of encoded parameters decodes back to the parameters.
ColumnInfo column_for(const Value& v) {
    ParamType t;
    EXPECT_TRUE(binary_param_type(v, t).ok());
    ColumnInfo c = column(t.type, t.is_unsigned ? column_flag::unsigned_ : 0,
                          v.kind() == Kind::text ? utf8mb4_general_ci : binary_collation,
                          v.kind() == Kind::float64 ? 31 : 6);
    return c;
}

TEST(BinaryValue, ParametersDecodeBackToThemselves) {
    const std::vector<Value> values = {
        Value(),
        Value(true),
        Value(false),
        Value(i64min),
        Value(i64max),
        Value(-1),
        Value(u64max),
        Value(0u),
        Value(0.1),
        Value(-1e300),
        Value(2.5),
        Value("h\xc3\xa9llo"),
        Value(""),
        Value(uvmysql::Bytes(std::string("\0\xff", 2))),
        Value(Decimal("-123.4500")),
        Value(Date{2024, 2, 29}),
        Value(Date{1, 1, 1}),
        Value(DateTime{2024, 1, 2, 3, 4, 5, 6}),
        Value(DateTime{2024, 1, 2, 0, 0, 0, 0}),
        Value(DateTime{2024, 1, 2, 3, 4, 5, 0}),
        Value(Time::from_parts(true, 838, 59, 59, 0)),
        Value(Time::from_parts(false, 838, 59, 59, 999999)),
        Value(Time::from_parts(true, 0, 0, 0, 1)),
        Value(Time::from_parts(false, 100000, 0, 0, 0)),
        Value(Time{}),
    };
    std::vector<ColumnInfo> cols;
    std::vector<std::optional<std::vector<std::uint8_t>>> fields;
    for (const Value& v : values) {
        cols.push_back(column_for(v));
        if (v.is_null()) {
            fields.emplace_back(std::nullopt);
            continue;
        }
        std::vector<std::uint8_t> wire;
        ASSERT_TRUE(append_binary_param(wire, v, [&] {
                        ParamType t;
                        (void)binary_param_type(v, t);
                        return t;
                    }()).ok());
        fields.emplace_back(std::move(wire));
    }
    BinaryRowDecoder d;
    d.reset(true, nullptr, std::make_shared<const std::vector<ColumnInfo>>(cols));
    std::vector<Value> out;
    Status field_error;
    ASSERT_TRUE(d.decode_row(binary_row(fields), out, field_error).ok());
    ASSERT_TRUE(field_error.ok());
    ASSERT_EQ(out.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(out[i], values[i]) << i;
}

}  // namespace
}  // namespace uvmysql::test
