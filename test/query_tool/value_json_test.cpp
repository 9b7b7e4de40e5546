// SPDX-License-Identifier: MIT
// uvmysql-query's JSON encoding of hand-built Values, and the test reader that reverses it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "json_reader.hpp"
#include "value_json.hpp"

namespace query_tool::test {
namespace {

using uvmysql::Bytes;
using uvmysql::Date;
using uvmysql::DateTime;
using uvmysql::Decimal;
using uvmysql::Kind;
using uvmysql::Time;
using uvmysql::Value;

std::string json_of(const Value& v) {
    std::string out;
    append_value_json(out, v);
    return out;
}

/// Encodes, parses and decodes `v`: the kind and the value must come back unchanged.
void expect_round_trip(const Value& v) {
    const std::string text = json_of(v);
    const Value back = value_from_json(parse_json(text));
    EXPECT_EQ(back.kind(), v.kind()) << text;
    EXPECT_EQ(back, v) << text;
    if (const auto* d = v.get_if<double>(); d && !std::isnan(*d)) {
        EXPECT_EQ(std::signbit(*back.get_if<double>()), std::signbit(*d)) << text;
    }
}

TEST(ValueJson, IntegersArePlainOnlyWhereDoublesAreExact) {
    constexpr std::int64_t limit = (std::int64_t{1} << 53) - 1;
    EXPECT_EQ(json_of(Value(0)), "0");
    EXPECT_EQ(json_of(Value(limit)), "9007199254740991");
    EXPECT_EQ(json_of(Value(-limit)), "-9007199254740991");
    EXPECT_EQ(json_of(Value(limit + 1)), R"({"int64":"9007199254740992"})");
    EXPECT_EQ(json_of(Value(-limit - 1)), R"({"int64":"-9007199254740992"})");
    EXPECT_EQ(json_of(Value(std::numeric_limits<std::int64_t>::min())), R"({"int64":"-9223372036854775808"})");
    EXPECT_EQ(json_of(Value(std::uint64_t{limit})), "9007199254740991");
    EXPECT_EQ(json_of(Value(std::numeric_limits<std::uint64_t>::max())), R"({"uint64":"18446744073709551615"})");
    for (const Value& v : {Value(limit + 1), Value(std::numeric_limits<std::int64_t>::max()),
                           Value(std::numeric_limits<std::uint64_t>::max()), Value(std::uint64_t{1} << 53)}) {
        expect_round_trip(v);
    }
}

TEST(ValueJson, DoublesAlwaysShowTheyAreDoubles) {
    EXPECT_EQ(json_of(Value(3.0)), "3.0");
    EXPECT_EQ(json_of(Value(-0.0)), "-0.0");
    EXPECT_EQ(json_of(Value(0.1)), "0.1");
    EXPECT_EQ(json_of(Value(1e300)), "1e+300");
    EXPECT_EQ(json_of(Value(std::nan(""))), R"({"float64":"NaN"})");
    EXPECT_EQ(json_of(Value(-std::numeric_limits<double>::infinity())), R"({"float64":"-Infinity"})");
    for (double d : {0.1, -0.0, 1.7976931348623157e308, 4.9e-324, 123456789012345678.0, 3.0,
                     std::numeric_limits<double>::infinity()}) {
        expect_round_trip(Value(d));
    }
}

TEST(ValueJson, FloatsAreTaggedWithTheirOwnDigits) {
    EXPECT_EQ(json_of(Value(0.1f)), R"({"float32":"0.1"})");
    expect_round_trip(Value(0.1f));
    expect_round_trip(Value(std::numeric_limits<float>::max()));
}

TEST(ValueJson, TextEscapesOnlyWhatJsonRequires) {
    EXPECT_EQ(json_of(Value("a\"b\\c/d")), R"("a\"b\\c/d")");
    EXPECT_EQ(json_of(Value(std::string("\0\x01\x1f\n\t\r\b\f\x7f", 9))), R"("\u0000\u0001\u001f\n\t\r\b\f)" "\x7f\"");
    EXPECT_EQ(json_of(Value("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")), "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    expect_round_trip(Value(std::string("quote\" backslash\\ nul\0 \xe2\x80\xa8", 26)));
}

