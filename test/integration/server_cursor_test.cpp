// SPDX-License-Identifier: MIT
// Server-side cursors (SSCursor::set_fetch_size): 1,000,000 rows with a memory bound, other
// statements on the same connection while a cursor is open, the same Values as a text query,
// statements without rows, the statement freed on close, and errors.
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "connection/row_stream.hpp"
#include "cursor/cursor_state.hpp"
#include "integration_support.hpp"

#include "sanitizers.hpp"

namespace uvmysql::test {
namespace {

/// Resident set size of this process, in KiB.
long rss_kib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

class ServerCursorTest : public ServerTest {
protected:
    /// Prepared statements open on the server, seen from another session.
    std::int64_t prepared_count() {
        if (observer_.closed()) observer_ = open(server_options());
        auto sets = wait(observer_.query("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'"));
        return std::stoll(sets.at(0).rows.at(0).at(1).as<std::string>());
    }
    Connection observer_;
};

TEST_F(ServerCursorTest, MillionRowsWithFlatMemory) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    cur.set_fetch_size(1000);
    EXPECT_EQ(cur.fetch_size(), 1000u);
    const long rss_before = rss_kib();
    EXPECT_EQ(wait(cur.execute("SELECT seq, CONCAT('row ', seq) FROM seq_1_to_1000000 WHERE seq > %s", 0),
                   std::chrono::seconds(120)),
              0u);
    ASSERT_EQ(cur.description().size(), 2u);
    std::uint64_t count = 0, sum = 0;
    long rss_peak = rss_before;
    for (;;) {
        auto rows = wait(cur.fetchmany(5000), std::chrono::seconds(60));
        if (rows.empty()) break;
        for (const Row& r : rows) {
            sum += r[0].as<std::uint64_t>();
            ++count;
        }
        if (count % 100'000 == 0) rss_peak = std::max(rss_peak, rss_kib());
        if (count == 5000) {
            EXPECT_EQ(rows.back()[1].as<std::string>(), "row 5000");
        }
    }
    EXPECT_EQ(count, 1'000'000u);
    EXPECT_EQ(sum, 500000500000u);
    EXPECT_EQ(cur.rowcount(), 1'000'000);
    // What waited in memory never exceeded the flow-control window plus one fetch.
    EXPECT_LE(uvmysql::detail::stream_of(cur)->max_queued_rows(), uvmysql::detail::RowStream::high_water + 1000);
#ifndef UVMYSQL_TEST_ASAN   // ASan's quarantine keeps freed rows resident
    // A million buffered rows take well over 100 MiB; the cursor's window a few MiB.
    EXPECT_LT(rss_peak - rss_before, 32 * 1024) << "RSS grew by " << (rss_peak - rss_before) << " KiB";
#endif
    wait(cur.close());
    // The rows came from the server's cursor, 1000 per COM_STMT_FETCH.
    EXPECT_EQ(std::stoll(scalar(c, "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS"
                                   " WHERE VARIABLE_NAME = 'COM_STMT_FETCH'").as<std::string>()),
              1001);
}

TEST_F(ServerCursorTest, TheConnectionRunsOtherStatementsWhileTheCursorIsOpen) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    cur.set_fetch_size(100);
    (void)wait(cur.execute("SELECT seq FROM seq_1_to_10000"));
    auto first = wait(cur.fetchmany(150));
    ASSERT_EQ(first.size(), 150u);
    // A plain SSCursor would make this fail with 2014; between fetches the session is free.
    auto other = c.cursor();
    (void)wait(other.execute("SELECT %s * 2", 21));
    EXPECT_EQ(wait(other.fetchone())->at(0).as<std::int64_t>(), 42);
    auto second = c.cursor<SSCursor>();
    second.set_fetch_size(7);
    (void)wait(second.execute("SELECT seq FROM seq_1_to_20 WHERE seq > %s", 10));
    EXPECT_EQ(wait(second.fetchall()).size(), 10u);
    std::int64_t expected = 151;
    std::size_t rest = 0;
    for (const Row& r : wait(cur.fetchall())) {
        EXPECT_EQ(r.at(0).as<std::int64_t>(), expected++);
        ++rest;
    }
    EXPECT_EQ(rest, 10000u - 150u);
}

TEST_F(ServerCursorTest, SameValuesAsATextQuery) {
    Connection c = open(server_options());
    (void)wait(c.query("SET SESSION sql_mode = ''"));
    (void)wait(c.query("CREATE TEMPORARY TABLE t (id INT PRIMARY KEY, bu BIGINT UNSIGNED, d DECIMAL(20,6),"
                       " dt DATETIME(6), tm TIME(6), s VARCHAR(20), b BLOB, z DATE, n INT)"));
    (void)wait(c.query("INSERT INTO t VALUES (1, 18446744073709551615, '-12345678901234.123456',"
                       " '2020-01-02 03:04:05.123456', '-838:59:59', 'héllo ✓', x'00ff', '0000-00-00', NULL),"
                       " (2, 0, '0.000001', '1999-12-31 23:59:59', '123:45:06.789012', '', '', '2024-02-29', 7)"));
    auto text = wait(c.query("SELECT * FROM t ORDER BY id"));
    auto cur = c.cursor<SSCursor>();
    cur.set_fetch_size(1);   // one COM_STMT_FETCH per row
    (void)wait(cur.execute("SELECT * FROM t WHERE id > %s ORDER BY id", 0));
    auto rows = wait(cur.fetchall());
    ASSERT_EQ(rows.size(), text.at(0).rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t j = 0; j < rows[i].size(); ++j) EXPECT_EQ(rows[i].at(j), text.at(0).rows[i].at(j)) << i << "," << j;
    }
    EXPECT_EQ(cur.rowcount(), 2);
}

