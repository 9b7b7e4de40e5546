// SPDX-License-Identifier: MIT
// COM_STMT_EXECUTE written by the client, read back as the (fake) server reads it.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "hex.hpp"
#include "protocol/stmt_execute.hpp"
#include "protocol/stmt_execute_reader.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload

ByteVec execute(const std::vector<Value>& params, bool send_types = true) {
    ByteVec out;
    StmtExecuteRequest req;
    req.statement_id = 9;
    req.flags = cursor_type::read_only;
    req.params = params;
    req.send_types = send_types;
    EXPECT_TRUE(serialize_com_stmt_execute(out, req).ok());
    return out;
}

// Every Value kind that has a binary form, at its limits.
std::vector<Value> every_kind() {
    return {
        Value(),
        Value(true),
        Value(std::numeric_limits<std::int64_t>::min()),
        Value(std::numeric_limits<std::int64_t>::max()),
        Value(std::numeric_limits<std::uint64_t>::max()),
        Value(0.1),
        Value(-0.0),
        Value("t\xc3\xa9xt"),
        Value(""),
        Value(uvmysql::Bytes(std::string("\0\x01\xff", 3))),
        Value(Decimal("-99999999999999999999.000001")),
        Value(Date{2024, 2, 29}),
        Value(Date{0, 0, 0}),
        Value(DateTime{2024, 1, 2, 3, 4, 5, 999999}),
        Value(DateTime{2024, 1, 2, 3, 4, 5, 0}),
        Value(DateTime{2024, 1, 2, 0, 0, 0, 0}),
        Value(Time::from_parts(true, 838, 59, 59, 0)),
        Value(Time::from_parts(false, 838, 59, 59, 999999)),
        Value(Time::from_parts(true, 0, 0, 0, 1)),
        Value(Time{}),
    };
}

TEST(StmtExecuteReader, EveryKindRoundTrips) {
    const std::vector<Value> params = every_kind();
    const ByteVec wire = execute(params);
    for_each_split(wire, [&](Bytes p) {
        StmtExecuteCommand cmd;
        const Status st = parse_com_stmt_execute(p, params.size(), cmd);
        ASSERT_TRUE(st.ok()) << st.message;
        EXPECT_EQ(cmd.statement_id, 9u);
        EXPECT_EQ(cmd.flags, cursor_type::read_only);
        EXPECT_EQ(cmd.iteration_count, 1u);
        EXPECT_TRUE(cmd.new_params_bound);
        ASSERT_EQ(cmd.params.size(), params.size());
        for (std::size_t i = 0; i < params.size(); ++i) EXPECT_EQ(cmd.params[i], params[i]) << i;
    });
}

TEST(StmtExecuteReader, Float32ArrivesAsTheDoubleOfItsDigits) {
    StmtExecuteCommand cmd;
    ASSERT_TRUE(parse_com_stmt_execute(execute({Value(1.1f)}), 1, cmd).ok());
    EXPECT_EQ(cmd.params[0], Value(1.1));
}

TEST(StmtExecuteReader, NullBitmapAtEveryWidth) {
    for (const std::size_t n : {1u, 8u, 9u, 64u, 65u}) {
        std::vector<Value> params;
        for (std::size_t i = 0; i < n; ++i) params.emplace_back(i % 3 == 0 ? Value() : Value(static_cast<int>(i)));
        StmtExecuteCommand cmd;
        ASSERT_TRUE(parse_com_stmt_execute(execute(params), n, cmd).ok()) << n;
        EXPECT_EQ(cmd.params, params) << n;
    }
}

TEST(StmtExecuteReader, UnboundTypesComeFromThePreviousExecute) {
    const std::vector<Value> params{Value(1), Value("a")};
    StmtExecuteCommand cmd;
    EXPECT_FALSE(parse_com_stmt_execute(execute(params, false), 2, cmd).ok());   // no types known yet
    ASSERT_TRUE(parse_com_stmt_execute(execute(params), 2, cmd).ok());
    const std::vector<Value> next{Value(2), Value("b")};
    ASSERT_TRUE(parse_com_stmt_execute(execute(next, false), 2, cmd).ok());
    EXPECT_FALSE(cmd.new_params_bound);
    EXPECT_EQ(cmd.params, next);
}

TEST(StmtExecuteReader, Malformed) {
    const std::vector<Value> params = every_kind();
    expect_every_truncation_fails(execute(params), [&](Bytes p) {
        StmtExecuteCommand cmd;
        return parse_com_stmt_execute(p, params.size(), cmd);
    });
    StmtExecuteCommand cmd;
    ByteVec longer = execute(params);
    longer.push_back(0);
    EXPECT_FALSE(parse_com_stmt_execute(longer, params.size(), cmd).ok());
    EXPECT_FALSE(parse_com_stmt_execute(hex("16 09000000 00 01000000"), 0, cmd).ok());   // not EXECUTE
    EXPECT_FALSE(parse_com_stmt_execute(hex("17 09000000 00 01000000 00 01 f000 00"), 1, cmd).ok());   // type 240
    EXPECT_FALSE(parse_com_stmt_execute(hex("17 09000000 00 01000000 00 01 0a00 05 0000000000"), 1, cmd).ok());
    EXPECT_FALSE(parse_com_stmt_execute(hex("17 09000000 00 01000000 00 01 f600 01 78"), 1, cmd).ok());   // DECIMAL 'x'
    EXPECT_TRUE(parse_com_stmt_execute(hex("17 09000000 00 01000000"), 0, cmd).ok());
}

}  // namespace
}  // namespace uvmysql::test
