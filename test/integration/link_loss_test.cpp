// SPDX-License-Identifier: MIT
// What a client must get right when statements fail part-way or the link dies: errors that cut
// a result short, reconnecting from a failure handler, lost idle links, oversized commands,
// sessions whose last handle is dropped, procedure names that cannot inject SQL.
#include <memory>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

constexpr int statement_timeout = 1969;   // ER_STATEMENT_TIMEOUT
constexpr int out_of_range = 1690;        // ER_DATA_OUT_OF_RANGE
constexpr int subquery_rows = 1242;       // ER_SUBQUERY_NO_1_ROW

/// A statement whose first two rows reach the client before the server gives up on it.
const char* const interrupted_after_two_rows =
    "SET STATEMENT max_statement_time=0.5 FOR SELECT seq, IF(seq=3, SLEEP(1), 0) FROM seq_1_to_5";

class LinkLossTest : public ServerTest {
protected:
    /// The errno `f` fails with (-1 and a test failure when it succeeds).
    template <class T>
    int errno_of(Future<T> f) {
        try {
            (void)wait(std::move(f));
            ADD_FAILURE() << "succeeded, but the statement failed on the server";
        } catch (const Error& e) {
            return e.errno_code();
        }
        return -1;
    }

    /// Runs the loop until the client has noticed that the server closed `c`.
    void wait_until_closed(const Connection& c) {
        for (int i = 0; i < 100 && !c.closed(); ++i) wait(sleep_for(loop(), std::chrono::milliseconds(50)));
        ASSERT_TRUE(c.closed()) << "the client never noticed that the server closed the connection";
    }

    /// Kills `victim`'s session from another connection.
    void kill(const Connection& victim) {
        Connection killer = open(server_options());
        (void)wait(killer.query("KILL CONNECTION " + std::to_string(victim.thread_id())));
        killer.close();
    }

    /// `doomed` fails because the link died; its failure handler reconnects with ping(true),
    /// the usual idiom (it used to leave the connection "connecting" for ever), then runs
    /// SELECT 1 on the new session. Returns the errno `doomed` failed with.
    int reconnect_in_failure_handler(Connection c, Future<void> doomed) {
        auto seen = std::make_shared<int>(-1);
        Future<std::int64_t> after = std::move(doomed)
                                         .then([]() { throw std::logic_error("the command did not fail"); })
                                         .on_error([c, seen](const Error& e) mutable {
                                             *seen = e.errno_code();
                                             return c.ping(true);
                                         })
                                         .then([c]() mutable { return c.query("SELECT 1"); })
                                         .then([](std::vector<ResultSet> sets) {
                                             return sets.at(0).rows.at(0).at(0).as<std::int64_t>();
                                         });
        EXPECT_EQ(wait(std::move(after)), 1);
        EXPECT_FALSE(c.closed());
        return *seen;
    }

    static Future<void> done(Future<std::vector<ResultSet>> f) {
        return std::move(f).then([](std::vector<ResultSet>) {});
    }
};

// --- an error after the first rows fails the statement, on every link ----------------------

class ErrorAfterRowsTest : public LinkLossTest, public testing::WithParamInterface<Link> {};

TEST_P(ErrorAfterRowsTest, CursorExecuteFails) {
    Connection c = open(server_options(GetParam()));
    Cursor cur = c.cursor();
    EXPECT_EQ(errno_of(cur.execute(interrupted_after_two_rows)), statement_timeout);
    EXPECT_EQ(errno_of(cur.execute("SELECT 9223372036854775807 + 1")), out_of_range);
    EXPECT_EQ(errno_of(cur.execute("SELECT (SELECT 1 UNION SELECT 2)")), subquery_rows);
    DictCursor dict = c.cursor<DictCursor>();
    EXPECT_EQ(errno_of(dict.execute("SELECT 9223372036854775807 + 1")), out_of_range);
    EXPECT_EQ(wait(cur.execute("SELECT 1")), 1u);   // the session goes on
}

