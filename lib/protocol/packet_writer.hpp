// SPDX-License-Identifier: MIT
// PacketWriter: encodes the protocol's primitive types by appending to a caller-owned buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// Number of bytes lenenc_int(v) takes on the wire.
[[nodiscard]] constexpr std::size_t lenenc_int_size(std::uint64_t v) noexcept {
    return v < 0xFB ? 1 : v <= 0xFFFF ? 3 : v <= 0xFFFFFF ? 4 : 9;
}

/// Appends protocol primitives, little-endian, to a std::vector the caller owns (and reuses).
/// Appending never invalidates what is already in the buffer except through reallocation.
class PacketWriter {
public:
    explicit PacketWriter(std::vector<std::uint8_t>& out) noexcept : out_(out) {}

    /// The buffer written to.
    [[nodiscard]] std::vector<std::uint8_t>& buffer() noexcept { return out_; }

    /// int<1>.
    void int1(std::uint8_t v) { out_.push_back(v); }
    /// int<2>.
    void int2(std::uint16_t v) { fixed(v, 2); }
    /// int<3>.
    void int3(std::uint32_t v) { fixed(v, 3); }
    /// int<4>.
    void int4(std::uint32_t v) { fixed(v, 4); }
    /// int<8>.
    void int8(std::uint64_t v) { fixed(v, 8); }
    /// int<lenenc>, in its shortest form.
    void lenenc_int(std::uint64_t v) {
        if (v < 0xFB) {
            int1(static_cast<std::uint8_t>(v));
        } else if (v <= 0xFFFF) {
            int1(0xFC);
            fixed(v, 2);
        } else if (v <= 0xFFFFFF) {
            int1(0xFD);
            fixed(v, 3);
        } else {
            int1(0xFE);
            fixed(v, 8);
        }
    }
    /// string<fix>: the bytes as they are.
    void bytes(Bytes b) { out_.insert(out_.end(), b.begin(), b.end()); }
    /// string<fix> from text.
    void bytes(std::string_view s) { bytes(as_bytes(s)); }
    /// string<lenenc>.
    void lenenc_str(Bytes b) {
        lenenc_int(b.size());
        bytes(b);
    }
    /// string<lenenc> from text.
    void lenenc_str(std::string_view s) { lenenc_str(as_bytes(s)); }
    /// string<NUL>. The caller makes sure `s` holds no NUL itself.
    void null_str(std::string_view s) {
        bytes(s);
        int1(0);
    }
    /// n copies of one byte (fillers).
    void fill(std::size_t n, std::uint8_t v = 0) { out_.insert(out_.end(), n, v); }

private:
    // Encoded on the stack and appended at once: one capacity check, not one per byte.
    void fixed(std::uint64_t v, std::size_t n) {
        std::uint8_t le[8];
        for (std::size_t i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
        out_.insert(out_.end(), le, le + n);
    }

    std::vector<std::uint8_t>& out_;
};

}  // namespace uvmysql::detail
