// SPDX-License-Identifier: MIT
// The expression layer: each operator, predicate and function pinned to its SQL and parameters.
#include <gtest/gtest.h>

#include <limits>

#include <uvmysql/sql.hpp>

namespace uvmysql::sql {
namespace {

struct Fixture {
    MetaData md;
    Table t{md, "t", Column("id", Integer(), {.primary_key = true}), Column("val", String(255)),
            Column("n", Integer())};
};

Compiled c(const Expr& e) { return compile(e); }

TEST(SqlExpression, ComparisonsBindTheirValues) {
    Fixture f;
    const Column& id = f.t.c("id");
    EXPECT_EQ(c(id == 5), (Compiled{"`t`.`id` = %s", {5}}));
    EXPECT_EQ(c(id != 5), (Compiled{"`t`.`id` != %s", {5}}));
    EXPECT_EQ(c(id < 5), (Compiled{"`t`.`id` < %s", {5}}));
    EXPECT_EQ(c(id <= 5), (Compiled{"`t`.`id` <= %s", {5}}));
    EXPECT_EQ(c(id > 5), (Compiled{"`t`.`id` > %s", {5}}));
    EXPECT_EQ(c(id >= 5), (Compiled{"`t`.`id` >= %s", {5}}));
    EXPECT_EQ(c(5 == id), (Compiled{"%s = `t`.`id`", {5}}));
    EXPECT_EQ(c(id == f.t.c("n")), (Compiled{"`t`.`id` = `t`.`n`", {}}));
}

TEST(SqlExpression, ComparingWithNullIsIsNull) {
    Fixture f;
    EXPECT_EQ(c(f.t.c("val") == nullptr), (Compiled{"`t`.`val` IS NULL", {}}));
    EXPECT_EQ(c(f.t.c("val") != std::nullopt), (Compiled{"`t`.`val` IS NOT NULL", {}}));
    EXPECT_EQ(c(f.t.c("val").is_null()), (Compiled{"`t`.`val` IS NULL", {}}));
    EXPECT_EQ(c(f.t.c("val").is_not_null()), (Compiled{"`t`.`val` IS NOT NULL", {}}));
}

TEST(SqlExpression, BooleanOperatorsFollowPrecedence) {
    Fixture f;
    const Column& id = f.t.c("id");
    const Column& n = f.t.c("n");
    EXPECT_EQ(c(id == 1 && n == 2), (Compiled{"`t`.`id` = %s AND `t`.`n` = %s", {1, 2}}));
    EXPECT_EQ(c(id == 1 || n == 2), (Compiled{"`t`.`id` = %s OR `t`.`n` = %s", {1, 2}}));
    EXPECT_EQ(c((id == 1 || n == 2) && n < 3),
              (Compiled{"(`t`.`id` = %s OR `t`.`n` = %s) AND `t`.`n` < %s", {1, 2, 3}}));
    EXPECT_EQ(c(id == 1 || (n == 2 && n < 3)),
              (Compiled{"`t`.`id` = %s OR `t`.`n` = %s AND `t`.`n` < %s", {1, 2, 3}}));
    EXPECT_EQ(c(!(id == 1)), (Compiled{"NOT (`t`.`id` = %s)", {1}}));
    EXPECT_EQ(c(not_(id == 1 || n == 2)), (Compiled{"NOT (`t`.`id` = %s OR `t`.`n` = %s)", {1, 2}}));
    EXPECT_EQ(c(and_(id == 1, n == 2, n != 3)),
              (Compiled{"`t`.`id` = %s AND `t`.`n` = %s AND `t`.`n` != %s", {1, 2, 3}}));
    EXPECT_EQ(c(or_(id == 1, and_(n == 2, n == 3))),
              (Compiled{"`t`.`id` = %s OR `t`.`n` = %s AND `t`.`n` = %s", {1, 2, 3}}));
    EXPECT_EQ(c(and_(std::vector<Expr>{})), (Compiled{"1 = 1", {}}));
    EXPECT_EQ(c(or_(std::vector<Expr>{})), (Compiled{"1 = 0", {}}));
}

TEST(SqlExpression, Arithmetic) {
    Fixture f;
    const Column& id = f.t.c("id");
    const Column& n = f.t.c("n");
    EXPECT_EQ(c(id + n * 2), (Compiled{"`t`.`id` + `t`.`n` * %s", {2}}));
    EXPECT_EQ(c((id + n) * 2), (Compiled{"(`t`.`id` + `t`.`n`) * %s", {2}}));
    EXPECT_EQ(c(id - (n - 1)), (Compiled{"`t`.`id` - (`t`.`n` - %s)", {1}}));
    EXPECT_EQ(c(id - n - 1), (Compiled{"`t`.`id` - `t`.`n` - %s", {1}}));
    EXPECT_EQ(c(id / n % 3), (Compiled{"`t`.`id` / `t`.`n` %% %s", {3}}));   // % doubled for the formatting
    EXPECT_EQ(c(id / n % 3).str(), "`t`.`id` / `t`.`n` % 3");
    EXPECT_EQ(c(-id), (Compiled{"-`t`.`id`", {}}));
    EXPECT_EQ(c(-Expr(-5)), (Compiled{"-(%s)", {-5}}));   // never `--5`, a comment opener
    EXPECT_EQ(c(id + 1 > n), (Compiled{"`t`.`id` + %s > `t`.`n`", {1}}));
    EXPECT_EQ(c((id == 1) == (n == 2)), (Compiled{"(`t`.`id` = %s) = (`t`.`n` = %s)", {1, 2}}));
}

TEST(SqlExpression, Predicates) {
    Fixture f;
    const Column& id = f.t.c("id");
    const Column& val = f.t.c("val");
    EXPECT_EQ(c(id.in_(1, 2, 3)), (Compiled{"`t`.`id` IN (%s, %s, %s)", {1, 2, 3}}));
    EXPECT_EQ(c(id.in_(std::vector<Value>{7})), (Compiled{"`t`.`id` IN (%s)", {7}}));
    EXPECT_EQ(c(id.not_in(1, 2)), (Compiled{"`t`.`id` NOT IN (%s, %s)", {1, 2}}));
    EXPECT_EQ(c(id.in_(std::vector<Value>{})), (Compiled{"1 = 0", {}}));
    EXPECT_EQ(c(id.not_in(std::vector<Value>{})), (Compiled{"1 = 1", {}}));
    EXPECT_EQ(c(val.like("a%")), (Compiled{"`t`.`val` LIKE %s", {"a%"}}));
    EXPECT_EQ(c(val.not_like("a_")), (Compiled{"`t`.`val` NOT LIKE %s", {"a_"}}));
    EXPECT_EQ(c(id.between(1, 10)), (Compiled{"`t`.`id` BETWEEN %s AND %s", {1, 10}}));
    EXPECT_EQ(c((id + 1).between(1, 10) && val.is_null()),
              (Compiled{"`t`.`id` + %s BETWEEN %s AND %s AND `t`.`val` IS NULL", {1, 1, 10}}));
}

TEST(SqlExpression, FunctionsAndLabels) {
    Fixture f;
    const Column& id = f.t.c("id");
    EXPECT_EQ(c(count()), (Compiled{"COUNT(*)", {}}));
    EXPECT_EQ(c(count(id)), (Compiled{"COUNT(`t`.`id`)", {}}));
    EXPECT_EQ(c(count(distinct(id))), (Compiled{"COUNT(DISTINCT `t`.`id`)", {}}));
    EXPECT_EQ(c(sum(id)), (Compiled{"SUM(`t`.`id`)", {}}));
    EXPECT_EQ(c(min(id)), (Compiled{"MIN(`t`.`id`)", {}}));
    EXPECT_EQ(c(max(id)), (Compiled{"MAX(`t`.`id`)", {}}));
    EXPECT_EQ(c(avg(id + 1)), (Compiled{"AVG(`t`.`id` + %s)", {1}}));
    EXPECT_EQ(c(func("COALESCE", {f.t.c("val"), "none"})), (Compiled{"COALESCE(`t`.`val`, %s)", {"none"}}));
    EXPECT_EQ(c(func("COALESCE", f.t.c("val"), "none")), c(func("COALESCE", {f.t.c("val"), "none"})));
    EXPECT_EQ(c(func("NOW")), (Compiled{"NOW()", {}}));
    EXPECT_EQ(c(count().label("n")), (Compiled{"COUNT(*) AS `n`", {}}));
    EXPECT_EQ(c(text("NOW()")), (Compiled{"NOW()", {}}));
    EXPECT_EQ(c(text("100 % 7")), (Compiled{"100 %% 7", {}}));   // kept literal by the formatting
}

TEST(SqlExpression, HostileValuesStayParameters) {
    Fixture f;
    const std::string evil = "x'; DROP TABLE t; -- %s \\";
    Compiled got = c(f.t.c("val") == evil);
    EXPECT_EQ(got, (Compiled{"`t`.`val` = %s", {evil}}));
    EXPECT_EQ(got.str(), "`t`.`val` = 'x\\'; DROP TABLE t; -- %s \\\\'");
    Compiled bytes = c(f.t.c("val") == Bytes("a\0'b"));
    EXPECT_EQ(bytes.str(), "`t`.`val` = _binary'a\\0\\'b'");
}

TEST(SqlExpression, MisuseFailsWithProgrammingError) {
    Fixture f;
    EXPECT_THROW(c(Expr()), ProgrammingError);
    EXPECT_THROW(c(f.t.c("id") == Expr()), ProgrammingError);
    EXPECT_THROW(c(func("SLEEP(1); DROP", {})), ProgrammingError);
    EXPECT_THROW(c(func("", {})), ProgrammingError);
    EXPECT_THROW(c(f.t.c("id").desc() == 1), ProgrammingError);
    EXPECT_THROW((void)(c(f.t.c("val") == std::numeric_limits<double>::quiet_NaN()).str()), ProgrammingError);
}

TEST(SqlExpression, UnknownColumnNamesIt) {
    Fixture f;
    try {
        (void)f.t.c("nope");
        FAIL() << "no error";
    } catch (const NoSuchColumnError& e) {
        EXPECT_EQ(e.sqlstate(), "42S22");
        EXPECT_NE(std::string(e.what()).find("`nope` in table `t`"), std::string::npos) << e.what();
    }
    EXPECT_EQ(f.t.find("nope"), nullptr);
}

}  // namespace
}  // namespace uvmysql::sql
