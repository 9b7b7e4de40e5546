// SPDX-License-Identifier: MIT
// The COM_STMT_PREPARE response: PREPARE_OK and the reader of the whole response.
#include <gtest/gtest.h>

#include <vector>

#include "hex.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_prepare_response.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload

const ByteVec prepare_ok = hex("00 01000000 0200 0100 00 0300");   // id 1, 2 columns, 1 param, 3 warnings
const ByteVec param_def = hex("03 646566 00 00 00 01 3f 00 0c 3f00 00000000 fd 8000 00 0000");
const ByteVec id_def = hex("03 646566 04 74657374 01 74 01 74 02 6964 02 6964 0c 3f00 0b000000 03 0350 00 0000");
const ByteVec name_def = hex("03 646566 04 74657374 01 74 01 74 04 6e616d65 04 6e616d65 0c 2d00 fc030000 fd 0000 00 0000");
const ByteVec eof = hex("fe 0000 0200");

TEST(StmtPrepareOk, Parses) {
    for_each_split(prepare_ok, [](Bytes p) {
        StmtPrepareOk ok;
        ASSERT_TRUE(parse_stmt_prepare_ok(p, ok).ok());
        EXPECT_EQ(ok.statement_id, 1u);
        EXPECT_EQ(ok.column_count, 2);
        EXPECT_EQ(ok.param_count, 1);
        EXPECT_EQ(ok.warning_count, 3);
    });
}

TEST(StmtPrepareOk, TenBytesHaveNoWarnings) {
    StmtPrepareOk ok;
    ASSERT_TRUE(parse_stmt_prepare_ok(hex("00 ffffffff ffff ffff 00"), ok).ok());
    EXPECT_EQ(ok.statement_id, 0xffffffffu);
    EXPECT_EQ(ok.column_count, 0xffff);
    EXPECT_EQ(ok.param_count, 0xffff);
    EXPECT_EQ(ok.warning_count, 0);
    // MySQL's metadata-follows byte after the warnings is ignored.
    EXPECT_TRUE(parse_stmt_prepare_ok(hex("00 01000000 0000 0000 00 0000 01"), ok).ok());
}

TEST(StmtPrepareOk, Malformed) {
    StmtPrepareOk ok;
    EXPECT_FALSE(parse_stmt_prepare_ok(hex("01 01000000 0200 0100 00 0300"), ok).ok());
    EXPECT_FALSE(parse_stmt_prepare_ok(hex("00 01000000 0200 0100 00 03"), ok).ok());   // 11 bytes
    expect_every_truncation_fails(hex("00 01000000 0200 0100 00"), [](Bytes p) {
        StmtPrepareOk ok;
        return parse_stmt_prepare_ok(p, ok);
    });
}

Status feed(StmtPrepareReader& r, const std::vector<ByteVec>& msgs) {
    for (const ByteVec& m : msgs) {
        if (r.done()) return Status::malformed("reader done too early");
        if (Status st = r.on_message(m); !st.ok()) return st;
    }
    return {};
}

TEST(StmtPrepareReader, WithEofPackets) {
    StmtPrepareReader r(cap::protocol_41);
    ASSERT_TRUE(feed(r, {prepare_ok, param_def, eof, id_def, name_def}).ok());
    EXPECT_FALSE(r.done());
    ASSERT_TRUE(r.on_message(eof).ok());
    EXPECT_TRUE(r.done());
    EXPECT_EQ(r.prepare_ok().statement_id, 1u);
    ASSERT_EQ(r.params().size(), 1u);
    EXPECT_EQ(r.params()[0].name, "?");
    EXPECT_TRUE(r.params()[0].is_binary());
    ASSERT_EQ(r.columns().size(), 2u);
    EXPECT_EQ(r.columns()[0].name, "id");
    EXPECT_EQ(r.columns()[1].name, "name");
    EXPECT_FALSE(r.on_message(eof).ok());   // nothing belongs to the response after its end
}

TEST(StmtPrepareReader, WithDeprecateEof) {
    StmtPrepareReader r(cap::protocol_41 | cap::deprecate_eof);
    ASSERT_TRUE(feed(r, {prepare_ok, param_def, id_def, name_def}).ok());
    EXPECT_TRUE(r.done());
    EXPECT_EQ(r.columns().size(), 2u);
}

TEST(StmtPrepareReader, NoParamsOrNoColumns) {
    {
        StmtPrepareReader r(cap::protocol_41);
        ASSERT_TRUE(feed(r, {hex("00 02000000 0100 0000 00 0000"), id_def, eof}).ok());
        EXPECT_TRUE(r.done());
        EXPECT_TRUE(r.params().empty());
    }
    {
        StmtPrepareReader r(cap::protocol_41);
        ASSERT_TRUE(feed(r, {hex("00 02000000 0000 0100 00 0000"), param_def, eof}).ok());
        EXPECT_TRUE(r.done());
        EXPECT_TRUE(r.columns().empty());
    }
    {
        StmtPrepareReader r(cap::protocol_41);
        ASSERT_TRUE(feed(r, {hex("00 02000000 0000 0000 00 0000")}).ok());
        EXPECT_TRUE(r.done());
    }
}

TEST(StmtPrepareReader, ClaimedCountsBeyondTheDefinitionsSentFail) {
    // 65535 parameters announced, the EOF after one: malformed, and no 65535-entry reservation.
    StmtPrepareReader r(cap::protocol_41);
    ASSERT_TRUE(feed(r, {hex("00 01000000 ffff ffff 00 0000"), param_def}).ok());
    EXPECT_FALSE(r.on_message(eof).ok());
    EXPECT_LE(r.params().capacity(), 256u);
}

TEST(StmtPrepareReader, ServerErrorIsReportedAsSuch) {
    StmtPrepareReader r(cap::protocol_41);
    const Status st = r.on_message(concat({hex("ff 2804 23 3432303030"), bytes_of("You have an error")}));
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(st.from_server);
    EXPECT_EQ(st.errno_code, 1064);
    EXPECT_EQ(st.sqlstate, "42000");
    EXPECT_TRUE(r.done());
}

TEST(StmtPrepareReader, MalformedResponsesFail) {
    const std::vector<std::vector<ByteVec>> bad = {
        {hex("")},
        {hex("00 01000000")},
        {prepare_ok, hex("03 6465")},             // truncated definition
        {prepare_ok, param_def, id_def},         // a definition where the EOF belongs
        {prepare_ok, param_def, eof, id_def, name_def, id_def},
    };
    for (std::size_t i = 0; i < bad.size(); ++i) {
        StmtPrepareReader r(cap::protocol_41);
        EXPECT_FALSE(feed(r, bad[i]).ok()) << i;
    }
    // Every truncation of every later message of the response fails (PREPARE_OK's own
    // truncations are above: cut to 10 bytes it is a valid PREPARE_OK without warnings).
    const std::vector<ByteVec> good = {prepare_ok, param_def, eof, id_def, name_def, eof};
    for (std::size_t m = 1; m < good.size(); ++m) {
        expect_every_truncation_fails(good[m], [&](Bytes p) {
            StmtPrepareReader r(cap::protocol_41);
            for (std::size_t k = 0; k < m; ++k) {
                if (Status st = r.on_message(good[k]); !st.ok()) return st;
            }
            return r.on_message(p);
        });
    }
}

}  // namespace
}  // namespace uvmysql::test
