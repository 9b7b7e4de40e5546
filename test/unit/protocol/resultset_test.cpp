// SPDX-License-Identifier: MIT
// Tests of result-set pieces: ColumnDefinition41, text rows, and the command payloads.
#include <gtest/gtest.h>

#include <array>

#include "hex.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/commands.hpp"
#include "protocol/text_row.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;

// `id` INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY of test.t (alias tt).
const ByteVec id_column = hex(
    "03 646566  04 74657374  02 7474  01 74  02 6964  02 6964"
    "0c 3f00 0a000000 03 2342 00 0000");

TEST(ColumnDefinition41, ParsesIntoColumnInfo) {
    for_each_split(id_column, [](Bytes p) {
        ColumnInfo c;
        ASSERT_TRUE(parse_column_definition41(p, c).ok());
        EXPECT_EQ(c.catalog, "def");
        EXPECT_EQ(c.schema, "test");
        EXPECT_EQ(c.table, "tt");
        EXPECT_EQ(c.org_table, "t");
        EXPECT_EQ(c.name, "id");
        EXPECT_EQ(c.org_name, "id");
        EXPECT_EQ(c.collation, binary_collation);
        EXPECT_EQ(c.length, 10u);
        EXPECT_EQ(c.type, FieldType::long_);
        EXPECT_EQ(c.flags, column_flag::not_null | column_flag::pri_key | column_flag::unsigned_ |
                               column_flag::auto_increment | 0x4000);
        EXPECT_TRUE(c.is_unsigned());
        EXPECT_FALSE(c.is_nullable());
        EXPECT_EQ(c.decimals, 0);
    });
}

TEST(ColumnDefinition41, EveryTruncationFails) {
    expect_every_truncation_fails(id_column, [](Bytes p) {
        ColumnInfo c;
        return parse_column_definition41(p, c);
    });
}

TEST(ColumnDefinition41, ChecksFixedLengthBlock) {
    ByteVec bad = id_column;
    bad[bad.size() - 13] = 0x0b;
    ColumnInfo c;
    EXPECT_EQ(parse_column_definition41(bad, c).errno_code, cr::malformed_packet);
}

TEST(ColumnDefinition41, KeepsUnknownTypeCodesAndIgnoresTrailer) {
    ByteVec p = id_column;
    p[p.size() - 6] = 242;  // MySQL 9 VECTOR
    p.insert(p.end(), {0x01, 0x30});  // COM_FIELD_LIST default value
    ColumnInfo c;
    ASSERT_TRUE(parse_column_definition41(p, c).ok());
    EXPECT_EQ(static_cast<int>(c.type), 242);
}

TEST(TextRow, SplitsFieldsAndNulls) {
    const ByteVec row = concat({hex("01 31  fb  00  05"), bytes_of("hello"), hex("fc 2c01"), ByteVec(300, 'x')});
    for_each_split(row, [](Bytes p) {
        std::array<FieldView, 5> f;
        ASSERT_TRUE(parse_text_row(p, f).ok());
        EXPECT_FALSE(f[0].is_null);
        EXPECT_EQ(f[0].text(), "1");
        EXPECT_TRUE(f[1].is_null);
        EXPECT_FALSE(f[2].is_null);
        EXPECT_EQ(f[2].size, 0u);
        EXPECT_EQ(f[3].text(), "hello");
        EXPECT_EQ(f[4].size, 300u);
        EXPECT_EQ(f[4].bytes().data(), p.data() + p.size() - 300);
    });
}

TEST(TextRow, WrongFieldCountIsMalformed) {
    const ByteVec row = hex("01 31 fb 02 3233");
    std::array<FieldView, 2> fewer;
    EXPECT_EQ(parse_text_row(row, fewer).errno_code, cr::malformed_packet);
    std::array<FieldView, 4> more;
    EXPECT_EQ(parse_text_row(row, more).errno_code, cr::malformed_packet);
    std::array<FieldView, 3> exact;
    EXPECT_TRUE(parse_text_row(row, exact).ok());
}

TEST(TextRow, EveryTruncationFails) {
    const ByteVec row = hex("01 31 fb 02 3233 fc 0300 616263");
    expect_every_truncation_fails(row, [](Bytes p) {
        std::array<FieldView, 4> f;
        return parse_text_row(p, f);
    });
}

TEST(TextRow, LengthPastPayloadIsMalformed) {
    std::array<FieldView, 1> f;
    for (const char* bad : {"05 6162", "fe ffffffffffffffff 61", "ff", "fc ff"})
        EXPECT_EQ(parse_text_row(hex(bad), f).errno_code, cr::malformed_packet) << bad;
}

TEST(Commands, SerializePayloads) {
    ByteVec out;
    serialize_com_query(out, "SELECT 1");
    EXPECT_EQ(out, concat({hex("03"), bytes_of("SELECT 1")}));
    out.clear();
    serialize_com_init_db(out, "test");
    EXPECT_EQ(out, hex("02 74657374"));
    out.clear();
    serialize_com_ping(out);
    serialize_com_quit(out);
    serialize_com_reset_connection(out);
    serialize_com_statistics(out);
    serialize_com_set_option(out, set_option::multi_statements_off);
    EXPECT_EQ(out, hex("0e 01 1f 09 1b 0100"));
}

}  // namespace
}  // namespace uvmysql::test
