// SPDX-License-Identifier: MIT
// Binary result rows: the split (header, NULL bitmap, every wire layout) and malformed rows.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "binary_builder.hpp"
#include "hex.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/binary_row_decoder.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload

using Fields = std::vector<FieldView>;

Status split(const ByteVec& payload, const std::vector<ColumnInfo>& cols, Fields& out) {
    out.assign(cols.size(), FieldView{});
    return parse_binary_row(Bytes(payload), cols, out);
}

ByteVec field_bytes(const FieldView& f) { return {f.data, f.data + f.size}; }

// One column of every wire layout, with a value each.
const std::vector<ColumnInfo> every_layout = {
    column(FieldType::tiny),      column(FieldType::short_),   column(FieldType::int24),
    column(FieldType::long_),     column(FieldType::longlong), column(FieldType::float_),
    column(FieldType::double_),   column(FieldType::date),     column(FieldType::datetime),
    column(FieldType::timestamp), column(FieldType::time),     column(FieldType::var_string),
    column(FieldType::year),      column(FieldType::newdecimal),
};
const ByteVec every_layout_row = binary_row({
    hex("7f"), hex("ff7f"), hex("ffff7f00"), hex("ffffff7f"), hex("ffffffffffffff7f"), hex("0000803f"),
    hex("000000000000f03f"), hex("04 e807 02 1d"), hex("07 e807 0c 1f 17 3b 3b"),
    hex("0b e807 0c 1f 17 3b 3b 3f420f00"), hex("0c 01 22000000 16 3b 3b 3f420f00"), hex("03 616263"),
    hex("e807"), hex("05 2d312e3530"),
});

TEST(BinaryRow, SplitsEveryLayout) {
    for_each_split(every_layout_row, [](Bytes p) {
        Fields f(every_layout.size());
        ASSERT_TRUE(parse_binary_row(p, every_layout, f).ok());
        const std::vector<ByteVec> want = {
            hex("7f"), hex("ff7f"), hex("ffff7f00"), hex("ffffff7f"), hex("ffffffffffffff7f"), hex("0000803f"),
            hex("000000000000f03f"), hex("e807 02 1d"), hex("e807 0c 1f 17 3b 3b"),
            hex("e807 0c 1f 17 3b 3b 3f420f00"), hex("01 22000000 16 3b 3b 3f420f00"), hex("616263"),
            hex("e807"), hex("2d312e3530"),
        };
        for (std::size_t i = 0; i < want.size(); ++i) {
            EXPECT_FALSE(f[i].is_null) << i;
            EXPECT_EQ(field_bytes(f[i]), want[i]) << i;
        }
    });
}

TEST(BinaryRow, EveryTruncationFails) {
    expect_every_truncation_fails(every_layout_row, [](Bytes p) {
        Fields f(every_layout.size());
        return parse_binary_row(p, every_layout, f);
    });
}

TEST(BinaryRow, TrailingBytesFail) {
    ByteVec longer = every_layout_row;
    longer.push_back(0);
    Fields f;
    EXPECT_FALSE(split(longer, every_layout, f).ok());
}

TEST(BinaryRow, WrongHeaderFails) {
    ByteVec p = every_layout_row;
    p[0] = 0x01;
    Fields f;
    const Status st = split(p, every_layout, f);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.errno_code, cr::malformed_packet);
}

TEST(BinaryRow, TemporalLengthsOtherThanTheProtocolsFail) {
    for (int n = 0; n < 16; ++n) {
        const bool date_ok = n == 0 || n == 4 || n == 7 || n == 11;
        const bool time_ok = n == 0 || n == 8 || n == 12;
        ByteVec value(1, static_cast<std::uint8_t>(n));
        value.resize(1 + static_cast<std::size_t>(n), 1);
        Fields f;
        EXPECT_EQ(split(binary_row({value}), {column(FieldType::datetime)}, f).ok(), date_ok) << n;
        EXPECT_EQ(split(binary_row({value}), {column(FieldType::date)}, f).ok(), date_ok) << n;
        EXPECT_EQ(split(binary_row({value}), {column(FieldType::time)}, f).ok(), time_ok) << n;
    }
}

