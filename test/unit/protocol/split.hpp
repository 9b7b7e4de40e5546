// SPDX-License-Identifier: MIT
// Test helpers: frame payloads, feed them through FrameReader at every cut, check truncations.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/frame_reader.hpp"
#include "protocol/frame_writer.hpp"

namespace uvmysql::test {

using ByteVec = std::vector<std::uint8_t>;

/// One message as read back: sequence id of its last frame and payload.
struct ReadMessage {
    std::uint8_t seq;
    ByteVec payload;
    bool operator==(const ReadMessage&) const = default;
};
using ReadMessages = std::vector<ReadMessage>;

inline void PrintTo(const ReadMessage& m, std::ostream* os) {
    *os << "{seq " << int(m.seq) << ", " << m.payload.size() << " bytes}";
}

/// Feeds `wire` to a fresh FrameReader in pieces cut at the (ascending) offsets `cuts`,
/// pulling messages after every piece. A reader error is returned as an empty-payload message
/// with seq 255 followed by nothing else, and its Status copied to *error when given.
/// With `zero_copy`, pieces go through feed_view() from a buffer that is scribbled over once
/// the reader said need_more: a reader that kept reading it would return garbage.
inline ReadMessages read_all_once(const ByteVec& wire, const std::vector<std::size_t>& cuts, std::uint8_t first_seq,
                                  std::size_t max_size, detail::Status* error, bool zero_copy) {
    detail::FrameReader reader(max_size);
    reader.set_expected_seq(first_seq);
    ReadMessages out;
    std::size_t pos = 0;
    auto pull = [&]() -> bool {
        detail::Message m;
        for (;;) {
            const auto r = reader.next(m);
            if (r == detail::FrameReader::Result::need_more) return true;
            if (r == detail::FrameReader::Result::error) {
                if (error) *error = reader.error();
                out.push_back({255, {}});
                return false;
            }
            out.push_back({m.seq, ByteVec(m.payload.begin(), m.payload.end())});
        }
    };
    std::vector<std::size_t> all = cuts;
    all.push_back(wire.size());
    for (std::size_t cut : all) {
        if (cut < pos || cut > wire.size()) continue;
        ByteVec piece(wire.begin() + static_cast<std::ptrdiff_t>(pos), wire.begin() + static_cast<std::ptrdiff_t>(cut));
        pos = cut;
        if (zero_copy) {
            reader.feed_view(piece);
        } else {
            reader.feed(piece);
        }
        const bool ok = pull();
        std::fill(piece.begin(), piece.end(), std::uint8_t{0xee});
        if (!ok) return out;
    }
    return out;
}

/// read_all_once() through feed() and through feed_view(), which must agree.
inline ReadMessages read_all(const ByteVec& wire, const std::vector<std::size_t>& cuts,
                             std::uint8_t first_seq = 0, std::size_t max_size = detail::default_max_message_size,
                             detail::Status* error = nullptr) {
    ReadMessages copied = read_all_once(wire, cuts, first_seq, max_size, error, false);
    EXPECT_EQ(read_all_once(wire, cuts, first_seq, max_size, nullptr, true), copied) << "feed_view() differs";
    return copied;
}

/// Frames one payload as a single message starting at sequence id `seq`.
inline ByteVec framed(const ByteVec& payload, std::uint8_t seq = 0) {
    ByteVec out;
    detail::write_frames(out, payload, seq);
    return out;
}

/// Runs `check` on the payload after framing it and reading it back through a FrameReader
/// cut at every offset: the parser must see the same bytes whatever the split.
template <class Fn>
void for_each_split(const ByteVec& payload, Fn&& check) {
    const ByteVec wire = framed(payload);
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        const ReadMessages msgs = read_all(wire, {cut});
        ASSERT_EQ(msgs.size(), 1u) << "cut " << cut;
        ASSERT_EQ(msgs[0].payload, payload) << "cut " << cut;
        SCOPED_TRACE("cut " + std::to_string(cut));
        check(detail::Bytes(msgs[0].payload));
    }
}

/// Runs `parse` on every strict prefix of `payload` (each in its own exact-size buffer, so
/// ASan catches any overrun) and expects each to fail.
template <class Fn>
void expect_every_truncation_fails(const ByteVec& payload, Fn&& parse) {
    for (std::size_t n = 0; n < payload.size(); ++n) {
        const ByteVec prefix(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_FALSE(parse(detail::Bytes(prefix)).ok()) << "prefix of " << n << " bytes";
    }
}

}  // namespace uvmysql::test
