// SPDX-License-Identifier: MIT
// Escaping of hostile strings in both modes, the safe-charset rule, and Value -> SQL literal.
#include "values/escape.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace uvmysql;
using namespace uvmysql::detail;
using namespace std::chrono_literals;

namespace {
std::string lit(const Value& v, bool nbe = false) {
    std::string out;
    const Status st = literal(v, EscapeOptions{nbe}, out);
    EXPECT_TRUE(st.ok()) << st.message;
    return out;
}
Status lit_error(const Value& v) {
    std::string out;
    return literal(v, EscapeOptions{}, out);
}
}  // namespace

TEST(EscapeString, BackslashModeEscapesTheSevenBytes) {
    EXPECT_EQ(escape_string("plain text", false), "plain text");
    EXPECT_EQ(escape_string("it's", false), "it\\'s");
    EXPECT_EQ(escape_string("say \"hi\"", false), "say \\\"hi\\\"");
    EXPECT_EQ(escape_string("back\\slash", false), "back\\\\slash");
    EXPECT_EQ(escape_string("a\nb\rc", false), "a\\nb\\rc");
    EXPECT_EQ(escape_string(std::string_view("nul\0end", 7), false), "nul\\0end");
    EXPECT_EQ(escape_string("ctrl\x1az", false), "ctrl\\Zz");
    EXPECT_EQ(escape_string("\t%_", false), "\t%_");   // LIKE wildcards and tabs are not escaped
}

TEST(EscapeString, NoBackslashModeOnlyDoublesQuotes) {
    EXPECT_EQ(escape_string("it's", true), "it''s");
    EXPECT_EQ(escape_string("''", true), "''''");
    EXPECT_EQ(escape_string("back\\slash \"q\"", true), "back\\slash \"q\"");
    EXPECT_EQ(escape_string(std::string_view("a\0b\n", 4), true), std::string("a\0b\n", 4));
}

TEST(EscapeString, HostileStringsStayInsideTheLiteral) {
    // Classic injections: after escaping, no unescaped quote can close the literal.
    const std::string attacks[] = {"' OR '1'='1", "\\' OR 1=1 -- ", "\\", "'; DROP TABLE users; --",
                                   "\\\\'", std::string("\0'", 2), "\x1a'", "\"'\\"};
    for (const auto& a : attacks) {
        for (bool nbe : {false, true}) {
            const std::string e = escape_string(a, nbe);
            // Walk the escaped text as the server's lexer would; it must never see a closing quote.
            for (std::size_t i = 0; i < e.size(); ++i) {
                if (!nbe && e[i] == '\\') {
                    ++i;   // the escaped character
                } else if (e[i] == '\'') {
                    ASSERT_LT(i + 1, e.size()) << a;
                    ASSERT_EQ(e[i + 1], '\'') << a;   // only a doubled quote (no-backslash mode)
                    ASSERT_TRUE(nbe) << a;
                    ++i;
                }
            }
        }
    }
}

TEST(EscapeString, MultibyteUtf8IsUntouched) {
    const std::string s = "h\xc3\xa9llo \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80";   // héllo 中文 😀
    EXPECT_EQ(escape_string(s, false), s);
    EXPECT_EQ(escape_string(s, true), s);
    EXPECT_EQ(escape_string("\xf0\x9f\x98\x80'", false), "\xf0\x9f\x98\x80\\'");
}

TEST(CharsetIsEscapeSafe, AllowsUtf8AndSingleByteOnly) {
    for (const char* ok : {"utf8mb4", "UTF8MB4", "utf8mb3", "utf8", "latin1", "ascii", "binary", "cp1251"}) {
        EXPECT_TRUE(charset_is_escape_safe(ok)) << ok;
    }
    for (const char* bad : {"gbk", "sjis", "big5", "cp932", "gb18030", "GBK", "", "utf16", "ucs2",
                            "utf8mb4_general_ci", "a-very-long-charset-name"}) {
        EXPECT_FALSE(charset_is_escape_safe(bad)) << bad;
    }
}

