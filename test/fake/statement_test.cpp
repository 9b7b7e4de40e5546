// SPDX-License-Identifier: MIT
// Prepared statements against the scripted server: a whole prepare/execute/close exchange, and
// malformed PREPARE and EXECUTE responses (closed connection, no crash) beside a server ERR
// (the connection goes on).
#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

void script_login(FakeServer& s) {
    s.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps)).expect().send(2, ok_packet());
}

/// COM_STMT_PREPARE_OK: statement id 1, `columns` columns, `params` parameters.
test::Bytes prepare_ok(std::uint8_t columns, std::uint8_t params) { return {0, 1, 0, 0, 0, columns, 0, params, 0, 0, 0, 0}; }

class FakeStatementTest : public FakeServerTest {
protected:
    template <class E, class T>
    int fails(Future<T> f) {
        try {
            (void)run_until(loop_.get(), std::move(f));
            ADD_FAILURE() << "succeeded";
        } catch (const E& e) {
            return e.errno_code();
        }
        return -1;
    }
};

TEST_F(FakeStatementTest, PrepareExecuteClose) {
    script_login(server_);
    auto command_is = [](std::uint8_t cmd) {
        return [cmd](const ReceivedFrame& f) {
            ASSERT_FALSE(f.payload.empty());
            EXPECT_EQ(f.payload[0], cmd);
            EXPECT_EQ(f.seq, 0);
        };
    };
    server_.expect(command_is(0x16))
        .send(1, prepare_ok(1, 1))
        .send(2, column_def("?", 8))
        .send(3, column_def("n", 3))
        .expect(command_is(0x17))
        .send(1, {1})
        .send(2, column_def("n", 3))
        .send(3, {0x00, 0x00, 42, 0, 0, 0})   // a binary row: header, NULL bitmap, int<4>
        .send(4, end_of_rows())
        .expect(command_is(0x19))   // COM_STMT_CLOSE: no reply
        .expect(command_is(0x03))   // DO 1
        .send(1, ok_packet());
    ConnectOptions opt = options();
    opt.prepared_statement_cache_size = 0;
    Connection c = connect_ok(opt);
    Statement stmt = run_until(loop_.get(), c.prepare("SELECT n FROM t WHERE id = ?"));
    EXPECT_EQ(stmt.param_count(), 1u);
    ResultSet rs = run_until(loop_.get(), stmt.execute(7));
    ASSERT_EQ(rs.rows.size(), 1u);
    EXPECT_EQ(rs.rows[0].at(0).as<std::int64_t>(), 42);
    run_until(loop_.get(), stmt.close());
    (void)run_until(loop_.get(), c.query("DO 1"));
    c.close();
}

TEST_F(FakeStatementTest, PrepareErrorLeavesTheConnectionUsable) {
    script_login(server_);
    server_.expect().send(1, err_packet(1064, "42000", "You have an error in your SQL syntax")).expect().send(1, ok_packet());
    Connection c = connect_ok(options());
    EXPECT_EQ(fails<ProgrammingError>(c.prepare("SELEC 1")), 1064);
    EXPECT_FALSE(c.closed());
    (void)run_until(loop_.get(), c.query("DO 1"));
    c.close();
}

TEST_F(FakeStatementTest, TruncatedPrepareOkClosesTheConnection) {
    script_login(server_);
    server_.expect().send(1, {0, 1, 0}).stall();
    Connection c = connect_ok(options());
    EXPECT_EQ(fails<OperationalError>(c.prepare("SELECT ?")), 2027);
    EXPECT_TRUE(c.closed());
}

TEST_F(FakeStatementTest, MissingDefinitionsCloseTheConnection) {
    script_login(server_);
    server_.expect().send(1, prepare_ok(0, 2)).send(2, column_def("?", 8)).send(3, ok_packet()).stall();
    Connection c = connect_ok(options());
    EXPECT_EQ(fails<OperationalError>(c.prepare("SELECT ?, ?")), 2027);
    EXPECT_TRUE(c.closed());
}

