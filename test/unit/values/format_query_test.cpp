// SPDX-License-Identifier: MIT
// mogrify: %s, %(name)s, %%, lists, and the Python-worded errors for bad placeholders/arguments.
#include "values/format_query.hpp"

#include <gtest/gtest.h>

using namespace uvmysql;
using namespace uvmysql::detail;

namespace {
std::string fmt(std::string_view q, const Args& args, bool nbe = false) {
    std::string out;
    const Status st = format_query(q, args, EscapeOptions{nbe}, out);
    EXPECT_TRUE(st.ok()) << st.message;
    return out;
}
Status fmt_error(std::string_view q, const Args& args) {
    std::string out = "keep";
    const Status st = format_query(q, args, EscapeOptions{}, out);
    EXPECT_EQ(out, "keep");   // restored on error
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::programming);
    return st;
}
}  // namespace

TEST(FormatQuery, PositionalPlaceholders) {
    EXPECT_EQ(fmt("SELECT %s, %s", {5, "x"}), "SELECT 5, 'x'");
    EXPECT_EQ(fmt("INSERT INTO t VALUES (%s,%s,%s)", {Value(), 1.5, Bytes("b")}),
              "INSERT INTO t VALUES (NULL,1.5e0,_binary'b')");
    EXPECT_EQ(fmt("%s", {"it's"}, true), "'it''s'");
    EXPECT_EQ(fmt("SELECT %s%s", {1, 2}), "SELECT 12");
}

TEST(FormatQuery, NamedPlaceholders) {
    EXPECT_EQ(fmt("SELECT %(a)s + %(b)s", {{"a", 1}, {"b", 2}}), "SELECT 1 + 2");
    EXPECT_EQ(fmt("SELECT %(a)s, %(a)s", {{"a", "x"}}), "SELECT 'x', 'x'");
    EXPECT_EQ(fmt("SELECT %(a)s", {{"a", 1}, {"unused", 2}}), "SELECT 1");
    EXPECT_EQ(fmt("SELECT %(a)s", {{"a", 1}, {"a", 2}}), "SELECT 2");   // last duplicate wins
    EXPECT_EQ(fmt("SELECT %(weird name)s", {{"weird name", 1}}), "SELECT 1");
}

TEST(FormatQuery, PercentPercentIsAPercent) {
    EXPECT_EQ(fmt("SELECT 10 %% 3, %s LIKE 'a%%'", {"b"}), "SELECT 10 % 3, 'b' LIKE 'a%'");
    EXPECT_EQ(fmt("SELECT %(x)s %% 2", {{"x", 7}}), "SELECT 7 % 2");
}

TEST(FormatQuery, NoArgumentsSendsTheQueryAsIs) {
    EXPECT_EQ(fmt("SELECT '100%' LIKE '%s'", {}), "SELECT '100%' LIKE '%s'");
    EXPECT_EQ(fmt("SELECT 1", Args()), "SELECT 1");
    // But an empty positional list is processed, as PyMySQL does for args=().
    std::string out;
    EXPECT_TRUE(format_query("SELECT 10 %% 3", Params{}, EscapeOptions{}, out).ok());
    EXPECT_EQ(out, "SELECT 10 % 3");
}

TEST(FormatQuery, ListsExpandToTuples) {
    EXPECT_EQ(fmt("SELECT * FROM t WHERE id IN %s", {Value::List{1, 2, 3}}), "SELECT * FROM t WHERE id IN (1,2,3)");
    EXPECT_EQ(fmt("WHERE name IN %(n)s", {{"n", Value::List{"a", "b'"}}}), "WHERE name IN ('a','b\\'')");
}

TEST(FormatQuery, ValuesCannotInjectPlaceholders) {
    // A parameter containing %s is data, never re-scanned.
    EXPECT_EQ(fmt("SELECT %s, %s", {"%s", "%(a)s"}), "SELECT '%s', '%(a)s'");
}

TEST(FormatQuery, TooFewArguments) {
    EXPECT_EQ(fmt_error("SELECT %s, %s", {1}).message, "not enough arguments for format string");
    EXPECT_EQ(fmt_error("SELECT %s", Params{}).message, "not enough arguments for format string");
}

TEST(FormatQuery, TooManyArguments) {
    EXPECT_EQ(fmt_error("SELECT %s", {1, 2}).message, "not all arguments converted during string formatting");
    EXPECT_EQ(fmt_error("SELECT 1", {1}).message, "not all arguments converted during string formatting");
}

TEST(FormatQuery, UnknownName) {
    EXPECT_EQ(fmt_error("SELECT %(b)s", {{"a", 1}}).message, "no value for named parameter 'b'");
}

TEST(FormatQuery, MixingStylesIsRefused) {
    EXPECT_EQ(fmt_error("SELECT %(a)s", {1}).message, "format requires a mapping");
    EXPECT_EQ(fmt_error("SELECT %s", {{"a", 1}}).message,
              "positional placeholder %s at index 7 but named arguments were given");
}

TEST(FormatQuery, StrayPercent) {
    EXPECT_EQ(fmt_error("SELECT %d", {1}).message, "unsupported format character 'd' (0x64) at index 8");
    EXPECT_EQ(fmt_error("SELECT 5 % 2", {1}).message, "unsupported format character ' ' (0x20) at index 10");
    EXPECT_EQ(fmt_error("SELECT %s %", {1}).message, "incomplete format");
    EXPECT_EQ(fmt_error("SELECT %(a", {{"a", 1}}).message, "incomplete format key");
    EXPECT_EQ(fmt_error("SELECT %(a)d", {{"a", 1}}).message, "unsupported format character 'd' (0x64) at index 11");
    EXPECT_EQ(fmt_error("SELECT %(a)", {{"a", 1}}).message, "incomplete format");
}

TEST(FormatQuery, LiteralErrorsPropagate) {
    EXPECT_NE(fmt_error("SELECT %s", {std::numeric_limits<double>::quiet_NaN()}).message.find("nan"),
              std::string::npos);
}

TEST(FormatQuery, AppendsToExistingOutput) {
    std::string out = "/* c */ ";
    ASSERT_TRUE(format_query("SELECT %s", Params{1}, EscapeOptions{}, out).ok());
    EXPECT_EQ(out, "/* c */ SELECT 1");
}
