// SPDX-License-Identifier: MIT
// Frame writing: wraps payloads in frame headers, splitting long ones, into an output buffer.
#include "protocol/frame_writer.hpp"

#include <algorithm>
#include <cstring>

#include "protocol/frame_reader.hpp"

namespace uvmysql::detail {

namespace {

void put_header(std::uint8_t* p, std::size_t len, std::uint8_t seq) noexcept {
    p[0] = static_cast<std::uint8_t>(len);
    p[1] = static_cast<std::uint8_t>(len >> 8);
    p[2] = static_cast<std::uint8_t>(len >> 16);
    p[3] = seq;
}

// A payload of n bytes takes n / 0xFFFFFF full frames plus one shorter (maybe empty) frame.
std::size_t frame_count(std::size_t n) noexcept { return n / max_frame_payload + 1; }

}  // namespace

void write_frames(std::vector<std::uint8_t>& out, Bytes payload, std::uint8_t& seq) {
    const std::size_t frames = frame_count(payload.size());
    std::size_t pos = out.size();
    out.resize(pos + payload.size() + frames * frame_header_size);
    std::size_t offset = 0;
    for (std::size_t i = 0; i < frames; ++i) {
        const std::size_t len = std::min(max_frame_payload, payload.size() - offset);
        put_header(out.data() + pos, len, seq++);
        if (len > 0) std::memcpy(out.data() + pos + frame_header_size, payload.data() + offset, len);
        pos += frame_header_size + len;
        offset += len;
    }
}

std::size_t begin_message(std::vector<std::uint8_t>& out) {
    const std::size_t pos = out.size();
    out.resize(pos + frame_header_size);
    return pos;
}

void end_message(std::vector<std::uint8_t>& out, std::size_t header_pos, std::uint8_t& seq) {
    const std::size_t payload_start = header_pos + frame_header_size;
    const std::size_t size = out.size() - payload_start;
    const std::size_t frames = frame_count(size);
    if (frames > 1) {
        // Open a gap for each extra header, moving the chunks from the last one backwards.
        out.resize(out.size() + (frames - 1) * frame_header_size);
        for (std::size_t i = frames; i-- > 1;) {
            const std::size_t from = payload_start + i * max_frame_payload;
            const std::size_t len = std::min(max_frame_payload, size - i * max_frame_payload);
            const std::size_t to = from + i * frame_header_size;
            if (len > 0) std::memmove(out.data() + to, out.data() + from, len);
        }
    }
    for (std::size_t i = 0; i < frames; ++i) {
        const std::size_t len = std::min(max_frame_payload, size - i * max_frame_payload);
        put_header(out.data() + header_pos + i * (max_frame_payload + frame_header_size), len, seq++);
    }
}

}  // namespace uvmysql::detail