TEST_P(ErrorAfterRowsTest, QueryAndStreamFail) {
    Connection c = open(server_options(GetParam()));
    EXPECT_EQ(errno_of(c.query_results("SELECT 9223372036854775807 + 1")), out_of_range);
    EXPECT_EQ(errno_of(c.query("SELECT (SELECT 1 UNION SELECT 2)")), subquery_rows);
    SSCursor stream = c.cursor<SSCursor>();
    (void)wait(stream.execute(interrupted_after_two_rows));
    EXPECT_EQ(errno_of(stream.fetchall()), statement_timeout);
    EXPECT_EQ(scalar(c, "SELECT 2").as<std::int64_t>(), 2);
}

TEST_P(ErrorAfterRowsTest, ErrorOfALaterStatementComesFromNextset) {
    ConnectOptions opt = server_options(GetParam());
    opt.client_flag = client_flag::multi_statements;
    Connection c = open(opt);
    Cursor cur = c.cursor();
    EXPECT_EQ(wait(cur.execute("SELECT 1; SELECT 9223372036854775807 + 1")), 1u);
    EXPECT_EQ(errno_of(cur.nextset()), out_of_range);
}

INSTANTIATE_TEST_SUITE_P(Links, ErrorAfterRowsTest, testing::Values(Link::tcp, Link::unix_socket, Link::tls),
                         link_name);

// --- reconnecting from the failure handler, for each way the link dies ---------------------

TEST_F(LinkLossTest, ReconnectAfterTheSessionWasKilledMidQuery) {
    Connection c = open(server_options());
    Future<void> doomed = done(c.query("SELECT SLEEP(10)"));
    kill(c);
    const int seen = reconnect_in_failure_handler(c, std::move(doomed));
    EXPECT_TRUE(seen == 1927 || seen == 2013) << seen;   // killed, or lost before the ERR was read
}

TEST_F(LinkLossTest, ReconnectAfterAPacketTooLarge) {
    ConnectOptions opt = server_options();
    opt.max_allowed_packet = 1u << 20;
    Connection c = open(opt);
    EXPECT_EQ(reconnect_in_failure_handler(c, done(c.query("SELECT REPEAT('x', 2000000)"))), 2020);
}

TEST_F(LinkLossTest, ReconnectAfterTheServerClosedAnIdleSession) {
    Connection c = open(server_options());
    kill(c);
    wait_until_closed(c);
    EXPECT_EQ(reconnect_in_failure_handler(c, done(c.query("SELECT 1"))), 2006);
}

// --- a link lost while idle is an OperationalError 2006, not "Not connected" ----------------

