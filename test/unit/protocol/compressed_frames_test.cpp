// SPDX-License-Identifier: MIT
// Tests of the compressed protocol's framing: CompressedFrameWriter, CompressedFrameReader, the codec.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "hex.hpp"
#include "protocol/compressed_frame_reader.hpp"
#include "protocol/compressed_frame_writer.hpp"
#include "protocol/compression_codec.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using detail::CompressedFrameReader;
using detail::CompressedFrameWriter;
using detail::CompressionAlgorithm;
using detail::CompressionCodec;
using detail::compressed_header_size;

constexpr CompressionAlgorithm both[] = {CompressionAlgorithm::zlib, CompressionAlgorithm::zstd};

std::string name(CompressionAlgorithm a) { return a == CompressionAlgorithm::zlib ? "zlib" : "zstd"; }

/// Text-like bytes: compressible, but not trivially.
ByteVec text_like(std::size_t n) {
    static const std::string words = "SELECT id, name, created_at FROM users WHERE id = 42 ORDER BY name; ";
    ByteVec v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(words[(i * 7 + i / 97) % words.size()]);
    return v;
}

ByteVec random_bytes(std::size_t n, unsigned seed = 1) {
    std::mt19937 rng(seed);
    ByteVec v(n);
    for (auto& b : v) b = static_cast<std::uint8_t>(rng());
    return v;
}

ByteVec wrap(CompressionAlgorithm a, const ByteVec& inner, std::uint8_t seq = 0) {
    CompressionCodec codec(a);
    CompressedFrameWriter writer(codec);
    ByteVec wire;
    writer.write(inner, wire, seq);
    return wire;
}

/// One compressed packet as read back: its header fields.
struct Header {
    std::size_t payload;
    std::uint8_t seq;
    std::size_t inflated;
};

std::vector<Header> headers(const ByteVec& wire) {
    std::vector<Header> out;
    for (std::size_t pos = 0; pos + compressed_header_size <= wire.size();) {
        const auto* p = wire.data() + pos;
        const Header h{p[0] | std::size_t{p[1]} << 8 | std::size_t{p[2]} << 16, p[3],
                       p[4] | std::size_t{p[5]} << 8 | std::size_t{p[6]} << 16};
        out.push_back(h);
        pos += compressed_header_size + h.payload;
    }
    return out;
}

/// Feeds `wire` in pieces cut at `cuts` (ascending) through feed_view() from a buffer that is
/// scribbled over after each piece, and joins the inner bytes. On error, returns what was read
/// and copies the error to *error. With `must_drain`, nothing may be left buffered at the end.
ByteVec unwrap(CompressionAlgorithm a, const ByteVec& wire, const std::vector<std::size_t>& cuts,
               std::uint8_t first_seq = 0, detail::Status* error = nullptr, std::size_t* packets = nullptr,
               bool must_drain = true) {
    CompressionCodec codec(a);
    CompressedFrameReader reader(codec);
    reader.set_expected_seq(first_seq);
    ByteVec inner;
    std::size_t pos = 0;
    std::vector<std::size_t> all = cuts;
    all.push_back(wire.size());
    for (std::size_t cut : all) {
        if (cut < pos || cut > wire.size()) continue;
        ByteVec piece(wire.begin() + static_cast<std::ptrdiff_t>(pos), wire.begin() + static_cast<std::ptrdiff_t>(cut));
        pos = cut;
        reader.feed_view(piece);
        for (;;) {
            detail::Bytes out;
            const auto r = reader.next(out);
            if (r == CompressedFrameReader::Result::need_more) break;
            if (r == CompressedFrameReader::Result::error) {
                if (error) *error = reader.error();
                return inner;
            }
            if (packets) ++*packets;
            inner.insert(inner.end(), out.begin(), out.end());
        }
        std::fill(piece.begin(), piece.end(), std::uint8_t{0xee});
    }
    if (must_drain) {
        EXPECT_EQ(reader.buffered(), 0u);
    }
    return inner;
}

TEST(CompressedFrameWriter, ShortPayloadIsStored) {
    // A COM_PING frame: under the 50-byte threshold, sent as is with uncompressed length 0.
    for (auto a : both) {
        EXPECT_EQ(wrap(a, hex("01 00 00 00 0e")), hex("05 00 00 00 00 00 00  01 00 00 00 0e")) << name(a);
    }
}

