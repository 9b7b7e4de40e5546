// SPDX-License-Identifier: MIT
// The charset table: collation ids the handshake announces, escape-safety and encoding names.
#include "values/charset_table.hpp"

#include <gtest/gtest.h>

namespace uvmysql::test {
namespace {

using detail::collation_for_charset;
using detail::find_charset;

TEST(CharsetTable, CollationsOfTheCharsetsUvmysqlConnectsWith) {
    EXPECT_EQ(collation_for_charset("utf8mb4"), 45);
    EXPECT_EQ(collation_for_charset("UTF8MB4"), 45);
    EXPECT_EQ(collation_for_charset("utf8mb3"), 33);
    EXPECT_EQ(collation_for_charset("utf8"), 33);
    EXPECT_EQ(collation_for_charset("latin1"), 8);
    EXPECT_EQ(collation_for_charset("ascii"), 11);
    EXPECT_EQ(collation_for_charset("binary"), 63);
    for (const char* other : {"gbk", "sjis", "cp1251", "latin2", "", "utf16", "nonsense"}) {
        EXPECT_EQ(collation_for_charset(other), 0) << other;
    }
}

TEST(CharsetTable, EncodingNamesAsPyMySqlReportsThem) {
    EXPECT_EQ(find_charset("utf8mb4")->encoding, "utf8");
    EXPECT_EQ(find_charset("utf8mb3")->encoding, "utf8");
    EXPECT_EQ(find_charset("latin1")->encoding, "cp1252");
    EXPECT_EQ(find_charset("ascii")->encoding, "ascii");
    EXPECT_EQ(find_charset("no-such-charset"), nullptr);
}

TEST(CharsetTable, MultibyteSetsThatCanHoldABackslashAreNotEscapeSafe) {
    for (const char* bad : {"big5", "cp932", "gbk", "gb18030", "sjis"}) {
        ASSERT_NE(find_charset(bad), nullptr) << bad;
        EXPECT_FALSE(find_charset(bad)->escape_safe) << bad;
    }
    EXPECT_TRUE(find_charset("koi8r")->escape_safe);
}

}  // namespace
}  // namespace uvmysql::test