TEST_F(FakeStatementTest, MalformedBinaryRowClosesTheConnection) {
    script_login(server_);
    server_.expect()
        .send(1, prepare_ok(1, 0))
        .send(2, column_def("n", 3))
        .expect()
        .send(1, {1})
        .send(2, column_def("n", 3))
        .send(3, {0x00, 0x00, 42, 0})   // an int<4> cut short
        .stall();
    Connection c = connect_ok(options());
    Statement stmt = run_until(loop_.get(), c.prepare("SELECT n FROM t"));
    EXPECT_EQ(fails<OperationalError>(stmt.execute()), 2027);
    EXPECT_TRUE(c.closed());
    EXPECT_TRUE(stmt.closed());
}

/// A MariaDB greeting offering the extended capabilities `mariadb_caps` (the high 32 bits of
/// detail::mariadb_cap): CLIENT_MYSQL unset, the caps in the last 4 of the 10 reserved bytes.
test::Bytes mariadb_greeting(std::uint64_t mariadb_caps) {
    const std::string version = "10.11.0-MariaDB-fake";
    test::Bytes p = handshake_v10("mysql_native_password", default_nonce(),
                                  fake_server_caps & ~static_cast<std::uint32_t>(detail::cap::client_mysql), version);
    // protocol, version\0, thread id, 8 nonce bytes, filler, caps, charset, status, caps, length
    const std::size_t reserved = 1 + version.size() + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1;
    for (int i = 0; i < 4; ++i) p[reserved + 6 + i] = static_cast<std::uint8_t>((mariadb_caps >> 32) >> (8 * i));
    return p;
}

/// A command frame whose first bytes are `prefix` (the command byte and, say, a statement id).
auto starts_with(test::Bytes prefix) {
    return [prefix](const ReceivedFrame& f) {
        ASSERT_GE(f.payload.size(), prefix.size());
        EXPECT_EQ(test::Bytes(f.payload.begin(), f.payload.begin() + static_cast<std::ptrdiff_t>(prefix.size())), prefix);
    };
}

TEST_F(FakeStatementTest, ExecuteDirectIsOneRoundTripOnMariaDB) {
    server_.send(0, mariadb_greeting(detail::mariadb_cap::stmt_bulk_operations)).expect().send(2, ok_packet());
    // Both commands arrive before the server answers either: the script would stall otherwise.
    server_.expect(starts_with({0x16}))
        .expect(starts_with({0x17, 0xff, 0xff, 0xff, 0xff}))
        .send(1, prepare_ok(1, 1))
        .send(2, column_def("?", 8))
        .send(3, column_def("n", 3))
        .send(1, {1})
        .send(2, column_def("n", 3))
        .send(3, {0x00, 0x00, 42, 0, 0, 0})
        .send(4, end_of_rows())
        // The next execute of that text uses the cached statement (id 1): no PREPARE.
        .expect(starts_with({0x17, 0x01, 0x00, 0x00, 0x00}))
        .send(1, {1})
        .send(2, column_def("n", 3))
        .send(3, {0x00, 0x00, 43, 0, 0, 0})
        .send(4, end_of_rows())
        // A statement the server refuses: the prepare's error, not the execute's "unknown statement".
        .expect(starts_with({0x16}))
        .expect(starts_with({0x17, 0xff, 0xff, 0xff, 0xff}))
        .send(1, err_packet(1064, "42000", "You have an error in your SQL syntax"))
        .send(1, err_packet(1243, "HY000", "Unknown prepared statement handler (4294967295) given to mysqld_stmt_execute"))
        .expect(starts_with({0x03}))
        .send(1, ok_packet());
    Connection c = connect_ok(options());
    auto cur = c.cursor();
    cur.set_prepared(true);
    (void)run_until(loop_.get(), cur.execute("SELECT n FROM t WHERE id = %s", 7));
    EXPECT_EQ(run_until(loop_.get(), cur.fetchone())->at(0).as<std::int64_t>(), 42);
    (void)run_until(loop_.get(), cur.execute("SELECT n FROM t WHERE id = %s", 8));
    EXPECT_EQ(run_until(loop_.get(), cur.fetchone())->at(0).as<std::int64_t>(), 43);
    EXPECT_EQ(fails<ProgrammingError>(cur.execute("SELEC n FROM t WHERE id = %s", 9)), 1064);
    (void)run_until(loop_.get(), c.query("DO 1"));
    c.close();
}

}  // namespace
}  // namespace uvmysql::test