TEST(CompressedFrameWriter, ThresholdIsFiftyBytes) {
    for (auto a : both) {
        const ByteVec zeros49(49), zeros50(50);
        EXPECT_EQ(headers(wrap(a, zeros49)).at(0).inflated, 0u) << name(a);
        const auto h = headers(wrap(a, zeros50));
        ASSERT_EQ(h.size(), 1u);
        EXPECT_EQ(h[0].inflated, 50u) << name(a);
        EXPECT_LT(h[0].payload, 50u) << name(a);
    }
}

TEST(CompressedFrameWriter, DocumentedComQueryExample) {
    // MySQL's "Compressed Packet" page: COM_QUERY for select "012345678901234567890123456789012345"
    // is a 46-byte payload, so 50 inner bytes, compressed to a 34-byte zlib stream (level 6).
    ByteVec inner = hex("2e 00 00 00 03");
    const std::string sql = "select \"012345678901234567890123456789012345\"";
    inner.insert(inner.end(), sql.begin(), sql.end());
    ASSERT_EQ(inner.size(), 50u);
    const ByteVec wire = wrap(CompressionAlgorithm::zlib, inner);
    EXPECT_EQ(ByteVec(wire.begin(), wire.begin() + 7), hex("22 00 00 00 32 00 00"));
    EXPECT_EQ(wire.size(), 7u + 0x22);
    EXPECT_EQ(unwrap(CompressionAlgorithm::zlib, wire, {}), inner);
}

TEST(CompressedFrameWriter, IncompressibleDataIsStored) {
    for (auto a : both) {
        const ByteVec data = random_bytes(1000);
        const ByteVec wire = wrap(a, data);
        const auto h = headers(wire);
        ASSERT_EQ(h.size(), 1u);
        EXPECT_EQ(h[0].inflated, 0u) << name(a);
        EXPECT_EQ(h[0].payload, 1000u);
        EXPECT_EQ(ByteVec(wire.begin() + 7, wire.end()), data);
    }
}

TEST(CompressedFrameWriter, EmptyInputWritesNothing) {
    std::uint8_t seq = 3;
    CompressionCodec codec(CompressionAlgorithm::zlib);
    CompressedFrameWriter writer(codec);
    ByteVec wire;
    writer.write({}, wire, seq);
    EXPECT_TRUE(wire.empty());
    EXPECT_EQ(seq, 3);
}

TEST(CompressedFrameWriter, AppendsAndAdvancesSequence) {
    CompressionCodec codec(CompressionAlgorithm::zlib);
    CompressedFrameWriter writer(codec);
    ByteVec wire = hex("aa");
    std::uint8_t seq = 255;
    writer.write(hex("01 00 00 00 0e"), wire, seq);
    EXPECT_EQ(wire, hex("aa  05 00 00 ff 00 00 00  01 00 00 00 0e"));
    EXPECT_EQ(seq, 0);   // wraps like the ordinary sequence id
}

TEST(CompressedFrames, RoundTripsEverySize) {
    for (auto a : both) {
        for (std::size_t n : {1u, 2u, 49u, 50u, 51u, 100u, 4096u, 70000u}) {
            for (const ByteVec& data : {text_like(n), random_bytes(n), ByteVec(n)}) {
                EXPECT_EQ(unwrap(a, wrap(a, data, 9), {}, 9), data) << name(a) << " " << n;
            }
        }
    }
}

TEST(CompressedFrameReader, AnySplitGivesSameBytes) {
    for (auto a : both) {
        // Three packets: stored, compressed, stored.
        ByteVec wire = wrap(a, hex("01 00 00 00 0e"), 0);
        const ByteVec big = text_like(300);
        const ByteVec more = wrap(a, big, 1);
        wire.insert(wire.end(), more.begin(), more.end());
        const ByteVec last = wrap(a, hex("01 00 00 00 0f"), 2);
        wire.insert(wire.end(), last.begin(), last.end());
        ByteVec expected = hex("01 00 00 00 0e");
        expected.insert(expected.end(), big.begin(), big.end());
        expected.insert(expected.end(), {1, 0, 0, 0, 0x0f});
        for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
            std::size_t packets = 0;
            EXPECT_EQ(unwrap(a, wire, {cut}, 0, nullptr, &packets), expected) << name(a) << " cut " << cut;
            EXPECT_EQ(packets, 3u);
        }
    }
}

TEST(CompressedFrameReader, AnyTwoCutsGiveSameBytes) {
    for (auto a : both) {
        ByteVec wire = wrap(a, text_like(80), 4);
        const ByteVec tail = wrap(a, hex("02 00 00 07 aabb"), 5);
        wire.insert(wire.end(), tail.begin(), tail.end());
        ByteVec expected = text_like(80);
        expected.insert(expected.end(), {2, 0, 0, 7, 0xaa, 0xbb});
        for (std::size_t x = 0; x <= wire.size(); ++x)
            for (std::size_t y = x; y <= wire.size(); ++y)
                ASSERT_EQ(unwrap(a, wire, {x, y}, 4), expected) << name(a) << " cuts " << x << "," << y;
    }
}

