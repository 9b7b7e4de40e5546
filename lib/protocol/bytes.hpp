// SPDX-License-Identifier: MIT
// Byte-span vocabulary shared by the protocol and auth layers.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace uvmysql::detail {

/// A read-only view of wire bytes. Never owns; the producer documents how long it stays valid.
using Bytes = std::span<const std::uint8_t>;

/// Views bytes as text without copying (MySQL strings are byte strings in the connection charset).
[[nodiscard]] inline std::string_view as_string_view(Bytes b) noexcept {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// Views text as bytes without copying.
[[nodiscard]] inline Bytes as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace uvmysql::detail
