// SPDX-License-Identifier: MIT
// MariaDB's COM_STMT_BULK_EXECUTE: layout, per-parameter types across rows, packet-size cut.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "hex.hpp"
#include "protocol/stmt_bulk_execute.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using ByteVec = std::vector<std::uint8_t>;
using Rows = std::vector<std::vector<Value>>;

Status bulk(const Rows& rows, ByteVec& out, std::size_t& written, std::size_t max_payload = 1 << 24,
            std::uint16_t flags = 0) {
    StmtBulkExecuteRequest req;
    req.statement_id = 5;
    req.flags = flags;
    req.param_count = rows.empty() ? 2 : rows[0].size();
    req.rows = rows;
    return serialize_com_stmt_bulk_execute(out, req, max_payload, written);
}

TEST(StmtBulkExecute, Layout) {
    const Rows rows = {{Value(1), Value("a")}, {Value(), Value("bc")}, {Value(3), Value()}};
    ByteVec out;
    std::size_t written = 0;
    ASSERT_TRUE(bulk(rows, out, written).ok());
    EXPECT_EQ(written, 3u);
    EXPECT_EQ(out, hex("fa 05000000 8000"      // statement 5, SEND_TYPES_TO_SERVER
                       "0800 fe00"             // LONGLONG, STRING
                       "00 0100000000000000 00 01 61"
                       "01 00 02 6263"
                       "00 0300000000000000 01"));
}

TEST(StmtBulkExecute, UnitResultsFlagIsKept) {
    const Rows rows = {{Value(1)}};
    ByteVec out;
    std::size_t written = 0;
    ASSERT_TRUE(bulk(rows, out, written, 1 << 24, bulk_flag::send_unit_results).ok());
    EXPECT_EQ(out, hex("fa 05000000 c000 0800 00 0100000000000000"));
}

TEST(StmtBulkExecute, TypesAcrossRows) {
    std::vector<ParamType> types;
    const Rows mixed_ints = {{Value(true), Value(1), Value(), Value(1.5f), Value(true)},
                             {Value(-5), Value(std::numeric_limits<std::uint64_t>::max()), Value(), Value(2.5),
                              Value(false)}};
    ASSERT_TRUE(bulk_param_types(mixed_ints, 5, types).ok());
    EXPECT_EQ(types[0], (ParamType{FieldType::longlong, false}));
    EXPECT_EQ(types[1], (ParamType{FieldType::longlong, true}));
    EXPECT_EQ(types[2], (ParamType{FieldType::null, false}));
    EXPECT_EQ(types[3], (ParamType{FieldType::double_, false}));
    EXPECT_EQ(types[4], (ParamType{FieldType::tiny, false}));

    // An UNSIGNED column receives a signed row value that fits.
    const Rows unsigned_mix = {{Value(std::numeric_limits<std::uint64_t>::max())}, {Value(7)}};
    ByteVec out;
    std::size_t written = 0;
    ASSERT_TRUE(bulk(unsigned_mix, out, written).ok());
    EXPECT_EQ(out, hex("fa 05000000 8000 0880 00 ffffffffffffffff 00 0700000000000000"));
}

TEST(StmtBulkExecute, TypesWorkedOutOverAllRowsServeABatchOfThem) {
    // Statement::executemany works the types out once over every row; a later batch (here the
    // second row alone, a bool) is sent with them: LONGLONG, not the TINY it would get alone.
    const Rows rows = {{Value(300)}, {Value(true)}};
    std::vector<ParamType> types;
    ASSERT_TRUE(bulk_param_types(rows, 1, types).ok());
    StmtBulkExecuteRequest req;
    req.statement_id = 5;
    req.param_count = 1;
    req.rows = std::span<const std::vector<Value>>(rows).subspan(1);
    req.types = types;
    ByteVec out;
    std::size_t written = 0;
    ASSERT_TRUE(serialize_com_stmt_bulk_execute(out, req, 1 << 24, written).ok());
    EXPECT_EQ(written, 1u);
    EXPECT_EQ(out, hex("fa 05000000 8000 0800 00 0100000000000000"));
    req.types = {};   // none given: worked out from the batch itself
    out.clear();
    ASSERT_TRUE(serialize_com_stmt_bulk_execute(out, req, 1 << 24, written).ok());
    EXPECT_EQ(out, hex("fa 05000000 8000 0100 00 01"));
}