TEST(CompressedFrameReader, ByteByByte) {
    for (auto a : both) {
        const ByteVec data = text_like(500);
        const ByteVec wire = wrap(a, data);
        std::vector<std::size_t> cuts;
        for (std::size_t i = 0; i <= wire.size(); ++i) cuts.push_back(i);
        EXPECT_EQ(unwrap(a, wire, cuts), data) << name(a);
    }
}

TEST(CompressedFrames, LargeInputSplitsIntoMaxSizePackets) {
    // 20 MiB: a full 0xFFFFFF-byte packet, then the rest; the inner frames do not line up.
    for (auto a : both) {
        const ByteVec data = text_like(20u << 20);
        const ByteVec wire = wrap(a, data, 0);
        const auto h = headers(wire);
        ASSERT_EQ(h.size(), 2u) << name(a);
        EXPECT_EQ(h[0].inflated, 0xFFFFFFu);
        EXPECT_EQ(h[0].seq, 0);
        EXPECT_EQ(h[1].inflated, (20u << 20) - 0xFFFFFFu);
        EXPECT_EQ(h[1].seq, 1);
        EXPECT_LT(wire.size(), data.size() / 4) << "text compresses well";
        EXPECT_EQ(unwrap(a, wire, {1, 8, 4096, wire.size() / 2, wire.size() - 3}), data) << name(a);
    }
}

TEST(CompressedFrames, IncompressibleMaxSizeChunksAreStored) {
    const ByteVec data = random_bytes(0xFFFFFF + 1);
    const ByteVec wire = wrap(CompressionAlgorithm::zlib, data);
    const auto h = headers(wire);
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].payload, 0xFFFFFFu);
    EXPECT_EQ(h[0].inflated, 0u);
    EXPECT_EQ(h[1].payload, 1u);
    EXPECT_EQ(unwrap(CompressionAlgorithm::zlib, wire, {100, 0xFFFFFF}), data);
}

TEST(CompressedFrames, InnerStreamFeedsFrameReader) {
    // A 17 MiB message in ordinary frames, wrapped: the FrameReader sees the inner stream intact.
    for (auto a : both) {
        const ByteVec payload = text_like(17u << 20);
        const ByteVec inner = framed(payload, 0);
        const ByteVec wire = wrap(a, inner);
        const ByteVec back = unwrap(a, wire, {wire.size() / 3});
        ASSERT_EQ(back.size(), inner.size());
        const ReadMessages msgs = read_all(back, {5, 0xFFFFFF});
        ASSERT_EQ(msgs.size(), 1u);
        EXPECT_EQ(msgs[0].seq, 1);
        EXPECT_TRUE(msgs[0].payload == payload);
    }
}

// --- hostile input ---------------------------------------------------------------------------

detail::Status unwrap_error(CompressionAlgorithm a, const ByteVec& wire, std::uint8_t first_seq = 0) {
    detail::Status st;
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        detail::Status at_cut;
        unwrap(a, wire, {cut}, first_seq, &at_cut);
        EXPECT_FALSE(at_cut.ok()) << "cut " << cut;
        EXPECT_EQ(at_cut.errno_code, detail::cr::malformed_packet) << "cut " << cut;
        st = at_cut;
    }
    return st;
}

TEST(CompressedFrameReader, SequenceMismatchIsMalformed) {
    const auto st = unwrap_error(CompressionAlgorithm::zlib, hex("05 00 00 02 00 00 00  01 00 00 00 0e"), 1);
    EXPECT_NE(st.message.find("sequence id 2, expected 1"), std::string::npos) << st.message;
}

TEST(CompressedFrameReader, SecondPacketOutOfSequence) {
    detail::Status st;
    const auto inner = unwrap(CompressionAlgorithm::zlib,
                              hex("01 00 00 00 00 00 00 aa  01 00 00 05 00 00 00 bb"), {}, 0, &st);
    EXPECT_EQ(inner, hex("aa"));
    EXPECT_EQ(st.errno_code, detail::cr::malformed_packet);
}

TEST(CompressedFrameReader, GarbagePayloadIsMalformed) {
    for (auto a : both) {
        const auto st = unwrap_error(a, hex("04 00 00 00 64 00 00  01 02 03 04"));
        EXPECT_NE(st.message.find(name(a)), std::string::npos) << st.message;
    }
}

