// SPDX-License-Identifier: MIT
// The prepared-statement ops driven by scripted bytes: StmtPrepareOp (with and without
// DEPRECATE_EOF, ERR, malformed replies), COM_STMT_EXECUTE through BufferedQueryOp and
// StreamQueryOp with binary rows, StmtCommandOp (RESET answered, CLOSE and SEND_LONG_DATA not),
// and a failure at every I/O step.
#include <gtest/gtest.h>

#include "connection/buffered_query_op.hpp"
#include "connection/stmt_command_op.hpp"
#include "connection/stmt_prepare_op.hpp"
#include "connection/stream_query_op.hpp"
#include "protocol/stmt_commands.hpp"
#include "protocol/stmt_execute.hpp"
#include "server_messages.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::test {
namespace {

using detail::BufferedQueryOp;
using detail::SessionState;
using detail::StmtCommandOp;
using detail::StmtPrepareOp;
using detail::StreamQueryOp;
namespace cap = detail::cap;
namespace st = detail::status;

constexpr std::uint64_t caps_eof = cap::protocol_41 | cap::transactions | cap::secure_connection | cap::multi_results;
constexpr std::uint64_t caps_deprecate = caps_eof | cap::deprecate_eof;

struct Session {
    ConnectOptions opt;
    SessionState s{opt};
    explicit Session(std::uint64_t caps = caps_deprecate) { s.capabilities = caps; }
};

/// COM_STMT_PREPARE_OK: statement id, columns, params, no warnings.
ByteVec prepare_ok(std::uint32_t id, std::uint16_t columns, std::uint16_t params) {
    return ByteVec{0x00,
                   static_cast<std::uint8_t>(id), static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id >> 16),
                   static_cast<std::uint8_t>(id >> 24),
                   static_cast<std::uint8_t>(columns), static_cast<std::uint8_t>(columns >> 8),
                   static_cast<std::uint8_t>(params), static_cast<std::uint8_t>(params >> 8),
                   0x00, 0x00, 0x00};
}

ByteVec com_stmt_prepare(std::string_view sql) { return frame(0, concat({hex("16"), bytes_of(sql)})); }

/// The COM_STMT_EXECUTE payload of statement `id` with `params`.
ByteVec execute_payload(std::uint32_t id, const std::vector<Value>& params) {
    ByteVec out;
    detail::StmtExecuteRequest req;
    req.statement_id = id;
    req.params = params;
    EXPECT_TRUE(detail::serialize_com_stmt_execute(out, req).ok());
    return out;
}

/// A binary row of text values (VARCHAR columns); std::nullopt is NULL.
ByteVec binary_row(std::initializer_list<std::optional<std::string_view>> fields) {
    ByteVec p{0x00};
    const std::size_t bitmap_at = p.size();
    p.resize(p.size() + (fields.size() + 9) / 8, 0);
    std::size_t i = 0;
    for (const auto& f : fields) {
        if (!f) {
            p[bitmap_at + (i + 2) / 8] |= static_cast<std::uint8_t>(1u << ((i + 2) % 8));
        } else {
            p.push_back(static_cast<std::uint8_t>(f->size()));
            p.insert(p.end(), f->begin(), f->end());
        }
        ++i;
    }
    return p;
}

TEST(StmtPrepareOp, ParamsAndColumnsWithDeprecateEof) {
    Session ss;
    StmtPrepareOp op("SELECT name FROM t WHERE id = ? AND k = ?");
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(com_stmt_prepare("SELECT name FROM t WHERE id = ? AND k = ?"))
        .expect_read(concat({frame(1, prepare_ok(7, 1, 2)), frame(2, msg::column("?")), frame(3, msg::column("?")),
                             frame(4, msg::column("name"))}))
        .check(op);
    ASSERT_TRUE(fut.is_ready());
    const auto info = std::move(fut).get();
    EXPECT_EQ(info.id, 7u);
    EXPECT_EQ(info.param_count, 2);
    ASSERT_EQ(info.params->size(), 2u);
    ASSERT_EQ(info.columns->size(), 1u);
    EXPECT_EQ(info.columns->at(0).name, "name");
}

TEST(StmtPrepareOp, EofAfterEachBlockWithoutDeprecateEof) {
    Session ss(caps_eof);
    StmtPrepareOp op("SELECT ?");
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(com_stmt_prepare("SELECT ?"))
        .expect_read(concat({frame(1, prepare_ok(1, 1, 1)), frame(2, msg::column("?")), frame(3, msg::eof()),
                             frame(4, msg::column("?")), frame(5, msg::eof())}))
        .check(op);
    ASSERT_TRUE(fut.is_ready());
    EXPECT_EQ(std::move(fut).get().param_count, 1);
}

