// SPDX-License-Identifier: MIT
// The compressed protocol (zlib) against the real MariaDB: negotiation, 20 MiB both ways,
// multi-results, LOAD DATA LOCAL (a client write of several frames), and a statement whose
// frames need one compressed packet more than they have frames. The type round trips run
// compressed too: CursorLinkTest and ConnectionLinkTest are instantiated with Link::compressed.
#include <cstdio>
#include <fstream>
#include <random>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

class CompressionTest : public ServerTest {
protected:
    ConnectOptions compressed() {
        ConnectOptions opt = server_options();
        opt.compress = true;
        return opt;
    }
    std::string status(Connection& c, const std::string& name) {
        auto sets = wait(c.query("SHOW SESSION STATUS LIKE '" + name + "'"));
        EXPECT_EQ(sets.at(0).rows.size(), 1u);
        return sets.at(0).rows.empty() ? "" : sets[0].rows[0].at(1).as<std::string>();
    }
};

TEST_F(CompressionTest, ServerReportsCompressionOn) {
    Connection c = open(compressed());
    EXPECT_EQ(status(c, "Compression"), "ON");
    Connection plain = open(server_options());
    EXPECT_EQ(status(plain, "Compression"), "OFF");
}

TEST_F(CompressionTest, CompressionAlgorithmsZlibIsTheSame) {
    ConnectOptions opt = server_options();
    opt.compression_algorithms = "zstd,zlib";   // MariaDB has no zstd: zlib is chosen
    Connection c = open(opt);
    EXPECT_EQ(status(c, "Compression"), "ON");
}

TEST_F(CompressionTest, OnlyZstdIsRefusedByMariaDb) {
    ConnectOptions opt = server_options();
    opt.compression_algorithms = "zstd";
    try {
        (void)run_until(loop(), connect(loop(), opt));
        ADD_FAILURE() << "connected without a common algorithm";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2012);
    }
}

TEST_F(CompressionTest, QueryTimeoutKillsTheStatementAndTheCompressedSessionGoesOn) {
    using namespace std::chrono_literals;
    ConnectOptions opt = compressed();
    opt.query_timeout = 200ms;
    Connection c = open(opt);
    const auto thread = c.thread_id();
    const auto start = std::chrono::steady_clock::now();
    auto e = failure_of<QueryTimeoutError>(c.query("SELECT SLEEP(10)"));
    ASSERT_TRUE(e);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(e->errno_code(), 1969);
    EXPECT_EQ(e->sqlstate(), "70100");
    EXPECT_FALSE(is_fatal(*e));
    // The interrupted reply was read through the compressed stream to its end: the session
    // (still compressed) answers the next statement.
    EXPECT_FALSE(c.closed());
    EXPECT_EQ(scalar(c, "SELECT REPEAT('z', 1000)").as<std::string>(), std::string(1000, 'z'));
    EXPECT_EQ(status(c, "Compression"), "ON");
    EXPECT_EQ(c.thread_id(), thread);
}

std::string random_bytes(std::size_t n) {
    std::mt19937_64 rng(42);
    std::string s(n, '\0');
    for (auto& ch : s) ch = static_cast<char>(rng());
    return s;
}

std::string text_bytes(std::size_t n) {
    std::string s;
    s.reserve(n + 64);
    for (std::size_t i = 0; s.size() < n; ++i) s += "row " + std::to_string(i) + " of a compressible blob\n";
    s.resize(n);
    return s;
}