TEST(StmtBulkExecute, TypeConflictsAreRefused) {
    std::vector<ParamType> types;
    EXPECT_FALSE(bulk_param_types(Rows{{Value(1)}, {Value("x")}}, 1, types).ok());
    EXPECT_FALSE(bulk_param_types(Rows{{Value("x")}, {Value(1)}}, 1, types).ok());
    EXPECT_FALSE(bulk_param_types(Rows{{Value(Date{2024, 1, 1})}, {Value(DateTime{})}}, 1, types).ok());
    EXPECT_FALSE(bulk_param_types(Rows{{Value(-1)}, {Value(std::numeric_limits<std::uint64_t>::max())}}, 1, types).ok());
    EXPECT_FALSE(bulk_param_types(Rows{{Value(Value::List{1})}}, 1, types).ok());
    const Status st = bulk_param_types(Rows{{Value(1), Value("x")}, {Value(2), Value(3)}}, 2, types);
    EXPECT_EQ(st.client_kind, ClientKind::programming);
    EXPECT_NE(st.message.find("parameter 2"), std::string::npos) << st.message;
}

TEST(StmtBulkExecute, BadRequests) {
    ByteVec out = hex("aa");
    std::size_t written = 9;
    EXPECT_FALSE(bulk({}, out, written).ok());
    EXPECT_EQ(written, 0u);
    const Rows ragged = {{Value(1), Value(2)}, {Value(1)}};
    EXPECT_FALSE(bulk(ragged, out, written).ok());
    StmtBulkExecuteRequest req;
    const Rows empty_rows = {{}};
    req.rows = empty_rows;
    EXPECT_FALSE(serialize_com_stmt_bulk_execute(out, req, 1000, written).ok());   // no parameters
    EXPECT_EQ(out, hex("aa"));
}

TEST(StmtBulkExecute, StopsAtTheMaximumPayload) {
    Rows rows;
    for (int i = 0; i < 10; ++i) rows.push_back({Value(i)});
    // Header 7 + types 2 = 9 bytes, then 9 bytes per row.
    for (std::size_t max = 18; max < 9 + 9 * 10 + 3; ++max) {
        ByteVec out;
        std::size_t written = 0;
        ASSERT_TRUE(bulk(rows, out, written, max).ok()) << max;
        EXPECT_EQ(written, std::min<std::size_t>(10, (max - 9) / 9)) << max;
        EXPECT_EQ(out.size(), 9 + 9 * written) << max;
    }
    ByteVec out = hex("aa");
    std::size_t written = 0;
    const Status st = bulk(rows, out, written, 17);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.errno_code, cr::net_packet_too_large);
    EXPECT_EQ(out, hex("aa"));
}

TEST(StmtBulkExecute, EveryKindRoundTripsThroughTheValueEncoding) {
    const Rows rows = {{Value(Date{2024, 1, 2}), Value(Time::from_parts(true, 1, 0, 0, 0)), Value(Decimal("1.5")),
                        Value(uvmysql::Bytes(std::string("\x01", 1)))}};
    ByteVec out;
    std::size_t written = 0;
    ASSERT_TRUE(bulk(rows, out, written).ok());
    EXPECT_EQ(out, hex("fa 05000000 8000 0a00 0b00 f600 fc00"
                       "00 04 e807 01 02  00 08 01 00000000 01 00 00  00 03 312e35  00 01 01"));
}

}  // namespace
}  // namespace uvmysql::test
