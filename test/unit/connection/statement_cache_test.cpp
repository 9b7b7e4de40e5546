// SPDX-License-Identifier: MIT
// StatementCache: LRU order, eviction releases (not closes) statements, epochs empty it.
#include "connection/statement_cache.hpp"

#include <gtest/gtest.h>

namespace uvmysql::detail {
namespace {

std::shared_ptr<StatementState> statement(std::string sql, std::uint64_t epoch = 1) {
    auto st = std::make_shared<StatementState>();
    st->sql = std::move(sql);
    st->epoch = epoch;
    return st;   // no connection: its destructor sends nothing
}

TEST(StatementCache, LeastRecentlyUsedIsEvicted) {
    StatementCache cache;
    cache.set_capacity(2);
    auto a = statement("a");
    auto b = statement("b");
    cache.insert(a);
    cache.insert(b);
    EXPECT_TRUE(a->cached);
    EXPECT_EQ(cache.find("a", 1), a);   // a is now the most recently used
    auto c = statement("c");
    cache.insert(c);
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.find("b", 1), nullptr);
    EXPECT_FALSE(b->cached);   // released: closed by its last holder
    EXPECT_FALSE(b->closed);
    EXPECT_EQ(cache.find("a", 1), a);
    EXPECT_EQ(cache.find("c", 1), c);
}

TEST(StatementCache, ZeroCapacityKeepsNothing) {
    StatementCache cache;
    auto a = statement("a");
    cache.insert(a);
    EXPECT_FALSE(a->cached);
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_EQ(cache.find("a", 1), nullptr);
}

TEST(StatementCache, AnotherEpochEmptiesIt) {
    StatementCache cache;
    cache.set_capacity(4);
    auto a = statement("a", 1);
    cache.insert(a);
    EXPECT_EQ(cache.find("a", 2), nullptr);
    EXPECT_TRUE(a->closed);   // the server forgot it
    EXPECT_EQ(cache.size(), 0u);
    auto a2 = statement("a", 2);
    cache.insert(a2);
    EXPECT_EQ(cache.find("a", 2), a2);
}

TEST(StatementCache, SameTextIsNotCachedTwice) {
    StatementCache cache;
    cache.set_capacity(4);
    auto a = statement("a");
    auto again = statement("a");
    cache.insert(a);
    cache.insert(again);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_FALSE(again->cached);
    EXPECT_EQ(cache.find("a", 1), a);
}

}  // namespace
}  // namespace uvmysql::detail
