// SPDX-License-Identifier: MIT
// query_timeout_on_server against a MySQL server (the fake announces 8.0.36): a SELECT carries
// the MAX_EXECUTION_TIME hint and the server's 3024 is the timeout error; other statements are
// sent as they are and keep the client's KILL QUERY.
#include <string>

#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;
using ServerTimeLimitTest = FakeServerTest;

std::string text_of(const ReceivedFrame& f) { return std::string(f.payload.begin() + 1, f.payload.end()); }

auto expect_query(std::string sql) {
    return [sql](const ReceivedFrame& f) { EXPECT_EQ(text_of(f), sql); };
}

TEST_F(ServerTimeLimitTest, MySqlSelectCarriesTheHintAndItsErrorIsTheTimeoutError) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, ok_packet())
        .expect(expect_query("SELECT /*+ MAX_EXECUTION_TIME(1500) */ SLEEP(5)"))
        .send(1, err_packet(3024, "HY000",
                            "Query execution was interrupted, maximum statement execution time exceeded"))
        .expect(expect_query("UPDATE t SET a = 1"))   // MySQL has no limit for it: sent unchanged
        .send(1, ok_packet(1))
        .stall();
    ConnectOptions opt = options();
    opt.query_timeout = 1500ms;
    opt.query_timeout_on_server = true;
    Connection c = connect_ok(opt);
    try {
        (void)run_until(loop_.get(), c.query("SELECT SLEEP(5)"), 5s);
        ADD_FAILURE() << "the server's timeout error was lost";
    } catch (const QueryTimeoutError& e) {
        EXPECT_EQ(e.errno_code(), 3024);
        EXPECT_FALSE(is_fatal(e));
    }
    EXPECT_FALSE(c.closed());
    auto sets = run_until(loop_.get(), c.query("UPDATE t SET a = 1"), 5s);
    ASSERT_EQ(sets.size(), 1u);
    EXPECT_EQ(sets[0].affected_rows, 1u);
    c.close();
}

}  // namespace
}  // namespace uvmysql::test
