// SPDX-License-Identifier: MIT
// CompressionCodec: zlib's compress2/uncompress2 and zstd's one-shot context calls.
#include "protocol/compression_codec.hpp"

#include <zlib.h>
#include <zstd.h>

#include <string>

namespace uvmysql::detail {

struct CompressionCodec::ZstdContexts {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ~ZstdContexts() {
        ZSTD_freeCCtx(cctx);
        ZSTD_freeDCtx(dctx);
    }
};

CompressionCodec::CompressionCodec(CompressionAlgorithm algorithm, int zstd_level)
    : algorithm_(algorithm), zstd_level_(zstd_level) {
    if (algorithm_ == CompressionAlgorithm::zstd) zstd_ = std::make_unique<ZstdContexts>();
}

CompressionCodec::~CompressionCodec() = default;
CompressionCodec::CompressionCodec(CompressionCodec&&) noexcept = default;
CompressionCodec& CompressionCodec::operator=(CompressionCodec&&) noexcept = default;

std::size_t CompressionCodec::bound(std::size_t n) const noexcept {
    if (algorithm_ == CompressionAlgorithm::zstd) return ZSTD_compressBound(n);
    return compressBound(static_cast<uLong>(n));
}

std::size_t CompressionCodec::compress(Bytes in, std::span<std::uint8_t> out) {
    if (algorithm_ == CompressionAlgorithm::zstd) {
        if (!zstd_->cctx) return 0;
        const std::size_t n = ZSTD_compressCCtx(zstd_->cctx, out.data(), out.size(), in.data(), in.size(), zstd_level_);
        return ZSTD_isError(n) ? 0 : n;
    }
    uLongf n = static_cast<uLongf>(out.size());
    // Level 6, zlib's default, as the servers and Connector/C use (compress()).
    if (compress2(out.data(), &n, in.data(), static_cast<uLong>(in.size()), Z_DEFAULT_COMPRESSION) != Z_OK) return 0;
    return n;
}

Status CompressionCodec::decompress(Bytes in, std::span<std::uint8_t> out) {
    if (algorithm_ == CompressionAlgorithm::zstd) {
        if (!zstd_->dctx) return Status::client(cr::out_of_memory, "zstd: cannot allocate a decompression context");
        const std::size_t n = ZSTD_decompressDCtx(zstd_->dctx, out.data(), out.size(), in.data(), in.size());
        if (ZSTD_isError(n)) return Status::malformed(std::string("zstd: ") + ZSTD_getErrorName(n));
        if (n != out.size()) {
            return Status::malformed("compressed packet inflates to " + std::to_string(n) + " bytes, header says " +
                                     std::to_string(out.size()));
        }
        return {};
    }
    uLongf produced = static_cast<uLongf>(out.size());
    uLong consumed = static_cast<uLong>(in.size());
    const int rc = uncompress2(out.data(), &produced, in.data(), &consumed);
    if (rc == Z_BUF_ERROR && produced == out.size()) {
        return Status::malformed("compressed packet inflates to more than the " + std::to_string(out.size()) +
                                 " bytes its header says");
    }
    if (rc != Z_OK) return Status::malformed(std::string("zlib: ") + (rc == Z_DATA_ERROR ? "corrupt data" : zError(rc)));
    if (produced != out.size()) {
        return Status::malformed("compressed packet inflates to " + std::to_string(produced) + " bytes, header says " +
                                 std::to_string(out.size()));
    }
    if (consumed != in.size()) return Status::malformed("bytes after the end of a compressed packet's zlib stream");
    return {};
}

}  // namespace uvmysql::detail