TEST(StmtPrepareOp, NoParamsNoColumns) {
    Session ss;
    StmtPrepareOp op("DO 1");
    auto fut = op.get_future();
    OpScript(ss.s).expect_write(com_stmt_prepare("DO 1")).expect_read(frame(1, prepare_ok(3, 0, 0))).check(op);
    const auto info = std::move(fut).get();
    EXPECT_EQ(info.param_count, 0);
    EXPECT_TRUE(info.columns->empty());
}

TEST(StmtPrepareOp, ServerErrorFailsOnlyTheOp) {
    Session ss;
    StmtPrepareOp op("SELECT 1; SELECT 2");
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(com_stmt_prepare("SELECT 1; SELECT 2"))
        .expect_read(frame(1, msg::err(1064, "42000", "You have an error in your SQL syntax")))
        .check(op);
    ASSERT_TRUE(fut.is_ready());
    EXPECT_THROW(std::move(fut).get(), ProgrammingError);
}

TEST(StmtPrepareOp, MalformedReplyFailsTheSession) {
    Session ss;
    StmtPrepareOp op("SELECT ?");
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(com_stmt_prepare("SELECT ?"))
        .expect_read(frame(1, hex("00 01")))   // a truncated PREPARE_OK
        .check_fails(op, detail::cr::malformed_packet);
    ASSERT_TRUE(fut.is_ready());
    EXPECT_THROW(std::move(fut).get(), OperationalError);
}

TEST(StmtPrepareOp, EveryIoStepFailing) {
    Session ss;
    const std::size_t steps =
        OpScript(ss.s)
            .expect_write(com_stmt_prepare("SELECT ?"))
            .expect_read(concat({frame(1, prepare_ok(1, 1, 1)), frame(2, msg::column("?")), frame(3, msg::column("?"))}))
            .check_network_errors([] { return std::make_unique<StmtPrepareOp>("SELECT ?"); });
    EXPECT_EQ(steps, 4u);
}

TEST(StmtExecute, BinaryRowsBuffered) {
    Session ss;
    const ByteVec payload = execute_payload(7, {Value(1), Value("x")});
    BufferedQueryOp op({"", payload, nullptr, nullptr});
    EXPECT_EQ(op.request_size(), payload.size());
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(frame(0, payload))
        .expect_read(concat({frame(1, hex("02")), frame(2, msg::column("id")), frame(3, msg::column("name")),
                             frame(4, binary_row({"1", "abc"})), frame(5, binary_row({"2", std::nullopt})),
                             frame(6, msg::end_ok(st::autocommit))}))
        .check(op);
    ASSERT_TRUE(fut.is_ready());
    auto r = std::move(fut).get();
    ASSERT_EQ(r.sets.size(), 1u);
    ASSERT_EQ(r.sets[0].rows.size(), 2u);
    EXPECT_EQ(r.sets[0].rows[0].at(1).as<std::string>(), "abc");
    EXPECT_EQ(r.sets[0].rows[1].at(0).as<std::string>(), "2");
    EXPECT_TRUE(r.sets[0].rows[1].at(1).is_null());
    EXPECT_EQ(r.sets[0].affected_rows, 2u);
}

TEST(StmtExecute, BinaryRowsWithEofAndAnOk) {
    Session ss(caps_eof);
    const ByteVec payload = execute_payload(2, {});
    BufferedQueryOp op({"", payload, nullptr, nullptr});
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(frame(0, payload))
        .expect_read(concat({frame(1, hex("01")), frame(2, msg::column("v")), frame(3, msg::eof()),
                             frame(4, binary_row({"q"})), frame(5, msg::eof(st::autocommit | st::more_results_exists)),
                             frame(6, msg::ok(0, 0, st::autocommit))}))
        .check(op);
    auto r = std::move(fut).get();
    ASSERT_EQ(r.sets.size(), 2u);
    EXPECT_EQ(r.sets[0].rows.at(0).at(0).as<std::string>(), "q");
    EXPECT_FALSE(r.sets[1].has_rows());
}

TEST(StmtExecute, OkForAnUpdate) {
    Session ss;
    const ByteVec payload = execute_payload(9, {Value(5)});
    BufferedQueryOp op({"", payload, nullptr, nullptr});
    auto fut = op.get_future();
    const SessionState after =
        OpScript(ss.s).expect_write(frame(0, payload)).expect_read(frame(1, msg::ok(3, 4, st::autocommit))).check(op);
    EXPECT_EQ(after.affected_rows, 3u);
    EXPECT_EQ(after.insert_id, 4u);
    EXPECT_EQ(std::move(fut).get().sets.at(0).affected_rows, 3u);
}

TEST(StmtExecute, ServerError) {
    Session ss;
    const ByteVec payload = execute_payload(9, {});
    BufferedQueryOp op({"", payload, nullptr, nullptr});
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(frame(0, payload))
        .expect_read(frame(1, msg::err(1243, "HY000", "Unknown prepared statement handler")))
        .check(op);
    EXPECT_THROW(std::move(fut).get(), OperationalError);   // PyMySQL's class for server errno 1243
}

