// SPDX-License-Identifier: MIT
// RowProxy without a server: lookups by position, name and Column (joins with clashing names),
// the errors for what is missing, keys/values and equality.
#include <gtest/gtest.h>

#include <uvmysql/row_proxy.hpp>

namespace uvmysql {
namespace {

ColumnInfo column(std::string table, std::string name) {
    ColumnInfo c;
    c.table = std::move(table);
    c.name = std::move(name);
    return c;
}

/// A row of `SELECT users.id, users.name, orders.id, COUNT(*) AS n` over a join.
RowProxy joined_row() {
    auto cols = std::make_shared<const Columns>(
        Columns{column("users", "id"), column("users", "name"), column("orders", "id"), column("", "n")});
    auto keys = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"id", "name", "id", "n"});
    return RowProxy(Row(positional(1, "ann", 10, 3), cols), keys);
}

struct Schema {
    sql::MetaData md;
    sql::Table users{md, "users", sql::Column("id", sql::Integer()), sql::Column("name", sql::Text())};
    sql::Table orders{md, "orders", sql::Column("id", sql::Integer()), sql::Column("note", sql::Text())};
    sql::Table other{md, "other", sql::Column("n", sql::Integer()), sql::Column("id", sql::Integer())};
};

TEST(RowProxy, ByPositionAndName) {
    const RowProxy row = joined_row();
    EXPECT_EQ(row.size(), 4u);
    EXPECT_EQ(row[0], Value(1));
    EXPECT_EQ(row[3], Value(3));
    EXPECT_EQ(row["name"], Value("ann"));
    EXPECT_EQ(row["id"], Value(1));   // the first column of that name
    EXPECT_EQ(row.at("n"), Value(3));
    EXPECT_THROW((void)row[4], InterfaceError);
    EXPECT_EQ(row.find("nope"), nullptr);
    EXPECT_FALSE(row.contains("nope"));
}

TEST(RowProxy, ByColumnPrefersTheSameTable) {
    Schema s;
    const RowProxy row = joined_row();
    EXPECT_EQ(row[s.users.c("id")], Value(1));
    EXPECT_EQ(row[s.orders.c("id")], Value(10));
    EXPECT_EQ(row[s.users.c("name")], Value("ann"));
    EXPECT_EQ(row[s.other.c("n")], Value(3));   // the only column named n (an alias)
    EXPECT_THROW((void)row[s.other.c("id")], NoSuchColumnError);   // two candidates, neither of `other`
    EXPECT_THROW((void)row[s.orders.c("note")], NoSuchColumnError);
}

TEST(RowProxy, MissingNamesAreNamedInTheError) {
    const RowProxy row = joined_row();
    try {
        (void)row["missing`col"];
        FAIL() << "no error";
    } catch (const NoSuchColumnError& e) {
        EXPECT_EQ(e.sqlstate(), "42S22");
        EXPECT_EQ(e.errno_code(), 0);
        EXPECT_NE(std::string(e.what()).find("missing`col"), std::string::npos) << e.what();
    }
    // A subclass of the existing hierarchy: one handler for API misuse catches it.
    EXPECT_THROW((void)row["x"], InterfaceError);
    EXPECT_THROW((void)row["x"], Error);
}

TEST(RowProxy, KeysValuesAndEquality) {
    const RowProxy row = joined_row();
    EXPECT_EQ(row.keys(), (std::vector<std::string>{"id", "name", "id", "n"}));
    EXPECT_EQ(row.values(), positional(1, "ann", 10, 3));
    EXPECT_EQ(row.as_tuple(), positional(1, "ann", 10, 3));
    EXPECT_EQ(row, joined_row());
    EXPECT_EQ(row, positional(1, "ann", 10, 3));
    EXPECT_EQ(positional(1, "ann", 10, 3), row);
    EXPECT_FALSE(row == positional(1, "ann", 10, 4));
    EXPECT_FALSE(row != joined_row());
    std::size_t n = 0;
    for (const Value& v : row) n += v.is_null() ? 0 : 1;
    EXPECT_EQ(n, 4u);
}

TEST(RowProxy, EmptyRow) {
    const RowProxy row;
    EXPECT_TRUE(row.empty());
    EXPECT_TRUE(row.keys().empty());
    EXPECT_THROW((void)row[0], InterfaceError);
    EXPECT_THROW((void)row["a"], NoSuchColumnError);
}

}  // namespace
}  // namespace uvmysql
