// SPDX-License-Identifier: MIT
// Tests of framing: FrameReader (incremental, zero-copy, split-proof) and frame writing.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "hex.hpp"
#include "protocol/commands.hpp"
#include "protocol/frame_reader.hpp"
#include "protocol/frame_writer.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using detail::FrameReader;
using detail::max_frame_payload;

ByteVec pattern(std::size_t n, std::uint8_t salt = 0) {
    ByteVec v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 31 + salt + (i >> 16));
    return v;
}

TEST(FrameReader, AnySplitGivesSameFrames) {
    const auto wire = hex("01 00 00 00 0e  01 00 00 01 0e");  // two COM_PING frames
    for (std::size_t cut = 0; cut <= wire.size(); ++cut)
        EXPECT_EQ(read_all(wire, {cut}), (ReadMessages{{0, hex("0e")}, {1, hex("0e")}})) << "cut " << cut;
}

TEST(FrameReader, AnyTwoCutsGiveSameMessages) {
    const auto wire = hex("03 00 00 05 616263  00 00 00 06  02 00 00 07 7879");
    const ReadMessages expected{{5, hex("616263")}, {6, {}}, {7, hex("7879")}};
    for (std::size_t a = 0; a <= wire.size(); ++a)
        for (std::size_t b = a; b <= wire.size(); ++b)
            EXPECT_EQ(read_all(wire, {a, b}, 5), expected) << "cuts " << a << "," << b;
}

TEST(FrameReader, ByteByByteGivesSameMessages) {
    const auto wire = hex("03 00 00 00 616263  01 00 00 01 64");
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0; i <= wire.size(); ++i) cuts.push_back(i);
    EXPECT_EQ(read_all(wire, cuts), (ReadMessages{{0, hex("616263")}, {1, hex("64")}}));
}

TEST(FrameReader, SequenceMismatchIsMalformed) {
    detail::Status st;
    const auto msgs = read_all(hex("01 00 00 02 0e"), {}, 1, detail::default_max_message_size, &st);
    ASSERT_EQ(msgs, (ReadMessages{{255, {}}}));
    EXPECT_EQ(st.errno_code, detail::cr::malformed_packet);
    EXPECT_NE(st.message.find("sequence"), std::string::npos);
    EXPECT_NE(st.message.find("got 2, expected 1"), std::string::npos);
}

TEST(FrameReader, UncheckedSequenceIdsAreAdopted) {
    // Under compression a server renumbers its frames (2 after 1..4 here): taken as they come.
    FrameReader reader;
    reader.set_sequence_checked(false);
    reader.set_expected_seq(1);
    const auto wire = hex("01 00 00 01 aa  01 00 00 02 bb  01 00 00 02 cc  01 00 00 07 dd");
    reader.feed(wire);
    detail::Message m;
    std::vector<std::uint8_t> seqs;
    while (reader.next(m) == FrameReader::Result::message) seqs.push_back(m.seq);
    EXPECT_EQ(seqs, (std::vector<std::uint8_t>{1, 2, 2, 7}));
    EXPECT_EQ(reader.expected_seq(), 8);
    reader.reset();   // a new session checks again
    reader.feed(hex("01 00 00 05 aa"));
    EXPECT_EQ(reader.next(m), FrameReader::Result::error);
}

TEST(FrameReader, SequenceMismatchDetectedFromHeaderAlone) {
    FrameReader reader;
    reader.feed(hex("10 00 00 03"));
    detail::Message m;
    EXPECT_EQ(reader.next(m), FrameReader::Result::error);
}

TEST(FrameReader, ErrorIsSticky) {
    FrameReader reader;
    reader.feed(hex("01 00 00 09 0e"));
    detail::Message m;
    EXPECT_EQ(reader.next(m), FrameReader::Result::error);
    reader.set_expected_seq(9);
    EXPECT_EQ(reader.next(m), FrameReader::Result::error);
    reader.reset();
    EXPECT_TRUE(reader.error().ok());
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReader, SequenceIdWrapsAfter255) {
    ByteVec wire;
    for (int seq : {254, 255, 0, 1}) {
        const ByteVec f = hex("01 00 00");
        wire.insert(wire.end(), f.begin(), f.end());
        wire.push_back(static_cast<std::uint8_t>(seq));
        wire.push_back(0x42);
    }
    EXPECT_EQ(read_all(wire, {7}, 254),
              (ReadMessages{{254, hex("42")}, {255, hex("42")}, {0, hex("42")}, {1, hex("42")}}));
}