TEST_F(CompressionTest, TwentyMiBBlobBothWays) {
    Connection c = open(compressed());
    Cursor cur = c.cursor();
    (void)wait(cur.execute("CREATE TEMPORARY TABLE t_zblob (id INT PRIMARY KEY, b LONGBLOB)"));
    const std::size_t n = 20u << 20;
    const std::string incompressible = random_bytes(n);
    const std::string compressible = text_bytes(n);
    (void)wait(cur.execute("INSERT INTO t_zblob VALUES (1, %s), (2, %s)",
                           {Bytes(incompressible), Bytes(compressible)}),
               std::chrono::seconds(120));
    EXPECT_EQ(scalar(c, "SELECT SUM(LENGTH(b)) FROM t_zblob").to_string(), std::to_string(2 * n));
    auto sets = wait(c.query("SELECT b FROM t_zblob ORDER BY id"), std::chrono::seconds(120));
    ASSERT_EQ(sets.at(0).rows.size(), 2u);
    EXPECT_TRUE(sets[0].rows[0].at(0).as<Bytes>() == Bytes(incompressible));
    EXPECT_TRUE(sets[0].rows[1].at(0).as<Bytes>() == Bytes(compressible));
}

TEST_F(CompressionTest, StatementWithOneCompressedPacketMoreThanFrames) {
    // A payload of 2 * 0xFFFFFF - 5 bytes is 2 frames, but with their headers 3 compressed
    // packets: the server numbers its reply from the compressed packets (3), not the frames (2).
    const std::string head = "SELECT LENGTH('", tail = "')";
    const std::size_t payload = 2 * 0xFFFFFFu - 5;
    const std::size_t fill = payload - 1 - head.size() - tail.size();
    Connection c = open(compressed());
    auto sets = wait(c.query(head + std::string(fill, 'z') + tail), std::chrono::seconds(120));
    EXPECT_EQ(sets.at(0).rows.at(0).at(0).as<std::int64_t>(), static_cast<std::int64_t>(fill));
    EXPECT_EQ(scalar(c, "SELECT 7").as<std::int64_t>(), 7) << "the session is still in sync";
}

TEST_F(CompressionTest, MultiResultStatement) {
    ConnectOptions opt = compressed();
    opt.client_flag = client_flag::multi_statements;
    Connection c = open(opt);
    auto sets = wait(c.query("SELECT 1; SELECT REPEAT('ab', 5000) AS r UNION ALL SELECT 'x'; DO 1; "
                             "SELECT 'last'"));
    ASSERT_EQ(sets.size(), 4u);
    EXPECT_EQ(sets[0].rows.at(0).at(0).as<std::int64_t>(), 1);
    ASSERT_EQ(sets[1].rows.size(), 2u);
    EXPECT_EQ(sets[1].rows[0].at(0).as<std::string>().size(), 10000u);
    EXPECT_TRUE(sets[2].rows.empty());
    EXPECT_EQ(sets[3].rows.at(0).at(0).as<std::string>(), "last");
}

TEST_F(CompressionTest, LoadDataLocalInfile) {
    // The client writes the file in several frames, bundled into compressed packets.
    ConnectOptions opt = compressed();
    opt.local_infile = true;
    Connection c = open(opt);
    Cursor cur = c.cursor();
    (void)wait(cur.execute("CREATE TEMPORARY TABLE t_zload (id INT, name VARCHAR(40))"));
    const std::string path = testing::TempDir() + "uvmysql-compressed-load.csv";
    {
        std::ofstream f(path);
        for (int i = 0; i < 50000; ++i) f << i << ",name number " << i << "\n";
    }
    EXPECT_EQ(wait(cur.execute("LOAD DATA LOCAL INFILE %s INTO TABLE t_zload FIELDS TERMINATED BY ','", {path}),
                   std::chrono::seconds(60)),
              50000u);
    std::remove(path.c_str());
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_zload").as<std::int64_t>(), 50000);
}

TEST_F(CompressionTest, ManyShortAndLongStatements) {
    Connection c = open(compressed());
    for (int i = 0; i < 200; ++i) {
        // Short and long statements alternate: stored and compressed packets, seq reset each time.
        const std::string sql = i % 2 ? "SELECT " + std::to_string(i) : "SELECT '" + text_bytes(100 + i) + "', " +
                                                                            std::to_string(i);
        auto sets = wait(c.query(sql));
        EXPECT_EQ(sets.at(0).rows.at(0).at(i % 2 ? 0 : 1).as<std::int64_t>(), i);
    }
}

}  // namespace
}  // namespace uvmysql::test
