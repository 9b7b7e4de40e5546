// SPDX-License-Identifier: MIT
// CompressedChannel: the compressed protocol between the frames and the socket, once negotiated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "protocol/compressed_frame_reader.hpp"
#include "protocol/compression_codec.hpp"

namespace uvmysql::detail {

/// The session's compression layer. Inactive until the login's OK (HandshakeOp calls start());
/// from then on the runner sends what ops wrote through wrap() and reads the socket's bytes
/// through feed_view()/next(), whose inner bytes go to the FrameReader unchanged.
///
/// The compressed sequence id is one counter for both directions: 0 when a command starts
/// (new_command()), then the server's packets continue the client's; it is checked on every
/// packet. The frames inside are not numbered reliably (the servers renumber them from the
/// compressed id when they read and at each flush), so the runner stops checking theirs.
///
/// Copying gives an inactive channel of its own (a test's copy of a SessionState); moving keeps it.
class CompressedChannel {
public:
    CompressedChannel() noexcept;
    CompressedChannel(const CompressedChannel&) noexcept;
    CompressedChannel& operator=(const CompressedChannel&) noexcept;
    CompressedChannel(CompressedChannel&&) noexcept;
    CompressedChannel& operator=(CompressedChannel&&) noexcept;
    ~CompressedChannel();

    /// Switches compression on, both directions, for the rest of the session.
    void start(CompressionAlgorithm algorithm, int zstd_level);
    /// Back to no compression, buffers dropped (a new session).
    void stop() noexcept;
    [[nodiscard]] bool active() const noexcept { return state_ != nullptr; }
    [[nodiscard]] CompressionAlgorithm algorithm() const noexcept;

    /// A command starts: its first compressed packet carries sequence id 0.
    void new_command() noexcept;
    /// The compressed packets for the inner bytes `inner` (frames the ops wrote), valid until
    /// the next call to wrap().
    Bytes wrap(Bytes inner);

    /// Socket bytes in, without copying (CompressedFrameReader::feed_view's contract).
    void feed_view(Bytes wire);
    /// The next compressed packet's inner bytes, need_more or a sticky error (error()).
    CompressedFrameReader::Result next(Bytes& inner);
    [[nodiscard]] const Status& error() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace uvmysql::detail
