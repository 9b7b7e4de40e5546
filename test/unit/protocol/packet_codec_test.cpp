// SPDX-License-Identifier: MIT
// Tests of the primitive codec: PacketReader and PacketWriter.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "hex.hpp"
#include "protocol/packet_reader.hpp"
#include "protocol/packet_writer.hpp"

namespace uvmysql::test {
namespace {

using detail::Bytes;
using detail::PacketReader;
using detail::PacketWriter;

TEST(PacketReader, ReadsFixedWidthLittleEndian) {
    const auto data = hex("01 0201 030201 04030201 060504030201 0807060504030201");
    PacketReader r(data);
    EXPECT_EQ(r.int1(), 0x01);
    EXPECT_EQ(r.int2(), 0x0102);
    EXPECT_EQ(r.int3(), 0x010203u);
    EXPECT_EQ(r.int4(), 0x01020304u);
    EXPECT_EQ(r.int6(), 0x010203040506ull);
    EXPECT_EQ(r.int8(), 0x0102030405060708ull);
    EXPECT_TRUE(r.done());
}

TEST(PacketReader, ReadsLenencIntForms) {
    const auto data = hex("00 fa fc fb00 fc ffff fd 000001 fd ffffff fe 0000000001000000 fe ffffffffffffffff");
    PacketReader r(data);
    EXPECT_EQ(r.lenenc_int(), 0u);
    EXPECT_EQ(r.lenenc_int(), 250u);
    EXPECT_EQ(r.lenenc_int(), 251u);
    EXPECT_EQ(r.lenenc_int(), 0xFFFFu);
    EXPECT_EQ(r.lenenc_int(), 0x10000u);
    EXPECT_EQ(r.lenenc_int(), 0xFFFFFFu);
    EXPECT_EQ(r.lenenc_int(), 0x100000000ull);
    EXPECT_EQ(r.lenenc_int(), std::numeric_limits<std::uint64_t>::max());
    EXPECT_TRUE(r.done());
}

TEST(PacketReader, LenencIntRejectsNullMarkerAndFF) {
    for (const char* bad : {"fb", "ff", "fc 01", "fd 0102", "fe 01020304050607"}) {
        const auto data = hex(bad);
        PacketReader r(data);
        EXPECT_EQ(r.lenenc_int(), 0u) << bad;
        EXPECT_FALSE(r.ok()) << bad;
    }
}

TEST(PacketReader, FailureIsSticky) {
    const auto data = hex("01 02");
    PacketReader r(data);
    EXPECT_EQ(r.int4(), 0u);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.int1(), 0u);  // would succeed on a fresh reader
    EXPECT_EQ(r.remaining(), 0u);
    EXPECT_FALSE(r.done());
}

TEST(PacketReader, ReadsStrings) {
    const auto data = hex("03 616263  78797a 00  00  7071");
    PacketReader r(data);
    EXPECT_EQ(detail::as_string_view(r.lenenc_str()), "abc");
    EXPECT_EQ(detail::as_string_view(r.null_str()), "xyz");
    EXPECT_EQ(detail::as_string_view(r.null_str()), "");
    EXPECT_EQ(detail::as_string_view(r.rest()), "pq");
    EXPECT_TRUE(r.done());
    EXPECT_TRUE(r.rest().empty());
    EXPECT_TRUE(r.ok());
}

TEST(PacketReader, LenencStringOverrunFails) {
    const auto data = hex("05 616263");
    PacketReader r(data);
    EXPECT_TRUE(r.lenenc_str().empty());
    EXPECT_FALSE(r.ok());
}

TEST(PacketReader, HugeLenencStringLengthFails) {
    const auto data = hex("fe ffffffffffffffff 00");
    PacketReader r(data);
    EXPECT_TRUE(r.lenenc_str().empty());
    EXPECT_FALSE(r.ok());
}

TEST(PacketReader, NullStringWithoutTerminatorFails) {
    const auto data = hex("616263");
    PacketReader r(data);
    EXPECT_TRUE(r.null_str().empty());
    EXPECT_FALSE(r.ok());
    PacketReader empty{Bytes{}};
    empty.null_str();
    EXPECT_FALSE(empty.ok());
}

TEST(PacketReader, SkipAndBytesAreBounded) {
    const auto data = hex("01 02 03");
    PacketReader r(data);
    r.skip(2);
    EXPECT_EQ(r.peek(), 0x03);
    EXPECT_TRUE(r.bytes(2).empty());
    EXPECT_FALSE(r.ok());
}

TEST(PacketWriter, WritesFixedWidthLittleEndian) {
    std::vector<std::uint8_t> out;
    PacketWriter w(out);
    w.int1(0x01);
    w.int2(0x0102);
    w.int3(0x010203);
    w.int4(0x01020304);
    w.int8(0x0102030405060708ull);
    EXPECT_EQ(out, hex("01 0201 030201 04030201 0807060504030201"));
}

TEST(PacketWriter, LenencIntUsesShortestForm) {
    struct Case {
        std::uint64_t value;
        const char* wire;
    };
    const Case cases[] = {
        {0, "00"},
        {250, "fa"},
        {251, "fc fb00"},
        {0xFFFF, "fc ffff"},
        {0x10000, "fd 000001"},
        {0xFFFFFF, "fd ffffff"},
        {0x1000000, "fe 0000000100000000"},
        {std::numeric_limits<std::uint64_t>::max(), "fe ffffffffffffffff"},
    };
    for (const Case& c : cases) {
        std::vector<std::uint8_t> out;
        PacketWriter(out).lenenc_int(c.value);
        EXPECT_EQ(out, hex(c.wire)) << c.value;
        EXPECT_EQ(out.size(), detail::lenenc_int_size(c.value)) << c.value;
        PacketReader r(out);
        EXPECT_EQ(r.lenenc_int(), c.value);
        EXPECT_TRUE(r.done());
    }
}

TEST(PacketWriter, WritesStringsAndFillers) {
    std::vector<std::uint8_t> out = hex("aa");
    PacketWriter w(out);
    w.lenenc_str(std::string_view("abc"));
    w.null_str("xy");
    w.bytes(std::string_view("z"));
    w.fill(3);
    EXPECT_EQ(out, hex("aa 03616263 787900 7a 000000"));
}

TEST(PacketWriter, LongLenencStringRoundTrips) {
    const std::string text(300, 'q');
    std::vector<std::uint8_t> out;
    PacketWriter(out).lenenc_str(text);
    EXPECT_EQ(out.size(), 3u + 300u);
    PacketReader r(out);
    EXPECT_EQ(detail::as_string_view(r.lenenc_str()), text);
    EXPECT_TRUE(r.done());
}

}  // namespace
}  // namespace uvmysql::test
