// SPDX-License-Identifier: MIT
// QuitOp driven by scripted bytes: COM_QUIT, then the session closes.
#include "connection/quit_op.hpp"

#include <gtest/gtest.h>

#include "server_messages.hpp"

namespace uvmysql::test {
namespace {

TEST(QuitOp, WritesComQuitAndCloses) {
    ConnectOptions opt;
    detail::SessionState s(opt);
    detail::QuitOp op;
    auto fut = op.get_future();
    OpScript(s).expect_close(frame(0, hex("01"))).check(op);
    ASSERT_TRUE(fut.is_ready());
    EXPECT_FALSE(fut.failed());
}

TEST(QuitOp, ALostSessionStillCountsAsClosed) {
    ConnectOptions opt;
    detail::SessionState s(opt);
    detail::QuitOp op;
    auto fut = op.get_future();
    op.fail(injected_network_error());   // the runner closed under it
    ASSERT_TRUE(fut.is_ready());
    EXPECT_FALSE(fut.failed());
}

}  // namespace
}  // namespace uvmysql::test
