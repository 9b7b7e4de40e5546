// SPDX-License-Identifier: MIT
// FrameReader: incremental, zero-copy splitting of the byte stream into protocol messages.
#include "protocol/frame_reader.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace uvmysql::detail {

namespace {
constexpr std::size_t initial_capacity = 16 * 1024;
}  // namespace

std::span<std::uint8_t> FrameReader::prepare(std::size_t min_size) {
    if (min_size == 0) min_size = 1;
    if (begin_ == end_) begin_ = end_ = 0;
    if (capacity_ - end_ >= min_size) return {buf_.get() + end_, capacity_ - end_};

    const std::size_t unread = end_ - begin_;
    if (begin_ > 0 && capacity_ - unread >= min_size) {
        // Compacting is a move of the unread tail only; it happens at most once per refill.
        std::memmove(buf_.get(), buf_.get() + begin_, unread);
    } else {
        const std::size_t want = std::max({capacity_ * 2, unread + min_size, initial_capacity});
        std::unique_ptr<std::uint8_t[]> grown(new std::uint8_t[want]);
        if (unread > 0) std::memcpy(grown.get(), buf_.get() + begin_, unread);
        buf_ = std::move(grown);
        capacity_ = want;
    }
    begin_ = 0;
    end_ = unread;
    return {buf_.get() + end_, capacity_ - end_};
}

void FrameReader::commit(std::size_t n) noexcept { end_ += std::min(n, capacity_ - end_); }

void FrameReader::feed(Bytes data) {
    stash_view();
    if (data.empty()) return;
    const auto space = prepare(data.size());
    std::memcpy(space.data(), data.data(), data.size());
    commit(data.size());
}

void FrameReader::feed_view(Bytes data) {
    stash_view();
    // Complete the frame already started in the buffer (header first, then its payload).
    while (begin_ != end_ && !data.empty()) {
        const std::size_t want = bytes_wanted();
        if (want == 0) break;
        const std::size_t n = std::min(want, data.size());
        feed(data.first(n));
        data = data.subspan(n);
    }
    view_ = data;
}

void FrameReader::stash_view() {
    if (view_.empty()) return;
    const Bytes rest = view_;
    view_ = {};
    const auto space = prepare(rest.size());
    std::memcpy(space.data(), rest.data(), rest.size());
    commit(rest.size());
}

std::size_t FrameReader::bytes_wanted() const noexcept {
    const std::size_t avail = end_ - begin_;
    if (avail < frame_header_size) return frame_header_size - avail;
    const std::uint8_t* h = buf_.get() + begin_;
    const std::size_t len = std::size_t{h[0]} | std::size_t{h[1]} << 8 | std::size_t{h[2]} << 16;
    return frame_header_size + len > avail ? frame_header_size + len - avail : 0;
}

FrameReader::Result FrameReader::fail(Status st) {
    error_ = std::move(st);
    view_ = {};   // the stream is dead: nothing more is read from the caller's bytes
    return Result::error;
}

FrameReader::Result FrameReader::next(Message& out) {
    if (!error_.ok()) return Result::error;
    for (;;) {
        // The buffer first; once it is empty, the caller's bytes from feed_view().
        const bool from_view = begin_ == end_ && !view_.empty();
        const std::uint8_t* h = from_view ? view_.data() : buf_.get() + begin_;
        const std::size_t avail = from_view ? view_.size() : end_ - begin_;
        if (avail < frame_header_size) {
            if (!view_.empty()) {   // the view continues the buffer's partial frame: join, retry
                stash_view();
                continue;
            }
            return Result::need_more;
        }
        const std::size_t len = std::size_t{h[0]} | std::size_t{h[1]} << 8 | std::size_t{h[2]} << 16;
        const std::uint8_t seq = h[3];
        // Both checks run on the header alone, so a bad stream fails before its payload arrives.
        if (seq != expected_seq_) {
            if (!check_seq_) {
                expected_seq_ = seq;   // adopted: see set_sequence_checked()
            } else {
                return fail(Status::malformed("packet sequence number wrong: got " + std::to_string(seq) +
                                              ", expected " + std::to_string(expected_seq_)));
            }
        }
        const std::size_t total = (joining_ ? join_.size() : 0) + len;
        if (total > max_message_size_) {
            return fail(Status::client(cr::net_packet_too_large,
                                       "Got a packet bigger than the maximum message size (" +
                                           std::to_string(max_message_size_) + " bytes)"));
        }
        if (avail - frame_header_size < len) {
            if (!view_.empty()) {
                stash_view();
                continue;
            }
            return Result::need_more;
        }

        const Bytes payload(h + frame_header_size, len);
        if (from_view) {
            view_ = view_.subspan(frame_header_size + len);
        } else {
            begin_ += frame_header_size + len;
        }
        ++expected_seq_;
        if (!joining_ && len < max_frame_payload) {
            out = Message{payload, seq};
            return Result::message;
        }
        if (!joining_) {
            joining_ = true;
            join_.clear();
        }
        join_.insert(join_.end(), payload.begin(), payload.end());
        if (len < max_frame_payload) {
            joining_ = false;
            out = Message{Bytes(join_), seq};
            return Result::message;
        }
    }
}

void FrameReader::reset() noexcept {
    begin_ = end_ = 0;
    view_ = {};
    joining_ = false;
    join_.clear();
    error_ = Status{};
    check_seq_ = true;
}

void FrameReader::shrink() {
    if (begin_ != end_) return;
    begin_ = end_ = 0;
    if (capacity_ > initial_capacity) {
        buf_.reset();
        capacity_ = 0;
    }
    if (!joining_) std::vector<std::uint8_t>().swap(join_);
}

}  // namespace uvmysql::detail
