// SPDX-License-Identifier: MIT
// Row and DictRow: positional and by-name access, shared metadata, PyMySQL's duplicate-name keys.
#include "uvmysql/row.hpp"

#include <gtest/gtest.h>

#include "uvmysql/error.hpp"

using namespace uvmysql;

namespace {
ColumnInfo col(std::string table, std::string name) {
    ColumnInfo c;
    c.table = std::move(table);
    c.name = std::move(name);
    c.type = FieldType::long_;
    return c;
}
std::shared_ptr<const Columns> columns(std::initializer_list<ColumnInfo> cs) {
    return std::make_shared<const Columns>(cs);
}
}  // namespace

TEST(Row, PositionalAccessAndIteration) {
    const Row r({1, "a", Value()}, columns({col("t", "id"), col("t", "name"), col("t", "x")}));
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0], Value(1));
    EXPECT_EQ(r.at(1), Value("a"));
    EXPECT_TRUE(r.at(2).is_null());
    EXPECT_THROW((void)r.at(3), InterfaceError);
    int n = 0;
    for (const Value& v : r) n += v.is_null() ? 0 : 1;
    EXPECT_EQ(n, 2);
    EXPECT_EQ(r.columns().size(), 3u);
    EXPECT_EQ(r.columns()[1].name, "name");
}

TEST(Row, LookupByName) {
    const Row r({1, 2}, columns({col("t", "a"), col("u", "a")}));
    EXPECT_EQ(r.at("a"), Value(1));   // the first column of that name
    EXPECT_EQ(r.index_of("a"), 0u);
    EXPECT_EQ(r.find("b"), nullptr);
    EXPECT_THROW((void)r.at("b"), InterfaceError);
}

TEST(Row, SharesMetadataAndTakesValues) {
    auto cols = columns({col("t", "a")});
    Row r1({1}, cols);
    Row r2({2}, cols);
    EXPECT_EQ(r1.columns_ptr().get(), r2.columns_ptr().get());
    EXPECT_EQ(cols.use_count(), 3);
    std::vector<Value> taken = std::move(r1).values();
    EXPECT_EQ(taken.size(), 1u);
    EXPECT_EQ(sizeof(Row), sizeof(std::vector<Value>) + sizeof(std::shared_ptr<const Columns>));
}

TEST(Row, WithoutMetadata) {
    Row r({1, 2}, nullptr);
    EXPECT_TRUE(r.columns().empty());
    EXPECT_EQ(r.find("a"), nullptr);
    r[0] = Value("changed");
    EXPECT_EQ(r[0], Value("changed"));
    EXPECT_EQ(r, Row({"changed", 2}, nullptr));
}

TEST(DictRow, LooksUpByNameInColumnOrder) {
    const Row r({1, "x"}, columns({col("t", "id"), col("t", "name")}));
    const DictRow d(r);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d["id"], Value(1));
    EXPECT_EQ(d.at("name"), Value("x"));
    EXPECT_TRUE(d.contains("id"));
    EXPECT_FALSE(d.contains("ID"));
    EXPECT_THROW((void)d["missing"], InterfaceError);
    EXPECT_EQ(d.keys(), (std::vector<std::string>{"id", "name"}));
    std::vector<std::string> seen;
    for (auto [k, v] : d) seen.push_back(k + "=" + v.to_string());
    EXPECT_EQ(seen, (std::vector<std::string>{"id=1", "name=x"}));
    EXPECT_EQ(d.row(), r);
}

TEST(DictRow, DuplicateNamesBecomeTableDotName) {
    // SELECT a.id, b.id, b.name FROM a JOIN b ...
    const Row r({1, 2, "n"}, columns({col("a", "id"), col("b", "id"), col("b", "name")}));
    const DictRow d(r);
    EXPECT_EQ(d.keys(), (std::vector<std::string>{"id", "b.id", "name"}));
    EXPECT_EQ(d["id"], Value(1));
    EXPECT_EQ(d["b.id"], Value(2));
}

TEST(DictRow, DuplicateOfExpressionsGetsAnEmptyTable) {
    // SELECT 1 AS x, 2 AS x: no table alias, so PyMySQL's key is ".x".
    const DictRow d(Row({1, 2}, columns({col("", "x"), col("", "x")})));
    EXPECT_EQ(d.keys(), (std::vector<std::string>{"x", ".x"}));
    EXPECT_EQ(d[".x"], Value(2));
}

TEST(DictRow, ThirdDuplicateOverwritesLikeAPythonDict) {
    // Keys "a", "t.a", "t.a": the dict keeps two keys, the second holding the last value.
    const DictRow d(Row({1, 2, 3}, columns({col("t", "a"), col("t", "a"), col("t", "a")})));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d.keys(), (std::vector<std::string>{"a", "t.a"}));
    EXPECT_EQ(d["t.a"], Value(3));
}

TEST(DictRow, SharedKeysForAResultSet) {
    auto cols = columns({col("t", "a"), col("t", "b")});
    const auto keys = DictKeys::from_columns(*cols);
    const DictRow d1(Row({1, 2}, cols), keys);
    const DictRow d2(Row({3, 4}, cols), keys);
    EXPECT_EQ(d1["b"], Value(2));
    EXPECT_EQ(d2["b"], Value(4));
    EXPECT_EQ(&d1.keys(), &d2.keys());
    EXPECT_EQ(d1, DictRow(Row({1, 2}, cols)));
    EXPECT_FALSE(d1 == d2);
}

TEST(DictRow, WideResultSetsUseTheSortedIndex) {
    Columns cs;
    std::vector<Value> vals;
    for (int i = 0; i < 100; ++i) {
        cs.push_back(col("t", "c" + std::to_string(99 - i)));
        vals.emplace_back(i);
    }
    cs.push_back(col("u", "c5"));   // a duplicate among many
    vals.emplace_back(1000);
    const DictRow d(Row(std::move(vals), std::make_shared<const Columns>(std::move(cs))));
    ASSERT_EQ(d.size(), 101u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(d["c" + std::to_string(99 - i)], Value(i));
    EXPECT_EQ(d["u.c5"], Value(1000));
    EXPECT_FALSE(d.contains("c100"));
}

TEST(DictRow, DefaultIsEmpty) {
    const DictRow d;
    EXPECT_TRUE(d.empty());
    EXPECT_TRUE(d.keys().empty());
    EXPECT_EQ(d.begin(), d.end());
    EXPECT_EQ(d.find("a"), nullptr);
}

TEST(DictRow, RowsOfOneResultSetShareKeysWithoutBeingTold) {
    auto cols = columns({col("t", "a"), col("t", "b")});
    const DictRow d1(Row({1, 2}, cols));
    const DictRow d2(Row({3, 4}, cols));
    EXPECT_EQ(&d1.keys(), &d2.keys());   // DictKeys::of computed them once
    EXPECT_EQ(d2["a"], Value(3));
}

TEST(DictRow, KeysFollowANewResultSetAtARecycledAddress) {
    for (int i = 0; i < 50; ++i) {
        // Each Columns dies before the next is made, so allocations may reuse the address.
        const std::string name = "n" + std::to_string(i);
        const DictRow d(Row({i}, columns({col("t", name)})));
        ASSERT_EQ(d.keys(), (std::vector<std::string>{name}));
        EXPECT_EQ(d[name], Value(i));
    }
}