TEST(FrameReader, ExpectedSeqTracksMessages) {
    FrameReader reader;
    reader.set_expected_seq(1);
    reader.feed(hex("01 00 00 01 00  01 00 00 02 00"));
    detail::Message m;
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_EQ(reader.expected_seq(), 2);
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_EQ(reader.expected_seq(), 3);
    EXPECT_EQ(reader.next(m), FrameReader::Result::need_more);
}

TEST(FrameReader, EmptyPayloadIsAMessage) {
    EXPECT_EQ(read_all(hex("00 00 00 00"), {}), (ReadMessages{{0, {}}}));
}

TEST(FrameReader, SingleFrameMessageIsZeroCopy) {
    FrameReader reader;
    const auto wire = hex("03 00 00 00 616263");
    auto space = reader.prepare(wire.size());
    ASSERT_GE(space.size(), wire.size());
    std::memcpy(space.data(), wire.data(), wire.size());
    reader.commit(wire.size());
    detail::Message m;
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_EQ(m.payload.data(), space.data() + 4);
    EXPECT_EQ(ByteVec(m.payload.begin(), m.payload.end()), hex("616263"));
}

TEST(FrameReader, PipelinedPayloadsStayValidUntilNextFeed) {
    FrameReader reader;
    reader.feed(hex("01 00 00 00 61  01 00 00 01 62  01 00 00 02 63"));
    std::vector<detail::Bytes> payloads;
    detail::Message m;
    while (reader.next(m) == FrameReader::Result::message) payloads.push_back(m.payload);
    ASSERT_EQ(payloads.size(), 3u);
    EXPECT_EQ(payloads[0][0], 'a');
    EXPECT_EQ(payloads[1][0], 'b');
    EXPECT_EQ(payloads[2][0], 'c');
}

TEST(FrameReader, FeedViewReadsWholeFramesInPlace) {
    const ByteVec wire = hex("02 00 00 00 6162  01 00 00 01 63  03 00 00 02 78");   // the last frame is cut
    FrameReader reader;
    reader.feed_view(wire);
    detail::Message m;
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_EQ(m.payload.data(), wire.data() + 4);   // no copy
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_EQ(m.payload.data(), wire.data() + 10);
    ASSERT_EQ(reader.next(m), FrameReader::Result::need_more);
    EXPECT_EQ(reader.buffered(), 5u);   // the partial frame was copied: `wire` may go now
    const ByteVec rest = hex("7879  00 00 00 03  01 00 00 04 7a");
    reader.feed_view(rest);
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);   // completed in the buffer
    EXPECT_EQ(ByteVec(m.payload.begin(), m.payload.end()), hex("787879"));
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_TRUE(m.payload.empty());
    ASSERT_EQ(reader.next(m), FrameReader::Result::message);
    EXPECT_EQ(m.payload.data(), rest.data() + 10);   // after it, in place again
    EXPECT_EQ(reader.next(m), FrameReader::Result::need_more);
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReader, FeedViewAfterUnreadCopiedFrames) {
    // A whole frame and half of the next were copied in and not read yet; the view brings the
    // rest of that frame and one more.
    FrameReader reader;
    reader.feed(hex("01 00 00 00 61  02 00 00 01 62"));
    const ByteVec rest = hex("63  01 00 00 02 64");
    reader.feed_view(rest);
    detail::Message m;
    ReadMessages got;
    while (reader.next(m) == FrameReader::Result::message) got.push_back({m.seq, ByteVec(m.payload.begin(), m.payload.end())});
    EXPECT_EQ(got, (ReadMessages{{0, hex("61")}, {1, hex("6263")}, {2, hex("64")}}));
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReader, BytesWantedCompletesTheFrame) {
    FrameReader reader;
    EXPECT_EQ(reader.bytes_wanted(), 4u);
    reader.feed(hex("05 00"));
    EXPECT_EQ(reader.bytes_wanted(), 2u);
    reader.feed(hex("00 00 61"));
    EXPECT_EQ(reader.bytes_wanted(), 4u);
    reader.feed(hex("62 63 64 65"));
    EXPECT_EQ(reader.bytes_wanted(), 0u);
}

