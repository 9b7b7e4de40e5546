// SPDX-License-Identifier: MIT
// Fuzz target: the compressed protocol (zlib and zstd). Fuzzed socket bytes cut at fuzzed points
// through CompressedFrameReader; and inner streams written by CompressedFrameWriter read back
// unchanged whatever the cuts.
#include <cstring>
#include <memory>

#include "fuzz_check.hpp"
#include "protocol/compressed_frame_reader.hpp"
#include "protocol/compressed_frame_writer.hpp"

using namespace uvmysql::detail;
using uvmysql::fuzz::ByteVec;

namespace {

// Feeds `wire` in pieces of the given sizes (the rest in one last piece); returns the inner bytes
// and whether the reader failed. Each piece is a heap copy scribbled over and freed once the
// reader said need_more, so a view kept too long shows up under ASan.
bool read_inner(CompressedFrameReader& reader, const ByteVec& wire, const std::vector<std::size_t>& cuts,
                ByteVec& inner) {
    std::size_t pos = 0;
    std::vector<std::size_t> sizes = cuts;
    sizes.push_back(wire.size());
    for (const std::size_t want : sizes) {
        const std::size_t n = std::min(want, wire.size() - pos);
        auto piece = std::make_unique<std::uint8_t[]>(n + 1);
        if (n > 0) std::memcpy(piece.get(), wire.data() + pos, n);
        pos += n;
        reader.feed_view(Bytes(piece.get(), n));
        for (;;) {
            Bytes got;
            const auto r = reader.next(got);
            if (r == CompressedFrameReader::Result::need_more) break;
            if (r == CompressedFrameReader::Result::error) {
                UVMYSQL_FUZZ_CHECK(!reader.error().ok());
                return false;
            }
            UVMYSQL_FUZZ_CHECK(got.size() <= max_compressed_chunk);
            inner.insert(inner.end(), got.begin(), got.end());
        }
        std::memset(piece.get(), 0x5A, n);
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    // Kept across inputs, as a connection keeps its codec: each block resets the streams.
    static CompressionCodec zlib_codec(CompressionAlgorithm::zlib);
    static CompressionCodec zstd_codec(CompressionAlgorithm::zstd, 1);
    CompressionCodec& codec = in.ConsumeBool() ? zstd_codec : zlib_codec;
    const bool round_trip = in.ConsumeBool();
    const auto seq = in.ConsumeIntegral<std::uint8_t>();
    std::vector<std::size_t> cuts(in.ConsumeIntegralInRange<std::size_t>(0, 10));
    for (auto& c : cuts) c = in.ConsumeIntegralInRange<std::size_t>(0, 80);
    const ByteVec bytes = in.ConsumeRemainingBytes<std::uint8_t>();

    CompressedFrameReader reader(codec);
    reader.set_expected_seq(seq);
    ByteVec inner;
    if (!round_trip) {
        if (read_inner(reader, bytes, cuts, inner)) UVMYSQL_FUZZ_CHECK(reader.error().ok());
        return 0;
    }
    // Several writes, as the connection sends several messages: split the input in two.
    const std::size_t half = bytes.size() / 2;
    ByteVec wire;
    std::uint8_t wseq = seq;
    CompressedFrameWriter writer(codec);
    writer.write(Bytes(bytes).first(half), wire, wseq);
    writer.write(Bytes(bytes).subspan(half), wire, wseq);
    UVMYSQL_FUZZ_CHECK(read_inner(reader, wire, cuts, inner));
    UVMYSQL_FUZZ_CHECK(inner == bytes);
    UVMYSQL_FUZZ_CHECK(reader.expected_seq() == wseq);
    UVMYSQL_FUZZ_CHECK(reader.buffered() == 0);
    return 0;
}
