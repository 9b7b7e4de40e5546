// SPDX-License-Identifier: MIT
// A QueryOp reported to an Observer, driven by scripted bytes: one start and one end, with the
// statement's rows, affected rows, warnings and error; nothing without an observer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connection/buffered_query_op.hpp"
#include "server_messages.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/observer.hpp"

namespace uvmysql::test {
namespace {

using detail::BufferedQueryOp;
using detail::SessionState;
namespace cap = detail::cap;
namespace st = detail::status;

struct Seen {
    std::string what, statement, operation;
    std::uint64_t token = 0, rows = 0, affected = 0;
    std::uint32_t warnings = 0;
    ErrorInfo error;
    std::string message;
};

class Recorder : public Observer {
public:
    void on_query_start(QueryEvent& ev) override {
        ev.user_token = 77;
        seen.push_back(common("start", ev));
    }
    void on_query_end(QueryEvent& ev, const QueryOutcome& out) override {
        Seen s = common("end", ev);
        s.rows = out.rows;
        s.affected = out.affected_rows;
        s.warnings = out.warnings;
        s.error = out.error;
        s.message = out.error.message;
        s.error.message = {};  // views: valid during the call only
        s.error.sqlstate = {};
        seen.push_back(std::move(s));
    }
    std::vector<Seen> seen;

private:
    static Seen common(std::string what, const QueryEvent& ev) {
        Seen s;
        s.what = std::move(what);
        s.statement = ev.statement;
        s.operation = ev.db_operation;
        s.token = ev.user_token;
        return s;
    }
};

struct Session {
    ConnectOptions opt;
    SessionState s{opt};
    Recorder recorder;
    Session() {
        s.capabilities = cap::protocol_41 | cap::transactions | cap::multi_results | cap::deprecate_eof;
    }
};

ByteVec one_column_set(std::uint8_t seq, std::initializer_list<ByteVec> rows, std::uint16_t end_status,
                       std::uint16_t warnings = 0) {
    ByteVec out = frame(seq++, hex("01"));
    const ByteVec col = frame(seq++, msg::column("n"));
    out.insert(out.end(), col.begin(), col.end());
    for (const ByteVec& r : rows) {
        const ByteVec f = frame(seq++, r);
        out.insert(out.end(), f.begin(), f.end());
    }
    const ByteVec end = frame(seq++, msg::end_ok(end_status, warnings));
    out.insert(out.end(), end.begin(), end.end());
    return out;
}

TEST(ObservedQueryOp, StartThenEndWithRowsOverEveryResult) {
    Session ss;
    BufferedQueryOp op("  call p()");
    auto fut = op.get_future();
    op.observe(ss.recorder, ss.s);
    ASSERT_EQ(ss.recorder.seen.size(), 1u);
    EXPECT_EQ(ss.recorder.seen[0].what, "start");
    EXPECT_EQ(ss.recorder.seen[0].operation, "CALL");
    const std::uint16_t more = st::autocommit | st::more_results_exists;
    const ByteVec wire = concat({one_column_set(1, {msg::row({"1"})}, more, 1),
                                 one_column_set(5, {msg::row({"2"}), msg::row({"3"})}, more),
                                 frame(10, msg::ok(4, 0, st::autocommit, 2))});
    OpScript(ss.s).expect_write(msg::com_query("  call p()")).expect_read(wire).check(op);
    ASSERT_EQ(ss.recorder.seen.size(), 2u);
    const Seen& end = ss.recorder.seen[1];
    EXPECT_EQ(end.what, "end");
    EXPECT_EQ(end.statement, "  call p()");
    EXPECT_EQ(end.token, 77u);
    EXPECT_EQ(end.rows, 3u);
    EXPECT_EQ(end.affected, 4u);
    EXPECT_EQ(end.warnings, 3u);
    EXPECT_FALSE(end.error.failed);
    EXPECT_TRUE(fut.is_ready());
}

TEST(ObservedQueryOp, ServerErrorIsReported) {
    Session ss;
    BufferedQueryOp op("SELEC 1");
    auto fut = op.get_future();
    op.observe(ss.recorder, ss.s);
    OpScript(ss.s)
        .expect_write(msg::com_query("SELEC 1"))
        .expect_read(frame(1, msg::err(1064, "42000", "You have an error in your SQL syntax")))
        .check(op);
    EXPECT_THROW(std::move(fut).get(), ProgrammingError);
    ASSERT_EQ(ss.recorder.seen.size(), 2u);
    const Seen& end = ss.recorder.seen[1];
    EXPECT_TRUE(end.error.failed);
    EXPECT_EQ(end.error.error_class, ErrorClass::programming);
    EXPECT_EQ(end.error.errno_code, 1064);
    EXPECT_EQ(end.message, "You have an error in your SQL syntax");
}

TEST(ObservedQueryOp, FailureBeforeAnyReplyIsReported) {
    Session ss;
    BufferedQueryOp op("SELECT 1");
    auto fut = op.get_future();
    op.observe(ss.recorder, ss.s);
    op.fail(detail::Status::client(detail::cr::server_lost, "Lost connection"));
    EXPECT_THROW(std::move(fut).get(), OperationalError);
    ASSERT_EQ(ss.recorder.seen.size(), 2u);
    EXPECT_EQ(ss.recorder.seen[1].error.errno_code, detail::cr::server_lost);
    EXPECT_EQ(ss.recorder.seen[1].error.error_class, ErrorClass::operational);
}

TEST(ObservedQueryOp, NoObserverNoEvent) {
    Session ss;
    BufferedQueryOp op("SELECT 1");
    auto fut = op.get_future();
    detail::observe_statement(ss.s, op);  // ConnectOptions::observer is null
    OpScript(ss.s)
        .expect_write(msg::com_query("SELECT 1"))
        .expect_read(one_column_set(1, {msg::row({"1"})}, st::autocommit))
        .check(op);
    EXPECT_TRUE(ss.recorder.seen.empty());
    EXPECT_TRUE(fut.is_ready());
}

}  // namespace
}  // namespace uvmysql::test