TEST_F(ServerCursorTest, StatementWithoutRows) {
    Connection c = open(server_options());
    (void)wait(c.query("CREATE TEMPORARY TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"));
    auto cur = c.cursor<SSDictCursor>();
    cur.set_fetch_size(10);
    EXPECT_EQ(wait(cur.execute("INSERT INTO t (v) VALUES (%s), (%s)", 5, 6)), 2u);
    EXPECT_EQ(cur.rowcount(), 2);
    EXPECT_EQ(cur.lastrowid(), 1u);
    (void)wait(cur.execute("SELECT v FROM t ORDER BY id"));
    auto rows = wait(cur.fetchall());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].at("v").as<std::int64_t>(), 6);
}

TEST_F(ServerCursorTest, ClosingHalfReadFreesTheStatement) {
    const std::int64_t before = prepared_count();
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    cur.set_fetch_size(50);
    (void)wait(cur.execute("SELECT seq FROM seq_1_to_100000"));
    EXPECT_EQ(wait(cur.fetchmany(10)).size(), 10u);
    EXPECT_EQ(prepared_count(), before + 1);
    wait(cur.close());
    EXPECT_EQ(scalar(c, "SELECT 3").as<std::int64_t>(), 3);   // after the COM_STMT_CLOSE
    EXPECT_EQ(prepared_count(), before);
    // Re-executing half-read drops the old cursor's statement too.
    auto again = c.cursor<SSCursor>();
    again.set_fetch_size(50);
    (void)wait(again.execute("SELECT seq FROM seq_1_to_100000"));
    (void)wait(again.fetchone());
    (void)wait(again.execute("SELECT seq FROM seq_1_to_3"));
    EXPECT_EQ(wait(again.fetchall()).size(), 3u);
    EXPECT_EQ(scalar(c, "SELECT 4").as<std::int64_t>(), 4);
    EXPECT_EQ(prepared_count(), before);   // both cursors' statements are closed once read
}

TEST_F(ServerCursorTest, Errors) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    cur.set_fetch_size(10);
    auto bad = failure_of<ProgrammingError>(cur.execute("SELECT 1 FROM no_such_table"));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->errno_code(), 1146);
    auto by_name = failure_of<ProgrammingError>(cur.execute("SELECT %(a)s", uvmysql::named("a", 1)));
    ASSERT_TRUE(by_name);
    // A reset forgets the statement and its cursor: the next fetch says so; the session works.
    (void)wait(cur.execute("SELECT seq FROM seq_1_to_100000"));
    (void)wait(cur.fetchmany(10));
    wait(c.reset_connection());
    std::optional<ProgrammingError> gone;
    for (int i = 0; i < 200 && !gone; ++i) gone = failure_of<ProgrammingError>(cur.fetchmany(1000));
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->errno_code(), 1243);
    EXPECT_EQ(scalar(c, "SELECT 6").as<std::int64_t>(), 6);
}

}  // namespace
}  // namespace uvmysql::test
