// SPDX-License-Identifier: MIT
// PacketReader: bounds-checked decoding of the protocol's primitive types from one payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// Prefix bytes of a length-encoded integer (lenenc_int).
namespace lenenc {
inline constexpr std::uint8_t null_marker = 0xFB;   // a NULL field in a text row
inline constexpr std::uint8_t prefix_2 = 0xFC;      // 2-byte integer follows
inline constexpr std::uint8_t prefix_3 = 0xFD;      // 3-byte integer follows
inline constexpr std::uint8_t prefix_8 = 0xFE;      // 8-byte integer follows
inline constexpr std::uint8_t invalid = 0xFF;       // never a valid prefix (it starts ERR packets)
}  // namespace lenenc

/// Reads protocol primitives from a payload, little-endian, with every length checked.
///
/// Failure is sticky: the first read that would overrun the payload (or meets an invalid
/// lenenc prefix) marks the reader failed, returns a zero/empty value, and every later read
/// does the same. Parsers read a whole message and check ok() once; status() then gives the
/// malformed-packet Status. Returned spans point into the payload and live as long as it does.
class PacketReader {
public:
    explicit PacketReader(Bytes payload) noexcept : data_(payload.data()), size_(payload.size()) {}

    /// True while no read has failed.
    [[nodiscard]] bool ok() const noexcept { return !failed_; }
    /// Bytes not read yet (0 once failed).
    [[nodiscard]] std::size_t remaining() const noexcept { return failed_ ? 0 : size_ - pos_; }
    /// True when every byte has been read and nothing failed.
    [[nodiscard]] bool done() const noexcept { return !failed_ && pos_ == size_; }
    /// Offset of the next byte to read.
    [[nodiscard]] std::size_t position() const noexcept { return pos_; }
    /// The next byte without consuming it; 0 (and failed) at the end.
    [[nodiscard]] std::uint8_t peek() noexcept { return need(1) ? data_[pos_] : 0; }

    /// Marks the reader failed, e.g. when a field has a value the parser rejects.
    void fail() noexcept { failed_ = true; }
    /// The error to report when !ok(): a malformed-packet Status naming `what` was being parsed.
    [[nodiscard]] static Status malformed(std::string_view what) {
        return Status::malformed(std::string(what));
    }

    /// int<1>.
    std::uint8_t int1() noexcept { return need(1) ? data_[pos_++] : 0; }
    /// int<2>.
    std::uint16_t int2() noexcept { return static_cast<std::uint16_t>(fixed(2)); }
    /// int<3>.
    std::uint32_t int3() noexcept { return static_cast<std::uint32_t>(fixed(3)); }
    /// int<4>.
    std::uint32_t int4() noexcept { return static_cast<std::uint32_t>(fixed(4)); }
    /// int<6>.
    std::uint64_t int6() noexcept { return fixed(6); }
    /// int<8>.
    std::uint64_t int8() noexcept { return fixed(8); }

    /// int<lenenc>. The NULL marker 0xFB and 0xFF are not integers: both fail the reader.
    std::uint64_t lenenc_int() noexcept {
        const std::uint8_t first = int1();
        if (first < lenenc::null_marker) return first;
        switch (first) {
            case lenenc::prefix_2: return fixed(2);
            case lenenc::prefix_3: return fixed(3);
            case lenenc::prefix_8: return fixed(8);
            default: failed_ = true; return 0;
        }
    }

    /// string<fix>: the next n bytes.
    Bytes bytes(std::size_t n) noexcept {
        if (!need(n)) return {};
        const Bytes out(data_ + pos_, n);
        pos_ += n;
        return out;
    }
    /// string<lenenc>: a lenenc_int length followed by that many bytes.
    Bytes lenenc_str() noexcept {
        const std::uint64_t n = lenenc_int();
        if (failed_ || n > size_ - pos_) {
            failed_ = true;
            return {};
        }
        return bytes(static_cast<std::size_t>(n));
    }
    /// string<NUL>: bytes up to a NUL, which is consumed but not returned. No NUL: fails.
    Bytes null_str() noexcept {
        if (failed_) return {};
        const void* nul = size_ > pos_ ? std::memchr(data_ + pos_, 0, size_ - pos_) : nullptr;
        if (nul == nullptr) {
            failed_ = true;
            return {};
        }
        const std::size_t n = static_cast<const std::uint8_t*>(nul) - (data_ + pos_);
        const Bytes out(data_ + pos_, n);
        pos_ += n + 1;
        return out;
    }
    /// string<EOF>: everything that is left.
    Bytes rest() noexcept { return bytes(remaining()); }
    /// Skips n bytes.
    void skip(std::size_t n) noexcept {
        if (need(n)) pos_ += n;
    }

private:
    bool need(std::size_t n) noexcept {
        if (failed_ || n > size_ - pos_) {
            failed_ = true;
            return false;
        }
        return true;
    }
    std::uint64_t fixed(std::size_t n) noexcept {
        if (!need(n)) return 0;
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{data_[pos_ + i]} << (8 * i);
        pos_ += n;
        return v;
    }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
    bool failed_ = false;
};

}  // namespace uvmysql::detail
