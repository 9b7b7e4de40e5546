// SPDX-License-Identifier: MIT
// CompressedFrameReader: header checks, reassembly across reads, inflating one packet at a time.
#include "protocol/compressed_frame_reader.hpp"

#include <algorithm>
#include <string>

#include "protocol/compressed_frame_writer.hpp"

namespace uvmysql::detail {

namespace {
std::size_t int3(const std::uint8_t* p) { return p[0] | (std::size_t{p[1]} << 8) | (std::size_t{p[2]} << 16); }
}  // namespace

void CompressedFrameReader::feed_view(Bytes wire) { view_ = wire; }

void CompressedFrameReader::reset() noexcept {
    view_ = {};
    partial_.clear();
    partial_returned_ = false;
    have_header_ = false;
    payload_size_ = inflated_size_ = 0;
    error_ = {};
}

CompressedFrameReader::Result CompressedFrameReader::fail(Status st) {
    error_ = std::move(st);
    view_ = {};
    return Result::error;
}

bool CompressedFrameReader::parse_header(Bytes header) {
    payload_size_ = int3(header.data());
    inflated_size_ = int3(header.data() + 4);
    if (header[3] != expected_seq_) {
        fail(Status::malformed("compressed packet with sequence id " + std::to_string(header[3]) + ", expected " +
                               std::to_string(expected_seq_)));
        return false;
    }
    if (inflated_size_ != 0 && payload_size_ == 0) {
        fail(Status::malformed("compressed packet without payload announces " + std::to_string(inflated_size_) +
                               " bytes"));
        return false;
    }
    have_header_ = true;
    return true;
}

CompressedFrameReader::Result CompressedFrameReader::next(Bytes& inner) {
    if (!error_.ok()) return Result::error;
    if (partial_returned_) {   // the packet gathered last time was returned as a view of partial_
        partial_.clear();
        partial_returned_ = false;
    }
    if (partial_.empty()) {
        // The common case: whole packets inside the caller's bytes, read in place.
        if (view_.size() >= compressed_header_size) {
            if (!have_header_ && !parse_header(view_)) return Result::error;
            const std::size_t total = compressed_header_size + payload_size_;
            if (view_.size() >= total) {
                const Bytes packet = view_.first(total);
                view_ = view_.subspan(total);
                return unwrap(packet, inner);
            }
        }
        if (view_.empty()) return Result::need_more;
    }
    // A packet split across feeds: gather it (header first, then exactly its payload).
    if (!have_header_) {
        const std::size_t take = std::min(view_.size(), compressed_header_size - partial_.size());
        partial_.insert(partial_.end(), view_.begin(), view_.begin() + static_cast<std::ptrdiff_t>(take));
        view_ = view_.subspan(take);
        if (partial_.size() < compressed_header_size) return Result::need_more;
        if (!parse_header(partial_)) return Result::error;
    }
    const std::size_t total = compressed_header_size + payload_size_;
    const std::size_t take = std::min(view_.size(), total - partial_.size());
    partial_.insert(partial_.end(), view_.begin(), view_.begin() + static_cast<std::ptrdiff_t>(take));
    view_ = view_.subspan(take);
    if (partial_.size() < total) return Result::need_more;
    partial_returned_ = true;   // a stored packet's inner bytes are a view of partial_
    return unwrap(partial_, inner);
}

CompressedFrameReader::Result CompressedFrameReader::unwrap(Bytes packet, Bytes& inner) {
    have_header_ = false;
    ++expected_seq_;
    const Bytes payload = packet.subspan(compressed_header_size);
    if (inflated_size_ == 0) {   // stored as is
        inner = payload;
        return Result::packet;
    }
    inflated_.resize(inflated_size_);
    if (auto st = codec_->decompress(payload, inflated_); !st.ok()) return fail(std::move(st));
    inner = inflated_;
    return Result::packet;
}

}  // namespace uvmysql::detail