TEST(FrameReader, CompactsAndGrowsWithoutLosingBytes) {
    // Many frames fed in odd-sized pieces through prepare()/commit(), forcing compaction and growth.
    ByteVec wire;
    std::uint8_t seq = 0;
    ReadMessages expected;
    for (std::size_t i = 0; i < 200; ++i) {
        const ByteVec p = pattern(i * 97 % 5000, static_cast<std::uint8_t>(i));
        expected.push_back({seq, p});
        detail::write_frames(wire, p, seq);
    }
    FrameReader reader;
    ReadMessages got;
    std::size_t pos = 0;
    std::size_t step = 1;
    while (pos < wire.size()) {
        const std::size_t n = std::min(wire.size() - pos, step);
        auto space = reader.prepare(n);
        ASSERT_GE(space.size(), n);
        std::memcpy(space.data(), wire.data() + pos, n);
        reader.commit(n);
        pos += n;
        step = step * 7 % 9001 + 1;
        detail::Message m;
        FrameReader::Result r;
        while ((r = reader.next(m)) == FrameReader::Result::message)
            got.push_back({m.seq, ByteVec(m.payload.begin(), m.payload.end())});
        ASSERT_EQ(r, FrameReader::Result::need_more);
    }
    EXPECT_EQ(got, expected);
    reader.shrink();
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReader, EnforcesMaxMessageSizeFromHeader) {
    detail::Status st;
    const auto msgs = read_all(hex("65 00 00 00"), {}, 0, 100, &st);  // 101 bytes announced
    ASSERT_EQ(msgs, (ReadMessages{{255, {}}}));
    EXPECT_EQ(st.errno_code, detail::cr::net_packet_too_large);
}

TEST(FrameReader, AcceptsMessageOfExactlyMaxSize) {
    const ByteVec payload = pattern(100);
    EXPECT_EQ(read_all(framed(payload), {}, 0, 100), (ReadMessages{{0, payload}}));
}

TEST(FrameReader, JoinsMaxSizeChunks) {
    const ByteVec payload = pattern(max_frame_payload + 10);
    const ByteVec wire = framed(payload, 3);
    ASSERT_EQ(wire.size(), payload.size() + 8);
    const std::size_t f = max_frame_payload;
    for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{4}, std::size_t{5}, f + 3, f + 4, f + 5,
                            f + 6, f + 8, f + 9, wire.size() - 1}) {
        EXPECT_EQ(read_all(wire, {cut}, 3), (ReadMessages{{4, payload}})) << "cut " << cut;
    }
}

TEST(FrameReader, ExactMultipleEndsWithEmptyFrame) {
    const ByteVec payload = pattern(max_frame_payload);
    const ByteVec wire = framed(payload);
    ASSERT_EQ(wire.size(), payload.size() + 8);
    EXPECT_EQ(ByteVec(wire.end() - 4, wire.end()), hex("00 00 00 01"));
    // Without the empty frame the message is not complete yet.
    const ByteVec partial(wire.begin(), wire.end() - 4);
    EXPECT_TRUE(read_all(partial, {}).empty());
    for (std::size_t cut : {std::size_t{2}, wire.size() - 4, wire.size() - 2})
        EXPECT_EQ(read_all(wire, {cut}), (ReadMessages{{1, payload}})) << "cut " << cut;
}

