// SPDX-License-Identifier: MIT
// CREATE TABLE / DROP TABLE for each column type and option, and create_all / drop_all order.
#include <gtest/gtest.h>

#include <uvmysql/sql.hpp>

namespace uvmysql::sql {
namespace {

TEST(SqlDdl, AiomysqlExampleTable) {
    MetaData md;
    Table tbl(md, "tbl", Column("id", Integer(), {.primary_key = true}), Column("val", String(255)));
    EXPECT_EQ(compile(CreateTable{tbl}),
              (Compiled{"CREATE TABLE IF NOT EXISTS `tbl` (\n\t`id` INTEGER NOT NULL AUTO_INCREMENT, \n\t`val` "
                        "VARCHAR(255), \n\tPRIMARY KEY (`id`)\n)",
                        {}}));
    EXPECT_EQ(compile(DropTable{tbl}), (Compiled{"DROP TABLE IF EXISTS `tbl`", {}}));
    EXPECT_EQ(compile(DropTable{tbl, false}), (Compiled{"DROP TABLE `tbl`", {}}));
}

TEST(SqlDdl, EveryType) {
    MetaData md;
    Table t(md, "all_types", Column("a", Integer()), Column("b", BigInteger()), Column("c", SmallInteger()),
            Column("d", Boolean()), Column("e", String(10)), Column("f", Text()), Column("g", Binary(16)),
            Column("h", LargeBinary()), Column("i", Float()), Column("j", Numeric(10, 2)), Column("k", Date()),
            Column("l", DateTime()), Column("m", DateTime(6)), Column("n", Time()), Column("o", Enum("x", "y'z")),
            Column("p", JSON()));
    EXPECT_EQ(compile(CreateTable{t, false}),
              (Compiled{"CREATE TABLE `all_types` (\n\t`a` INTEGER, \n\t`b` BIGINT, \n\t`c` SMALLINT, \n\t`d` BOOL, "
                        "\n\t`e` VARCHAR(10), \n\t`f` TEXT, \n\t`g` VARBINARY(16), \n\t`h` BLOB, \n\t`i` FLOAT, "
                        "\n\t`j` NUMERIC(10, 2), \n\t`k` DATE, \n\t`l` DATETIME, \n\t`m` DATETIME(6), \n\t`n` TIME, "
                        "\n\t`o` ENUM(%s, %s), \n\t`p` JSON\n)",
                        {"x", "y'z"}}));
}

TEST(SqlDdl, ColumnOptions) {
    MetaData md;
    Table t(md, "opts", Column("k1", Integer(), {.primary_key = true}), Column("k2", String(5), {.primary_key = true}),
            Column("n", Integer(), ColumnOptions().with_nullable(false).with_default(7)),
            Column("s", String(5), ColumnOptions().with_unique().with_default("it's")),
            Column("c", BigInteger(), ColumnOptions().with_autoincrement(true).with_unique()));
    EXPECT_EQ(compile(CreateTable{t}),
              (Compiled{"CREATE TABLE IF NOT EXISTS `opts` (\n\t`k1` INTEGER NOT NULL, \n\t`k2` VARCHAR(5) NOT NULL, "
                        "\n\t`n` INTEGER NOT NULL DEFAULT %s, \n\t`s` VARCHAR(5) DEFAULT %s UNIQUE, \n\t`c` BIGINT "
                        "AUTO_INCREMENT UNIQUE, \n\tPRIMARY KEY (`k1`, `k2`)\n)",
                        {7, "it's"}}));
}

TEST(SqlDdl, HostileNamesQuotedAndDefaultsAndEnumMembersBound) {
    MetaData md;
    const std::string evil_default = "50%'); DROP TABLE x; -- %s";
    Table t(md, "we`ird %s 100%", Column("k`ey%s", Integer(), {.primary_key = true}),
            Column("%", String(5), ColumnOptions().with_default(evil_default)),
            Column("e", Enum("%s", "a'b", "`c`", "back\\slash"), ColumnOptions().with_default("%s")));
    // Identifiers: backticks doubled inside backticks, and every % doubled because the text goes
    // through %s formatting; default values and enum members are parameters, never text.
    const Compiled create = compile(CreateTable{t});
    EXPECT_EQ(create,
              (Compiled{"CREATE TABLE IF NOT EXISTS `we``ird %%s 100%%` (\n\t`k``ey%%s` INTEGER NOT NULL "
                        "AUTO_INCREMENT, \n\t`%%` VARCHAR(5) DEFAULT %s, \n\t`e` ENUM(%s, %s, %s, %s) "
                        "DEFAULT %s, \n\tPRIMARY KEY (`k``ey%%s`)\n)",
                        {evil_default, "%s", "a'b", "`c`", "back\\slash", "%s"}}));
    // What the server receives: the doubled % single again, the values escaped as literals.
    EXPECT_EQ(create.str(),
              "CREATE TABLE IF NOT EXISTS `we``ird %s 100%` (\n\t`k``ey%s` INTEGER NOT NULL AUTO_INCREMENT, "
              "\n\t`%` VARCHAR(5) DEFAULT '50%\\'); DROP TABLE x; -- %s', \n\t`e` ENUM('%s', 'a\\'b', '`c`', "
              "'back\\\\slash') DEFAULT '%s', \n\tPRIMARY KEY (`k``ey%s`)\n)");

    const Compiled drop = compile(DropTable{t});
    EXPECT_EQ(drop, (Compiled{"DROP TABLE IF EXISTS `we``ird %%s 100%%`", {}}));
    EXPECT_EQ(drop.str(), "DROP TABLE IF EXISTS `we``ird %s 100%`");
    EXPECT_EQ(compile(DropTable{t, false}).str(), "DROP TABLE `we``ird %s 100%`");
    auto all = drop_all_statements(md);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0], drop);
}

