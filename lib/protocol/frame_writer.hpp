// SPDX-License-Identifier: MIT
// Frame writing: wraps payloads in frame headers, splitting long ones, into an output buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// Appends `payload` to `out` as one message: frames of at most 0xFFFFFF bytes with
/// consecutive sequence ids starting at `seq` (which is advanced past the last one). A payload
/// that is an exact multiple of 0xFFFFFF (including 0xFFFFFF itself) ends with an empty frame.
/// Appending lets several commands be coalesced into one write. `payload` must not alias `out`.
void write_frames(std::vector<std::uint8_t>& out, Bytes payload, std::uint8_t& seq);

/// Starts a message serialized in place: reserves a frame header at the end of `out` and
/// returns its offset. Append the payload to `out` (e.g. with PacketWriter), then call
/// end_message(). This avoids building the payload in a separate buffer.
std::size_t begin_message(std::vector<std::uint8_t>& out);

/// Finishes the message begun at `header_pos`: fills in the header(s), inserting extra ones
/// when the payload needs several frames, and advances `seq` as write_frames() does.
void end_message(std::vector<std::uint8_t>& out, std::size_t header_pos, std::uint8_t& seq);

/// Appends one message whose payload `serialize(out)` appends in place, e.g.
/// `write_message(out, seq, [&](auto& b) { serialize_com_query(b, sql); });`.
template <class Fn>
void write_message(std::vector<std::uint8_t>& out, std::uint8_t& seq, Fn&& serialize) {
    const std::size_t pos = begin_message(out);
    std::forward<Fn>(serialize)(out);
    end_message(out, pos, seq);
}

}  // namespace uvmysql::detail
