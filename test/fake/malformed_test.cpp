// SPDX-License-Identifier: MIT
// A misbehaving server: garbage, truncation, wrong sequence ids, drops, stalls, random corruption.
#include <random>

#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

/// Login script: greeting, response, OK.
void script_login(FakeServer& s) {
    s.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps)).expect().send(2, ok_packet());
}

/// The wire bytes of a two-column, two-row result set (DEPRECATE_EOF: ends with an 0xFE OK).
test::Bytes result_set_bytes() {
    test::Bytes wire;
    std::uint8_t seq = 1;
    auto add = [&](const test::Bytes& payload) {
        auto f = frame(seq++, payload);
        wire.insert(wire.end(), f.begin(), f.end());
    };
    add({2});
    add(column_def("id", 3));
    add(column_def("name", 253));
    add(text_row({"1", "one"}));
    add(text_row({"2", "two"}));
    add(end_of_rows());
    return wire;
}

class FakeMalformedTest : public FakeServerTest {};

TEST_F(FakeMalformedTest, GarbageGreeting) {
    server_.send(0, {0x0a, '5', '.', '7'}).stall();   // cut short after the version
    EXPECT_EQ(connect_fails<OperationalError>(options()), 2027);
}

TEST_F(FakeMalformedTest, UnsupportedProtocolVersion) {
    server_.send(0, {9, 'x', 0}).stall();
    EXPECT_EQ(connect_fails<OperationalError>(options()), 2007);
}

TEST_F(FakeMalformedTest, ErrorInsteadOfGreeting) {
    server_.send(0, err_packet(1040, "08004", "Too many connections")).close();
    EXPECT_EQ(connect_fails<OperationalError>(options()), 1040);
}

TEST_F(FakeMalformedTest, WrongSequenceId) {
    server_.send(3, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps)).stall();
    EXPECT_EQ(connect_fails<OperationalError>(options()), 2027);
}

TEST_F(FakeMalformedTest, DropMidPacket) {
    auto greeting = frame(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps));
    greeting.resize(greeting.size() / 2);
    server_.send_raw(greeting).close();
    EXPECT_EQ(connect_fails<OperationalError>(options()), 2013);
}

TEST_F(FakeMalformedTest, StalledServerTimesOut) {
    server_.stall();
    ConnectOptions opt = options();
    opt.connect_timeout = std::chrono::milliseconds(300);
    EXPECT_EQ(connect_fails<TimeoutError>(opt), 2013);   // an OperationalError too
}

TEST_F(FakeMalformedTest, OversizedPacketIsRefused) {
    // A header announcing a 16 MiB - 1 payload, over the 1 MiB limit the client set.
    server_.send_raw({0xff, 0xff, 0xff, 0x00, 0x0a}).stall();
    ConnectOptions opt = options();
    opt.max_allowed_packet = 1u << 20;
    EXPECT_EQ(connect_fails<OperationalError>(opt), 2020);
}

TEST_F(FakeMalformedTest, ResultSetParsesAndConnectionStaysUsable) {
    script_login(server_);
    server_.expect().send_raw(result_set_bytes()).expect().send(1, ok_packet(3));
    Connection c = connect_ok(options());
    auto sets = run_until(loop_.get(), c.query("SELECT id, name FROM t"));
    ASSERT_EQ(sets.size(), 1u);
    ASSERT_EQ(sets[0].rows.size(), 2u);
    EXPECT_EQ(sets[0].rows[1].at(0).as<std::int64_t>(), 2);
    EXPECT_EQ(sets[0].rows[1].at("name").as<std::string>(), "two");
    auto ok = run_until(loop_.get(), c.query("DELETE FROM t"));
    EXPECT_EQ(ok.at(0).affected_rows, 3u);
    c.close();
}

TEST_F(FakeMalformedTest, TruncatedColumnDefinitionClosesTheConnection) {
    script_login(server_);
    server_.expect().send(1, {1}).send(2, {0x03, 'd', 'e'}).stall();
    Connection c = connect_ok(options());
    try {
        (void)run_until(loop_.get(), c.query("SELECT 1"));
        FAIL() << "a truncated column definition was accepted";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2027);
    }
    EXPECT_TRUE(c.closed());   // never reuse a stream that lost sync
    EXPECT_THROW((void)run_until(loop_.get(), c.query("SELECT 1")), Error);
}

TEST_F(FakeMalformedTest, RowWithTooFewFields) {
    script_login(server_);
    server_.expect().send(1, {2}).send(2, column_def("a", 3)).send(3, column_def("b", 3)).send(4, text_row({"1"})).stall();
    Connection c = connect_ok(options());
    EXPECT_THROW((void)run_until(loop_.get(), c.query("SELECT 1, 2")), OperationalError);
    EXPECT_TRUE(c.closed());
}

