// SPDX-License-Identifier: MIT
// CompressedFrameWriter: split into chunks of 0xFFFFFF, compress each, prepend the 7-byte header.
#include "protocol/compressed_frame_writer.hpp"

#include <algorithm>

namespace uvmysql::detail {

namespace {
void put_int3(std::uint8_t* p, std::size_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
    p[2] = static_cast<std::uint8_t>(v >> 16);
}
}  // namespace

void CompressedFrameWriter::write(Bytes inner, std::vector<std::uint8_t>& wire, std::uint8_t& seq) {
    while (!inner.empty()) {
        const std::size_t n = std::min(inner.size(), max_compressed_chunk);
        write_chunk(inner.first(n), wire, seq++);
        inner = inner.subspan(n);
    }
}

void CompressedFrameWriter::write_chunk(Bytes chunk, std::vector<std::uint8_t>& wire, std::uint8_t seq) {
    const std::size_t header = wire.size();
    std::size_t stored_length = 0;   // the header's "uncompressed length": 0 when stored as is
    std::size_t payload = chunk.size();
    if (chunk.size() >= min_compress_length) {
        wire.resize(header + compressed_header_size + codec_->bound(chunk.size()));
        const std::size_t n = codec_->compress(chunk, std::span(wire).subspan(header + compressed_header_size));
        // A block that does not shrink goes out stored (what the servers do too).
        if (n != 0 && n < chunk.size()) {
            stored_length = chunk.size();
            payload = n;
        }
    }
    wire.resize(header + compressed_header_size + (stored_length ? payload : 0));
    if (!stored_length) wire.insert(wire.end(), chunk.begin(), chunk.end());
    std::uint8_t* h = wire.data() + header;
    put_int3(h, payload);
    h[3] = seq;
    put_int3(h + 4, stored_length);
}

}  // namespace uvmysql::detail
