// SPDX-License-Identifier: MIT
// One block in, one block out: the zlib and zstd calls behind the compressed protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// The algorithm a session's compressed packets use (CLIENT_COMPRESS: zlib;
/// CLIENT_ZSTD_COMPRESSION_ALGORITHM: zstd).
enum class CompressionAlgorithm : std::uint8_t { zlib, zstd };

/// Compresses and decompresses whole blocks, one compressed packet's payload each. Every block
/// is independent (a zlib stream or a zstd frame of its own), as the servers expect. The zlib
/// streams and zstd contexts are kept and reset, so a block costs no allocation.
class CompressionCodec {
public:
    /// `zstd_level` is used by zstd only (1..22; MySQL's default is 3).
    explicit CompressionCodec(CompressionAlgorithm algorithm, int zstd_level = 3);
    ~CompressionCodec();
    CompressionCodec(CompressionCodec&&) noexcept;
    CompressionCodec& operator=(CompressionCodec&&) noexcept;

    [[nodiscard]] CompressionAlgorithm algorithm() const noexcept { return algorithm_; }

    /// The most bytes compress() may produce for `n` input bytes.
    [[nodiscard]] std::size_t bound(std::size_t n) const noexcept;
    /// Compresses `in` into `out` (at least bound(in.size()) bytes). Returns the compressed
    /// size, or 0 when the library failed (the caller then sends the block uncompressed).
    std::size_t compress(Bytes in, std::span<std::uint8_t> out);
    /// Decompresses `in` into `out`, which must come out exactly full: a block that inflates to
    /// more or fewer bytes than the header announced, or that is not a valid stream (trailing
    /// bytes included), is malformed. Never writes past `out`.
    Status decompress(Bytes in, std::span<std::uint8_t> out);

private:
    struct ZlibStreams;
    struct ZstdContexts;
    CompressionAlgorithm algorithm_;
    int zstd_level_;
    std::unique_ptr<ZlibStreams> zlib_;
    std::unique_ptr<ZstdContexts> zstd_;
};

}  // namespace uvmysql::detail
