// SPDX-License-Identifier: MIT
// Random and mutated bytes into the binary-protocol parsers: errors, never a crash (run under
// ASan/UBSan in CI, each payload in its own exact-size buffer).
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "binary_builder.hpp"
#include "hex.hpp"
#include "protocol/binary_row.hpp"
#include "protocol/binary_row_decoder.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_execute_response.hpp"
#include "protocol/stmt_prepare_response.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Bytes = detail::Bytes;   // not uvmysql::Bytes, the Value payload
using ByteVec = std::vector<std::uint8_t>;

const std::vector<ColumnInfo> mixed_columns = {
    column(FieldType::tiny),     column(FieldType::longlong, column_flag::unsigned_), column(FieldType::float_, 0, 63, 31),
    column(FieldType::double_),  column(FieldType::date),     column(FieldType::datetime, 0, 63, 6),
    column(FieldType::time),     column(FieldType::newdecimal), column(FieldType::var_string),
    column(FieldType::blob, 0, binary_collation), column(FieldType::year), column(FieldType::bit),
};

// Feeds one payload (copied to an exact-size heap buffer) to every binary parser.
void feed_everything(const ByteVec& bytes) {
    const std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[bytes.size() + 1]);
    std::copy(bytes.begin(), bytes.end(), exact.get());
    const Bytes p(exact.get(), bytes.size());

    static BinaryRowDecoder decoder;
    static const auto cols = std::make_shared<const std::vector<ColumnInfo>>(mixed_columns);
    decoder.reset(true, nullptr, cols);
    std::vector<Value> out;
    Status field_error;
    (void)decoder.decode_row(p, out, field_error);

    std::vector<FieldView> one(1);
    for (const FieldType t : {FieldType::datetime, FieldType::time, FieldType::blob, FieldType::longlong}) {
        const std::vector<ColumnInfo> c{column(t)};
        if (parse_binary_row(p, c, one).ok()) {
            Value v;
            (void)decode_binary_field(c[0], one[0], true, v);
        }
    }
    StmtPrepareOk ok;
    (void)parse_stmt_prepare_ok(p, ok);
    for (const std::uint64_t caps : {cap::protocol_41, cap::protocol_41 | cap::deprecate_eof}) {
        StmtPrepareReader r(caps);
        for (int i = 0; i < 4 && !r.done(); ++i) {
            if (!r.on_message(p).ok()) break;
        }
    }
    ExecuteResultHeader h;
    (void)parse_execute_result_header(p, cap::protocol_41 | mariadb_cap::cache_metadata, h);
}

TEST(BinaryRobustness, RandomBytes) {
    std::mt19937 rng(15);
    for (int n = 0; n < 10000; ++n) {
        ByteVec b(rng() % 64);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        if (!b.empty() && rng() % 2) b[0] = 0;   // often a row header, to get past it
        feed_everything(b);
    }
}

TEST(BinaryRobustness, MutatedValidRow) {
    const ByteVec row = binary_row({hex("7f"), hex("ffffffffffffffff"), hex("0000803f"), hex("000000000000f03f"),
                                    hex("04 e807 02 1d"), hex("0b e807 0c 1f 17 3b 3b 3f420f00"),
                                    hex("0c 01 22000000 16 3b 3b 3f420f00"), hex("03 312e35"), hex("03 616263"),
                                    hex("02 0001"), hex("e807"), hex("01 01")});
    std::vector<Value> out;
    Status field_error;
    BinaryRowDecoder d;
    d.reset(true, nullptr, std::make_shared<const std::vector<ColumnInfo>>(mixed_columns));
    ASSERT_TRUE(d.decode_row(row, out, field_error).ok());
    std::mt19937 rng(16);
    for (std::size_t i = 0; i < row.size(); ++i) {
        for (int k = 0; k < 256; ++k) {
            ByteVec m = row;
            m[i] = static_cast<std::uint8_t>(k);
            feed_everything(m);
        }
    }
    for (int n = 0; n < 3000; ++n) {
        ByteVec m = row;
        m.resize(1 + rng() % (row.size() + 4), static_cast<std::uint8_t>(rng()));
        for (int k = 0; k < 3; ++k) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        feed_everything(m);
    }
}

}  // namespace
}  // namespace uvmysql::test
