// SPDX-License-Identifier: MIT
// Converters: per-type overrides of the text decoders, fallbacks, and converter exceptions.
#include "uvmysql/converters.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "uvmysql/error.hpp"
#include "values/text_decoder.hpp"

using namespace uvmysql;
using namespace uvmysql::detail;

namespace {
ColumnInfo column(FieldType type) {
    ColumnInfo c;
    c.name = "c";
    c.type = type;
    c.collation = 45;
    return c;
}
}  // namespace

TEST(Converters, EmptyUsesBuiltIns) {
    Converters conv;
    EXPECT_TRUE(conv.empty());
    EXPECT_EQ(conv.find(FieldType::newdecimal), nullptr);
    Value v;
    ASSERT_TRUE(decode_text_field(column(FieldType::newdecimal), "1.25", true, conv, v).ok());
    EXPECT_EQ(v.kind(), Kind::decimal);
}

TEST(Converters, OverrideDecimalToDouble) {
    Converters conv;
    conv.set(FieldType::newdecimal,
             [](const ColumnInfo&, std::string_view s) { return Value(Decimal(s).to_double()); });
    EXPECT_FALSE(conv.empty());
    Value v;
    ASSERT_TRUE(decode_text_field(column(FieldType::newdecimal), "1.25", true, conv, v).ok());
    EXPECT_EQ(v.kind(), Kind::float64);
    EXPECT_EQ(v, Value(1.25));
    // Other types keep their built-in rule.
    ASSERT_TRUE(decode_text_field(column(FieldType::decimal), "1.25", true, conv, v).ok());
    EXPECT_EQ(v.kind(), Kind::decimal);
}

TEST(Converters, OverrideDatetimeToTextAndFallBack) {
    Converters conv;
    conv.set(FieldType::datetime, [](const ColumnInfo&, std::string_view s) { return Value(s); });
    conv.set(FieldType::date, [](const ColumnInfo& c, std::string_view s) {
        Value v = default_convert(c, s);
        return v.kind() == Kind::text ? Value() : v;   // zero dates -> NULL
    });
    Value v;
    ASSERT_TRUE(decode_text_field(column(FieldType::datetime), "2024-01-02 03:04:05", true, conv, v).ok());
    EXPECT_EQ(v, Value("2024-01-02 03:04:05"));
    ASSERT_TRUE(decode_text_field(column(FieldType::date), "0000-00-00", true, conv, v).ok());
    EXPECT_TRUE(v.is_null());
    ASSERT_TRUE(decode_text_field(column(FieldType::date), "2024-01-02", true, conv, v).ok());
    EXPECT_EQ(v, Value(Date{2024, 1, 2}));
}

TEST(Converters, ResetAndReplace) {
    Converters conv;
    conv.set(FieldType::long_, [](const ColumnInfo&, std::string_view) { return Value(1); });
    conv.set(FieldType::long_, [](const ColumnInfo&, std::string_view) { return Value(2); });
    const ColumnInfo c = column(FieldType::long_);
    EXPECT_EQ((*conv.find(FieldType::long_))(c, "9"), Value(2));
    conv.reset(FieldType::long_);
    EXPECT_EQ(conv.find(FieldType::long_), nullptr);
    EXPECT_TRUE(conv.empty());
    conv.set(FieldType::tiny, [](const ColumnInfo&, std::string_view) { return Value(3); });
    EXPECT_EQ((*conv.find(FieldType::tiny))(c, "9"), Value(3));
    conv.set(FieldType::tiny, nullptr);   // an empty function removes the override
    EXPECT_EQ(conv.find(FieldType::tiny), nullptr);
}

TEST(Converters, CopiesAreIndependent) {
    Converters a;
    a.set(FieldType::long_, [](const ColumnInfo&, std::string_view) { return Value("a"); });
    Converters b = a;
    b.set(FieldType::long_, [](const ColumnInfo&, std::string_view) { return Value("b"); });
    const ColumnInfo c = column(FieldType::long_);
    EXPECT_EQ((*a.find(FieldType::long_))(c, ""), Value("a"));
    EXPECT_EQ((*b.find(FieldType::long_))(c, ""), Value("b"));
}

TEST(Converters, ThrowingConverterBecomesStatus) {
    Converters conv;
    conv.set(FieldType::long_, [](const ColumnInfo&, std::string_view) -> Value {
        throw ProgrammingError(1234, "42000", "custom failure");
    });
    conv.set(FieldType::tiny, [](const ColumnInfo&, std::string_view) -> Value {
        throw std::runtime_error("boom");
    });
    Value v;
    Status st = decode_text_field(column(FieldType::long_), "1", true, conv, v);
    EXPECT_EQ(st.client_kind, ClientKind::programming);
    EXPECT_EQ(st.errno_code, 1234);
    EXPECT_EQ(st.sqlstate, "42000");
    EXPECT_EQ(st.message, "custom failure");
    st = decode_text_field(column(FieldType::tiny), "1", true, conv, v);
    EXPECT_EQ(st.client_kind, ClientKind::data);
    EXPECT_NE(st.message.find("boom"), std::string::npos);
}

TEST(Converters, ColumnDecoderPicksTheOverrideOnce) {
    Converters conv;
    int calls = 0;
    conv.set(FieldType::var_string, [&calls](const ColumnInfo&, std::string_view s) {
        ++calls;
        return Value(std::string(s) + "!");
    });
    const ColumnInfo c = column(FieldType::var_string);
    const ColumnDecoder d(c, true, &conv);
    EXPECT_TRUE(d.has_custom());
    Value v;
    Status st;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(d.decode("x", v, st));
    EXPECT_EQ(v, Value("x!"));
    EXPECT_EQ(calls, 3);
    ASSERT_TRUE(d.decode("", true, v, st));   // NULL never reaches the converter
    EXPECT_TRUE(v.is_null());
    EXPECT_EQ(calls, 3);
}