TEST_F(FakeMalformedTest, GarbageInNumericColumnIsDataError) {
    script_login(server_);
    server_.expect().send(1, {1}).send(2, column_def("n", 3)).send(3, text_row({"12abc"})).send(4, {0xfe, 0, 0, 2, 0, 0, 0})
        .expect().send(1, ok_packet());
    Connection c = connect_ok(options());
    EXPECT_THROW((void)run_until(loop_.get(), c.query("SELECT n")), DataError);
    EXPECT_FALSE(c.closed());   // the framing was intact: the session goes on
    (void)run_until(loop_.get(), c.query("DO 1"));
    c.close();
}

TEST_F(FakeMalformedTest, ServerClosesDuringQuery) {
    script_login(server_);
    server_.expect().send(1, {1}).close();
    Connection c = connect_ok(options());
    // The first statement reached the server: its outcome is unknown. The second one waited
    // behind it and was never sent: a plain lost-connection error.
    Future<std::vector<ResultSet>> sent = c.query("UPDATE t SET n = n + 1");
    Future<std::vector<ResultSet>> queued = c.query("UPDATE t SET n = 0");
    try {
        (void)run_until(loop_.get(), std::move(sent));
        FAIL() << "query survived a dropped connection";
    } catch (const OutcomeUnknownError& e) {
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_TRUE(is_fatal(e));
        EXPECT_FALSE(is_retryable(e));
        EXPECT_EQ(error_class_of(e), ErrorClass::operational);
        EXPECT_NE(std::string(e.what()).find("may or may not have taken effect"), std::string::npos) << e.what();
    }
    try {
        (void)run_until(loop_.get(), std::move(queued));
        FAIL() << "a queued query survived a dropped connection";
    } catch (const OutcomeUnknownError& e) {
        ADD_FAILURE() << "a statement that was never sent: " << e.what();
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2013);
    }
}

TEST_F(FakeMalformedTest, ReconnectFromTheFailureHandlerWhenTheServerIsGone) {
    // The server dies mid-query and does not come back: the handler's ping(true) must fail
    // promptly (connection refused), leaving the connection closed, never "connecting".
    script_login(server_);
    server_.expect().then([](FakeServer& s) { s.shutdown(); });
    Connection c = connect_ok(options());
    auto lost = std::make_shared<int>(0);
    Future<void> reconnect = c.query("SELECT 1")
                                 .then([](std::vector<ResultSet>) { throw std::logic_error("the query succeeded"); })
                                 .on_error([c, lost](const OperationalError& e) mutable {
                                     *lost = e.errno_code();
                                     return c.ping(true);
                                 });
    try {
        run_until(loop_.get(), std::move(reconnect));
        ADD_FAILURE() << "reconnected to a server that is gone";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
    }
    EXPECT_EQ(*lost, 2013);
    EXPECT_TRUE(c.closed());
    try {
        (void)run_until(loop_.get(), c.query("SELECT 1"));
        ADD_FAILURE() << "a query on a closed connection succeeded";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2006);   // at once, naming the failed reconnect
        EXPECT_NE(std::string(e.what()).find("Can't connect"), std::string::npos) << e.what();
    }
}

TEST_F(FakeMalformedTest, UnsolicitedPacketClosesTheConnection) {
    script_login(server_);
    server_.send(0, {0x00, 0, 0, 2, 0, 0, 0}).stall();
    Connection c = connect_ok(options());
    EXPECT_THROW((void)run_until(loop_.get(), c.ping(false)), Error);
    EXPECT_TRUE(c.closed());
}

// Random corruption of a valid result: every outcome must be a value or a uvmysql::Error —
// no crash, no hang, no sanitizer report.
TEST(FakeFuzz, RandomCorruptionOfAResultSet) {
    std::mt19937 rng(20261125);
    const test::Bytes clean = result_set_bytes();
    int values = 0, errors = 0;
    for (int round = 0; round < 150; ++round) {
        test::Bytes wire = clean;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) wire[rng() % wire.size()] = static_cast<std::uint8_t>(rng());
        if (rng() % 4 == 0) wire.resize(rng() % wire.size());

        TestLoop loop;
        {
            FakeServer server(loop.get());
            script_login(server);
            server.expect().send_raw(wire).close();
            ConnectOptions opt;
            opt.host = "127.0.0.1";
            opt.port = server.port();
            opt.user = "u";
            opt.autocommit = std::nullopt;
            Connection c = run_until(loop.get(), connect(loop.get(), opt));
            try {
                (void)run_until(loop.get(), c.query("SELECT id, name FROM t"), std::chrono::seconds(5));
                ++values;
            } catch (const Error&) {
                ++errors;
            }
            c.close();
            server.shutdown();
        }
    }
    EXPECT_EQ(values + errors, 150);
    EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace uvmysql::test
