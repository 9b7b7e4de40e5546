// SPDX-License-Identifier: MIT
// Per-thread free lists for the small objects every command allocates and frees (future states,
// ops): in steady state a query takes its blocks from these lists instead of malloc.
#pragma once

#include <cstddef>

namespace uvmysql::detail {

/// A block of `size` bytes (aligned as operator new's): a cached block of the same size class
/// when this thread freed one, else ::operator new. Throws std::bad_alloc as operator new does.
[[nodiscard]] void* cached_block_alloc(std::size_t size);

/// Gives back a block from cached_block_alloc(size), on any thread: kept for reuse on this
/// thread (up to a bound per size class), else ::operator delete.
void cached_block_free(void* block, std::size_t size) noexcept;

/// A standard allocator over the block cache, for node containers and allocate_shared() of
/// objects made once per command (a pool's waiters, a cursor's state).
template <class T>
struct CachedBlockAllocator {
    using value_type = T;

    CachedBlockAllocator() noexcept = default;
    template <class U>
    CachedBlockAllocator(const CachedBlockAllocator<U>&) noexcept {}   // NOLINT: rebinding

    [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(cached_block_alloc(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { cached_block_free(p, n * sizeof(T)); }

    template <class U>
    friend bool operator==(const CachedBlockAllocator&, const CachedBlockAllocator<U>&) noexcept {
        return true;
    }
};

}  // namespace uvmysql::detail
