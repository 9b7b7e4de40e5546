// SPDX-License-Identifier: MIT
// Observer: the events a connection and a pool report (order, durations, statement attributes,
// outcomes and errors), and that a connection without one reports nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// One event, its views copied.
struct Recorded {
    std::string kind;   // connect, start, end, close, acquire
    ServerInfo server;  // views cleared: see the copies below
    std::string db_system, peer, socket, db, statement, operation;
    std::uint32_t statement_id = 0;
    bool prepared = false;
    std::uint64_t token = 0;
    std::chrono::nanoseconds duration{0};
    std::uint64_t rows = 0, affected = 0;
    std::uint32_t warnings = 0;
    bool failed = false;
    ErrorClass error_class = ErrorClass::operational;
    int errno_code = 0;
    std::string sqlstate, message;
    bool by_client = false;
    AcquireResult acquire = AcquireResult::acquired;
};

class Recorder : public Observer {
public:
    void on_query_start(QueryEvent& ev) override {
        ev.user_token = ++next_token_;
        events.push_back(query("start", ev));
    }
    void on_query_end(QueryEvent& ev, const QueryOutcome& out) override {
        Recorded r = query("end", ev);
        r.duration = out.duration;
        r.rows = out.rows;
        r.affected = out.affected_rows;
        r.warnings = out.warnings;
        error(r, out.error);
        events.push_back(std::move(r));
    }
    void on_connect(const ConnectEvent& ev) override {
        Recorded r = server("connect", ev.server);
        r.duration = ev.duration;
        error(r, ev.error);
        events.push_back(std::move(r));
    }
    void on_close(const CloseEvent& ev) override {
        Recorded r = server("close", ev.server);
        r.duration = ev.session_duration;
        r.by_client = ev.by_client;
        error(r, ev.error);
        events.push_back(std::move(r));
    }
    void on_pool_acquire(const AcquireEvent& ev) override {
        Recorded r;
        r.kind = "acquire";
        r.duration = ev.wait;
        r.acquire = ev.result;
        r.server.connection_id = ev.connection_id;
        events.push_back(std::move(r));
    }

    /// The kinds in order, e.g. "connect start end close".
    std::string kinds() const {
        std::string out;
        for (const auto& e : events) out += (out.empty() ? "" : " ") + e.kind;
        return out;
    }
    /// The events of one kind.
    std::vector<Recorded> of(const std::string& kind) const {
        std::vector<Recorded> out;
        for (const auto& e : events) {
            if (e.kind == kind) out.push_back(e);
        }
        return out;
    }

    std::vector<Recorded> events;

private:
    static Recorded server(std::string kind, const ServerInfo& s) {
        Recorded r;
        r.kind = std::move(kind);
        r.server.net_peer_port = s.net_peer_port;
        r.server.connection_id = s.connection_id;
        r.db_system = s.db_system;
        r.peer = s.net_peer_name;
        r.socket = s.net_sock_path;
        r.db = s.db_name;
        return r;
    }
    static Recorded query(std::string kind, const QueryEvent& ev) {
        Recorded r = server(std::move(kind), ev.server);
        r.statement = ev.statement;
        r.operation = ev.db_operation;
        r.statement_id = ev.statement_id;
        r.prepared = ev.prepared;
        r.token = ev.user_token;
        return r;
    }
    static void error(Recorded& r, const ErrorInfo& e) {
        r.failed = e.failed;
        r.error_class = e.error_class;
        r.errno_code = e.errno_code;
        r.sqlstate = e.sqlstate;
        r.message = e.message;
    }
    std::uint64_t next_token_ = 0;
};

