// SPDX-License-Identifier: MIT
// The compressed protocol against the fake server: zstd (MySQL 8 only, so not on the test
// MariaDB), zlib, bundled replies, sequence ids, and broken compressed packets.
#include <string>

#include "fake_test_support.hpp"
#include "protocol/frame_writer.hpp"

namespace uvmysql::test {
namespace {

using detail::CompressionAlgorithm;
namespace cap = detail::cap;

/// The login's capability flags.
std::uint32_t caps_of(const ReceivedFrame& f) {
    return f.payload.at(0) | f.payload.at(1) << 8 | f.payload.at(2) << 16 | std::uint32_t(f.payload.at(3)) << 24;
}

/// A one-column result set whose rows are `values` (up to 16 MiB each), as one byte string of
/// frames from seq 1.
test::Bytes result_set(const std::vector<std::string>& values) {
    test::Bytes wire;
    std::uint8_t seq = 1;
    auto add = [&](const test::Bytes& payload) { detail::write_frames(wire, payload, seq); };   // splits >16 MiB
    add({1});
    add(column_def("v", 253));
    for (const auto& v : values) add(text_row({v}));
    add(end_of_rows());
    return wire;
}

std::string text_of(std::size_t n) {
    std::string s;
    while (s.size() < n) s += "compressible text, row after row; ";
    s.resize(n);
    return s;
}

class FakeCompressionTest : public FakeServerTest {
protected:
    /// Greeting offering `extra`, the login (checked by `check_login`), OK, then compression.
    void script_login(std::uint32_t extra, CompressionAlgorithm algorithm,
                      std::function<void(const ReceivedFrame&)> check_login) {
        server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps | extra))
            .expect(std::move(check_login))
            .send(2, ok_packet())
            .compress(algorithm);
    }
};

TEST_F(FakeCompressionTest, ZstdNegotiatedWithLevelAndUsedBothWays) {
    const std::string big = text_of(5000);
    script_login(cap::zstd_compression_algorithm | cap::compress, CompressionAlgorithm::zstd,
                 [](const ReceivedFrame& f) {
                     EXPECT_TRUE(caps_of(f) & cap::zstd_compression_algorithm);
                     EXPECT_FALSE(caps_of(f) & cap::compress);   // one algorithm, the first offered
                     EXPECT_EQ(f.payload.back(), 7) << "zstd_compression_level ends the login";
                 });
    const std::string sql = "SELECT v FROM t WHERE v <> '" + text_of(300) + "'";
    server_
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 0);
            EXPECT_EQ(std::string(f.payload.begin() + 1, f.payload.end()), sql);
        })
        .send_raw(result_set({"a", big, "c"}))   // six frames, one compressed packet
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(f.seq, 0); })
        .send(1, ok_packet(4));
    ConnectOptions opt = options();
    opt.compression_algorithms = "zstd,zlib";
    opt.zstd_compression_level = 7;
    Connection c = connect_ok(opt);
    auto sets = run_until(loop_.get(), c.query(sql));
    ASSERT_EQ(sets.size(), 1u);
    ASSERT_EQ(sets[0].rows.size(), 3u);
    EXPECT_EQ(sets[0].rows[1].at(0).as<std::string>(), big);
    EXPECT_EQ(run_until(loop_.get(), c.query("DELETE FROM t")).at(0).affected_rows, 4u);
    // Each command's first compressed packet is number 0 again.
    EXPECT_EQ(server_.compressed_seqs(), (std::vector<std::uint8_t>{0, 0}));
    EXPECT_LT(server_.compressed_bytes_in(), server_.inflated_bytes_in()) << "the long query was compressed";
    c.close();
}

TEST_F(FakeCompressionTest, ZlibWhenTheServerHasNoZstd) {
    script_login(cap::compress, CompressionAlgorithm::zlib, [](const ReceivedFrame& f) {
        EXPECT_TRUE(caps_of(f) & cap::compress);
        EXPECT_FALSE(caps_of(f) & cap::zstd_compression_algorithm);
    });
    server_.expect().send_raw(result_set({text_of(70000)}));
    ConnectOptions opt = options();
    opt.compression_algorithms = "zstd,zlib";
    Connection c = connect_ok(opt);
    auto sets = run_until(loop_.get(), c.query("SELECT v FROM t"));
    EXPECT_EQ(sets.at(0).rows.at(0).at(0).as<std::string>(), text_of(70000));
    c.close();
}

TEST_F(FakeCompressionTest, ZstdResultLargerThanOneCompressedPacket) {
    // 17 MiB in one row: two inner frames, two compressed packets that do not line up with them.
    const std::string huge = text_of(17u << 20);
    script_login(cap::zstd_compression_algorithm, CompressionAlgorithm::zstd, {});
    server_.expect().send_raw(result_set({huge}));
    ConnectOptions opt = options();
    opt.compression_algorithms = "zstd";
    Connection c = connect_ok(opt);
    auto sets = run_until(loop_.get(), c.query("SELECT v FROM t"));
    EXPECT_TRUE(sets.at(0).rows.at(0).at(0).as<std::string>() == huge);
    c.close();
}

