// SPDX-License-Identifier: MIT
// CompressedChannel: the codec, writer and reader of one session, and the shared sequence id.
#include "connection/compressed_channel.hpp"

#include "protocol/compressed_frame_writer.hpp"

namespace uvmysql::detail {

struct CompressedChannel::State {
    State(CompressionAlgorithm algorithm, int zstd_level) : codec(algorithm, zstd_level) {}
    CompressionCodec codec;
    CompressedFrameWriter writer{codec};
    CompressedFrameReader reader{codec};
    std::vector<std::uint8_t> wire;
    std::uint8_t seq = 0;
};

CompressedChannel::CompressedChannel() noexcept = default;
CompressedChannel::CompressedChannel(const CompressedChannel&) noexcept {}
CompressedChannel& CompressedChannel::operator=(const CompressedChannel&) noexcept {
    stop();
    return *this;
}
CompressedChannel::CompressedChannel(CompressedChannel&&) noexcept = default;
CompressedChannel& CompressedChannel::operator=(CompressedChannel&&) noexcept = default;
CompressedChannel::~CompressedChannel() = default;

void CompressedChannel::start(CompressionAlgorithm algorithm, int zstd_level) {
    state_ = std::make_unique<State>(algorithm, zstd_level);
}

void CompressedChannel::stop() noexcept { state_.reset(); }

CompressionAlgorithm CompressedChannel::algorithm() const noexcept {
    return state_ ? state_->codec.algorithm() : CompressionAlgorithm::zlib;
}

void CompressedChannel::new_command() noexcept {
    if (!state_) return;
    state_->seq = 0;
    state_->reader.set_expected_seq(0);
}

Bytes CompressedChannel::wrap(Bytes inner) {
    State& s = *state_;
    s.wire.clear();
    s.writer.write(inner, s.wire, s.seq);
    s.reader.set_expected_seq(s.seq);
    return s.wire;
}

void CompressedChannel::feed_view(Bytes wire) { state_->reader.feed_view(wire); }

CompressedFrameReader::Result CompressedChannel::next(Bytes& inner) {
    State& s = *state_;
    const auto r = s.reader.next(inner);
    if (r == CompressedFrameReader::Result::packet) s.seq = s.reader.expected_seq();   // the server's count goes on
    return r;
}

const Status& CompressedChannel::error() const noexcept {
    static const Status none;
    return state_ ? state_->reader.error() : none;
}

}  // namespace uvmysql::detail