TEST(ValueJson, InvalidUtf8TextKeepsItsBytesAsBase64) {
    EXPECT_EQ(json_of(Value("caf\xe9")), R"({"text":"Y2Fm6Q=="})");
    for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80"}) {
        EXPECT_FALSE(is_valid_utf8(bad)) << bad;
        expect_round_trip(Value(bad));
    }
}

TEST(ValueJson, BytesAreBase64) {
    EXPECT_EQ(json_of(Value(Bytes(""))), R"({"bytes":""})");
    EXPECT_EQ(json_of(Value(Bytes("\0\xff\x80", 3))), R"({"bytes":"AP+A"})");
    // RFC 4648 section 10 test vectors.
    const std::pair<const char*, const char*> vectors[] = {{"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
                                                          {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                          {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        std::string out;
        append_base64(out, plain);
        EXPECT_EQ(out, encoded);
        EXPECT_EQ(base64_decode(encoded), plain);
    }
    expect_round_trip(Value(Bytes("\0\x01\xfe\xff\"\\", 6)));
}

TEST(ValueJson, DecimalsAndTemporalsAreTaggedText) {
    EXPECT_EQ(json_of(Value(Decimal("-12.50"))), R"({"decimal":"-12.50"})");
    EXPECT_EQ(json_of(Value(Date{2024, 2, 29})), R"({"date":"2024-02-29"})");
    EXPECT_EQ(json_of(Value(DateTime{2024, 1, 2, 3, 4, 5, 6})), R"({"datetime":"2024-01-02 03:04:05.000006"})");
    EXPECT_EQ(json_of(Value(DateTime{2024, 1, 2, 3, 4, 5, 0})), R"({"datetime":"2024-01-02 03:04:05"})");
    EXPECT_EQ(json_of(Value(Time::from_parts(true, 838, 59, 59))), R"({"time":"-838:59:59"})");
    EXPECT_EQ(json_of(Value(Time::from_parts(true, 0, 0, 1, 500000))), R"({"time":"-00:00:01.500000"})");
    for (const Value& v : {Value(Decimal("1.50")), Value(Decimal("-99999999999999999999999999999999999.000000000000000000000000000001")),
                           Value(Date{1, 1, 1}), Value(DateTime{9999, 12, 31, 23, 59, 59, 999999}),
                           Value(Time::from_parts(false, 100, 0, 0, 1))}) {
        expect_round_trip(v);
    }
}

TEST(ValueJson, NullBooleansAndLists) {
    EXPECT_EQ(json_of(Value()), "null");
    EXPECT_EQ(json_of(Value(true)), "true");
    EXPECT_EQ(json_of(Value(Value::List{1, "a", Value()})), R"({"list":[1,"a",null]})");
    expect_round_trip(Value(false));
    expect_round_trip(Value(Value::List{Value::List{}, Bytes("x")}));
}

TEST(ValueJson, RowsAreArraysAndDictRowsObjects) {
    auto columns = std::make_shared<uvmysql::Columns>(2);
    (*columns)[0].name = "id";
    (*columns)[1].name = "na\"me";
    const uvmysql::Row row({Value(1), Value("x")}, columns);
    std::string out;
    append_row_json(out, row);
    EXPECT_EQ(out, R"([1,"x"])");
    out.clear();
    append_row_json(out, uvmysql::DictRow(row));
    EXPECT_EQ(out, R"({"id":1,"na\"me":"x"})");
}

TEST(ValueJson, KeysWithInvalidUtf8GetReplacementCharacters) {
    std::string out;
    append_json_string(out, "a\xff");
    EXPECT_EQ(out, "\"a\xef\xbf\xbd\"");
}

TEST(JsonReader, RefusesWhatRfc8259Refuses) {
    for (const char* bad : {"", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "NaN", "\"\x01\"", "\"\\x\"", "\"\xff\"",
                            "\"\\ud800\"", "[1] 2", "{'a':1}", "tru"}) {
        EXPECT_THROW((void)parse_json(bad), std::runtime_error) << bad;
    }
    EXPECT_EQ(parse_json(R"("\ud83d\ude00")").string(), "\xf0\x9f\x98\x80");
}

}  // namespace
}  // namespace query_tool::test