class ObserverTest : public PoolServerTest {
protected:
    ConnectOptions observed_options() {
        ConnectOptions opt = server_options();
        opt.observer = recorder_;
        return opt;
    }
    /// The start and end of the one statement reported, checked as a pair.
    void expect_pair(const Recorded& start, const Recorded& end) {
        EXPECT_EQ(start.kind, "start");
        EXPECT_EQ(end.kind, "end");
        EXPECT_EQ(start.statement, end.statement);
        EXPECT_EQ(start.operation, end.operation);
        EXPECT_NE(start.token, 0u);
        EXPECT_EQ(start.token, end.token) << "on_query_end gets the user_token set in on_query_start";
        EXPECT_GT(end.duration.count(), 0);
    }

    std::shared_ptr<Recorder> recorder_ = std::make_shared<Recorder>();
};

TEST_F(ObserverTest, EventsInOrderWithTheirAttributes) {
    Connection c = open(observed_options());
    auto cur = c.cursor();
    const auto t0 = Clock::now();  // before the call: the statement starts inside it
    wait(cur.execute("SELECT %s AS x", 42));
    const auto wall = Clock::now() - t0;
    wait(cur.fetchall());
    wait(c.ensure_closed());
    ASSERT_EQ(recorder_->kinds(), "connect start end close");
    const auto& ev = recorder_->events;

    EXPECT_FALSE(ev[0].failed);
    EXPECT_GT(ev[0].duration.count(), 0);
    EXPECT_EQ(ev[0].db_system, "mariadb");
    EXPECT_EQ(ev[0].peer, test_server().host);
    EXPECT_EQ(ev[0].server.net_peer_port, test_server().port);
    EXPECT_EQ(ev[0].db, test_server().db);
    EXPECT_NE(ev[0].server.connection_id, 0u);

    expect_pair(ev[1], ev[2]);
    EXPECT_EQ(ev[1].statement, "SELECT 42 AS x");
    EXPECT_EQ(ev[1].operation, "SELECT");
    EXPECT_FALSE(ev[1].prepared);
    EXPECT_EQ(ev[1].server.connection_id, ev[0].server.connection_id);
    EXPECT_EQ(ev[1].db_system, "mariadb");
    EXPECT_EQ(ev[1].db, test_server().db);
    EXPECT_LT(ev[2].duration, wall);
    EXPECT_EQ(ev[2].rows, 1u);
    EXPECT_FALSE(ev[2].failed);

    EXPECT_TRUE(ev[3].by_client);
    EXPECT_FALSE(ev[3].failed);
    EXPECT_GT(ev[3].duration.count(), 0);
}

TEST_F(ObserverTest, UnixSocketIsItsPeer) {
    ConnectOptions opt = server_options(Link::unix_socket);
    opt.observer = recorder_;
    Connection c = open(opt);
    wait(c.query("SELECT 1"));
    ASSERT_EQ(recorder_->kinds(), "connect start end");
    EXPECT_EQ(recorder_->events[1].socket, test_server().socket);
    EXPECT_EQ(recorder_->events[1].peer, "");
    EXPECT_EQ(recorder_->events[1].server.net_peer_port, 0);
}

TEST_F(ObserverTest, RowsAffectedAndWarnings) {
    Connection c = open(observed_options());
    wait(c.query("CREATE TEMPORARY TABLE obs_t (id INT PRIMARY KEY, v INT)"));
    wait(c.query("INSERT INTO obs_t VALUES (1, 10), (2, 20), (3, 30)"));
    wait(c.query("UPDATE obs_t SET v = v + 1 WHERE id >= %s", 2));
    wait(c.query("SELECT * FROM obs_t ORDER BY id", Args()));
    auto cur = c.cursor();  // a cursor runs SHOW WARNINGS after a warning: not reported
    wait(cur.execute("SELECT CAST('abc' AS SIGNED)"));
    const auto ends = recorder_->of("end");
    ASSERT_EQ(ends.size(), 5u) << recorder_->kinds();
    EXPECT_EQ(ends[0].operation, "CREATE");
    EXPECT_EQ(ends[1].operation, "INSERT");
    EXPECT_EQ(ends[1].affected, 3u);
    EXPECT_EQ(ends[1].rows, 0u);
    EXPECT_EQ(ends[2].statement, "UPDATE obs_t SET v = v + 1 WHERE id >= 2");
    EXPECT_EQ(ends[2].affected, 2u);
    EXPECT_EQ(ends[3].rows, 3u);
    EXPECT_EQ(ends[3].affected, 0u);
    EXPECT_EQ(ends[4].rows, 1u);
    EXPECT_EQ(ends[4].warnings, 1u);
    EXPECT_EQ(cur.warnings().size(), 1u);  // SHOW WARNINGS did run
    const auto starts = recorder_->of("start");
    ASSERT_EQ(starts.size(), 5u);
    for (std::size_t i = 0; i < starts.size(); ++i) expect_pair(starts[i], ends[i]);
}

