// SPDX-License-Identifier: MIT
// FrameReader: incremental, zero-copy splitting of the byte stream into protocol messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// Largest payload one frame carries; a frame this long means "the message continues".
inline constexpr std::size_t max_frame_payload = 0xFFFFFF;
/// Size of a frame header: int<3> payload length + int<1> sequence id.
inline constexpr std::size_t frame_header_size = 4;
/// Default limit on one (joined) message: 1 GiB, the server's own max_allowed_packet ceiling.
inline constexpr std::size_t default_max_message_size = std::size_t{1} << 30;

/// One complete message: the joined payload and the sequence id of its last frame.
struct Message {
    Bytes payload;
    std::uint8_t seq = 0;
};

/// Turns a stream of bytes, fed in pieces of any size, into complete messages.
///
/// Flow: the transport either copies bytes in with feed(), or reads straight into the buffer
/// with prepare() + commit(); the connection then calls next() until it says need_more.
/// Each frame's sequence id must be the expected one (set_expected_seq() at the start of a
/// command, then it counts up by itself); payloads of 0xFFFFFF bytes are joined with the
/// frames that follow, a shorter frame (possibly empty) ending the message.
///
/// Zero-copy: a single-frame message is a span into the internal buffer (or into the caller's
/// bytes after feed_view()); only multi-frame messages are copied, into a second buffer. Either way the payload stays valid until the
/// next call to next(), prepare(), commit(), feed(), reset() or shrink().
///
/// Errors (sequence mismatch → cr::malformed_packet, message larger than the limit →
/// cr::net_packet_too_large) are sticky: the stream is out of sync and must be closed.
class FrameReader {
public:
    /// What next() produced.
    enum class Result { message, need_more, error };

    explicit FrameReader(std::size_t max_message_size = default_max_message_size) noexcept
        : max_message_size_(max_message_size) {}

    /// Limits the size of one joined message (checked as soon as a frame header arrives).
    void set_max_message_size(std::size_t n) noexcept { max_message_size_ = n; }
    [[nodiscard]] std::size_t max_message_size() const noexcept { return max_message_size_; }

    /// Sets the sequence id the next frame must carry (after the client wrote its frames).
    void set_expected_seq(std::uint8_t seq) noexcept { expected_seq_ = seq; }
    /// Off: a frame's sequence id is taken as it comes instead of checked (the count goes on
    /// from it). Under the compressed protocol the servers renumber their frames from the
    /// compressed sequence id at every flush (net_flush: `pkt_nr = compress_pkt_nr`), e.g.
    /// between the results of a multi-statement, so only the compressed ids are checked, as
    /// Connector/C does. reset() turns checking back on.
    void set_sequence_checked(bool on) noexcept { check_seq_ = on; }
    /// The sequence id the next frame must carry; after a message, the id the client's reply uses.
    [[nodiscard]] std::uint8_t expected_seq() const noexcept { return expected_seq_; }

    /// Returns writable space of at least min_size bytes at the end of the buffer for the
    /// transport to read into; commit(n) then makes n of them readable. Compacts or grows
    /// the buffer only when the space at its end is too small.
    std::span<std::uint8_t> prepare(std::size_t min_size);
    /// Makes n bytes written into the span from prepare() part of the stream.
    void commit(std::size_t n) noexcept;
    /// Copies bytes into the buffer (prepare + copy + commit).
    void feed(Bytes data);
    /// Takes bytes without copying them: the caller keeps `data` valid and calls next() until
    /// it returns need_more or error (or calls reset()). Only the bytes that complete a frame
    /// already partly buffered, and a partial frame left at the end, are copied.
    void feed_view(Bytes data);

    /// Extracts the next complete message into `out` (Result::message), or says more bytes
    /// are needed, or reports a sticky error (see error()).
    Result next(Message& out);

    /// The error after next() returned Result::error; ok() otherwise.
    [[nodiscard]] const Status& error() const noexcept { return error_; }
    /// Bytes received but not yet returned in a message (partial frames included).
    [[nodiscard]] std::size_t buffered() const noexcept { return end_ - begin_ + view_.size(); }
    /// How many more bytes complete the frame being received (at least 1 when nothing is
    /// buffered): a hint for the size to pass to prepare().
    [[nodiscard]] std::size_t bytes_wanted() const noexcept;
    /// True between the first and the last frame of a multi-frame message.
    [[nodiscard]] bool in_multi_frame_message() const noexcept { return joining_; }

    /// Forgets all buffered bytes, any partial message and any error, checks sequence ids again;
    /// keeps the memory.
    void reset() noexcept;
    /// Releases memory beyond a small initial buffer when nothing is buffered (after a huge message).
    void shrink();

private:
    Result fail(Status st);
    /// Copies what is left of the view into the buffer.
    void stash_view();

    std::unique_ptr<std::uint8_t[]> buf_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;   // first unread byte
    std::size_t end_ = 0;     // one past the last received byte
    Bytes view_;              // feed_view() bytes, read once the buffer is empty
    std::vector<std::uint8_t> join_;
    bool joining_ = false;
    std::uint8_t expected_seq_ = 0;
    bool check_seq_ = true;
    std::size_t max_message_size_;
    Status error_;
};

}  // namespace uvmysql::detail
