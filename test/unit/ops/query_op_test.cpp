// SPDX-License-Identifier: MIT
// BufferedQueryOp driven by scripted bytes: OK, result sets with EOF and with OK-deprecate-EOF,
// multi-results, ERR first / in the middle of rows / after a set, LOCAL INFILE accepted and
// refused, the setup statements' fatal errors, and a failure at every I/O step.
#include "connection/buffered_query_op.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "server_messages.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::test {
namespace {

using detail::BufferedQueryOp;
using detail::SessionState;
namespace cap = detail::cap;
namespace st = detail::status;

constexpr std::uint64_t caps_eof = cap::protocol_41 | cap::transactions | cap::secure_connection | cap::multi_results;
constexpr std::uint64_t caps_deprecate = caps_eof | cap::deprecate_eof;

struct Session {
    ConnectOptions opt;
    SessionState s{opt};
    explicit Session(std::uint64_t caps = caps_deprecate, bool local_infile = false) {
        opt.local_infile = local_infile;
        s.capabilities = caps;
    }
};

/// A two-column result set of the given rows, ended as `caps` says, with sequence ids from 1.
ByteVec result_set(std::uint64_t caps, std::initializer_list<ByteVec> rows, std::uint16_t end_status = st::autocommit,
                   std::uint8_t first_seq = 1) {
    std::uint8_t seq = first_seq;
    ByteVec out = frame(seq++, hex("02"));
    for (std::string_view name : {"id", "name"}) {
        const ByteVec f = frame(seq++, msg::column(name));
        out.insert(out.end(), f.begin(), f.end());
    }
    if (!(caps & cap::deprecate_eof)) {
        const ByteVec f = frame(seq++, msg::eof());
        out.insert(out.end(), f.begin(), f.end());
    }
    for (const ByteVec& r : rows) {
        const ByteVec f = frame(seq++, r);
        out.insert(out.end(), f.begin(), f.end());
    }
    const ByteVec end = frame(seq++, (caps & cap::deprecate_eof) ? msg::end_ok(end_status) : msg::eof(end_status));
    out.insert(out.end(), end.begin(), end.end());
    return out;
}

QueryResults get(Future<QueryResults>& fut) {
    EXPECT_TRUE(fut.is_ready());
    return std::move(fut).get();
}

TEST(BufferedQueryOp, OkWithoutResultSet) {
    Session ss;
    BufferedQueryOp op("UPDATE t SET a = 1");
    auto fut = op.get_future();
    const SessionState after = OpScript(ss.s)
                                   .expect_write(msg::com_query("UPDATE t SET a = 1"))
                                   .expect_read(frame(1, msg::ok(3, 7, st::autocommit | st::in_trans, 2)))
                                   .check(op);
    EXPECT_EQ(after.affected_rows, 3u);
    EXPECT_EQ(after.insert_id, 7u);
    EXPECT_EQ(after.status, st::autocommit | st::in_trans);
    const auto r = get(fut);
    ASSERT_EQ(r.sets.size(), 1u);
    EXPECT_FALSE(r.sets[0].has_rows());
    EXPECT_EQ(r.sets[0].affected_rows, 3u);
    EXPECT_EQ(r.sets[0].warning_count, 2);
}

TEST(BufferedQueryOp, RowsEndedByEofOrByOkDeprecatingEof) {
    for (std::uint64_t caps : {caps_eof, caps_deprecate}) {
        SCOPED_TRACE(caps & cap::deprecate_eof ? "DEPRECATE_EOF" : "EOF");
        Session ss(caps);
        BufferedQueryOp op("SELECT id, name FROM t");
        auto fut = op.get_future();
        const SessionState after =
            OpScript(ss.s)
                .expect_write(msg::com_query("SELECT id, name FROM t"))
                .expect_read(result_set(caps, {msg::row({"1", "ann"}), msg::row({"2", std::nullopt})},
                                        st::autocommit | st::in_trans))
                .check(op);
        EXPECT_EQ(after.status, st::autocommit | st::in_trans);
        const auto r = get(fut);
        ASSERT_EQ(r.sets.size(), 1u);
        ASSERT_EQ(r.sets[0].rows.size(), 2u);
        EXPECT_EQ(r.sets[0].affected_rows, 2u);
        EXPECT_EQ(r.sets[0].rows[0].at(1).as<std::string>(), "ann");
        EXPECT_TRUE(r.sets[0].rows[1].at(1).is_null());
        EXPECT_EQ(r.later_error, nullptr);
    }
}

TEST(BufferedQueryOp, MultipleResults) {
    Session ss;
    BufferedQueryOp op("CALL p()");
    auto fut = op.get_future();
    const std::uint16_t more = st::autocommit | st::more_results_exists;
    const ByteVec wire = concat({result_set(caps_deprecate, {msg::row({"1", "a"})}, more, 1),
                                 result_set(caps_deprecate, {msg::row({"2", "b"}), msg::row({"3", "c"})}, more, 6),
                                 frame(12, msg::ok(0, 0, st::autocommit))});
    OpScript(ss.s).expect_write(msg::com_query("CALL p()")).expect_read(wire).check(op);
    const auto r = get(fut);
    ASSERT_EQ(r.sets.size(), 3u);
    EXPECT_EQ(r.sets[0].rows.size(), 1u);
    EXPECT_EQ(r.sets[1].rows.size(), 2u);
    EXPECT_FALSE(r.sets[2].has_rows());
}

TEST(BufferedQueryOp, ErrorAsFirstAnswerFailsTheQueryOnly) {
    Session ss;
    BufferedQueryOp op("SELEC 1");
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(msg::com_query("SELEC 1"))
        .expect_read(frame(1, msg::err(1064, "42000", "You have an error in your SQL syntax")))
        .check(op);
    EXPECT_THROW(std::move(fut).get(), ProgrammingError);
}

TEST(BufferedQueryOp, ErrorInTheMiddleOfRowsReplacesThatSet) {
    for (std::uint64_t caps : {caps_eof, caps_deprecate}) {
        Session ss(caps);
        BufferedQueryOp op("SELECT id, name FROM t");
        auto fut = op.get_future();
        ByteVec wire = result_set(caps, {msg::row({"1", "a"})});
        // Drop the end of rows: the server cuts the set short with an ERR instead.
        const std::size_t end_len = 4 + ((caps & cap::deprecate_eof) ? msg::end_ok().size() : msg::eof().size());
        const std::uint8_t end_seq = wire[wire.size() - end_len + 3];
        wire.resize(wire.size() - end_len);
        const ByteVec error = frame(end_seq, msg::err(1317, "70100", "Query execution was interrupted"));
        wire.insert(wire.end(), error.begin(), error.end());
        OpScript(ss.s).expect_write(msg::com_query("SELECT id, name FROM t")).expect_read(wire).check(op);
        EXPECT_THROW(std::move(fut).get(), OperationalError);
    }
}

TEST(BufferedQueryOp, ErrorAfterAFirstSetComesWithIt) {
    Session ss;
    BufferedQueryOp op("SELECT 1; SELEC 2");
    auto fut = op.get_future();
    const ByteVec wire =
        concat({result_set(caps_deprecate, {msg::row({"1", "a"})}, st::autocommit | st::more_results_exists),
                frame(6, msg::err(1064, "42000", "syntax"))});
    OpScript(ss.s).expect_write(msg::com_query("SELECT 1; SELEC 2")).expect_read(wire).check(op);
    const auto r = get(fut);
    ASSERT_EQ(r.sets.size(), 1u);
    EXPECT_NE(r.later_error, nullptr);
}

TEST(BufferedQueryOp, MalformedResponsesBreakTheSession) {
    Session ss;
    BufferedQueryOp op("SELECT 1");
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(msg::com_query("SELECT 1"))
        .expect_read(concat({frame(1, hex("01")), frame(2, hex("00"))}))   // a column definition of one byte
        .check_fails(op, detail::cr::malformed_packet);
    EXPECT_ANY_THROW(std::move(fut).get());
}

TEST(BufferedQueryOp, SetupStatementErrorsAreFatal) {
    Session ss;
    BufferedQueryOp op("SET sql_mode='bogus'", /*fatal_errors=*/true);
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(msg::com_query("SET sql_mode='bogus'"))
        .expect_read(frame(1, msg::err(1231, "42000", "Variable 'sql_mode' can't be set")))
        .check_fails(op, 1231);
    EXPECT_ANY_THROW(std::move(fut).get());
}

class LocalInfile : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/uvmysql-ops-infile-XXXXXX";
        const int fd = mkstemp(tmpl);
        ASSERT_GE(fd, 0);
        close(fd);
        path_ = tmpl;
        std::ofstream(path_) << "1,ann\n2,bob\n";
    }
    void TearDown() override { std::remove(path_.c_str()); }
    std::string sql() const { return "LOAD DATA LOCAL INFILE '" + path_ + "' INTO TABLE t"; }
    std::string path_;
};

