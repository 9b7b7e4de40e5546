// SPDX-License-Identifier: MIT
// The per-thread block free lists behind future states and ops.
#include "async/block_cache.hpp"

#include <cstdint>
#include <new>

// Under AddressSanitizer every block goes straight to the allocator, so that a use after free
// of a state or an op is still reported.
#if defined(__SANITIZE_ADDRESS__)
#define UVMYSQL_BLOCK_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UVMYSQL_BLOCK_CACHE 0
#endif
#endif
#ifndef UVMYSQL_BLOCK_CACHE
#define UVMYSQL_BLOCK_CACHE 1
#endif

namespace uvmysql::detail {

#if UVMYSQL_BLOCK_CACHE
namespace {

// Size classes of 16 bytes up to 1 KiB (the largest op is a few hundred bytes). Each class keeps
// at most 64 blocks: enough for the states and ops of the commands in flight on one loop's
// connections in the common case, at most 64 × 1 KiB per class held back from malloc.
constexpr std::size_t granule = 16;
constexpr std::size_t largest = 1024;
constexpr std::size_t classes = largest / granule;
constexpr std::uint16_t per_class = 64;

struct FreeBlock {
    FreeBlock* next;
};

struct Lists {
    FreeBlock* head[classes];
    std::uint16_t count[classes];
    bool reaper_armed;   // the thread-exit hook below is registered
    bool gone;           // this thread is exiting: no more caching
};

// constinit and initial-exec, as the run queue: a plain TLS access on the hot path.
[[gnu::tls_model("initial-exec")]] constinit thread_local Lists lists{};

constexpr std::size_t class_of(std::size_t size) noexcept { return (size - 1) / granule; }

void release_all() noexcept {
    for (std::size_t c = 0; c < classes; ++c) {
        while (FreeBlock* b = lists.head[c]) {
            lists.head[c] = b->next;
            ::operator delete(b);
        }
        lists.count[c] = 0;
    }
}

// Gives the cached blocks back to malloc when the thread exits (a thread_local with a
// destructor, touched once per thread: the hot path stays free of TLS guards).
struct Reaper {
    ~Reaper() {
        lists.gone = true;
        release_all();
    }
};

[[gnu::noinline]] void arm_reaper() noexcept {
    static thread_local Reaper reaper;
    (void)reaper;
    lists.reaper_armed = true;
}

}  // namespace

void* cached_block_alloc(std::size_t size) {
    if (size != 0 && size <= largest) {
        const std::size_t c = class_of(size);
        if (FreeBlock* b = lists.head[c]) {
            lists.head[c] = b->next;
            --lists.count[c];
            return b;
        }
        // Allocate the whole class size, so that any block of the class can serve any request.
        return ::operator new((c + 1) * granule);
    }
    return ::operator new(size);
}

void cached_block_free(void* block, std::size_t size) noexcept {
    if (block == nullptr) return;
    if (size != 0 && size <= largest && !lists.gone) {
        const std::size_t c = class_of(size);
        if (lists.count[c] < per_class) {
            if (!lists.reaper_armed) arm_reaper();
            auto* b = static_cast<FreeBlock*>(block);
            b->next = lists.head[c];
            lists.head[c] = b;
            ++lists.count[c];
            return;
        }
    }
    ::operator delete(block);
}

#else

void* cached_block_alloc(std::size_t size) { return ::operator new(size); }

void cached_block_free(void* block, std::size_t /*size*/) noexcept { ::operator delete(block); }

#endif

}  // namespace uvmysql::detail