TEST_F(LinkLossTest, KilledIdleSessionIsOperationalError2006) {
    Connection c = open(server_options());
    Cursor cur = c.cursor();
    kill(c);
    wait_until_closed(c);
    try {
        (void)wait(cur.execute("SELECT 1"));
        ADD_FAILURE() << "a query on a killed session succeeded";
    } catch (const OperationalError& e) {   // what retry-on-OperationalError code catches
        EXPECT_EQ(e.errno_code(), 2006);
        EXPECT_NE(std::string(e.what()).find("gone away"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)wait(c.query("SELECT 1")), OperationalError);
    EXPECT_THROW((void)wait(c.ping(false)), OperationalError);
}

TEST_F(LinkLossTest, WaitTimeoutIsOperationalError2006) {
    Connection c = open(server_options());
    (void)wait(c.query("SET SESSION wait_timeout = 1"));
    wait_until_closed(c);
    Cursor cur = c.cursor();
    EXPECT_EQ(errno_of(cur.execute("SELECT 1")), 2006);
}

TEST_F(LinkLossTest, ConnectionTheCallerClosedStaysInterfaceError) {
    Connection c = open(server_options());
    c.close();
    EXPECT_THROW((void)wait(c.cursor().execute("SELECT 1")), InterfaceError);
    EXPECT_THROW((void)wait(c.query("SELECT 1")), InterfaceError);
}

// --- max_allowed_packet holds for what the client sends --------------------------------------

TEST_F(LinkLossTest, CommandLargerThanMaxAllowedPacketIsNotSent) {
    ConnectOptions opt = server_options();
    opt.max_allowed_packet = 1u << 20;
    Connection c = open(opt);
    const std::string too_big = "SELECT '" + std::string(2'000'000, 'x') + "'";
    try {
        (void)wait(c.query(too_big));
        ADD_FAILURE() << "a 2 MB statement was sent with max_allowed_packet = 1 MiB";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2020);
    }
    EXPECT_EQ(errno_of(c.cursor().execute(too_big)), 2020);
    EXPECT_EQ(errno_of(c.cursor<SSCursor>().execute(too_big)), 2020);
    EXPECT_FALSE(c.closed());   // nothing was written: the session goes on
    // The largest command that fits: 1 byte of COM_QUERY + the statement = max_allowed_packet.
    const std::string prefix = "SELECT LENGTH('";
    const std::string fits = prefix + std::string(opt.max_allowed_packet - 1 - prefix.size() - 2, 'y') + "')";
    ASSERT_EQ(fits.size() + 1, opt.max_allowed_packet);
    EXPECT_EQ(scalar(c, fits).as<std::int64_t>(), static_cast<std::int64_t>(fits.size() - prefix.size() - 2));
}

// --- pending commands keep the session alive --------------------------------------------------

TEST_F(LinkLossTest, DroppingTheLastHandleKeepsThePendingQuery) {
    Future<std::vector<ResultSet>> pending;
    {
        Connection c = wait(connect(loop(), server_options()));
        pending = c.query("SELECT SLEEP(0.1), 42");
    }   // no handle left; the query is still on the wire
    auto sets = wait(std::move(pending));
    EXPECT_EQ(sets.at(0).rows.at(0).at(1).as<std::int64_t>(), 42);
}

TEST_F(LinkLossTest, FireAndForgetChainGetsItsResult) {
    Promise<std::int64_t> got;
    {
        Connection c = wait(connect(loop(), server_options()));
        c.query("SELECT 7")
            .then([&got](std::vector<ResultSet> sets) { got.set_value(sets.at(0).rows.at(0).at(0).as<std::int64_t>()); })
            .detach();
    }
    EXPECT_EQ(wait(got.get_future()), 7);
}

// --- callproc names are identifiers -----------------------------------------------------------

TEST_F(LinkLossTest, CallprocQuotesTheProcedureName) {
    Connection c = open(server_options());
    Cursor cur = c.cursor();
    (void)wait(cur.execute("DROP PROCEDURE IF EXISTS `uvm_foo.bar`"));
    (void)wait(cur.execute("CREATE PROCEDURE `uvm_foo.bar`(arg1 INT) BEGIN SELECT arg1*2; END"));
    const Params args{123};
    (void)wait(cur.callproc("uvm_foo.bar", args));
    EXPECT_EQ(cur.last_executed(), "CALL `uvm_foo.bar`(@`_uvm_foo.bar_0`)");
    EXPECT_EQ(wait(cur.fetchone())->at(0).as<std::int64_t>(), 246);
    (void)wait(cur.nextset());
    (void)wait(cur.execute("DROP PROCEDURE `uvm_foo.bar`"));

    (void)wait(cur.execute("CREATE TABLE IF NOT EXISTS uvm_victim (v INT)"));
    const Params none;
    // One (odd) procedure name, not a statement: no such procedure (1305).
    EXPECT_EQ(errno_of(cur.callproc("x`(); DROP TABLE uvm_victim; --", none)), 1305);
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'uvm_victim'").as<std::int64_t>(), 1);
    (void)wait(cur.execute("DROP TABLE uvm_victim"));
    EXPECT_THROW((void)wait(cur.callproc(std::string("a\0b", 3), none)), ProgrammingError);
}

}  // namespace
}  // namespace uvmysql::test
