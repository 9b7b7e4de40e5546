// SPDX-License-Identifier: MIT
// The result set header of COM_STMT_EXECUTE, with and without MariaDB's metadata cache.
#include <gtest/gtest.h>

#include "hex.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_execute_response.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload

constexpr std::uint64_t mariadb_caps = cap::protocol_41 | mariadb_cap::cache_metadata;

TEST(ExecuteResultHeader, PlainColumnCount) {
    for_each_split(hex("03"), [](Bytes p) {
        ExecuteResultHeader h;
        ASSERT_TRUE(parse_execute_result_header(p, cap::protocol_41, h).ok());
        EXPECT_EQ(h.column_count, 3u);
        EXPECT_TRUE(h.metadata_follows);
    });
    ExecuteResultHeader h;
    ASSERT_TRUE(parse_execute_result_header(hex("fc ffff"), cap::protocol_41, h).ok());
    EXPECT_EQ(h.column_count, 65535u);
}

TEST(ExecuteResultHeader, MetadataFollowsFlag) {
    ExecuteResultHeader h;
    ASSERT_TRUE(parse_execute_result_header(hex("02 00"), mariadb_caps, h).ok());
    EXPECT_EQ(h.column_count, 2u);
    EXPECT_FALSE(h.metadata_follows);
    ASSERT_TRUE(parse_execute_result_header(hex("02 01"), mariadb_caps, h).ok());
    EXPECT_TRUE(h.metadata_follows);
}

TEST(ExecuteResultHeader, Malformed) {
    ExecuteResultHeader h;
    EXPECT_FALSE(parse_execute_result_header(hex(""), cap::protocol_41, h).ok());
    EXPECT_FALSE(parse_execute_result_header(hex("00"), cap::protocol_41, h).ok());
    EXPECT_FALSE(parse_execute_result_header(hex("fd 000001"), cap::protocol_41, h).ok());
    EXPECT_FALSE(parse_execute_result_header(hex("02 01"), cap::protocol_41, h).ok());   // flag not negotiated
    EXPECT_FALSE(parse_execute_result_header(hex("02"), mariadb_caps, h).ok());
    EXPECT_FALSE(parse_execute_result_header(hex("02 02"), mariadb_caps, h).ok());
    EXPECT_FALSE(parse_execute_result_header(hex("02 01 00"), mariadb_caps, h).ok());
    EXPECT_FALSE(parse_execute_result_header(hex("fb"), cap::protocol_41, h).ok());
}

}  // namespace
}  // namespace uvmysql::test
