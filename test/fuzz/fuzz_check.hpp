// SPDX-License-Identifier: MIT
// What every fuzz target shares: invariant checks that abort (a libFuzzer finding) and view checks.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

/// Aborts with the failed invariant when `cond` is false: libFuzzer saves the input as a crash.
#define UVMYSQL_FUZZ_CHECK(cond)                                                                \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);  \
            std::abort();                                                                       \
        }                                                                                       \
    } while (0)

namespace uvmysql::fuzz {

using ByteVec = std::vector<std::uint8_t>;

/// True when [p, p + n) lies inside `whole` (an empty view anywhere inside or at its end, or null).
inline bool inside(const void* p, std::size_t n, std::span<const std::uint8_t> whole) {
    if (n == 0) return true;
    const auto* b = static_cast<const std::uint8_t*>(p);
    return b >= whole.data() && n <= whole.size() && b - whole.data() <= static_cast<std::ptrdiff_t>(whole.size() - n);
}
inline bool inside(std::span<const std::uint8_t> part, std::span<const std::uint8_t> whole) {
    return inside(part.data(), part.size(), whole);
}
inline bool inside(std::string_view part, std::span<const std::uint8_t> whole) {
    return inside(part.data(), part.size(), whole);
}

/// Splits the rest of the input into messages: each is an int<1> length (0xFF: take an int<2>
/// length) followed by that many bytes, the last one possibly shorter. Lets one input hold a
/// sequence of server messages while staying small.
inline std::vector<ByteVec> take_messages(FuzzedDataProvider& in, std::size_t max_messages = 64) {
    std::vector<ByteVec> out;
    while (in.remaining_bytes() > 0 && out.size() < max_messages) {
        std::size_t n = in.ConsumeIntegral<std::uint8_t>();
        if (n == 0xFF) n = in.ConsumeIntegral<std::uint16_t>();
        out.push_back(in.ConsumeBytes<std::uint8_t>(n));
    }
    return out;
}

}  // namespace uvmysql::fuzz