TEST(Identifier, QuotedWithBackticksDoubled) {
    auto quoted = [](std::string_view name) {
        std::string out;
        EXPECT_TRUE(append_identifier(name, out).ok()) << name;
        return out;
    };
    EXPECT_EQ(quoted("foo.bar"), "`foo.bar`");
    EXPECT_EQ(quoted("a`b"), "`a``b`");
    EXPECT_EQ(quoted("x`(); DROP TABLE t; --"), "`x``(); DROP TABLE t; --`");
    EXPECT_EQ(quoted("\\'\""), "`\\'\"`");   // backslashes and quotes mean nothing between backticks
    std::string out;
    const Status empty = append_identifier("", out);
    EXPECT_FALSE(empty.ok());
    EXPECT_EQ(empty.client_kind, ClientKind::programming);
    EXPECT_FALSE(append_identifier(std::string_view("a\0b", 3), out).ok());
}

TEST(Literal, ScalarsAndStrings) {
    EXPECT_EQ(lit(Value()), "NULL");
    EXPECT_EQ(lit(true), "1");
    EXPECT_EQ(lit(false), "0");
    EXPECT_EQ(lit(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
    EXPECT_EQ(lit(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615");
    EXPECT_EQ(lit("it's"), "'it\\'s'");
    EXPECT_EQ(lit("it's", true), "'it''s'");
    EXPECT_EQ(lit(""), "''");
    EXPECT_EQ(lit(Bytes("a\0'b")), std::string("_binary'a\\0\\'b'"));
    EXPECT_EQ(lit(Bytes("a\0'b"), true), std::string("_binary'a\0''b'", 14));
}

TEST(Literal, FloatsUseShortestRoundTripWithExponent) {
    EXPECT_EQ(lit(0.1), "0.1e0");
    EXPECT_EQ(lit(1.0), "1e0");
    EXPECT_EQ(lit(-2.5), "-2.5e0");
    EXPECT_EQ(lit(1e300), "1e+300");
    EXPECT_EQ(lit(5e-324), "5e-324");
    EXPECT_EQ(lit(0.1f), "0.1e0");
    EXPECT_EQ(lit(3.4028235e38f), "3.4028235e+38");
}

TEST(Literal, NanAndInfinityAreRejected) {
    for (const Value& v : {Value(std::nan("")), Value(HUGE_VAL), Value(-HUGE_VAL),
                           Value(std::numeric_limits<float>::infinity())}) {
        const Status st = lit_error(v);
        EXPECT_FALSE(st.ok());
        EXPECT_EQ(st.client_kind, ClientKind::programming);
        EXPECT_NE(st.message.find("can not be used with MySQL"), std::string::npos) << st.message;
    }
    EXPECT_FALSE(lit_error(Value::List{1, std::nan("")}).ok());
}

TEST(Literal, DecimalsAreRawAfterValidation) {
    EXPECT_EQ(lit(Decimal("-12.50")), "-12.50");
    EXPECT_EQ(lit(Decimal("1e-5")), "1E-5");
}

TEST(Literal, TemporalValuesAreQuoted) {
    EXPECT_EQ(lit(Date{2024, 1, 2}), "'2024-01-02'");
    EXPECT_EQ(lit(DateTime{2024, 1, 2, 3, 4, 5, 0}), "'2024-01-02 03:04:05'");
    EXPECT_EQ(lit(DateTime{2024, 1, 2, 3, 4, 5, 6}), "'2024-01-02 03:04:05.000006'");
    EXPECT_EQ(lit(Time(-(25h + 6min + 17s + 5us))), "'-25:06:17.000005'");
    EXPECT_EQ(lit(Time(3s)), "'00:00:03'");
    const Status st = lit_error(DateTime{2024, 1, 2, 3, 4, 5, 1000000});
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::programming);
}

TEST(Literal, ListsExpand) {
    EXPECT_EQ(lit(Value::List{1, "a'b", Value(), 2.5}), "(1,'a\\'b',NULL,2.5e0)");
    EXPECT_EQ(lit(Value::List{Value::List{1, 2}, 3}), "((1,2),3)");
    EXPECT_EQ(lit(Value::List{}), "()");
}

TEST(Literal, AppendsWithoutClearing) {
    std::string out = "x=";
    ASSERT_TRUE(append_literal(Value(5), EscapeOptions{}, out).ok());
    EXPECT_EQ(out, "x=5");
}
