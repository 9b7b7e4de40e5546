// SPDX-License-Identifier: MIT
// Text-protocol decoding: every column type -> Value rule, edges, garbage, use_unicode.
#include "values/text_decoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "uvmysql/error.hpp"

using namespace uvmysql;
using namespace uvmysql::detail;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t utf8mb4_general_ci = 45;

ColumnInfo column(FieldType type, std::uint16_t flags = 0, std::uint16_t collation = utf8mb4_general_ci) {
    ColumnInfo c;
    c.name = "c";
    c.type = type;
    c.flags = flags;
    c.collation = collation;
    return c;
}

Value decode(const ColumnInfo& c, std::string_view text, bool use_unicode = true) {
    Value out;
    const Status st = decode_text_field(c, text, use_unicode, out);
    EXPECT_TRUE(st.ok()) << st.message;
    return out;
}

Status decode_error(const ColumnInfo& c, std::string_view text) {
    Value out;
    return decode_text_field(c, text, true, out);
}

}  // namespace

TEST(DecodeTextField, SignedIntegersToInt64) {
    for (auto t : {FieldType::tiny, FieldType::short_, FieldType::long_, FieldType::int24, FieldType::longlong}) {
        EXPECT_EQ(*decode(column(t), "-42").get_if<std::int64_t>(), -42);
    }
    EXPECT_EQ(*decode(column(FieldType::longlong), "-9223372036854775808").get_if<std::int64_t>(),
              std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(*decode(column(FieldType::longlong), "9223372036854775807").get_if<std::int64_t>(),
              std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(*decode(column(FieldType::long_, column_flag::zerofill), "00042").get_if<std::int64_t>(), 42);
}

TEST(DecodeTextField, UnsignedIntegersToUint64FullRange) {
    const auto c = column(FieldType::longlong, column_flag::unsigned_);
    EXPECT_EQ(*decode(c, "18446744073709551615").get_if<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(*decode(c, "0").get_if<std::uint64_t>(), 0u);
    EXPECT_EQ(decode(column(FieldType::tiny, column_flag::unsigned_), "255").kind(), Kind::uint64);
}

TEST(DecodeTextField, YearIsAPlainInteger) {
    const auto c = column(FieldType::year, column_flag::unsigned_ | column_flag::zerofill);
    const Value v = decode(c, "2024");
    EXPECT_EQ(v.kind(), Kind::int64);
    EXPECT_EQ(v.as<int>(), 2024);
    EXPECT_EQ(decode(c, "0000").as<int>(), 0);
}

TEST(DecodeTextField, IntegerGarbageIsAnError) {
    for (const char* bad : {"", "abc", "12x", " 1", "1 ", "+1", "1.0", "9223372036854775808", "-"}) {
        const Status st = decode_error(column(FieldType::longlong), bad);
        EXPECT_FALSE(st.ok()) << bad;
        EXPECT_EQ(st.client_kind, ClientKind::data);
        EXPECT_EQ(st.errno_code, cr::malformed_packet);
    }
    EXPECT_FALSE(decode_error(column(FieldType::longlong, column_flag::unsigned_), "18446744073709551616").ok());
    EXPECT_FALSE(decode_error(column(FieldType::longlong, column_flag::unsigned_), "-1").ok());
}

TEST(DecodeTextField, FloatAndDouble) {
    EXPECT_EQ(*decode(column(FieldType::float_), "0.1").get_if<double>(), 0.1);
    EXPECT_EQ(*decode(column(FieldType::double_), "-1.7976931348623157e308").get_if<double>(),
              -1.7976931348623157e308);
    EXPECT_EQ(*decode(column(FieldType::double_), "1e-5").get_if<double>(), 1e-5);
    EXPECT_FALSE(decode_error(column(FieldType::double_), "1.5x").ok());
    EXPECT_FALSE(decode_error(column(FieldType::double_), "").ok());
}

TEST(DecodeTextField, DecimalIsExact) {
    const Value v = decode(column(FieldType::newdecimal), "12345678901234567890.123456789");
    ASSERT_EQ(v.kind(), Kind::decimal);
    EXPECT_EQ(v.get_if<Decimal>()->str(), "12345678901234567890.123456789");
    EXPECT_EQ(decode(column(FieldType::decimal), "-0.50").get_if<Decimal>()->str(), "-0.50");
    EXPECT_FALSE(decode_error(column(FieldType::newdecimal), "1,5").ok());
}

TEST(DecodeTextField, DatesAndDatetimesWithMicroseconds) {
    EXPECT_EQ(*decode(column(FieldType::date), "2024-01-02").get_if<Date>(), (Date{2024, 1, 2}));
    EXPECT_EQ(*decode(column(FieldType::datetime), "2024-01-02 03:04:05.000006").get_if<DateTime>(),
              (DateTime{2024, 1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(*decode(column(FieldType::timestamp), "2038-01-19 03:14:07").get_if<DateTime>(),
              (DateTime{2038, 1, 19, 3, 14, 7, 0}));
    EXPECT_EQ(*decode(column(FieldType::datetime), "2024-01-02 03:04:05.5").get_if<DateTime>(),
              (DateTime{2024, 1, 2, 3, 4, 5, 500000}));
    // PyMySQL's convert_datetime falls back to a date.
    EXPECT_EQ(*decode(column(FieldType::datetime), "2024-01-02").get_if<Date>(), (Date{2024, 1, 2}));
}

TEST(DecodeTextField, ZeroAndInvalidDatesComeBackAsText) {
    EXPECT_EQ(decode(column(FieldType::date), "0000-00-00"), Value("0000-00-00"));
    EXPECT_EQ(decode(column(FieldType::date), "2020-02-30"), Value("2020-02-30"));
    EXPECT_EQ(decode(column(FieldType::date), "2020-00-01"), Value("2020-00-01"));
    EXPECT_EQ(decode(column(FieldType::datetime), "0000-00-00 00:00:00"), Value("0000-00-00 00:00:00"));
    EXPECT_EQ(decode(column(FieldType::timestamp), "0000-00-00 00:00:00.000000"),
              Value("0000-00-00 00:00:00.000000"));
    // Even with use_unicode off, as PyMySQL decodes the bytes before trying the date.
    EXPECT_EQ(decode(column(FieldType::date), "0000-00-00", false).kind(), Kind::text);
}

TEST(DecodeTextField, TimeNegativeLongAndFractional) {
    EXPECT_EQ(decode(column(FieldType::time), "-838:59:59").get_if<Time>()->duration(), -(838h + 59min + 59s));
    EXPECT_EQ(decode(column(FieldType::time), "100:00:00.25").get_if<Time>()->duration(), 100h + 250ms);
    EXPECT_EQ(decode(column(FieldType::time), "-00:00:00.000001").get_if<Time>()->duration(), -1us);
    EXPECT_EQ(decode(column(FieldType::time), "garbage"), Value("garbage"));
}

TEST(DecodeTextField, BitAndGeometryAreBytes) {
    const Value bit = decode(column(FieldType::bit, column_flag::unsigned_, binary_collation), "\x05");
    ASSERT_EQ(bit.kind(), Kind::bytes);
    EXPECT_EQ(bit.get_if<Bytes>()->view(), "\x05");
    EXPECT_EQ(decode(column(FieldType::geometry, 0, binary_collation), "\x01\x02").kind(), Kind::bytes);
}

TEST(DecodeTextField, StringsAreTextAndBinaryStringsBytes) {
    for (auto t : {FieldType::varchar, FieldType::var_string, FieldType::string, FieldType::blob,
                   FieldType::tiny_blob, FieldType::medium_blob, FieldType::long_blob, FieldType::enum_,
                   FieldType::set}) {
        EXPECT_EQ(decode(column(t), "h\xc3\xa9"), Value("h\xc3\xa9"));
        EXPECT_EQ(decode(column(t, column_flag::binary, binary_collation), "h\xc3\xa9").kind(), Kind::bytes);
    }
    const std::string blob("\x00\x01\x00\xff", 4);
    const Value v = decode(column(FieldType::blob, column_flag::blob | column_flag::binary, binary_collation), blob);
    ASSERT_EQ(v.kind(), Kind::bytes);
    EXPECT_EQ(v.get_if<Bytes>()->str(), blob);   // embedded zeros kept
    EXPECT_EQ(decode(column(FieldType::var_string), ""), Value(""));
}

TEST(DecodeTextField, JsonIsTextEvenWithTheBinaryCollation) {
    EXPECT_EQ(decode(column(FieldType::json, 0, binary_collation), "{\"a\": 1}"), Value("{\"a\": 1}"));
    EXPECT_EQ(decode(column(FieldType::json, 0, binary_collation), "{}", false).kind(), Kind::bytes);
}

TEST(DecodeTextField, UseUnicodeFalseGivesBytesForStringsOnly) {
    EXPECT_EQ(decode(column(FieldType::var_string), "abc", false), Value(Bytes("abc")));
    EXPECT_EQ(decode(column(FieldType::long_), "7", false), Value(7));
    EXPECT_EQ(decode(column(FieldType::newdecimal), "1.5", false).kind(), Kind::decimal);
    EXPECT_EQ(decode(column(FieldType::date), "2024-01-02", false).kind(), Kind::date);
}

TEST(DecodeTextField, NullTypeAndUnknownTypes) {
    EXPECT_TRUE(decode(column(FieldType::null), "").is_null());
    EXPECT_EQ(decode(column(static_cast<FieldType>(100)), "raw").kind(), Kind::bytes);
}

TEST(DecodeTextField, SpanOverload) {
    const std::uint8_t raw[] = {'4', '2'};
    Value out;
    ASSERT_TRUE(decode_text_field(column(FieldType::long_), std::span<const std::uint8_t>(raw), true, out).ok());
    EXPECT_EQ(out, Value(42));
}

TEST(DecodeTextField, ErrorNamesTheColumnAndTruncates) {
    auto c = column(FieldType::long_);
    c.name = "price";
    const Status st = decode_error(c, std::string(100, 'x'));
    EXPECT_NE(st.message.find("INT field 'price'"), std::string::npos) << st.message;
    EXPECT_LT(st.message.size(), 120u);
}

TEST(ColumnDecoder, DecodesRowsAndNulls) {
    const auto c = column(FieldType::long_);
    const ColumnDecoder d(c, true);
    EXPECT_EQ(d.plan(), DecodeAs::int64);
    Value v;
    Status st;
    ASSERT_TRUE(d.decode("5", v, st));
    EXPECT_EQ(v, Value(5));
    ASSERT_TRUE(d.decode("", true, v, st));
    EXPECT_TRUE(v.is_null());
    EXPECT_FALSE(d.decode("x", v, st));
    EXPECT_EQ(st.client_kind, ClientKind::data);
}

TEST(DefaultConvert, ThrowsDataErrorOnGarbage) {
    EXPECT_EQ(default_convert(column(FieldType::long_), "12"), Value(12));
    EXPECT_THROW((void)default_convert(column(FieldType::long_), "1x"), DataError);
}