TEST(SqlDdl, NamesWithoutAQuotedFormAreRefusedWhenDefined) {
    // No identifier may hold a NUL byte or be empty: refused by Table and Column themselves, so
    // no DDL is ever compiled for such a name.
    MetaData md;
    auto refused = [](auto make) -> std::string {
        try {
            make();
        } catch (const ProgrammingError& e) {
            EXPECT_EQ(e.sqlstate(), "42000");
            return e.what();
        }
        return "not refused";
    };
    EXPECT_EQ(refused([&] { Table(md, std::string("t\0x", 3), Column("id", Integer())); }),
              "table name contains a NUL byte");
    EXPECT_EQ(refused([] { Column(std::string("c\0", 2), Integer()); }), "column name contains a NUL byte");
    EXPECT_EQ(refused([&] { Table(md, "", Column("id", Integer())); }), "table name is empty");
    EXPECT_EQ(refused([] { Column("", Integer()); }), "column name is empty");
    EXPECT_TRUE(md.tables().empty());
}

TEST(SqlDdl, TypesMySqlCannotTakeFailClearly) {
    MetaData md;
    Table a(md, "a", Column("s", String()));
    Table b(md, "b", Column("s", Binary()));
    Table c(md, "c", Column("s", DateTime(7)));
    Table d(md, "d", Column("s", Numeric(5, 6)));
    Table e(md, "e", Column("s", Enum(std::vector<std::string>{})));
    Table f(md, "f");
    for (const Table& t : {a, b, c, d, e, f}) EXPECT_THROW((void)compile(CreateTable{t}), ProgrammingError) << t.name();
}

TEST(SqlDdl, CreateAllInOrderDropAllInReverse) {
    MetaData md;
    Table one(md, "one", Column("id", Integer()));
    Table two(md, "two", Column("id", Integer()));
    auto create = create_all_statements(md);
    ASSERT_EQ(create.size(), 2u);
    EXPECT_EQ(create[0].sql.rfind("CREATE TABLE IF NOT EXISTS `one`", 0), 0u);
    EXPECT_EQ(create[1].sql.rfind("CREATE TABLE IF NOT EXISTS `two`", 0), 0u);
    auto drop = drop_all_statements(md);
    ASSERT_EQ(drop.size(), 2u);
    EXPECT_EQ(drop[0].sql, "DROP TABLE IF EXISTS `two`");
    EXPECT_EQ(drop[1].sql, "DROP TABLE IF EXISTS `one`");
    EXPECT_EQ(md.find("two")->name(), "two");
    EXPECT_EQ(md.find("three"), nullptr);
}

}  // namespace
}  // namespace uvmysql::sql
