// SPDX-License-Identifier: MIT
// Binary parameters and COM_STMT_EXECUTE, plus the other prepared-statement command payloads.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "hex.hpp"
#include "protocol/binary_param.hpp"
#include "protocol/stmt_commands.hpp"
#include "protocol/stmt_execute.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload
using ByteVec = std::vector<std::uint8_t>;

// The type and value bytes one parameter is sent with.
struct Encoded {
    std::uint16_t type = 0;
    ByteVec bytes;
};

Encoded encode(const Value& v) {
    Encoded e;
    ParamType t;
    EXPECT_TRUE(binary_param_type(v, t).ok());
    e.type = t.wire();
    if (!v.is_null()) {
        EXPECT_TRUE(append_binary_param(e.bytes, v, t).ok());
    }
    return e;
}

void expect_encoding(const Value& v, std::uint16_t type, const ByteVec& bytes) {
    const Encoded e = encode(v);
    EXPECT_EQ(e.type, type) << v;
    EXPECT_EQ(e.bytes, bytes) << v;
}

TEST(BinaryParam, EveryValueKind) {
    expect_encoding(Value(), 0x0006, {});
    expect_encoding(Value(true), 0x0001, hex("01"));
    expect_encoding(Value(false), 0x0001, hex("00"));
    expect_encoding(Value(std::numeric_limits<std::int64_t>::min()), 0x0008, hex("0000000000000080"));
    expect_encoding(Value(std::numeric_limits<std::int64_t>::max()), 0x0008, hex("ffffffffffffff7f"));
    expect_encoding(Value(-1), 0x0008, hex("ffffffffffffffff"));
    expect_encoding(Value(std::numeric_limits<std::uint64_t>::max()), 0x8008, hex("ffffffffffffffff"));
    expect_encoding(Value(42u), 0x8008, hex("2a00000000000000"));
    expect_encoding(Value(0.1), 0x0005, hex("9a9999999999b93f"));
    // float goes as the double of its shortest digits: 1.1f is sent as 1.1.
    expect_encoding(Value(1.1f), 0x0005, hex("9a9999999999f13f"));
    expect_encoding(Value("abc"), 0x00fe, hex("03 616263"));
    expect_encoding(Value(""), 0x00fe, hex("00"));
    expect_encoding(Value(std::string(300, 'x')), 0x00fe, [] {
        ByteVec b = hex("fc 2c01");
        b.insert(b.end(), 300, 'x');
        return b;
    }());
    expect_encoding(Value(uvmysql::Bytes(std::string("\0\xff", 2))), 0x00fc, hex("02 00ff"));
    expect_encoding(Value(Decimal("-12.50")), 0x00f6, hex("06 2d31322e3530"));
    expect_encoding(Value(Date{2024, 2, 29}), 0x000a, hex("04 e807 02 1d"));
    expect_encoding(Value(Date{0, 0, 0}), 0x000a, hex("00"));
    expect_encoding(Value(DateTime{2024, 1, 2, 0, 0, 0, 0}), 0x000c, hex("04 e807 01 02"));
    expect_encoding(Value(DateTime{2024, 1, 2, 3, 4, 5, 0}), 0x000c, hex("07 e807 01 02 03 04 05"));
    expect_encoding(Value(DateTime{2024, 1, 2, 3, 4, 5, 123456}), 0x000c, hex("0b e807 01 02 03 04 05 40e20100"));
    expect_encoding(Value(DateTime{}), 0x000c, hex("00"));
    expect_encoding(Value(Time{}), 0x000b, hex("00"));
    expect_encoding(Value(Time::from_parts(true, 838, 59, 59, 0)), 0x000b, hex("08 01 22000000 16 3b 3b"));
    expect_encoding(Value(Time::from_parts(false, 838, 59, 59, 0)), 0x000b, hex("08 00 22000000 16 3b 3b"));
    expect_encoding(Value(Time::from_parts(true, 0, 0, 1, 500000)), 0x000b, hex("0c 01 00000000 00 00 01 20a10700"));
    expect_encoding(Value(std::chrono::hours(25)), 0x000b, hex("08 00 01000000 01 00 00"));
}

