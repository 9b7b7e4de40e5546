// SPDX-License-Identifier: MIT
// Garbage in, Status out: every parser and the frame reader fed random bytes (run under ASan).
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "protocol/capabilities.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/frame_reader.hpp"
#include "protocol/handshake.hpp"
#include "protocol/response.hpp"
#include "protocol/text_row.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;

// Random payloads biased towards the bytes that mean something to the parsers.
ByteVec random_payload(std::mt19937& rng) {
    static constexpr std::uint8_t special[] = {0x00, 0x01, 0x02, 0x03, 0x0a, 0x0c, 0x23,
                                               0xfb, 0xfc, 0xfd, 0xfe, 0xff};
    ByteVec p(rng() % 72);
    for (auto& b : p) b = (rng() % 3 == 0) ? special[rng() % std::size(special)] : static_cast<std::uint8_t>(rng());
    return p;
}

TEST(Robustness, ParsersRejectGarbageWithoutCrashing) {
    std::mt19937 rng(20240601);
    const std::uint64_t caps_variants[] = {0, cap::protocol_41, cap::protocol_41 | cap::session_track,
                                           cap::protocol_41 | cap::session_track | cap::deprecate_eof};
    for (int i = 0; i < 30000; ++i) {
        const ByteVec p = random_payload(rng);  // exact-size allocation: ASan sees any overread
        const std::uint64_t caps = caps_variants[i % 4];
        HandshakeV10 hs;
        (void)parse_handshake_v10(p, hs);
        OkPacket ok;
        if (parse_ok_packet(p, caps, ok).ok()) {
            std::vector<SessionStateChange> changes;
            if (parse_session_state(ok.session_state, changes).ok()) {
                for (const auto& c : changes) {
                    std::string_view a, b;
                    (void)parse_session_system_variable(c.data, a, b);
                    (void)parse_session_schema(c.data, a);
                }
            }
        }
        EofPacket eof;
        (void)parse_eof_packet(p, caps, eof);
        (void)parse_end_of_rows(p, caps, ok);
        EXPECT_FALSE(parse_err_packet(p, caps).ok());
        std::uint64_t n = 0;
        if (parse_column_count(p, n).ok()) {
            EXPECT_GE(n, 1u);
            EXPECT_LE(n, max_column_count);
        }
        ColumnInfo col;
        (void)parse_column_definition41(p, col);
        std::array<FieldView, 4> fields;
        for (std::size_t cols = 1; cols <= fields.size(); ++cols) {
            if (parse_text_row(p, std::span<FieldView>(fields.data(), cols)).ok()) {
                for (std::size_t c = 0; c < cols; ++c) {
                    if (fields[c].is_null) continue;
                    ASSERT_GE(fields[c].data, p.data());
                    ASSERT_LE(fields[c].data + fields[c].size, p.data() + p.size());
                }
            }
        }
        AuthSwitchRequest sw;
        (void)parse_auth_switch_request(p, sw);
        Bytes more;
        (void)parse_auth_more_data(p, more);
        std::string_view file;
        (void)parse_local_infile_request(p, file);
        (void)classify_command_response(p);
        (void)classify_row_response(p, caps);
        (void)classify_auth_response(p);
    }
}

TEST(Robustness, FrameReaderSurvivesGarbageStreams) {
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        ByteVec wire(rng() % 200);
        for (auto& b : wire) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0 : rng());
        FrameReader reader(rng() % 64 + 1);
        reader.set_expected_seq(static_cast<std::uint8_t>(rng()));
        std::size_t pos = 0;
        bool failed = false;
        while (pos < wire.size() && !failed) {
            const std::size_t n = std::min<std::size_t>(wire.size() - pos, rng() % 17 + 1);
            reader.feed(Bytes(wire.data() + pos, n));
            pos += n;
            Message m;
            FrameReader::Result r;
            while ((r = reader.next(m)) == FrameReader::Result::message) EXPECT_LE(m.payload.size(), 64u);
            failed = r == FrameReader::Result::error;
        }
        EXPECT_EQ(failed, !reader.error().ok());
    }
}

}  // namespace
}  // namespace uvmysql::test