TEST(CompressedFrameReader, EmptyPayloadAnnouncingBytesIsMalformed) {
    unwrap_error(CompressionAlgorithm::zlib, hex("00 00 00 00 10 00 00"));
}

ByteVec with_inflated_size(ByteVec wire, std::size_t n) {
    wire[4] = static_cast<std::uint8_t>(n);
    wire[5] = static_cast<std::uint8_t>(n >> 8);
    wire[6] = static_cast<std::uint8_t>(n >> 16);
    return wire;
}

TEST(CompressedFrameReader, InflatedSizeMustMatchHeader) {
    for (auto a : both) {
        const ByteVec wire = wrap(a, ByteVec(1000));
        ASSERT_EQ(headers(wire).at(0).inflated, 1000u);
        unwrap_error(a, with_inflated_size(wire, 999));    // inflates to more than announced
        unwrap_error(a, with_inflated_size(wire, 1001));   // to less
        unwrap_error(a, with_inflated_size(wire, 0xFFFFFF));
    }
}

TEST(CompressedFrameReader, TrailingBytesAfterStreamAreMalformed) {
    for (auto a : both) {
        ByteVec wire = wrap(a, ByteVec(1000));
        wire.push_back(0);
        wire[0] = static_cast<std::uint8_t>(wire[0] + 1);   // the extra byte is inside the payload
        unwrap_error(a, wire);
    }
}

TEST(CompressedFrameReader, TruncatedStreamIsMalformed) {
    for (auto a : both) {
        ByteVec wire = wrap(a, text_like(1000));
        wire.pop_back();
        wire[0] = static_cast<std::uint8_t>(wire[0] - 1);
        unwrap_error(a, wire);
    }
}

TEST(CompressedFrameReader, HugeAnnouncedSizesBufferOnlyWhatArrived) {
    // 16 MiB announced, 3 bytes sent: nothing is allocated for what has not arrived.
    CompressionCodec codec(CompressionAlgorithm::zlib);
    CompressedFrameReader reader(codec);
    const ByteVec wire = hex("ff ff ff 00 ff ff ff  78 9c 01");
    reader.feed_view(wire);
    detail::Bytes out;
    EXPECT_EQ(reader.next(out), CompressedFrameReader::Result::need_more);
    EXPECT_EQ(reader.buffered(), wire.size());
}

TEST(CompressedFrameReader, ErrorIsSticky) {
    CompressionCodec codec(CompressionAlgorithm::zlib);
    CompressedFrameReader reader(codec);
    const ByteVec bad = hex("01 00 00 07 00 00 00 aa");
    reader.feed_view(bad);
    detail::Bytes out;
    EXPECT_EQ(reader.next(out), CompressedFrameReader::Result::error);
    const ByteVec good = hex("01 00 00 00 00 00 00 aa");
    reader.feed_view(good);
    EXPECT_EQ(reader.next(out), CompressedFrameReader::Result::error);
    reader.reset();
    reader.feed_view(good);
    ASSERT_EQ(reader.next(out), CompressedFrameReader::Result::packet);
    EXPECT_EQ(ByteVec(out.begin(), out.end()), hex("aa"));
}

TEST(CompressedFrameReader, RandomHeadersNeverCrash) {
    // Random bytes after a valid first packet: every outcome is a packet, need_more or an error.
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        for (auto a : both) {
            ByteVec wire = wrap(a, text_like(100));
            const ByteVec noise = random_bytes(rng() % 64, static_cast<unsigned>(round));
            wire.insert(wire.end(), noise.begin(), noise.end());
            detail::Status st;
            const ByteVec inner =
                unwrap(a, wire, {static_cast<std::size_t>(rng() % wire.size())}, 0, &st, nullptr, false);
            EXPECT_GE(inner.size(), 100u);
        }
    }
}

TEST(CompressionCodec, ZstdLevelIsUsed) {
    const ByteVec data = text_like(200000);
    CompressionCodec fast(CompressionAlgorithm::zstd, 1), best(CompressionAlgorithm::zstd, 19);
    ByteVec a(fast.bound(data.size())), b(best.bound(data.size()));
    const std::size_t na = fast.compress(data, a), nb = best.compress(data, b);
    ASSERT_GT(na, 0u);
    ASSERT_GT(nb, 0u);
    EXPECT_LE(nb, na);
    ByteVec back(data.size());
    EXPECT_TRUE(best.decompress(detail::Bytes(a.data(), na), back).ok());
    EXPECT_EQ(back, data);
}

}  // namespace
}  // namespace uvmysql::test
