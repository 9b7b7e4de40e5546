// SPDX-License-Identifier: MIT
// SSCursor / SSDictCursor against the private MariaDB: streaming, flat memory, discard, misuse.
#include <gtest/gtest.h>

#include "connection/row_stream.hpp"
#include "cursor/cursor_state.hpp"
#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

class SSCursorTest : public ServerTest {};

TEST_F(SSCursorTest, StreamsAMillionRowsWithBoundedBuffer) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq, CONCAT('row-', seq) FROM seq_1_to_1000000"));
    ASSERT_EQ(cur.description().size(), 2u);
    EXPECT_EQ(cur.rowcount(), -1);   // unknown while streaming
    std::uint64_t count = 0, sum = 0;
    for (;;) {
        auto rows = wait(cur.fetchmany(5000), std::chrono::seconds(60));
        if (rows.empty()) break;
        for (const Row& r : rows) {
            sum += r[0].as<std::uint64_t>();
            ++count;
        }
    }
    EXPECT_EQ(count, 1'000'000u);
    EXPECT_EQ(sum, 500000500000u);
    EXPECT_EQ(cur.rowcount(), 1'000'000);
    // What waited in memory never exceeded the flow-control window (plus one socket read).
    EXPECT_LE(uvmysql::detail::stream_of(cur)->max_queued_rows(), uvmysql::detail::RowStream::high_water + 8192);
    wait(cur.close());
    EXPECT_EQ(scalar(c, "SELECT 5").as<std::int64_t>(), 5);
}

TEST_F(SSCursorTest, FetchoneToTheEnd) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_3"));
    for (int i = 1; i <= 3; ++i) {
        auto row = wait(cur.fetchone());
        ASSERT_TRUE(row);
        EXPECT_EQ(row->at(0).as<std::int64_t>(), i);
    }
    EXPECT_FALSE(wait(cur.fetchone()));
    EXPECT_FALSE(wait(cur.fetchone()));
    EXPECT_EQ(cur.rowcount(), 3);
}

TEST_F(SSCursorTest, CloseDiscardsTheRestAndTheConnectionGoesOn) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_200000"));
    auto first = wait(cur.fetchone());
    ASSERT_TRUE(first);
    wait(cur.close());
    EXPECT_TRUE(cur.closed());
    EXPECT_THROW(wait(cur.fetchone()), ProgrammingError);
    EXPECT_EQ(scalar(c, "SELECT 11").as<std::int64_t>(), 11);
}

TEST_F(SSCursorTest, OtherCommandsWhileStreamingFailClearly) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_100000"));
    try {
        wait(c.query("SELECT 1"));
        FAIL() << "a command ran in the middle of a streamed result";
    } catch (const ProgrammingError& e) {
        EXPECT_EQ(e.errno_code(), 2014);
    }
    auto rows = wait(cur.fetchall());
    EXPECT_EQ(rows.size(), 100000u);
    EXPECT_EQ(scalar(c, "SELECT 2").as<std::int64_t>(), 2);   // free again
}

TEST_F(SSCursorTest, ReExecuteDropsThePreviousResult) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_50000"));
    (void)wait(cur.fetchone());
    wait(cur.execute("SELECT 'again'"));
    auto row = wait(cur.fetchone());
    ASSERT_TRUE(row);
    EXPECT_EQ(row->at(0).as<std::string>(), "again");
}

TEST_F(SSCursorTest, ScrollForwardOnly) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_10"));
    wait(cur.scroll(3));
    EXPECT_EQ(wait(cur.fetchone())->at(0).as<std::int64_t>(), 4);
    wait(cur.scroll(8, ScrollMode::absolute));
    EXPECT_EQ(wait(cur.fetchone())->at(0).as<std::int64_t>(), 9);
    EXPECT_THROW(wait(cur.scroll(-1)), NotSupportedError);
    EXPECT_THROW(wait(cur.scroll(5)), ProgrammingError);   // past the end
}

TEST_F(SSCursorTest, MultipleResultSets) {
    ConnectOptions opt = server_options();
    opt.client_flag = client_flag::multi_statements;
    Connection c = open(opt);
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT 1; SELECT seq FROM seq_1_to_5; DO 0"));
    EXPECT_EQ(wait(cur.fetchall()).size(), 1u);
    ASSERT_TRUE(wait(cur.nextset()));
    (void)wait(cur.fetchone());   // leave the rest: nextset skips it
    ASSERT_TRUE(wait(cur.nextset()));
    EXPECT_TRUE(cur.description().empty());
    EXPECT_FALSE(wait(cur.nextset()));
    EXPECT_EQ(scalar(c, "SELECT 3").as<std::int64_t>(), 3);
}

TEST_F(SSCursorTest, ServerErrorInExecute) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    EXPECT_THROW(wait(cur.execute("SELECT * FROM no_such_table_ss")), ProgrammingError);
    EXPECT_EQ(scalar(c, "SELECT 4").as<std::int64_t>(), 4);
}

TEST_F(SSCursorTest, DictRowsByName) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSDictCursor>();
    wait(cur.execute("SELECT 1 AS a, 'x' AS b"));
    auto row = wait(cur.fetchone());
    ASSERT_TRUE(row);
    EXPECT_EQ((*row)["a"].as<std::int64_t>(), 1);
    EXPECT_EQ((*row)["b"].as<std::string>(), "x");
}

TEST_F(SSCursorTest, ConnectionLostWhileStreaming) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    auto cur = victim.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_5000000"));
    (void)wait(cur.fetchone());
    wait(killer.query("KILL " + std::to_string(victim.thread_id())));
    bool failed = false;
    try {
        for (;;) {
            if (wait(cur.fetchmany(10000), std::chrono::seconds(60)).empty()) break;
        }
    } catch (const OperationalError&) {
        failed = true;
    }
    EXPECT_TRUE(failed);
    EXPECT_TRUE(victim.closed());
}

TEST_F(SSCursorTest, DiscardUnreadResultOnTheConnection) {
    Connection c = open(server_options());
    auto cur = c.cursor<SSCursor>();
    wait(cur.execute("SELECT seq FROM seq_1_to_50000"));   // more than the stream buffers
    ASSERT_TRUE(wait(cur.fetchone()));
    EXPECT_TRUE(c.has_unread_result());
    wait(c.discard_unread_result());
    EXPECT_FALSE(c.has_unread_result());
    EXPECT_EQ(wait(c.query("SELECT 5")).at(0).rows.at(0).at(0).as<std::int64_t>(), 5);
    wait(c.discard_unread_result());   // nothing unread: ready at once
}

}  // namespace
}  // namespace uvmysql::test
