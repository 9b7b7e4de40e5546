// SPDX-License-Identifier: MIT
// The session setup ops driven by scripted bytes: sql_mode, init_command + COMMIT, and the
// SET AUTOCOMMIT that is sent only when the server's mode differs.
#include "connection/session_setup.hpp"

#include <gtest/gtest.h>

#include "server_messages.hpp"

namespace uvmysql::test {
namespace {

using detail::SessionState;
namespace cap = detail::cap;
namespace st = detail::status;

constexpr std::uint64_t caps = cap::protocol_41 | cap::transactions | cap::secure_connection | cap::deprecate_eof;

TEST(SessionSetup, StatementsInOrderAndTheirErrorsAreFatal) {
    ConnectOptions opt;
    opt.sql_mode = "ANSI";
    opt.init_command = "SET @a = 1";
    opt.autocommit = std::nullopt;   // tested below
    SessionState s(opt);
    s.capabilities = caps;
    auto ops = detail::session_setup_ops(opt);
    ASSERT_EQ(ops.size(), 3u);
    const char* sql[] = {"SET sql_mode='ANSI'", "SET @a = 1", "COMMIT"};
    for (std::size_t i = 0; i < ops.size(); ++i) {
        OpScript(s).expect_write(msg::com_query(sql[i])).expect_read(frame(1, msg::ok())).check(*ops[i]);
    }
    auto again = detail::session_setup_ops(opt);
    OpScript(s)
        .expect_write(msg::com_query(sql[0]))
        .expect_read(frame(1, msg::err(1231, "42000", "Variable 'sql_mode' can't be set")))
        .check_fails(*again[0], 1231);
}

TEST(SessionSetup, AutocommitIsSentOnlyWhenTheServerDiffers) {
    ConnectOptions opt;
    opt.autocommit = false;
    SessionState s(opt);
    s.capabilities = caps;
    s.status = st::autocommit;   // what the login OK reported
    auto ops = detail::session_setup_ops(opt);
    ASSERT_EQ(ops.size(), 1u);
    OpScript script(s);
    script.expect_write(msg::com_query("SET AUTOCOMMIT = 0")).expect_read(frame(1, msg::ok(0, 0, 0)));
    EXPECT_EQ(script.check(*ops[0]).status, 0);
    script.check_network_errors([&] { return std::move(detail::session_setup_ops(opt).front()); });

    s.status = 0;   // already off: nothing goes on the wire
    auto skipped = detail::session_setup_ops(opt);
    OpScript(s).check(*skipped[0]);
}

}  // namespace
}  // namespace uvmysql::test
