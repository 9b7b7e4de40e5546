// SPDX-License-Identifier: MIT
// create_engine() over the scripted server: the dialect comes from the greeting's server version,
// and the login asks for CLIENT_FOUND_ROWS.
#include <string>

#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

class EngineDialectTest : public FakeServerTest {
protected:
    /// Logs the client in with `version` in the greeting (the server then stays silent), opens an
    /// engine of one connection on it, and returns the engine's name().
    std::string dialect_of(const std::string& version) {
        // Servers offer CLIENT_FOUND_ROWS; the client only asks for what the server offers.
        const auto caps = static_cast<std::uint32_t>(fake_server_caps | detail::cap::found_rows);
        server_.send(0, handshake_v10("mysql_native_password", default_nonce(), caps, version))
            .expect([](const ReceivedFrame& login) {
                ASSERT_GE(login.payload.size(), 4u);
                EXPECT_NE(login.payload[0] & detail::cap::found_rows, 0u)
                    << "CLIENT_FOUND_ROWS not asked for";
            })
            .send(2, ok_packet())
            .stall();
        EngineOptions eo;
        eo.minsize = 1;
        eo.maxsize = 1;
        Engine e = run_until(loop_.get(), create_engine(loop_.get(), options(), eo));
        EXPECT_EQ(e.driver(), "uvmysql");
        EXPECT_EQ(e.size(), 1u);
        EXPECT_EQ(e.freesize(), 1u);  // the connection that learnt the dialect went back
        const std::string name = e.name();
        e.terminate();
        run_until(loop_.get(), e.wait_closed());
        EXPECT_TRUE(server_.finished());
        return name;
    }
};

TEST_F(EngineDialectTest, MySql8GreetingIsMysql) { EXPECT_EQ(dialect_of("8.0.36-fake"), "mysql"); }

TEST_F(EngineDialectTest, MySql57GreetingIsMysql) { EXPECT_EQ(dialect_of("5.7.44-log"), "mysql"); }

TEST_F(EngineDialectTest, MariaDbGreetingIsMariadb) {
    EXPECT_EQ(dialect_of("5.5.5-10.11.6-MariaDB-0+deb12u1"), "mariadb");
}

}  // namespace
}  // namespace uvmysql::test
