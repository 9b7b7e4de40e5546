// SPDX-License-Identifier: MIT
// ColumnCache: parsed column metadata reused while the definitions' bytes stay the same.
#include <gtest/gtest.h>

#include "hex.hpp"
#include "split.hpp"
#include "protocol/column_cache.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using ColumnsPtr = std::shared_ptr<const std::vector<ColumnInfo>>;

// `id` INT UNSIGNED NOT NULL of test.t (alias tt), and a column `k` like it.
const ByteVec id_column = hex(
    "03 646566  04 74657374  02 7474  01 74  02 6964  02 6964"
    "0c 3f00 0a000000 03 2342 00 0000");
const ByteVec k_column = hex(
    "03 646566  04 74657374  02 7474  01 74  01 6b  01 6b"
    "0c 3f00 0a000000 03 2342 00 0000");

ColumnsPtr read_set(ColumnCache& cache, const std::vector<ByteVec>& defs) {
    cache.begin(defs.size());
    for (const auto& d : defs) {
        EXPECT_FALSE(cache.complete());
        cache.add(d);
    }
    EXPECT_TRUE(cache.complete());
    ColumnsPtr out;
    EXPECT_TRUE(cache.finish(out).ok());
    return out;
}

TEST(ColumnCache, TheSameBytesShareTheParsedColumns) {
    ColumnCache cache;
    const ColumnsPtr first = read_set(cache, {id_column, k_column});
    ASSERT_TRUE(first);
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].name, "id");
    EXPECT_EQ((*first)[1].name, "k");
    EXPECT_EQ(read_set(cache, {id_column, k_column}), first);
}

TEST(ColumnCache, OtherBytesAreParsedAgain) {
    ColumnCache cache;
    const ColumnsPtr first = read_set(cache, {id_column, k_column});
    const ColumnsPtr swapped = read_set(cache, {k_column, id_column});
    ASSERT_NE(swapped, first);
    EXPECT_EQ((*swapped)[0].name, "k");
    const ColumnsPtr fewer = read_set(cache, {k_column});
    ASSERT_EQ(fewer->size(), 1u);
    // One byte different (the column length) is a different set too.
    ByteVec longer = k_column;
    longer[longer.size() - 10] = 0x0b;
    const ColumnsPtr changed = read_set(cache, {longer});
    ASSERT_NE(changed, fewer);
    EXPECT_EQ((*changed)[0].length, 11u);
    EXPECT_EQ((*fewer)[0].length, 10u);   // sets already handed out never change
}

TEST(ColumnCache, MalformedDefinitionFailsAndIsNotCached) {
    ColumnCache cache;
    const ColumnsPtr good = read_set(cache, {id_column});
    ByteVec bad = id_column;
    bad.resize(bad.size() - 3);
    cache.begin(1);
    cache.add(bad);
    ColumnsPtr out;
    EXPECT_EQ(cache.finish(out).errno_code, cr::malformed_packet);
    EXPECT_EQ(read_set(cache, {id_column}), good);
}

}  // namespace
}  // namespace uvmysql::test
