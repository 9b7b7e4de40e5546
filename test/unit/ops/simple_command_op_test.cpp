// SPDX-License-Identifier: MIT
// SimpleCommandOp (COM_PING, COM_INIT_DB, COM_RESET_CONNECTION) driven by scripted bytes.
#include "connection/simple_command_op.hpp"

#include <gtest/gtest.h>

#include "server_messages.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::test {
namespace {

using detail::SessionState;
using detail::SimpleCommandOp;
using Kind = SimpleCommandOp::Kind;
namespace cap = detail::cap;

constexpr std::uint64_t caps = cap::protocol_41 | cap::transactions | cap::secure_connection | cap::deprecate_eof;

struct Session {
    ConnectOptions opt;
    SessionState s{opt};
    Session() { s.capabilities = caps; }
};

TEST(SimpleCommandOp, PingReadsOk) {
    Session ss;
    SimpleCommandOp op(Kind::ping);
    auto fut = op.get_future();
    auto script = OpScript(ss.s).expect_write(frame(0, hex("0e"))).expect_read(frame(1, msg::ok(0, 0, 0x0002)));
    const SessionState after = script.check(op);
    EXPECT_EQ(after.status, 0x0002);
    ASSERT_TRUE(fut.is_ready());
    EXPECT_NO_THROW(std::move(fut).get());
}

TEST(SimpleCommandOp, InitDbChangesTheSessionSchema) {
    Session ss;
    SimpleCommandOp op(Kind::init_db, "shop");
    auto fut = op.get_future();
    EXPECT_EQ(op.request_size(), 5u);
    const SessionState after = OpScript(ss.s)
                                   .expect_write(frame(0, concat({hex("02"), bytes_of("shop")})))
                                   .expect_read(frame(1, msg::ok()))
                                   .check(op);
    EXPECT_EQ(after.db, "shop");
    EXPECT_FALSE(fut.failed());
}

TEST(SimpleCommandOp, ResetConnection) {
    Session ss;
    SimpleCommandOp op(Kind::reset_connection);
    auto fut = op.get_future();
    OpScript(ss.s).expect_write(frame(0, hex("1f"))).expect_read(frame(1, msg::ok())).check(op);
    EXPECT_FALSE(fut.failed());
}

TEST(SimpleCommandOp, ServerErrorFailsOnlyTheCommand) {
    Session ss;
    SimpleCommandOp op(Kind::init_db, "nope");
    auto fut = op.get_future();
    const SessionState after = OpScript(ss.s)
                                   .expect_write(frame(0, concat({hex("02"), bytes_of("nope")})))
                                   .expect_read(frame(1, msg::err(1049, "42000", "Unknown database 'nope'")))
                                   .check(op);   // done: the session stays usable
    EXPECT_EQ(after.db, std::nullopt);
    ASSERT_TRUE(fut.failed());
    try {
        std::move(fut).get();
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.errno_code(), 1049);
    }
}

TEST(SimpleCommandOp, MalformedRepliesBreakTheSession) {
    for (const ByteVec& reply : {hex("ff"), hex("fe"), ByteVec{}, hex("00")}) {
        Session ss;
        SimpleCommandOp op(Kind::ping);
        auto fut = op.get_future();
        OpScript(ss.s).expect_write(frame(0, hex("0e"))).expect_read(frame(1, reply)).check_fails(op, detail::cr::malformed_packet);
        EXPECT_ANY_THROW(std::move(fut).get());
    }
}

TEST(SimpleCommandOp, EveryIoStepFailing) {
    for (Kind kind : {Kind::ping, Kind::init_db, Kind::reset_connection}) {
        Session ss;
        std::vector<Future<void>> futures;
        const std::uint8_t code = kind == Kind::ping ? 0x0e : kind == Kind::init_db ? 0x02 : 0x1f;
        const std::size_t steps = OpScript(ss.s)
                                      .expect_write(frame(0, ByteVec{code}))
                                      .expect_read(frame(1, msg::ok()))
                                      .check_network_errors([&] {
                                          auto op = std::make_unique<SimpleCommandOp>(kind);
                                          futures.push_back(op->get_future());
                                          return op;
                                      });
        EXPECT_EQ(steps, 2u);
        for (auto& f : futures) EXPECT_ANY_THROW(std::move(f).get());
    }
}

}  // namespace
}  // namespace uvmysql::test
