// SPDX-License-Identifier: MIT
// StreamQueryOp driven by scripted bytes: rows reach the RowStream one by one, multi-results,
// ERR in the middle of rows, a discarded stream, and a failure at every I/O step.
#include "connection/stream_query_op.hpp"

#include <gtest/gtest.h>

#include "server_messages.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::test {
namespace {

using detail::RowStream;
using detail::SessionState;
using detail::StreamQueryOp;
namespace cap = detail::cap;
namespace st = detail::status;

constexpr std::uint64_t caps = cap::protocol_41 | cap::transactions | cap::secure_connection | cap::multi_results |
                               cap::deprecate_eof;

struct Session {
    ConnectOptions opt;
    SessionState s{opt};
    Session() { s.capabilities = caps; }
};

/// One column `v`, the rows, then the end of rows with `end_status`; sequence ids from `seq`.
ByteVec one_column_set(std::initializer_list<std::string_view> values, std::uint16_t end_status, std::uint8_t seq) {
    ByteVec out = concat({frame(seq, hex("01")), frame(static_cast<std::uint8_t>(seq + 1), msg::column("v"))});
    seq = static_cast<std::uint8_t>(seq + 2);
    for (std::string_view v : values) {
        const ByteVec f = frame(seq++, msg::row({v}));
        out.insert(out.end(), f.begin(), f.end());
    }
    const ByteVec end = frame(seq, msg::end_ok(end_status));
    out.insert(out.end(), end.begin(), end.end());
    return out;
}

std::optional<std::string> next_value(const std::shared_ptr<RowStream>& stream) {
    auto f = stream->next_row();
    EXPECT_TRUE(f.is_ready());
    auto row = std::move(f).get();
    if (!row) return std::nullopt;
    return row->at(0).as<std::string>();
}

TEST(StreamQueryOp, RowsFlowIntoTheStream) {
    Session ss;
    auto stream = std::make_shared<RowStream>(std::weak_ptr<detail::ReadFlow>{});
    StreamQueryOp op("SELECT v FROM t", stream);
    EXPECT_TRUE(op.is_stream());
    OpScript(ss.s)
        .expect_write(msg::com_query("SELECT v FROM t"))
        .expect_read(one_column_set({"a", "b", "c"}, st::autocommit, 1))
        .check(op);
    auto first = stream->first_set();
    ASSERT_TRUE(first.is_ready());
    EXPECT_FALSE(first.failed());
    EXPECT_EQ(next_value(stream), "a");
    EXPECT_EQ(next_value(stream), "b");
    EXPECT_EQ(next_value(stream), "c");
    EXPECT_EQ(next_value(stream), std::nullopt);
    EXPECT_EQ(stream->current().rows, 3u);
    auto more = stream->next_set();
    EXPECT_FALSE(std::move(more).get());
    EXPECT_TRUE(stream->finished());
}

TEST(StreamQueryOp, MultipleResultSets) {
    Session ss;
    auto stream = std::make_shared<RowStream>(std::weak_ptr<detail::ReadFlow>{});
    StreamQueryOp op("CALL p()", stream);
    const ByteVec wire = concat({one_column_set({"a"}, st::autocommit | st::more_results_exists, 1),
                                 one_column_set({"b", "c"}, st::autocommit | st::more_results_exists, 5),
                                 frame(10, msg::ok())});
    OpScript(ss.s).expect_write(msg::com_query("CALL p()")).expect_read(wire).check(op);
    auto first = stream->first_set();
    ASSERT_TRUE(first.is_ready());
    EXPECT_EQ(next_value(stream), "a");
    auto next = stream->next_set();
    ASSERT_TRUE(next.is_ready());
    EXPECT_TRUE(std::move(next).get());
    EXPECT_EQ(next_value(stream), "b");
    EXPECT_EQ(next_value(stream), "c");
    auto last = stream->next_set();
    EXPECT_TRUE(std::move(last).get());   // the OK of the CALL itself
    auto none = stream->next_set();
    EXPECT_FALSE(std::move(none).get());
}

TEST(StreamQueryOp, ErrorInTheMiddleOfRowsFailsTheStreamAfterTheRowsBeforeIt) {
    Session ss;
    auto stream = std::make_shared<RowStream>(std::weak_ptr<detail::ReadFlow>{});
    StreamQueryOp op("SELECT v FROM t", stream);
    const ByteVec wire = concat({frame(1, hex("01")), frame(2, msg::column("v")), frame(3, msg::row({"a"})),
                                 frame(4, msg::err(1317, "70100", "Query execution was interrupted"))});
    OpScript(ss.s).expect_write(msg::com_query("SELECT v FROM t")).expect_read(wire).check(op);
    auto first = stream->first_set();
    ASSERT_TRUE(first.is_ready());
    EXPECT_EQ(next_value(stream), "a");
    auto f = stream->next_row();
    ASSERT_TRUE(f.is_ready());
    EXPECT_THROW(std::move(f).get(), OperationalError);
}

TEST(StreamQueryOp, ADiscardedStreamDropsRowsUndecoded) {
    Session ss;
    auto stream = std::make_shared<RowStream>(std::weak_ptr<detail::ReadFlow>{});
    StreamQueryOp op("SELECT v FROM t", stream);
    auto discarded = stream->discard();
    OpScript(ss.s)
        .expect_write(msg::com_query("SELECT v FROM t"))
        .expect_read(one_column_set({"a", "b"}, st::autocommit, 1))
        .check(op);
    ASSERT_TRUE(discarded.is_ready());
    EXPECT_FALSE(discarded.failed());
    EXPECT_EQ(stream->max_queued_rows(), 0u);
}

TEST(StreamQueryOp, EveryIoStepFailing) {
    Session ss;
    std::vector<std::shared_ptr<RowStream>> streams;
    const std::size_t steps = OpScript(ss.s)
                                  .expect_write(msg::com_query("SELECT v FROM t"))
                                  .expect_read(one_column_set({"a", "b"}, st::autocommit, 1))
                                  .check_network_errors([&] {
                                      streams.push_back(std::make_shared<RowStream>(std::weak_ptr<detail::ReadFlow>{}));
                                      return std::make_unique<StreamQueryOp>("SELECT v FROM t", streams.back());
                                  });
    EXPECT_EQ(steps, 6u);
    for (auto& stream : streams) {
        // Whatever arrived before the failure is readable; then the stream fails.
        bool failed = false;
        for (int i = 0; i < 4 && !failed; ++i) {
            auto f = stream->next_set();
            ASSERT_TRUE(f.is_ready());
            failed = f.failed();
            if (failed) {
                EXPECT_ANY_THROW(std::move(f).get());
            }
        }
        EXPECT_TRUE(failed);
    }
}

}  // namespace
}  // namespace uvmysql::test