TEST(FrameReader, JoinedMessageFollowedBySmallOne) {
    const ByteVec big = pattern(2 * max_frame_payload);
    ByteVec wire = framed(big);
    std::uint8_t seq = 3;
    detail::write_frames(wire, hex("0e"), seq);
    EXPECT_EQ(read_all(wire, {100, wire.size() - 3}), (ReadMessages{{2, big}, {3, hex("0e")}}));
}

TEST(FrameReader, EnforcesMaxSizeAcrossFrames) {
    const ByteVec payload = pattern(max_frame_payload + 6);
    detail::Status st;
    const auto msgs = read_all(framed(payload), {}, 0, max_frame_payload + 5, &st);
    ASSERT_EQ(msgs, (ReadMessages{{255, {}}}));
    EXPECT_EQ(st.errno_code, detail::cr::net_packet_too_large);
}

TEST(FrameWriter, SmallPayloadIsOneFrame) {
    ByteVec out;
    std::uint8_t seq = 0;
    detail::write_frames(out, hex("0e"), seq);
    EXPECT_EQ(out, hex("01 00 00 00 0e"));
    EXPECT_EQ(seq, 1);
    detail::write_frames(out, {}, seq);
    EXPECT_EQ(out, hex("01 00 00 00 0e  00 00 00 01"));
    EXPECT_EQ(seq, 2);
}

TEST(FrameWriter, SplitsLongPayloads) {
    struct Case {
        std::size_t size;
        std::vector<std::size_t> frames;
    };
    const std::size_t f = max_frame_payload;
    const Case cases[] = {
        {f - 1, {f - 1}},
        {f, {f, 0}},
        {f + 1, {f, 1}},
        {2 * f, {f, f, 0}},
        {2 * f + 7, {f, f, 7}},
    };
    for (const Case& c : cases) {
        const ByteVec payload = pattern(c.size);
        ByteVec out;
        std::uint8_t seq = 250;
        detail::write_frames(out, payload, seq);
        EXPECT_EQ(seq, static_cast<std::uint8_t>(250 + c.frames.size())) << c.size;
        std::size_t pos = 0;
        std::size_t offset = 0;
        for (std::size_t i = 0; i < c.frames.size(); ++i) {
            ASSERT_LE(pos + 4, out.size());
            const std::size_t len = out[pos] | out[pos + 1] << 8 | out[pos + 2] << 16;
            EXPECT_EQ(len, c.frames[i]) << c.size << " frame " << i;
            EXPECT_EQ(out[pos + 3], static_cast<std::uint8_t>(250 + i));
            EXPECT_TRUE(std::equal(out.begin() + pos + 4, out.begin() + pos + 4 + len, payload.begin() + offset));
            pos += 4 + len;
            offset += len;
        }
        EXPECT_EQ(pos, out.size());
        EXPECT_EQ(read_all(out, {}, 250), (ReadMessages{{static_cast<std::uint8_t>(seq - 1), payload}}));
    }
}

TEST(FrameWriter, InPlaceMessageMatchesWriteFrames) {
    const std::size_t f = max_frame_payload;
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, f - 1, f, f + 1, 2 * f, 2 * f + 7}) {
        const ByteVec payload = pattern(size, 9);
        ByteVec expected = hex("aabb");
        std::uint8_t seq1 = 7;
        detail::write_frames(expected, payload, seq1);

        ByteVec out = hex("aabb");
        std::uint8_t seq2 = 7;
        const std::size_t pos = detail::begin_message(out);
        out.insert(out.end(), payload.begin(), payload.end());
        detail::end_message(out, pos, seq2);
        EXPECT_EQ(seq2, seq1) << size;
        EXPECT_TRUE(out == expected) << size;
    }
}

TEST(FrameWriter, CoalescesCommands) {
    ByteVec out;
    std::uint8_t seq = 0;
    detail::write_message(out, seq, [](ByteVec& b) { detail::serialize_com_query(b, "SELECT 1"); });
    seq = 0;
    detail::write_message(out, seq, [](ByteVec& b) { detail::serialize_com_ping(b); });
    EXPECT_EQ(out, hex("09 00 00 00 03 53454c4543542031  01 00 00 00 0e"));
}

}  // namespace
}  // namespace uvmysql::test