TEST_F(LocalInfile, AcceptedSendsTheFileThenAnEmptyPacket) {
    Session ss(caps_deprecate, /*local_infile=*/true);
    BufferedQueryOp op(sql());
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(msg::com_query(sql()))
        .expect_read(frame(1, msg::infile_request(path_)))
        .expect_write(concat({frame(2, bytes_of("1,ann\n2,bob\n")), frame(3, {})}))
        .expect_read(frame(4, msg::ok(2)))
        .check(op);
    const auto r = get(fut);
    ASSERT_EQ(r.sets.size(), 1u);
    EXPECT_EQ(r.sets[0].affected_rows, 2u);
}

TEST_F(LocalInfile, RefusedWhenDisabledOrNotTheNamedFile) {
    for (bool enabled : {false, true}) {
        SCOPED_TRACE(enabled ? "a file the statement did not name" : "local_infile off");
        Session ss(caps_deprecate, enabled);
        BufferedQueryOp op(sql());
        auto fut = op.get_future();
        const std::string asked = enabled ? "/etc/passwd" : path_;
        OpScript(ss.s)
            .expect_write(msg::com_query(sql()))
            .expect_read(frame(1, msg::infile_request(asked)))
            .expect_write(frame(2, {}))   // only the empty packet: nothing of the file
            .expect_read(frame(3, msg::err(1148, "42000", "The used command is not allowed")))
            .check(op);                   // the session stays in sync
        EXPECT_THROW(std::move(fut).get(), OperationalError);
    }
}