TEST_F(FakeCompressionTest, FramesRenumberedAtEachFlushAreAccepted) {
    // What MariaDB does between the results of a multi-statement: after a flush its frame
    // counter restarts from the compressed one (1..4 in compressed packet 1, then 2.. in 2).
    script_login(cap::compress, CompressionAlgorithm::zlib, {});
    test::Bytes first;
    std::uint8_t seq = 1;
    for (const test::Bytes& p : {test::Bytes{1}, column_def("a", 253), text_row({"x"}), end_of_rows(2 | 8)}) {
        detail::write_frames(first, p, seq);
    }
    test::Bytes second;
    seq = 2;
    for (const test::Bytes& p : {test::Bytes{1}, column_def("b", 253), text_row({"y"}), end_of_rows(2)}) {
        detail::write_frames(second, p, seq);
    }
    server_.expect().send_raw(first).send_raw(second);
    ConnectOptions opt = options();
    opt.compress = true;
    Connection c = connect_ok(opt);
    auto sets = run_until(loop_.get(), c.query("SELECT 'x'; SELECT 'y'"));
    ASSERT_EQ(sets.size(), 2u);
    EXPECT_EQ(sets[1].rows.at(0).at(0).as<std::string>(), "y");
    c.close();
}

TEST_F(FakeCompressionTest, ServerWithoutCompressionGivesPlainSession) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect([](const ReceivedFrame& f) { EXPECT_FALSE(caps_of(f) & cap::compress); })
        .send(2, ok_packet())
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(f.payload.at(0), 0x03); })   // a plain COM_QUERY
        .send(1, ok_packet());
    ConnectOptions opt = options();
    opt.compress = true;
    Connection c = connect_ok(opt);
    run_until(loop_.get(), c.query("DO 1"));
    c.close();
}

TEST_F(FakeCompressionTest, OnlyZstdAgainstServerWithoutItFails) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps | cap::compress))
        .stall();
    ConnectOptions opt = options();
    opt.compression_algorithms = "zstd";
    EXPECT_EQ(connect_fails<OperationalError>(opt), 2012);
}

int query_fails(TestLoop& loop, Connection& c) {
    try {
        run_until(loop.get(), c.query("SELECT 1"));
        ADD_FAILURE() << "the query succeeded";
    } catch (const Error& e) {
        return e.errno_code();
    }
    return -1;
}

TEST_F(FakeCompressionTest, WrongCompressedSequenceIdClosesTheSession) {
    script_login(cap::compress, CompressionAlgorithm::zlib, {});
    // A stored packet with compressed sequence id 5 where 1 is due.
    test::Bytes wire{11, 0, 0, 5, 0, 0, 0};
    const auto ok = frame(1, ok_packet());
    wire.insert(wire.end(), ok.begin(), ok.end());
    server_.expect().send_wire(wire).stall();
    ConnectOptions opt = options();
    opt.compress = true;
    Connection c = connect_ok(opt);
    EXPECT_EQ(query_fails(loop_, c), 2027);
    EXPECT_TRUE(c.closed());
}

TEST_F(FakeCompressionTest, CorruptPayloadClosesTheSession) {
    script_login(cap::compress, CompressionAlgorithm::zlib, {});
    server_.expect().send_wire({6, 0, 0, 1, 100, 0, 0, 0x78, 0x9c, 1, 2, 3, 4}).stall();
    ConnectOptions opt = options();
    opt.compress = true;
    Connection c = connect_ok(opt);
    EXPECT_EQ(query_fails(loop_, c), 2027);
    EXPECT_TRUE(c.closed());
}

TEST_F(FakeCompressionTest, LyingUncompressedLengthClosesTheSession) {
    // A valid zstd frame announced one byte longer than it inflates to: refused.
    script_login(cap::zstd_compression_algorithm, CompressionAlgorithm::zstd, {});
    detail::CompressionCodec codec(CompressionAlgorithm::zstd);
    const auto ok = frame(1, ok_packet());
    test::Bytes z(codec.bound(ok.size()));
    z.resize(codec.compress(ok, z));
    test::Bytes wire{static_cast<std::uint8_t>(z.size()), 0, 0, 1, static_cast<std::uint8_t>(ok.size() + 1), 0, 0};
    wire.insert(wire.end(), z.begin(), z.end());
    server_.expect().send_wire(wire).stall();
    ConnectOptions opt = options();
    opt.compression_algorithms = "zstd";
    Connection c = connect_ok(opt);
    EXPECT_EQ(query_fails(loop_, c), 2027);
}

}  // namespace
}  // namespace uvmysql::test
