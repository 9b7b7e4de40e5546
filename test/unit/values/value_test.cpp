// SPDX-License-Identifier: MIT
// Value: construction from C++ types, kinds, as<T>() conversions and errors, equality, display.
#include "uvmysql/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "uvmysql/error.hpp"

using namespace uvmysql;
using namespace std::chrono_literals;

TEST(Value, DefaultIsNull) {
    Value v;
    EXPECT_TRUE(v.is_null());
    EXPECT_EQ(v.kind(), Kind::null);
    EXPECT_TRUE(Value(nullptr).is_null());
    EXPECT_TRUE(Value(std::nullopt).is_null());
    EXPECT_TRUE(Value(static_cast<const char*>(nullptr)).is_null());
}

TEST(Value, IntegersMapToInt64OrUint64) {
    EXPECT_EQ(Value(std::int8_t{-5}).kind(), Kind::int64);
    EXPECT_EQ(Value(short{-5}).kind(), Kind::int64);
    EXPECT_EQ(Value(-5).kind(), Kind::int64);
    EXPECT_EQ(Value(-5L).kind(), Kind::int64);
    EXPECT_EQ(Value(-5LL).kind(), Kind::int64);
    EXPECT_EQ(Value(std::uint8_t{5}).kind(), Kind::uint64);
    EXPECT_EQ(Value(5u).kind(), Kind::uint64);
    EXPECT_EQ(Value(std::size_t{5}).kind(), Kind::uint64);
    EXPECT_EQ(*Value(std::numeric_limits<std::int64_t>::min()).get_if<std::int64_t>(),
              std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(*Value(std::numeric_limits<std::uint64_t>::max()).get_if<std::uint64_t>(),
              std::numeric_limits<std::uint64_t>::max());
}

TEST(Value, OtherKindsFromNaturalTypes) {
    EXPECT_EQ(Value(true).kind(), Kind::boolean);
    EXPECT_EQ(Value(1.5f).kind(), Kind::float32);
    EXPECT_EQ(Value(1.5).kind(), Kind::float64);
    EXPECT_EQ(Value("x").kind(), Kind::text);
    EXPECT_EQ(Value(std::string("x")).kind(), Kind::text);
    EXPECT_EQ(Value(std::string_view("x")).kind(), Kind::text);
    EXPECT_EQ(Value(Bytes("x")).kind(), Kind::bytes);
    EXPECT_EQ(Value(Decimal("1.5")).kind(), Kind::decimal);
    EXPECT_EQ(Value(Date{2024, 1, 2}).kind(), Kind::date);
    EXPECT_EQ(Value(DateTime{2024, 1, 2, 3, 4, 5, 6}).kind(), Kind::datetime);
    EXPECT_EQ(Value(Time(5s)).kind(), Kind::time);
    EXPECT_EQ(Value(90min).kind(), Kind::time);
    EXPECT_EQ(Value(Value::List{1, "a"}).kind(), Kind::list);
    EXPECT_EQ(Value(std::optional<int>(3)).kind(), Kind::int64);
    EXPECT_EQ(Value(std::optional<std::string>()).kind(), Kind::null);
}

TEST(Value, CharIsNotAnInteger) {
    static_assert(!std::is_constructible_v<Value, char>);
    static_assert(std::is_constructible_v<Value, signed char>);
    static_assert(!std::is_constructible_v<Value, int*>);
    static_assert(std::is_convertible_v<std::optional<double>, Value>);
    SUCCEED();
}

TEST(Value, BytesKeepEmbeddedNuls) {
    const Bytes b("a\0b\0", 4);
    EXPECT_EQ(b.size(), 4u);
    const Bytes lit("a\0b");
    EXPECT_EQ(lit.size(), 3u);
    Value v(lit);
    EXPECT_EQ(v.as<std::string>(), std::string("a\0b", 3));
    EXPECT_EQ(v.as<std::string_view>().size(), 3u);
    EXPECT_NE(Value(Bytes("ab")), Value("ab"));   // bytes are not text
}

TEST(Value, AsIntegerWithRangeChecks) {
    EXPECT_EQ(Value(5u).as<std::int64_t>(), 5);
    EXPECT_EQ(Value(-5).as<int>(), -5);
    EXPECT_EQ(Value(200).as<std::uint8_t>(), 200);
    EXPECT_EQ(Value(true).as<int>(), 1);
    EXPECT_THROW((void)Value(300).as<std::uint8_t>(), DataError);
    EXPECT_THROW((void)Value(-1).as<std::uint64_t>(), DataError);
    EXPECT_THROW((void)Value(std::numeric_limits<std::uint64_t>::max()).as<std::int64_t>(), DataError);
    EXPECT_EQ(Value(std::numeric_limits<std::uint64_t>::max()).as<std::uint64_t>(),
              std::numeric_limits<std::uint64_t>::max());
}

TEST(Value, AsWrongKindThrowsInterfaceError) {
    EXPECT_THROW((void)Value("5").as<int>(), InterfaceError);
    EXPECT_THROW((void)Value(1.5).as<int>(), InterfaceError);
    EXPECT_THROW((void)Value().as<int>(), InterfaceError);
    EXPECT_THROW((void)Value(5).as<std::string>(), InterfaceError);
    EXPECT_THROW((void)Value(5).as<Date>(), InterfaceError);
    EXPECT_THROW((void)Value("x").as<double>(), InterfaceError);
    try {
        (void)Value().as<int>();
        FAIL() << "no exception";
    } catch (const InterfaceError& e) {
        EXPECT_NE(std::string(e.what()).find("null"), std::string::npos) << e.what();
    }
}

TEST(Value, AsFloatingFromNumbersAndDecimal) {
    EXPECT_DOUBLE_EQ(Value(5).as<double>(), 5.0);
    EXPECT_DOUBLE_EQ(Value(5u).as<double>(), 5.0);
    EXPECT_DOUBLE_EQ(Value(1.5f).as<double>(), 1.5);
    EXPECT_FLOAT_EQ(Value(2.25).as<float>(), 2.25f);
    EXPECT_DOUBLE_EQ(Value(Decimal("-12.50")).as<double>(), -12.5);
}

TEST(Value, AsStringsAndViews) {
    Value t("héllo");
    EXPECT_EQ(t.as<std::string>(), "héllo");
    EXPECT_EQ(t.as<std::string_view>(), "héllo");
    EXPECT_EQ(t.as<std::string_view>().data(), t.get_if<std::string>()->data());   // a view, no copy
    EXPECT_EQ(Value(Decimal("1.50")).as<std::string>(), "1.50");
}

TEST(Value, AsOptional) {
    EXPECT_EQ(Value().as<std::optional<int>>(), std::nullopt);
    EXPECT_EQ(Value(7).as<std::optional<int>>(), 7);
    EXPECT_EQ(Value("a").as<std::optional<std::string>>(), "a");
}

TEST(Value, AsTemporalAndList) {
    EXPECT_EQ(Value(Date{2024, 2, 29}).as<Date>(), (Date{2024, 2, 29}));
    EXPECT_EQ(Value(Time(-90s)).as<std::chrono::microseconds>(), -90s);
    EXPECT_EQ(Value(Value::List{1, 2}).as<Value::List>().size(), 2u);
    EXPECT_EQ(Value(5).as<bool>(), true);
    EXPECT_EQ(Value(0u).as<bool>(), false);
}

TEST(Value, GetIfIsExact) {
    Value v(5);
    ASSERT_NE(v.get_if<std::int64_t>(), nullptr);
    EXPECT_EQ(v.get_if<std::uint64_t>(), nullptr);
    EXPECT_EQ(v.get_if<std::string>(), nullptr);
    *v.get_if<std::int64_t>() = 6;
    EXPECT_EQ(v.as<int>(), 6);
}

TEST(Value, NumbersCompareAcrossKinds) {
    EXPECT_EQ(Value(5), Value(5u));
    EXPECT_EQ(Value(5), Value(5.0));
    EXPECT_EQ(Value(5u), Value(5.0f));
    EXPECT_EQ(Value(true), Value(1));
    EXPECT_NE(Value(-1), Value(std::numeric_limits<std::uint64_t>::max()));
    EXPECT_NE(Value(5), Value(5.5));
    EXPECT_NE(Value(std::numeric_limits<std::int64_t>::max()), Value(9223372036854775808.0));
    EXPECT_EQ(Value(std::numeric_limits<std::uint64_t>::max() - 2047), Value(18446744073709549568.0));
    EXPECT_NE(Value(std::nan("")), Value(std::nan("")));
}

TEST(Value, NonNumbersCompareWithinKind) {
    EXPECT_EQ(Value(), Value(nullptr));
    EXPECT_NE(Value(), Value(0));
    EXPECT_EQ(Value("a"), Value(std::string("a")));
    EXPECT_NE(Value("5"), Value(5));
    EXPECT_EQ(Value(Decimal("01.50")), Value(Decimal("1.50")));
    EXPECT_NE(Value(Decimal("1.5")), Value(Decimal("1.50")));
    EXPECT_EQ(Value(Value::List{1, "a"}), Value(Value::List{1u, "a"}));
    EXPECT_NE(Value(Value::List{1}), Value(Value::List{1, 2}));
}

TEST(Value, ToStringForDisplay) {
    EXPECT_EQ(Value().to_string(), "NULL");
    EXPECT_EQ(Value(true).to_string(), "true");
    EXPECT_EQ(Value(-42).to_string(), "-42");
    EXPECT_EQ(Value(18446744073709551615u).to_string(), "18446744073709551615");
    EXPECT_EQ(Value(0.1).to_string(), "0.1");
    EXPECT_EQ(Value(0.1f).to_string(), "0.1");
    EXPECT_EQ(Value("it's").to_string(), "it's");
    EXPECT_EQ(Value(DateTime{2024, 1, 2, 3, 4, 5, 6}).to_string(), "2024-01-02 03:04:05.000006");
    EXPECT_EQ(Value(Value::List{1, "a", Value()}).to_string(), "(1, a, NULL)");
    std::ostringstream os;
    os << Value(5);
    EXPECT_EQ(os.str(), "int64(5)");
}

TEST(Value, SmallAndNoHeapForScalars) {
    static_assert(sizeof(Value) <= 48);
    EXPECT_LE(sizeof(Value), 48u);
}

TEST(Decimal, ValidatesAndCanonicalises) {
    EXPECT_EQ(Decimal("123.45").str(), "123.45");
    EXPECT_EQ(Decimal("+007.50").str(), "7.50");
    EXPECT_EQ(Decimal("-0.01").str(), "-0.01");
    EXPECT_EQ(Decimal(".5").str(), "0.5");
    EXPECT_EQ(Decimal("5.").str(), "5");
    EXPECT_EQ(Decimal("1e5").str(), "1E5");
    EXPECT_EQ(Decimal("1.5E-007").str(), "1.5E-7");
    EXPECT_EQ(Decimal("2e+00").str(), "2");
    EXPECT_EQ(Decimal().str(), "0");
    // What a server sends is kept as it is (the fast path); the rest is canonicalised.
    EXPECT_EQ(Decimal("0.00").str(), "0.00");
    EXPECT_EQ(Decimal("-12345678.90").str(), "-12345678.90");
    EXPECT_EQ(Decimal("-00.5").str(), "-0.5");
    EXPECT_EQ(Decimal("10").str(), "10");
    for (const char* bad : {"", "-", ".", "e5", "1e", "1.2.3", "NaN", "inf", "1 ", " 1", "1;DROP TABLE t", "0x10",
                            "1e+"}) {
        EXPECT_FALSE(Decimal::parse(bad).has_value()) << bad;
        EXPECT_THROW(Decimal{bad}, DataError) << bad;
    }
}

TEST(Decimal, ToDouble) {
    EXPECT_DOUBLE_EQ(Decimal("3.25").to_double(), 3.25);
    EXPECT_DOUBLE_EQ(Decimal("-1E3").to_double(), -1000.0);
    EXPECT_TRUE(std::isinf(Decimal("1E999").to_double()));
    EXPECT_EQ(Decimal("1E-999").to_double(), 0.0);
}

namespace {
template <class V>
constexpr bool view_allowed = requires(V&& v) { std::forward<V>(v).template as<std::string_view>(); };
}  // namespace

TEST(Value, StringViewOfATemporaryIsRefused) {
    static_assert(view_allowed<const Value&>);
    EXPECT_EQ(Value("tmp").as<std::string>(), "tmp");   // other targets work on temporaries
    EXPECT_EQ(Value(3).as<int>(), 3);
}