TEST_F(ObserverTest, ErrorsWithClassErrnoAndSqlstate) {
    Connection c = open(observed_options());
    wait(c.query("CREATE TEMPORARY TABLE obs_dup (id INT PRIMARY KEY)"));
    wait(c.query("INSERT INTO obs_dup VALUES (1)"));
    EXPECT_TRUE(failure_of<ProgrammingError>(c.query("SELEC 1")));
    EXPECT_TRUE(failure_of<IntegrityError>(c.execute("INSERT INTO obs_dup VALUES (%s)", 1)));
    const auto ends = recorder_->of("end");
    ASSERT_EQ(ends.size(), 4u) << recorder_->kinds();
    EXPECT_FALSE(ends[1].failed);
    EXPECT_TRUE(ends[2].failed);
    EXPECT_EQ(ends[2].operation, "SELEC");
    EXPECT_EQ(ends[2].error_class, ErrorClass::programming);
    EXPECT_EQ(ends[2].errno_code, 1064);
    EXPECT_EQ(ends[2].sqlstate, "42000");
    EXPECT_NE(ends[2].message.find("syntax"), std::string::npos) << ends[2].message;
    EXPECT_TRUE(ends[3].failed);
    EXPECT_EQ(ends[3].error_class, ErrorClass::integrity);
    EXPECT_EQ(ends[3].errno_code, 1062);
    EXPECT_EQ(ends[3].sqlstate, "23000");
    EXPECT_NE(ends[3].message.find("Duplicate entry"), std::string::npos) << ends[3].message;
    // The session survived: still open, no close reported.
    wait(c.query("SELECT 1"));
    EXPECT_EQ(recorder_->of("close").size(), 0u);
}

TEST_F(ObserverTest, StreamedResultReportsItsRowsAtTheEnd) {
    Connection c = open(observed_options());
    auto cur = c.cursor<SSCursor>();
    // Far more than the stream buffers (2 MB), so the end comes only once the reader caught up.
    wait(cur.execute("select seq, REPEAT('x', 200) FROM seq_1_to_10000"));
    auto first = wait(cur.fetchone());
    ASSERT_TRUE(first);
    EXPECT_EQ(recorder_->of("end").size(), 0u) << "the result has not ended yet";
    auto rest = wait(cur.fetchall());
    EXPECT_EQ(rest.size(), 9999u);
    wait(cur.close());
    const auto ends = recorder_->of("end");
    ASSERT_EQ(ends.size(), 1u) << recorder_->kinds();
    EXPECT_EQ(ends[0].rows, 10000u);
    EXPECT_EQ(ends[0].operation, "SELECT");
    EXPECT_FALSE(ends[0].failed);
    expect_pair(recorder_->of("start").at(0), ends[0]);
}

