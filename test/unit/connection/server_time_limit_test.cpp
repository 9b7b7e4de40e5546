// SPDX-License-Identifier: MIT
// query_timeout_on_server's rewrites: MariaDB's SET STATEMENT and MySQL's MAX_EXECUTION_TIME hint.
#include "connection/server_time_limit.hpp"

#include <gtest/gtest.h>

namespace uvmysql::detail {
namespace {

using namespace std::chrono_literals;

std::string limited(std::string sql, bool mariadb, std::chrono::milliseconds limit = 1500ms) {
    EXPECT_TRUE(limit_on_server(sql, limit, mariadb)) << sql;
    return sql;
}

bool left_alone(std::string sql) {
    const std::string before = sql;
    const bool limited = limit_on_server(sql, 250ms, false);
    EXPECT_EQ(sql, before);
    return !limited;
}

TEST(ServerTimeLimit, MariaDbLimitsAnyStatementWithSetStatement) {
    EXPECT_EQ(limited("SELECT 1", true), "SET STATEMENT max_statement_time=1.500 FOR SELECT 1");
    EXPECT_EQ(limited("UPDATE t SET a = 1", true, 20ms),
              "SET STATEMENT max_statement_time=0.020 FOR UPDATE t SET a = 1");
}

TEST(ServerTimeLimit, MySqlPutsTheHintAfterTheLeadingSelect) {
    EXPECT_EQ(limited("SELECT 1", false), "SELECT /*+ MAX_EXECUTION_TIME(1500) */ 1");
    EXPECT_EQ(limited("select*from t", false), "select /*+ MAX_EXECUTION_TIME(1500) */*from t");
    EXPECT_EQ(limited("SELECT", false), "SELECT /*+ MAX_EXECUTION_TIME(1500) */");
    EXPECT_EQ(limited("  /* why */ -- note\n# more\n\tSeLeCt SLEEP(2)", false),
              "  /* why */ -- note\n# more\n\tSeLeCt /*+ MAX_EXECUTION_TIME(1500) */ SLEEP(2)");
}

TEST(ServerTimeLimit, MySqlLeavesOtherStatementsToTheClientsKill) {
    EXPECT_TRUE(left_alone("UPDATE t SET a = 1"));
    EXPECT_TRUE(left_alone("SELECTED"));             // a word that starts with SELECT
    EXPECT_TRUE(left_alone("select_1()"));
    EXPECT_TRUE(left_alone("(SELECT 1) UNION (SELECT 2)"));
    EXPECT_TRUE(left_alone("--SELECT 1"));           // not a comment without the blank: no SELECT first
    EXPECT_TRUE(left_alone("/* unterminated SELECT"));
    EXPECT_TRUE(left_alone("-- only a comment"));
    EXPECT_TRUE(left_alone(""));
    EXPECT_TRUE(left_alone("SEL"));
}

}  // namespace
}  // namespace uvmysql::detail
