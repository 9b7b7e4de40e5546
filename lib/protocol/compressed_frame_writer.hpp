// SPDX-License-Identifier: MIT
// CompressedFrameWriter: wraps the outgoing packet stream into compressed packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/bytes.hpp"
#include "protocol/compression_codec.hpp"

namespace uvmysql::detail {

/// Size of a compressed packet's header: int<3> compressed payload length, int<1> compressed
/// sequence id, int<3> uncompressed length (0: the payload is stored as it is).
inline constexpr std::size_t compressed_header_size = 7;
/// Largest payload (before compression) of one compressed packet: its lengths are int<3>.
inline constexpr std::size_t max_compressed_chunk = 0xFFFFFF;
/// Payloads shorter than this are sent uncompressed (MIN_COMPRESS_LENGTH of the servers and
/// Connector/C): compressing them costs more than it saves.
inline constexpr std::size_t min_compress_length = 50;

/// Appends the inner stream (ordinary frames, headers included, possibly several messages) to
/// `wire` as compressed packets of at most 0xFFFFFF bytes each, split anywhere: the inner
/// frames need not line up with them. Each packet's payload is compressed unless it is short
/// or compressing does not make it smaller; then it is stored with uncompressed length 0.
class CompressedFrameWriter {
public:
    explicit CompressedFrameWriter(CompressionCodec& codec) noexcept : codec_(&codec) {}

    /// Appends `inner` as compressed packets numbered from `seq` on (advanced past the last
    /// one). An empty `inner` appends nothing. `inner` must not alias `wire`.
    void write(Bytes inner, std::vector<std::uint8_t>& wire, std::uint8_t& seq);

private:
    void write_chunk(Bytes chunk, std::vector<std::uint8_t>& wire, std::uint8_t seq);

    CompressionCodec* codec_;
};

}  // namespace uvmysql::detail
