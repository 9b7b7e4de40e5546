// SPDX-License-Identifier: MIT
// CompressedFrameReader: socket bytes, split anywhere, to the inner stream, one packet at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "protocol/compression_codec.hpp"

namespace uvmysql::detail {

/// Unwraps compressed packets: the caller hands it socket bytes with feed_view() and calls
/// next() until need_more; each `packet` result is one compressed packet's inner bytes (a
/// piece of the ordinary packet stream, for a FrameReader).
///
/// Memory stays bounded whatever the server sends: a packet's lengths are int<3>, so at most one
/// partial packet (16 MiB + 7) is buffered, and one packet is inflated at a time into a buffer
/// of the announced size (at most 16 MiB), never more than it announced.
///
/// Errors are sticky, as the stream is out of sync (cr::malformed_packet): a compressed sequence
/// id other than the expected one, a compressed packet announcing an empty result, and a payload
/// that does not inflate to exactly the announced length.
class CompressedFrameReader {
public:
    /// What next() produced.
    enum class Result { packet, need_more, error };

    explicit CompressedFrameReader(CompressionCodec& codec) noexcept : codec_(&codec) {}

    /// The compressed sequence id the next packet must carry (it counts up by itself).
    void set_expected_seq(std::uint8_t seq) noexcept { expected_seq_ = seq; }
    [[nodiscard]] std::uint8_t expected_seq() const noexcept { return expected_seq_; }

    /// Takes socket bytes without copying them: the caller keeps `wire` valid and calls next()
    /// until it returns need_more or error. A packet left incomplete at the end is copied.
    void feed_view(Bytes wire);
    /// The next packet's inner bytes in `inner` (valid until the next call to any member),
    /// need_more, or a sticky error (see error()).
    Result next(Bytes& inner);

    /// The error after next() returned Result::error; ok() otherwise.
    [[nodiscard]] const Status& error() const noexcept { return error_; }
    /// Bytes received that are not yet part of a returned packet.
    [[nodiscard]] std::size_t buffered() const noexcept {
        return (partial_returned_ ? 0 : partial_.size()) + view_.size();
    }
    /// Forgets buffered bytes and any error.
    void reset() noexcept;

private:
    Result fail(Status st);
    /// Checks the header at the start of `header` (7 bytes); sets payload_size_/inflated_size_.
    bool parse_header(Bytes header);
    /// Turns a complete packet (header + payload) into its inner bytes.
    Result unwrap(Bytes packet, Bytes& inner);

    CompressionCodec* codec_;
    Bytes view_;                         // feed_view() bytes not yet consumed
    std::vector<std::uint8_t> partial_;  // a packet split across feeds
    std::vector<std::uint8_t> inflated_;
    std::size_t payload_size_ = 0;       // of the packet at the front, once its header is read
    std::size_t inflated_size_ = 0;
    bool have_header_ = false;
    bool partial_returned_ = false;      // partial_ is the packet returned last: clear it first
    std::uint8_t expected_seq_ = 0;
    Status error_;
};

}  // namespace uvmysql::detail