TEST(BinaryRow, NullBitmapHasAnOffsetOfTwo) {
    // One column: bit 2 of the single bitmap byte.
    Fields f;
    ASSERT_TRUE(split(hex("00 04"), {column(FieldType::long_)}, f).ok());
    EXPECT_TRUE(f[0].is_null);
    // Bits 0 and 1 are not columns: set, they change nothing.
    const ByteVec row = hex("00 03 2a000000");   // outlives the views into it
    ASSERT_TRUE(split(row, {column(FieldType::long_)}, f).ok());
    EXPECT_FALSE(f[0].is_null);
    EXPECT_EQ(field_bytes(f[0]), hex("2a000000"));
}

TEST(BinaryRow, NullBitmapAtEveryWidth) {
    for (const std::size_t n : {1u, 6u, 7u, 8u, 9u, 14u, 15u, 16u, 63u, 64u, 65u}) {
        SCOPED_TRACE(n);
        std::vector<ColumnInfo> cols(n, column(FieldType::tiny));
        std::vector<std::optional<ByteVec>> values;
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 3 == 1) {
                values.emplace_back(std::nullopt);
            } else {
                values.emplace_back(ByteVec{static_cast<std::uint8_t>(i)});
            }
        }
        const ByteVec row = binary_row(values);
        ASSERT_EQ(row.size(), 1 + binary_row_null_bitmap_size(n) + n - n / 3 - (n % 3 == 2 ? 1 : 0));
        Fields f;
        ASSERT_TRUE(split(row, cols, f).ok());
        for (std::size_t i = 0; i < n; ++i) {
            EXPECT_EQ(f[i].is_null, i % 3 == 1) << i;
            if (!f[i].is_null) {
                EXPECT_EQ(field_bytes(f[i]), ByteVec{static_cast<std::uint8_t>(i)}) << i;
            }
        }
        // All NULL, then none.
        std::vector<std::optional<ByteVec>> nulls(n);
        ASSERT_TRUE(split(binary_row(nulls), cols, f).ok());
        for (const FieldView& x : f) EXPECT_TRUE(x.is_null);
        expect_every_truncation_fails(row, [&](Bytes p) {
            Fields g(n);
            return parse_binary_row(p, cols, g);
        });
    }
}

TEST(BinaryRow, BitmapSizes) {
    EXPECT_EQ(binary_row_null_bitmap_size(0), 1u);
    EXPECT_EQ(binary_row_null_bitmap_size(1), 1u);
    EXPECT_EQ(binary_row_null_bitmap_size(6), 1u);
    EXPECT_EQ(binary_row_null_bitmap_size(7), 2u);
    EXPECT_EQ(binary_row_null_bitmap_size(14), 2u);
    EXPECT_EQ(binary_row_null_bitmap_size(15), 3u);
    EXPECT_EQ(binary_row_null_bitmap_size(64), 9u);
}

TEST(BinaryRow, LenencLengthBeyondThePayloadFails) {
    Fields f;
    EXPECT_FALSE(split(hex("00 00 05 6162"), {column(FieldType::var_string)}, f).ok());
    EXPECT_FALSE(split(hex("00 00 fc ffff 61"), {column(FieldType::blob)}, f).ok());
    EXPECT_FALSE(split(hex("00 00 fb"), {column(FieldType::blob)}, f).ok());   // 0xFB is no length here
    EXPECT_FALSE(split(hex("00 00 ff"), {column(FieldType::blob)}, f).ok());
}

TEST(BinaryRow, NullTypeColumnTakesNoBytes) {
    Fields f;
    ASSERT_TRUE(split(hex("00 04"), {column(FieldType::null)}, f).ok());
    EXPECT_TRUE(f[0].is_null);
    ASSERT_TRUE(split(hex("00 00"), {column(FieldType::null)}, f).ok());
    EXPECT_EQ(f[0].size, 0u);
}

TEST(BinaryRow, UnknownTypesAreLenencStrings) {
    Fields f;
    const ByteVec row = hex("00 00 02 0102");
    ASSERT_TRUE(split(row, {column(static_cast<FieldType>(242))}, f).ok());   // MySQL 9 VECTOR
    EXPECT_EQ(field_bytes(f[0]), hex("0102"));
}

TEST(BinaryRow, FieldCountMustMatchColumns) {
    std::vector<FieldView> f(2);
    EXPECT_FALSE(parse_binary_row(hex("00 00 01"), std::vector<ColumnInfo>{column(FieldType::tiny)}, f).ok());
}