TEST(BinaryParam, TimeAtTheDurationLimits) {
    // INT64_MIN microseconds: its magnitude must not overflow, and its 106751991 days fit int<4>.
    const Encoded e = encode(Value(Time(std::chrono::microseconds(std::numeric_limits<std::int64_t>::min()))));
    ASSERT_EQ(e.bytes.size(), 13u);
    EXPECT_EQ(e.bytes[0], 12);
    EXPECT_EQ(e.bytes[1], 1);
}

TEST(BinaryParam, ValuesThatCannotBeEncoded) {
    ParamType t;
    EXPECT_FALSE(binary_param_type(Value(Value::List{1, 2}), t).ok());
    ByteVec out;
    EXPECT_FALSE(append_binary_param(out, Value(Date{70000, 1, 1}), {FieldType::date, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(Date{2024, 300, 1}), {FieldType::date, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(DateTime{2024, 1, 1, -1, 0, 0, 0}), {FieldType::datetime, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(DateTime{2024, 1, 1, 0, 0, 0, -5}), {FieldType::datetime, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(-1), {FieldType::longlong, true}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(std::numeric_limits<std::uint64_t>::max()), {FieldType::longlong, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(300), {FieldType::tiny, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value("x"), {FieldType::longlong, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(1), {FieldType::string, false}).ok());
    EXPECT_TRUE(out.empty());   // nothing appended by a failure
}

TEST(BinaryParam, IntegersInNarrowerTypes) {
    ByteVec out;
    ASSERT_TRUE(append_binary_param(out, Value(-128), {FieldType::tiny, false}).ok());
    ASSERT_TRUE(append_binary_param(out, Value(255), {FieldType::tiny, true}).ok());
    ASSERT_TRUE(append_binary_param(out, Value(-32768), {FieldType::short_, false}).ok());
    ASSERT_TRUE(append_binary_param(out, Value(4294967295u), {FieldType::long_, true}).ok());
    ASSERT_TRUE(append_binary_param(out, Value(true), {FieldType::longlong, false}).ok());
    EXPECT_EQ(out, hex("80 ff 0080 ffffffff 0100000000000000"));
    EXPECT_FALSE(append_binary_param(out, Value(-129), {FieldType::tiny, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(32768), {FieldType::short_, false}).ok());
    EXPECT_FALSE(append_binary_param(out, Value(4294967296u), {FieldType::long_, true}).ok());
}

ByteVec execute(const std::vector<Value>& params, std::uint8_t flags = cursor_type::no_cursor, bool send_types = true,
                std::vector<std::uint8_t> long_data = {}) {
    ByteVec out;
    StmtExecuteRequest req;
    req.statement_id = 0x01020304;
    req.flags = flags;
    req.params = params;
    req.long_data = long_data;
    req.send_types = send_types;
    const Status st = serialize_com_stmt_execute(out, req);
    EXPECT_TRUE(st.ok()) << st.message;
    return out;
}

TEST(StmtExecute, WithoutParameters) {
    EXPECT_EQ(execute({}), hex("17 04030201 00 01000000"));
    EXPECT_EQ(execute({}, cursor_type::read_only), hex("17 04030201 01 01000000"));
}

TEST(StmtExecute, Layout) {
    EXPECT_EQ(execute({Value(1), Value(), Value("ab")}),
              hex("17 04030201 00 01000000"
                  "02"                       // NULL bitmap: parameter 2
                  "01"                       // new-params-bound
                  "0800 0600 fe00"           // LONGLONG, NULL, STRING
                  "0100000000000000 02 6162"));
    EXPECT_EQ(execute({Value(1), Value(), Value("ab")}, cursor_type::read_only, false),
              hex("17 04030201 01 01000000 02 00 0100000000000000 02 6162"));
}

TEST(StmtExecute, NullBitmapAtEveryWidth) {
    for (const std::size_t n : {1u, 7u, 8u, 9u, 15u, 16u, 17u, 63u, 64u, 65u}) {
        SCOPED_TRACE(n);
        std::vector<Value> params;
        for (std::size_t i = 0; i < n; ++i) params.emplace_back(i % 2 == 0 ? Value() : Value(static_cast<int>(i)));
        const ByteVec out = execute(params);
        const std::size_t bitmap_size = (n + 7) / 8;
        ASSERT_EQ(out.size(), 10 + bitmap_size + 1 + 2 * n + 8 * (n / 2));
        for (std::size_t i = 0; i < n; ++i) {
            const bool null_bit = (out[10 + i / 8] >> (i % 8)) & 1;
            EXPECT_EQ(null_bit, i % 2 == 0) << i;
            const std::size_t type_pos = 10 + bitmap_size + 1 + 2 * i;
            EXPECT_EQ(out[type_pos], i % 2 == 0 ? 0x06 : 0x08) << i;
        }
        // Unused bits of the last bitmap byte stay 0.
        if (n % 8 != 0) {
            EXPECT_EQ(out[10 + bitmap_size - 1] >> (n % 8), 0);
        }
    }
}

TEST(StmtExecute, AllNullAndNoneNullAtSixtyFour) {
    const ByteVec all_null = execute(std::vector<Value>(64));
    for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(all_null[10 + i], 0xff);
    EXPECT_EQ(all_null.size(), 10u + 8 + 1 + 128);
    const ByteVec none_null = execute(std::vector<Value>(64, Value(true)));
    for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(none_null[10 + i], 0x00);
    EXPECT_EQ(none_null.size(), 10u + 8 + 1 + 128 + 64);
}

TEST(StmtExecute, LongDataParametersSendTheirTypeOnly) {
    EXPECT_EQ(execute({Value(uvmysql::Bytes(std::string("ignored"))), Value(), Value(7)}, 0, true, {1, 1, 0}),
              hex("17 04030201 00 01000000 00 01 fc00 fc00 0800 0700000000000000"));
}

TEST(StmtExecute, Errors) {
    ByteVec out = hex("aa");
    StmtExecuteRequest req;
    const std::vector<Value> list{Value(1), Value(Value::List{1})};
    req.params = list;
    Status st = serialize_com_stmt_execute(out, req);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::programming);
    EXPECT_NE(st.message.find("parameter 2"), std::string::npos) << st.message;
    EXPECT_EQ(out, hex("aa"));   // nothing appended

    const std::vector<Value> too_many(65536);
    req.params = too_many;
    EXPECT_FALSE(serialize_com_stmt_execute(out, req).ok());
    const std::vector<Value> max(65535);
    req.params = max;
    EXPECT_TRUE(serialize_com_stmt_execute(out, req).ok());

    const std::vector<Value> two{Value(1), Value(2)};
    const std::vector<std::uint8_t> one_flag{1};
    req.params = two;
    req.long_data = one_flag;
    EXPECT_FALSE(serialize_com_stmt_execute(out, req).ok());
}

TEST(StmtCommands, Payloads) {
    ByteVec out;
    serialize_com_stmt_prepare(out, "SELECT ?");
    EXPECT_EQ(out, concat({hex("16"), bytes_of("SELECT ?")}));
    out.clear();
    const ByteVec chunk = hex("010203");
    serialize_com_stmt_send_long_data(out, 7, 2, chunk);
    EXPECT_EQ(out, hex("18 07000000 0200 010203"));
    out.clear();
    serialize_com_stmt_reset(out, 0xdeadbeef);
    EXPECT_EQ(out, hex("1a efbeadde"));
    out.clear();
    serialize_com_stmt_close(out, 1);
    EXPECT_EQ(out, hex("19 01000000"));
    out.clear();
    serialize_com_stmt_fetch(out, 1, 100);
    EXPECT_EQ(out, hex("1c 01000000 64000000"));
    // Appending: commands coalesce in one buffer.
    serialize_com_stmt_close(out, last_prepared_statement);
    EXPECT_EQ(out, hex("1c 01000000 64000000 19 ffffffff"));
}

}  // namespace
}  // namespace uvmysql::test
