// SPDX-License-Identifier: MIT
// The per-thread block cache behind future states and ops: blocks are reused, sizes never mix
// up, and blocks may be freed on another thread.
#include "async/block_cache.hpp"

#include "sanitizers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <list>
#include <thread>
#include <vector>

namespace uvmysql::detail {
namespace {

// Under AddressSanitizer the cache hands every block to malloc (so that use after free is still
// caught): reuse is only asserted in the other builds.
#ifdef UVMYSQL_TEST_ASAN
constexpr bool cache_on = false;
#else
constexpr bool cache_on = true;
#endif

TEST(BlockCache, AFreedBlockServesTheNextRequestOfItsSizeClass) {
    void* a = cached_block_alloc(100);
    std::memset(a, 0xAB, 100);
    cached_block_free(a, 100);
    void* b = cached_block_alloc(97);   // same 16-byte class as 100
    if (cache_on) {
        EXPECT_EQ(a, b);
    }
    std::memset(b, 0xCD, 97);           // the whole request is usable
    cached_block_free(b, 97);
}

TEST(BlockCache, SizeClassesDoNotMix) {
    void* small = cached_block_alloc(16);
    cached_block_free(small, 16);
    void* larger = cached_block_alloc(200);
    EXPECT_NE(small, larger);   // a 16-byte block never serves 200 bytes
    std::memset(larger, 1, 200);
    cached_block_free(larger, 200);
}

TEST(BlockCache, LargeAndZeroSizedRequestsGoToTheAllocator) {
    void* big = cached_block_alloc(64 * 1024);
    std::memset(big, 2, 64 * 1024);
    cached_block_free(big, 64 * 1024);
    void* none = cached_block_alloc(0);
    EXPECT_NE(none, nullptr);
    cached_block_free(none, 0);
    cached_block_free(nullptr, 32);   // a no-op, as delete of null
}

TEST(BlockCache, ManyBlocksThenFreedBeyondTheBound) {
    // More blocks than a class keeps: the surplus goes back to malloc (checked by LSan and by
    // the blocks being distinct and writable).
    std::vector<void*> blocks;
    for (int i = 0; i < 500; ++i) {
        blocks.push_back(cached_block_alloc(48));
        std::memset(blocks.back(), i & 0xFF, 48);
    }
    for (void* b : blocks) cached_block_free(b, 48);
    std::vector<void*> again;
    for (int i = 0; i < 500; ++i) again.push_back(cached_block_alloc(48));
    std::sort(again.begin(), again.end());
    EXPECT_EQ(std::adjacent_find(again.begin(), again.end()), again.end());   // no block twice
    for (void* b : again) cached_block_free(b, 48);
}

TEST(BlockCache, BlocksMayBeFreedOnAnotherThreadAndThreadsGiveTheirsBackAtExit) {
    std::vector<void*> made;
    for (int i = 0; i < 32; ++i) made.push_back(cached_block_alloc(64));
    std::thread other([&] {
        for (void* b : made) cached_block_free(b, 64);   // cached on that thread, freed at its exit
        void* own = cached_block_alloc(64);
        cached_block_free(own, 64);
    });
    other.join();
    void* mine = cached_block_alloc(64);
    cached_block_free(mine, 64);
}

TEST(BlockCache, AllocatorServesNodeContainers) {
    std::list<int, CachedBlockAllocator<int>> fifo;
    for (int i = 0; i < 100; ++i) fifo.push_back(i);
    int expected = 0;
    for (int v : fifo) EXPECT_EQ(v, expected++);
    while (!fifo.empty()) fifo.pop_front();
    EXPECT_TRUE(CachedBlockAllocator<int>{} == CachedBlockAllocator<long>{});
}

}  // namespace
}  // namespace uvmysql::detail