TEST_F(LocalInfile, EveryIoStepFailing) {
    Session ss(caps_deprecate, true);
    std::vector<Future<QueryResults>> futures;
    OpScript(ss.s)
        .expect_write(msg::com_query(sql()))
        .expect_read(frame(1, msg::infile_request(path_)))
        .expect_write(concat({frame(2, bytes_of("1,ann\n2,bob\n")), frame(3, {})}))
        .expect_read(frame(4, msg::ok(2)))
        .check_network_errors([&] {
            auto op = std::make_unique<BufferedQueryOp>(sql());
            futures.push_back(op->get_future());
            return op;
        });
    for (auto& f : futures) EXPECT_ANY_THROW(std::move(f).get());
}

TEST(BufferedQueryOp, EveryIoStepFailing) {
    for (std::uint64_t caps : {caps_eof, caps_deprecate}) {
        Session ss(caps);
        std::vector<Future<QueryResults>> futures;
        const std::size_t steps =
            OpScript(ss.s)
                .expect_write(msg::com_query("SELECT id, name FROM t"))
                .expect_read(result_set(caps, {msg::row({"1", "a"}), msg::row({"2", "b"})}))
                .check_network_errors([&] {
                    auto op = std::make_unique<BufferedQueryOp>("SELECT id, name FROM t");
                    futures.push_back(op->get_future());
                    return op;
                });
        EXPECT_EQ(steps, (caps & cap::deprecate_eof) ? 7u : 8u);
        for (auto& f : futures) EXPECT_ANY_THROW(std::move(f).get());
    }
}

}  // namespace
}  // namespace uvmysql::test
