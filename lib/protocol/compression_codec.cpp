// SPDX-License-Identifier: MIT
// CompressionCodec: zlib streams reset per block, and zstd's one-shot context calls.
#include "protocol/compression_codec.hpp"

#include <zlib.h>
#include <zstd.h>

#include <string>

namespace uvmysql::detail {

struct CompressionCodec::ZlibStreams {
    // Kept between blocks and reset, not set up again: deflateInit alone allocates ~256 KiB.
    z_stream deflater{};
    z_stream inflater{};
    bool deflater_ok = deflateInit(&deflater, Z_DEFAULT_COMPRESSION) == Z_OK;
    bool inflater_ok = inflateInit(&inflater) == Z_OK;
    ~ZlibStreams() {
        if (deflater_ok) deflateEnd(&deflater);
        if (inflater_ok) inflateEnd(&inflater);
    }
};

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
    if (algorithm_ == CompressionAlgorithm::zstd) {
        zstd_ = std::make_unique<ZstdContexts>();
    } else {
        zlib_ = std::make_unique<ZlibStreams>();
    }
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
    // Level 6, zlib's default, as the servers and Connector/C use (compress()).
    z_stream& z = zlib_->deflater;
    if (!zlib_->deflater_ok || deflateReset(&z) != Z_OK) return 0;
    z.next_in = const_cast<Bytef*>(in.data());   // zlib's API is not const-correct; it only reads
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    return deflate(&z, Z_FINISH) == Z_STREAM_END ? z.total_out : 0;
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
    z_stream& z = zlib_->inflater;
    if (!zlib_->inflater_ok || inflateReset(&z) != Z_OK) {
        return Status::client(cr::out_of_memory, "zlib: cannot set up a decompression stream");
    }
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);   // never writes past avail_out
    if (rc == Z_STREAM_END) {
        if (z.avail_out != 0) {
            return Status::malformed("compressed packet inflates to " + std::to_string(z.total_out) +
                                     " bytes, header says " + std::to_string(out.size()));
        }
        if (z.avail_in != 0) return Status::malformed("zlib: bytes after the end of a compressed packet's stream");
        return {};
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) return Status::malformed("zlib: corrupt data");
    if (z.avail_out == 0) {
        return Status::malformed("compressed packet inflates to more than the " + std::to_string(out.size()) +
                                 " bytes its header says");
    }
    return Status::malformed("zlib: truncated stream");
}

}  // namespace uvmysql::detail