TEST_F(ObserverTest, PreparedStatementsReportTheirIdAndText) {
    Connection c = open(observed_options());
    Statement stmt = wait(c.prepare("SELECT ? + 1 AS y"));
    ResultSet rs = wait(stmt.execute(41));
    EXPECT_EQ(rs.rows.at(0).at(0).as<std::int64_t>(), 42);
    // Refused before anything is sent: no event.
    EXPECT_TRUE(failure_of<ProgrammingError>(stmt.execute(1, 2)));
    ASSERT_EQ(recorder_->kinds(), "connect start end") << "the prepare itself is not a statement";
    const Recorded start = recorder_->events[1];  // copies: more events follow
    const Recorded end = recorder_->events[2];
    expect_pair(start, end);
    EXPECT_TRUE(start.prepared);
    EXPECT_NE(start.statement_id, 0u);
    EXPECT_EQ(start.statement, "SELECT ? + 1 AS y");
    EXPECT_EQ(start.operation, "SELECT");
    EXPECT_EQ(end.rows, 1u);
    // A prepared statement streamed through an SSCursor is reported as well.
    auto ss = c.cursor<SSCursor>();
    wait(ss.execute(stmt, 1));
    EXPECT_EQ(wait(ss.fetchall()).size(), 1u);
    const auto ends = recorder_->of("end");
    ASSERT_EQ(ends.size(), 2u);
    EXPECT_TRUE(ends[1].prepared);
    EXPECT_EQ(ends[1].statement_id, start.statement_id);
    EXPECT_EQ(ends[1].rows, 1u);
}

TEST_F(ObserverTest, ExecutemanyReportsEachStatementSent) {
    Connection c = open(observed_options());
    wait(c.query("CREATE TEMPORARY TABLE obs_many (id INT PRIMARY KEY, v VARCHAR(10))"));
    auto cur = c.cursor();
    std::vector<Args> rows;
    for (int i = 0; i < 5; ++i) rows.push_back(Params{i, "v" + std::to_string(i)});
    EXPECT_EQ(wait(cur.executemany("INSERT INTO obs_many VALUES (%s, %s)", std::move(rows))), 5u);
    const auto starts = recorder_->of("start");
    const auto ends = recorder_->of("end");
    ASSERT_EQ(starts.size(), ends.size());
    ASSERT_GE(ends.size(), 2u);
    std::uint64_t affected = 0;
    for (std::size_t i = 1; i < ends.size(); ++i) {
        expect_pair(starts[i], ends[i]);
        EXPECT_EQ(ends[i].operation, "INSERT");
        affected += ends[i].affected;
    }
    EXPECT_EQ(affected, 5u);
}

TEST_F(ObserverTest, LostLinkEndsTheStatementThenTheSession) {
    Connection victim = open(observed_options());
    Connection killer = open(server_options());
    auto busy = victim.query("SELECT SLEEP(10)");  // on the wire when the session is killed
    wait(killer.query("KILL CONNECTION " + std::to_string(victim.thread_id())));
    EXPECT_TRUE(failure_of<OperationalError>(std::move(busy)));
    ASSERT_EQ(recorder_->kinds(), "connect start end close");
    const auto& end = recorder_->events[2];
    EXPECT_TRUE(end.failed);
    EXPECT_NE(end.errno_code, 0);
    const auto& close = recorder_->events[3];
    EXPECT_FALSE(close.by_client);
    EXPECT_TRUE(close.failed);
    EXPECT_NE(close.errno_code, 0);
}

TEST_F(ObserverTest, FailedConnectIsReported) {
    ConnectOptions opt = observed_options();
    opt.password = "wrong password";
    opt.user = "uvmysql_native";
    EXPECT_THROW(wait(connect(loop(), opt)), OperationalError);
    ASSERT_EQ(recorder_->kinds(), "connect");
    EXPECT_TRUE(recorder_->events[0].failed);
    EXPECT_EQ(recorder_->events[0].errno_code, 1045);
    EXPECT_EQ(recorder_->events[0].error_class, ErrorClass::operational);
    EXPECT_GT(recorder_->events[0].duration.count(), 0);
}

TEST_F(ObserverTest, NoObserverNoCalls) {
    Connection observed = open(observed_options());
    Connection plain = open(server_options());
    wait(plain.query("SELECT 1"));
    wait(plain.query("SELECT %s", 2));
    auto ss = plain.cursor<SSCursor>();
    wait(ss.execute("SELECT 3"));
    wait(ss.fetchall());
    wait(ss.close());
    wait(plain.ensure_closed());
    EXPECT_EQ(recorder_->kinds(), "connect") << "only the observed connection's connect";
    wait(observed.query("SELECT 4"));
    EXPECT_EQ(recorder_->kinds(), "connect start end");
}