TEST(StmtExecute, MalformedBinaryRowFailsTheSession) {
    Session ss;
    const ByteVec payload = execute_payload(9, {});
    BufferedQueryOp op({"", payload, nullptr, nullptr});
    auto fut = op.get_future();
    OpScript(ss.s)
        .expect_write(frame(0, payload))
        .expect_read(concat({frame(1, hex("01")), frame(2, msg::column("v")), frame(3, hex("00 00 09 61"))}))
        .check_fails(op, detail::cr::malformed_packet);
    EXPECT_ANY_THROW(std::move(fut).get());
}

TEST(StmtExecute, BinaryRowsStreamed) {
    Session ss;
    auto stream = std::make_shared<detail::RowStream>(std::weak_ptr<detail::ReadFlow>{});
    const ByteVec payload = execute_payload(1, {Value(1)});
    StreamQueryOp op({"", payload, nullptr, nullptr}, stream);
    OpScript(ss.s)
        .expect_write(frame(0, payload))
        .expect_read(concat({frame(1, hex("01")), frame(2, msg::column("v")), frame(3, binary_row({"a"})),
                             frame(4, binary_row({"b"})), frame(5, msg::end_ok(st::autocommit))}))
        .check(op);
    ASSERT_TRUE(stream->first_set().is_ready());
    for (const char* want : {"a", "b"}) {
        auto f = stream->next_row();
        ASSERT_TRUE(f.is_ready());
        auto row = std::move(f).get();
        ASSERT_TRUE(row);
        EXPECT_EQ(row->at(0).as<std::string>(), want);
    }
    EXPECT_FALSE(std::move(stream->next_row()).get());
}

TEST(StmtExecute, EveryIoStepFailing) {
    Session ss;
    const ByteVec payload = execute_payload(1, {});
    const std::size_t steps = OpScript(ss.s)
                                  .expect_write(frame(0, payload))
                                  .expect_read(concat({frame(1, hex("01")), frame(2, msg::column("v")),
                                                       frame(3, binary_row({"a"})), frame(4, msg::end_ok())}))
                                  .check_network_errors([&] { return std::make_unique<BufferedQueryOp>(detail::StatementRequest{"", payload, nullptr, nullptr}); });
    EXPECT_EQ(steps, 5u);
}

TEST(StmtCommandOp, CloseIsNotAnswered) {
    Session ss;
    ByteVec payload;
    detail::serialize_com_stmt_close(payload, 5);
    StmtCommandOp op(payload, StmtCommandOp::Reply::none);
    auto fut = op.get_future();
    SessionState s = ss.s;
    EXPECT_EQ(op.resume(s, {}, {}), detail::Action::done);
    EXPECT_EQ(s.out, frame(0, hex("19 05000000")));
    op.finish();
    ASSERT_TRUE(fut.is_ready());
    EXPECT_NO_THROW(std::move(fut).get());
}

TEST(StmtCommandOp, LongDataIsNotAnswered) {
    Session ss;
    ByteVec payload;
    const ByteVec chunk = hex("61 62 63");
    detail::serialize_com_stmt_send_long_data(payload, 5, 1, chunk);
    StmtCommandOp op(payload, StmtCommandOp::Reply::none);
    SessionState s = ss.s;
    EXPECT_EQ(op.resume(s, {}, {}), detail::Action::done);
    EXPECT_EQ(s.out, frame(0, hex("18 05000000 0100 616263")));
    op.finish();
}

TEST(StmtCommandOp, ResetAnsweredByOkOrErr) {
    Session ss;
    ByteVec payload;
    detail::serialize_com_stmt_reset(payload, 5);
    {
        StmtCommandOp op(payload, StmtCommandOp::Reply::ok_or_err);
        auto fut = op.get_future();
        OpScript(ss.s).expect_write(frame(0, hex("1a 05000000"))).expect_read(frame(1, msg::ok())).check(op);
        EXPECT_NO_THROW(std::move(fut).get());
    }
    {
        StmtCommandOp op(payload, StmtCommandOp::Reply::ok_or_err);
        auto fut = op.get_future();
        OpScript(ss.s)
            .expect_write(frame(0, hex("1a 05000000")))
            .expect_read(frame(1, msg::err(1243, "HY000", "Unknown prepared statement handler")))
            .check(op);
        EXPECT_THROW(std::move(fut).get(), OperationalError);   // PyMySQL's class for server errno 1243
    }
    const std::size_t steps = OpScript(ss.s)
                                  .expect_write(frame(0, hex("1a 05000000")))
                                  .expect_read(frame(1, msg::ok()))
                                  .check_network_errors([&] {
                                      return std::make_unique<StmtCommandOp>(payload, StmtCommandOp::Reply::ok_or_err);
                                  });
    EXPECT_EQ(steps, 2u);
}

}  // namespace
}  // namespace uvmysql::test
