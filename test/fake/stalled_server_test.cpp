// SPDX-License-Identifier: MIT
// A server that stops answering (what MariaDB cannot be made to do on purpose): read_timeout
// closes the connection, and a statement that a KILL QUERY cannot stop is given up after
// kill_grace.
#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

class StalledServerTest : public FakeServerTest {
protected:
    /// Logs in, then takes one query and never answers it.
    Connection connect_then_stall(ConnectOptions opt) {
        server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
            .expect()
            .send(2, ok_packet())
            .expect()   // the query
            .stall();
        return connect_ok(std::move(opt));
    }
    /// The OperationalError `c.query(...)` fails with.
    std::string failure_of(Connection& c) {
        try {
            (void)run_until(loop_.get(), c.query("SELECT 1"), 5s);
            ADD_FAILURE() << "a stalled server answered";
        } catch (const OperationalError& e) {
            EXPECT_EQ(e.errno_code(), 2013) << e.what();
            EXPECT_TRUE(is_fatal(e));
            return e.what();
        }
        return {};
    }
};

TEST_F(StalledServerTest, ReadTimeoutClosesTheConnection) {
    ConnectOptions opt = options();
    opt.read_timeout = 200ms;
    Connection c = connect_then_stall(opt);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_NE(failure_of(c).find("read_timeout: no reply for 200 ms"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
    EXPECT_TRUE(c.closed());
}

TEST_F(StalledServerTest, StatementThatKillCannotStopIsGivenUpAfterTheGrace) {
    ConnectOptions opt = options();
    opt.query_timeout = 100ms;
    opt.kill_grace = 300ms;   // the KILL's own connection gets no answer from this server either
    Connection c = connect_then_stall(opt);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_NE(failure_of(c).find("did not stop within 300 ms of KILL QUERY"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_TRUE(c.closed());
}

}  // namespace
}  // namespace uvmysql::test