class Thrower : public Observer {
public:
    void on_query_start(QueryEvent&) override {
        ++calls;
        throw std::runtime_error("start refused");
    }
    void on_query_end(QueryEvent&, const QueryOutcome&) override {
        ++calls;
        throw 42;
    }
    void on_connect(const ConnectEvent&) override {
        ++calls;
        throw std::runtime_error("connect refused");
    }
    void on_close(const CloseEvent&) override {
        ++calls;
        throw std::runtime_error("close refused");
    }
    int calls = 0;
};

TEST_F(ObserverTest, ThrowingObserverIsLoggedAndIgnored) {
    std::vector<std::string> lines;
    set_log_handler(LogLevel::error, [&lines](LogLevel, std::string_view text) { lines.emplace_back(text); });
    auto thrower = std::make_shared<Thrower>();
    ConnectOptions opt = server_options();
    opt.observer = thrower;
    Connection c = open(opt);
    auto rows = wait(c.query("SELECT %s", 7));
    EXPECT_EQ(rows.at(0).at(0).as<std::int64_t>(), 7);
    wait(c.ensure_closed());
    set_log_handler(LogLevel::info, nullptr);
    EXPECT_EQ(thrower->calls, 4);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_NE(lines[0].find("connect refused"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find("start refused"), std::string::npos) << lines[1];
}

TEST_F(ObserverTest, PoolReportsAcquireWaitsAndPassesItsObserverOn) {
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;
    po.observer = recorder_;
    Pool pool = make_pool(po);
    std::vector<Row> rows = wait(pool.query("SELECT %s", 5));
    EXPECT_EQ(rows.size(), 1u);
    {
        PooledConnection held = wait(pool.acquire());
        auto second = pool.acquire();  // waits: maxsize 1
        wait(sleep_for(loop(), 20ms));
        EXPECT_FALSE(second.is_ready());
        held.release();
        PooledConnection next = wait(std::move(second));
        EXPECT_FALSE(next->closed());
    }
    PoolOptions tight = po;
    tight.acquire_timeout = 30ms;
    Pool pool2 = make_pool(tight);
    {
        PooledConnection held = wait(pool2.acquire());
        EXPECT_TRUE(failure_of<PoolTimeoutError>(pool2.acquire()));
    }
    const auto acquires = recorder_->of("acquire");
    ASSERT_EQ(acquires.size(), 5u) << recorder_->kinds();
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(acquires[i].acquire, AcquireResult::acquired) << i;
        EXPECT_NE(acquires[i].server.connection_id, 0u) << i;
    }
    EXPECT_GE(acquires[2].duration, 20ms) << "the second acquire waited for the release";
    EXPECT_EQ(acquires[4].acquire, AcquireResult::timed_out);
    EXPECT_GE(acquires[4].duration, 30ms);
    // The connections the pools opened report through the pool's observer.
    EXPECT_EQ(recorder_->of("connect").size(), 2u);
    const auto ends = recorder_->of("end");
    ASSERT_EQ(ends.size(), 1u) << "only pool.query(); the pool's own pings and rollbacks are not reported";
    EXPECT_EQ(ends[0].statement, "SELECT 5");
}

TEST_F(ObserverTest, ConnectOptionsObserverWinsInAPool) {
    auto other = std::make_shared<Recorder>();
    PoolOptions po;
    po.observer = other;
    Pool pool = make_pool(po, observed_options());
    wait(pool.query("SELECT 1", Args()));
    EXPECT_EQ(recorder_->kinds(), "connect start end");
    EXPECT_EQ(other->kinds(), "acquire");
}

}  // namespace
}  // namespace uvmysql::test