TEST(BinaryRowDecoder, DecodesAWholeRow) {
    auto cols = std::make_shared<const std::vector<ColumnInfo>>(every_layout);
    BinaryRowDecoder d;
    d.reset(true, nullptr, cols);
    std::vector<Value> out;
    Status field_error;
    for_each_split(every_layout_row, [&](Bytes p) {
        ASSERT_TRUE(d.decode_row(p, out, field_error).ok());
        ASSERT_TRUE(field_error.ok());
        ASSERT_EQ(out.size(), every_layout.size());
        EXPECT_EQ(out[0], Value(127));
        EXPECT_EQ(out[1], Value(32767));
        EXPECT_EQ(out[2], Value(8388607));
        EXPECT_EQ(out[3], Value(2147483647));
        EXPECT_EQ(out[4], Value(INT64_MAX));
        EXPECT_EQ(out[5], Value(1.0));
        EXPECT_EQ(out[6], Value(1.0));
        EXPECT_EQ(out[7], Value(Date{2024, 2, 29}));
        EXPECT_EQ(out[8], Value(DateTime{2024, 12, 31, 23, 59, 59, 0}));
        EXPECT_EQ(out[9], Value(DateTime{2024, 12, 31, 23, 59, 59, 999999}));
        EXPECT_EQ(out[10], Value(Time::from_parts(true, 838, 59, 59, 999999)));
        EXPECT_EQ(out[11], Value("abc"));
        EXPECT_EQ(out[12], Value(2024));
        EXPECT_EQ(out[13], Value(Decimal("-1.50")));
    });
    EXPECT_FALSE(d.decode_row(hex("00 00"), out, field_error).ok());
}

TEST(BinaryRowDecoder, AFieldThatDoesNotDecodeIsNullAndReported) {
    auto cols = std::make_shared<const std::vector<ColumnInfo>>(
        std::vector<ColumnInfo>{column(FieldType::newdecimal), column(FieldType::tiny)});
    BinaryRowDecoder d;
    d.reset(true, nullptr, cols);
    std::vector<Value> out;
    Status field_error;
    ASSERT_TRUE(d.decode_row(binary_row({hex("03 78797a"), hex("05")}), out, field_error).ok());
    ASSERT_FALSE(field_error.ok());
    EXPECT_EQ(field_error.client_kind, ClientKind::data);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_TRUE(out[0].is_null());
    EXPECT_EQ(out[1], Value(5));
}

TEST(BinaryRowDecoder, ConvertersGetTheTextProtocolsText) {
    Converters conv;
    std::vector<std::string> seen;
    const auto record = [&](const ColumnInfo&, std::string_view s) {
        seen.emplace_back(s);
        return Value(s);
    };
    conv.set(FieldType::datetime, record).set(FieldType::long_, record).set(FieldType::time, record);
    conv.set(FieldType::float_, record).set(FieldType::date, record).set(FieldType::year, record);
    auto cols = std::make_shared<const std::vector<ColumnInfo>>(std::vector<ColumnInfo>{
        column(FieldType::datetime, 0, binary_collation, 3), column(FieldType::long_),
        column(FieldType::time, 0, binary_collation, 2), column(FieldType::float_, 0, binary_collation, 31),
        column(FieldType::date), column(FieldType::datetime, 0, binary_collation, 3),
        column(FieldType::long_, column_flag::unsigned_ | column_flag::zerofill, binary_collation, 0, 5),
        column(FieldType::year, column_flag::unsigned_ | column_flag::zerofill, binary_collation, 0, 4)});
    BinaryRowDecoder d;
    d.reset(true, &conv, cols);
    std::vector<Value> out;
    Status field_error;
    ASSERT_TRUE(d.decode_row(binary_row({hex("0b e807 01 02 03 04 05 20a10700"), hex("d6ffffff"),
                                         hex("0c 01 01000000 01 00 00 20a10700"), hex("d00f4940"), hex("00"),
                                         hex("00"), hex("2a000000"), hex("0000")}),
                             out, field_error)
                    .ok());
    ASSERT_TRUE(field_error.ok());
    EXPECT_EQ(seen, (std::vector<std::string>{"2024-01-02 03:04:05.500", "-42", "-25:00:00.50", "3.14159",
                                              "0000-00-00", "0000-00-00 00:00:00.000", "00042", "0000"}));
}

}  // namespace
}  // namespace uvmysql::test
