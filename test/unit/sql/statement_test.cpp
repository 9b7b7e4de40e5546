// SPDX-License-Identifier: MIT
// SELECT, INSERT, UPDATE and DELETE pinned to their SQL and parameters, hostile names included.
#include <gtest/gtest.h>

#include <sstream>

#include <uvmysql/sql.hpp>

namespace uvmysql::sql {
namespace {

struct Schema {
    MetaData md;
    Table users{md, "users", Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
                Column("age", Integer())};
    Table orders{md, "orders", Column("id", Integer(), {.primary_key = true}), Column("user_id", Integer()),
                 Column("total", Numeric(10, 2))};
};

TEST(SqlSelect, TableSelectListsEveryColumn) {
    Schema s;
    EXPECT_EQ(compile(s.users.select()),
              (Compiled{"SELECT `users`.`id`, `users`.`name`, `users`.`age` FROM `users`", {}}));
    EXPECT_EQ(compile(select(s.users)), compile(s.users.select()));
}

TEST(SqlSelect, WhereOrderLimitOffset) {
    Schema s;
    const Select q = select(s.users.c("id"), s.users.c("name"))
                         .where(s.users.c("age") >= 18)
                         .where(s.users.c("name").like("A%"))
                         .order_by(s.users.c("name").desc(), s.users.c("id"))
                         .limit(10)
                         .offset(20);
    EXPECT_EQ(compile(q), (Compiled{"SELECT `users`.`id`, `users`.`name` FROM `users` WHERE `users`.`age` >= %s "
                                    "AND `users`.`name` LIKE %s ORDER BY `users`.`name` DESC, `users`.`id` "
                                    "LIMIT %s OFFSET %s",
                                    {18, "A%", 10u, 20u}}));
    EXPECT_EQ(compile(q).str(),
              "SELECT `users`.`id`, `users`.`name` FROM `users` WHERE `users`.`age` >= 18 AND `users`.`name` "
              "LIKE 'A%' ORDER BY `users`.`name` DESC, `users`.`id` LIMIT 10 OFFSET 20");
}

TEST(SqlSelect, OffsetWithoutLimitUsesTheLargestLimit) {
    Schema s;
    EXPECT_EQ(compile(select(s.users.c("id")).offset(5)),
              (Compiled{"SELECT `users`.`id` FROM `users` LIMIT %s OFFSET %s", {UINT64_MAX, 5u}}));
}

TEST(SqlSelect, BuildersLeaveTheOriginalAlone) {
    Schema s;
    const Select base = s.users.select();
    const Select filtered = base.where(s.users.c("id") == 1);
    EXPECT_EQ(compile(base).params.size(), 0u);
    EXPECT_EQ(compile(filtered).params.size(), 1u);
}

TEST(SqlSelect, BracedColumnList) {
    Schema s;
    EXPECT_EQ(compile(select({s.users.c("id"), s.users.c("name")})),
              (Compiled{"SELECT `users`.`id`, `users`.`name` FROM `users`", {}}));
}

TEST(SqlSelect, JoinsAndImpliedFroms) {
    Schema s;
    const Select inner = select(s.users.c("name"), s.orders.c("total"))
                             .select_from(s.users.join(s.orders, s.users.c("id") == s.orders.c("user_id")));
    EXPECT_EQ(compile(inner), (Compiled{"SELECT `users`.`name`, `orders`.`total` FROM `users` JOIN `orders` ON "
                                        "`users`.`id` = `orders`.`user_id`",
                                        {}}));
    const Select left = select(s.users.c("name"), s.orders.c("total"))
                            .select_from(s.users.outerjoin(s.orders, s.users.c("id") == s.orders.c("user_id") &&
                                                                         s.orders.c("total") > 5));
    EXPECT_EQ(compile(left), (Compiled{"SELECT `users`.`name`, `orders`.`total` FROM `users` LEFT OUTER JOIN "
                                       "`orders` ON `users`.`id` = `orders`.`user_id` AND `orders`.`total` > %s",
                                       {5}}));
    // Without select_from, every table the columns and conditions use is listed.
    EXPECT_EQ(compile(select(s.users.c("name")).where(s.orders.c("user_id") == s.users.c("id"))),
              (Compiled{"SELECT `users`.`name` FROM `users`, `orders` WHERE `orders`.`user_id` = `users`.`id`", {}}));
}

TEST(SqlSelect, ChainedJoins) {
    Schema s;
    MetaData md;
    Table items(md, "items", Column("order_id", Integer()), Column("sku", String(20)));
    const From f = s.users.join(s.orders, s.users.c("id") == s.orders.c("user_id"))
                       .outerjoin(items, items.c("order_id") == s.orders.c("id"));
    EXPECT_EQ(compile(select(items.c("sku")).select_from(f)),
              (Compiled{"SELECT `items`.`sku` FROM `users` JOIN `orders` ON `users`.`id` = `orders`.`user_id` "
                        "LEFT OUTER JOIN `items` ON `items`.`order_id` = `orders`.`id`",
                        {}}));
}

TEST(SqlSelect, GroupByHavingAggregatesDistinct) {
    Schema s;
    const Expr n = count().label("n");
    const Select q = select(s.orders.c("user_id"), n, sum(s.orders.c("total")).label("spent"))
                         .group_by(s.orders.c("user_id"))
                         .having(count() > 1)
                         .order_by(n.desc());
    EXPECT_EQ(compile(q), (Compiled{"SELECT `orders`.`user_id`, COUNT(*) AS `n`, SUM(`orders`.`total`) AS `spent` "
                                    "FROM `orders` GROUP BY `orders`.`user_id` HAVING COUNT(*) > %s ORDER BY `n` "
                                    "DESC",
                                    {1}}));
    EXPECT_EQ(compile(select(s.users.c("age")).distinct()),
              (Compiled{"SELECT DISTINCT `users`.`age` FROM `users`", {}}));
    EXPECT_EQ(compile(select(count(distinct(s.users.c("age"))))),
              (Compiled{"SELECT COUNT(DISTINCT `users`.`age`) FROM `users`", {}}));
}

TEST(SqlSelect, TheDocsExample) {   // docs/sql.md, "SELECT"
    Schema s;
    const Expr spent = sum(s.orders.c("total")).label("spent");
    const Select q = select(s.users.c("name"), count(s.orders.c("id")).label("n"), spent)
                         .select_from(s.users.outerjoin(s.orders, s.users.c("id") == s.orders.c("user_id")))
                         .where(s.users.c("age") >= 18)
                         .group_by(s.users.c("name"))
                         .having(count(s.orders.c("id")) > 1)
                         .order_by(spent.desc())
                         .limit(10)
                         .offset(20);
    EXPECT_EQ(compile(q),
              (Compiled{"SELECT `users`.`name`, COUNT(`orders`.`id`) AS `n`, SUM(`orders`.`total`) AS `spent` FROM "
                        "`users` LEFT OUTER JOIN `orders` ON `users`.`id` = `orders`.`user_id` WHERE `users`.`age` >= "
                        "%s GROUP BY `users`.`name` HAVING COUNT(`orders`.`id`) > %s ORDER BY `spent` DESC LIMIT %s "
                        "OFFSET %s",
                        {18, 1, 10u, 20u}}));
}

TEST(SqlSelect, PrintsTextAndParameters) {
    Schema s;
    std::ostringstream os;
    os << compile(select(s.users.c("id")).where(s.users.c("name") == "x'y"));
    EXPECT_EQ(os.str(), "SELECT `users`.`id` FROM `users` WHERE `users`.`name` = %s [text(x'y)]");
    EXPECT_EQ(str(s.users.delete_().where(s.users.c("name") == "x'y")),
              "DELETE FROM `users` WHERE `users`.`name` = 'x\\'y'");
}

TEST(SqlSelect, WithoutTables) {
    EXPECT_EQ(compile(select(Expr(1) + 2)), (Compiled{"SELECT %s + %s", {1, 2}}));
    EXPECT_THROW((void)compile(select(std::vector<Expr>{})), ProgrammingError);
}

TEST(SqlInsert, OneRowAndManyRows) {
    Schema s;
    EXPECT_EQ(compile(s.users.insert().values({{"name", "abc"}})),
              (Compiled{"INSERT INTO `users` (`name`) VALUES (%s)", {"abc"}}));
    EXPECT_EQ(compile(s.users.insert().values("id", 1, "name", "abc")),
              (Compiled{"INSERT INTO `users` (`id`, `name`) VALUES (%s, %s)", {1, "abc"}}));
    EXPECT_EQ(compile(insert(s.users).values(named("name", "x", "age", 3))),
              (Compiled{"INSERT INTO `users` (`name`, `age`) VALUES (%s, %s)", {"x", 3}}));
    const std::vector<NamedParams> rows{named("name", "a", "age", 1), named("age", 2, "name", "b")};
    EXPECT_EQ(compile(s.users.insert().values_many(rows)),
              (Compiled{"INSERT INTO `users` (`name`, `age`) VALUES (%s, %s), (%s, %s)", {"a", 1, "b", 2}}));
    EXPECT_EQ(compile(s.users.insert()), (Compiled{"INSERT INTO `users` () VALUES ()", {}}));
    EXPECT_EQ(compile(s.users.insert().values("name", text("USER()"))),
              (Compiled{"INSERT INTO `users` (`name`) VALUES (USER())", {}}));
}

TEST(SqlInsert, BadRowsFailClearly) {
    Schema s;
    EXPECT_THROW((void)compile(s.users.insert().values({{"nope", 1}})), NoSuchColumnError);
    EXPECT_THROW((void)compile(s.users.insert().values({{"name", 1}, {"name", 2}})), ProgrammingError);
    const std::vector<NamedParams> ragged{named("name", "a"), named("name", "b", "age", 2)};
    EXPECT_THROW((void)compile(s.users.insert().values_many(ragged)), ProgrammingError);
    const std::vector<NamedParams> other{named("name", "a"), named("age", 2)};
    EXPECT_THROW((void)compile(s.users.insert().values_many(other)), ProgrammingError);
    EXPECT_THROW((void)compile(Insert(Table())), ProgrammingError);
}

TEST(SqlUpdate, SetAndWhere) {
    Schema s;
    EXPECT_EQ(compile(s.users.update().where(s.users.c("id") == 7).values({{"name", "z"}})),
              (Compiled{"UPDATE `users` SET `name` = %s WHERE `users`.`id` = %s", {"z", 7}}));
    EXPECT_EQ(compile(update(s.users).values("age", s.users.c("age") + 1)),
              (Compiled{"UPDATE `users` SET `age` = `users`.`age` + %s", {1}}));
    EXPECT_THROW((void)compile(s.users.update()), ProgrammingError);
    EXPECT_THROW((void)compile(s.users.update().values({{"nope", 1}})), NoSuchColumnError);
}

TEST(SqlDelete, WithAndWithoutWhere) {
    Schema s;
    EXPECT_EQ(compile(s.users.delete_().where(s.users.c("id").in_(1, 2))),
              (Compiled{"DELETE FROM `users` WHERE `users`.`id` IN (%s, %s)", {1, 2}}));
    EXPECT_EQ(compile(delete_(s.users)), (Compiled{"DELETE FROM `users`", {}}));
}

TEST(SqlIdentifiers, HostileNamesAreQuotedAndPercentSafe) {
    MetaData md;
    Table t(md, "we`ird; DROP TABLE x; %s", Column("co`l%", Integer()), Column("sp ace", Text()));
    const Compiled q = compile(select(t.c("co`l%")).where(t.c("sp ace") == "%s"));
    EXPECT_EQ(q, (Compiled{"SELECT `we``ird; DROP TABLE x; %%s`.`co``l%%` FROM `we``ird; DROP TABLE x; %%s` "
                           "WHERE `we``ird; DROP TABLE x; %%s`.`sp ace` = %s",
                           {"%s"}}));
    EXPECT_EQ(q.str(), "SELECT `we``ird; DROP TABLE x; %s`.`co``l%` FROM `we``ird; DROP TABLE x; %s` "
                       "WHERE `we``ird; DROP TABLE x; %s`.`sp ace` = '%s'");
    EXPECT_EQ(compile(t.insert().values("co`l%", 1)),
              (Compiled{"INSERT INTO `we``ird; DROP TABLE x; %%s` (`co``l%%`) VALUES (%s)", {1}}));
    EXPECT_EQ(compile(count().label("a`b")), (Compiled{"COUNT(*) AS `a``b`", {}}));
}

TEST(SqlIdentifiers, BadNamesAreRefused) {
    MetaData md;
    EXPECT_THROW(Table(md, "", Column("a", Integer())), ProgrammingError);
    EXPECT_THROW(Table(md, std::string("a\0b", 3), Column("a", Integer())), ProgrammingError);
    EXPECT_THROW(Column(std::string("a\0", 2), Integer()), ProgrammingError);
    EXPECT_THROW(Column("", Integer()), ProgrammingError);
    EXPECT_THROW(Table(md, "dup", Column("a", Integer()), Column("a", Text())), ProgrammingError);
    Table ok(md, "ok", Column("a", Integer()));
    EXPECT_THROW(Table(md, "ok", Column("a", Integer())), ProgrammingError);
    EXPECT_THROW((void)compile(count().label(std::string("a\0", 2))), ProgrammingError);
}

}  // namespace
}  // namespace uvmysql::sql
