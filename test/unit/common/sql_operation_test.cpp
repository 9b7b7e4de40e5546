// SPDX-License-Identifier: MIT
// sql_operation(): the db.operation an Observer gets, the statement's first keyword upper-cased.
#include "common/sql_operation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace uvmysql::detail {
namespace {

std::string operation(std::string_view sql) {
    char buf[sql_operation_max];
    return std::string(sql_operation(sql, buf));
}

TEST(SqlOperation, FirstKeywordUpperCased) {
    EXPECT_EQ(operation("SELECT 1"), "SELECT");
    EXPECT_EQ(operation("select * from t"), "SELECT");
    EXPECT_EQ(operation("insert into t values (1)"), "INSERT");
    EXPECT_EQ(operation("Update t SET a = 1"), "UPDATE");
    EXPECT_EQ(operation("CALL p()"), "CALL");
    EXPECT_EQ(operation("commit"), "COMMIT");
    EXPECT_EQ(operation("SELECT"), "SELECT");
}

TEST(SqlOperation, SkipsSpaceCommentsAndParentheses) {
    EXPECT_EQ(operation("  \n\tdelete from t"), "DELETE");
    EXPECT_EQ(operation("/* a comment */ SELECT 1"), "SELECT");
    EXPECT_EQ(operation("/*!40101 SET x=1 */ insert into t values (1)"), "INSERT");
    EXPECT_EQ(operation("-- a line comment\nREPLACE INTO t VALUES (1)"), "REPLACE");
    EXPECT_EQ(operation("# a hash comment\nshow tables"), "SHOW");
    EXPECT_EQ(operation("((select 1) union (select 2))"), "SELECT");
    EXPECT_EQ(operation("/* one */ /* two */\n-- three\n with x as (select 1) select * from x"), "WITH");
}

TEST(SqlOperation, StopsAtTheEndOfTheWord) {
    EXPECT_EQ(operation("SELECT*FROM t"), "SELECT");
    EXPECT_EQ(operation("select(1)"), "SELECT");
    EXPECT_EQ(operation("SET@a=1"), "SET");
    EXPECT_EQ(operation("xa_begin_2 x"), "XA_BEGIN_2");
}

TEST(SqlOperation, SetStatementForGivesTheInnerStatement) {
    EXPECT_EQ(operation("SET STATEMENT max_statement_time=1.5 FOR SELECT SLEEP(2)"), "SELECT");
    EXPECT_EQ(operation("set statement a=1, b=2 for\n update t set x = 1"), "UPDATE");
    EXPECT_EQ(operation("SET STATEMENT max_statement_time=1"), "SET");  // no FOR: left as it is
    EXPECT_EQ(operation("SET @a = 1"), "SET");
    EXPECT_EQ(operation("SET NAMES utf8mb4"), "SET");
}

TEST(SqlOperation, EmptyWithoutAKeyword) {
    EXPECT_EQ(operation(""), "");
    EXPECT_EQ(operation("   "), "");
    EXPECT_EQ(operation("/* never closed SELECT"), "");
    EXPECT_EQ(operation("-- only a comment"), "");
    EXPECT_EQ(operation("1 + 1"), "");
    EXPECT_EQ(operation("--1"), "");  // "--" without a space is not a comment in MySQL: a minus
}

TEST(SqlOperation, LongWordIsCut) {
    const std::string word(100, 'a');
    EXPECT_EQ(operation(word), std::string(sql_operation_max, 'A'));
}

}  // namespace
}  // namespace uvmysql::detail
