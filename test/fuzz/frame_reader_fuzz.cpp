// SPDX-License-Identifier: MIT
// Fuzz target: FrameReader over a byte stream cut at fuzzed points, fed through every feed path,
// with a fuzzed message size limit and first sequence id, checked against a reference splitter.
#include <algorithm>
#include <cstring>
#include <memory>

#include "fuzz_check.hpp"
#include "protocol/frame_reader.hpp"

namespace {

using uvmysql::fuzz::ByteVec;
using namespace uvmysql::detail;

struct Outcome {
    std::vector<std::pair<std::uint8_t, ByteVec>> messages;
    bool error = false;
    std::size_t consumed = 0;   // bytes of the frames that were read whole
};

// The protocol as docs/protocol.md states it, on the whole stream at once.
Outcome reference_split(const ByteVec& wire, std::uint8_t seq, bool check_seq, std::size_t max_size) {
    Outcome out;
    std::size_t pos = 0;
    ByteVec join;
    bool joining = false;
    for (;;) {
        if (wire.size() - pos < frame_header_size) break;
        const std::size_t len = wire[pos] | std::size_t{wire[pos + 1]} << 8 | std::size_t{wire[pos + 2]} << 16;
        const std::uint8_t got = wire[pos + 3];
        if (got != seq) {
            if (check_seq) {
                out.error = true;
                break;
            }
            seq = got;
        }
        if ((joining ? join.size() : 0) + len > max_size) {
            out.error = true;
            break;
        }
        if (wire.size() - pos - frame_header_size < len) break;
        const auto* p = wire.data() + pos + frame_header_size;
        pos += frame_header_size + len;
        out.consumed = pos;
        ++seq;
        if (!joining) join.clear();
        join.insert(join.end(), p, p + len);
        joining = len == max_frame_payload;
        if (!joining) out.messages.emplace_back(got, join);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::size_t max_size = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(0, 600)
                                                  : default_max_message_size;
    const auto first_seq = in.ConsumeIntegral<std::uint8_t>();
    const bool check_seq = in.ConsumeBool();
    std::vector<std::pair<std::size_t, int>> pieces;   // length, feed path
    const auto npieces = in.ConsumeIntegralInRange<int>(0, 12);
    for (int i = 0; i < npieces; ++i) {
        pieces.emplace_back(in.ConsumeIntegralInRange<std::size_t>(0, 64), in.ConsumeIntegralInRange<int>(0, 4));
    }
    const int last_path = in.ConsumeIntegralInRange<int>(0, 4);
    const ByteVec wire = in.ConsumeRemainingBytes<std::uint8_t>();
    pieces.emplace_back(wire.size(), last_path);

    FrameReader reader(max_size);
    reader.set_expected_seq(first_seq);
    reader.set_sequence_checked(check_seq);
    Outcome got;
    std::size_t pos = 0;
    for (const auto& [want, path] : pieces) {
        if (got.error) break;
        const std::size_t n = std::min(want, wire.size() - pos);
        // A heap copy freed once the reader said need_more: ASan sees any view kept past that.
        auto piece = std::make_unique<std::uint8_t[]>(n + 1);
        if (n > 0) std::memcpy(piece.get(), wire.data() + pos, n);
        const Bytes bytes(piece.get(), n);
        pos += n;
        switch (path) {
            case 0: reader.feed(bytes); break;
            case 1: reader.feed_view(bytes); break;
            case 2: {   // one prepare() of the whole piece
                auto space = reader.prepare(n);
                UVMYSQL_FUZZ_CHECK(space.size() >= std::max<std::size_t>(n, 1));
                if (n > 0) std::memcpy(space.data(), bytes.data(), n);
                reader.commit(n);
                break;
            }
            default: {   // the transport's way: prepare(bytes_wanted()) and read what fits
                std::size_t done = 0;
                while (done < n) {
                    const std::size_t hint = path == 3 ? reader.bytes_wanted() : 1;
                    UVMYSQL_FUZZ_CHECK(hint >= 1 || reader.buffered() > 0);
                    auto space = reader.prepare(hint);
                    UVMYSQL_FUZZ_CHECK(space.size() >= std::max<std::size_t>(hint, 1));
                    const std::size_t k = std::min({space.size(), n - done, std::max<std::size_t>(hint, 1)});
                    std::memcpy(space.data(), bytes.data() + done, k);
                    reader.commit(k);
                    done += k;
                }
                break;
            }
        }
        for (;;) {
            Message m;
            const auto r = reader.next(m);
            if (r == FrameReader::Result::need_more) break;
            if (r == FrameReader::Result::error) {
                UVMYSQL_FUZZ_CHECK(!reader.error().ok());
                got.error = true;
                break;
            }
            UVMYSQL_FUZZ_CHECK(m.payload.size() <= max_size);
            got.messages.emplace_back(m.seq, ByteVec(m.payload.begin(), m.payload.end()));
        }
        std::memset(piece.get(), 0xA5, n);   // the reader must not look at these bytes again
        piece.reset();
        if (!got.error && path == 4) reader.shrink();
    }

    const Outcome want = reference_split(wire, first_seq, check_seq, max_size);
    UVMYSQL_FUZZ_CHECK(got.error == want.error);
    UVMYSQL_FUZZ_CHECK(got.messages == want.messages);
    if (!got.error) {
        UVMYSQL_FUZZ_CHECK(reader.buffered() == wire.size() - want.consumed);
        UVMYSQL_FUZZ_CHECK(reader.error().ok());
    }
    return 0;
}
