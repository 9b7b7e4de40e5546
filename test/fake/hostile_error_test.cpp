// SPDX-License-Identifier: MIT
// Errors a server, proxy or man in the middle can send that must never read as success: an ERR
// with errno 0, and an ERR in place of a row. Over TCP, a unix socket and TLS.
#include <unistd.h>

#include <atomic>

#include "fake_test_support.hpp"
#include "fake_tls.hpp"

namespace uvmysql::test {
namespace {

enum class FakeLink { tcp, unix_socket, tls };

std::string fake_link_name(const testing::TestParamInfo<FakeLink>& info) {
    switch (info.param) {
        case FakeLink::tcp: return "Tcp";
        case FakeLink::unix_socket: return "UnixSocket";
        case FakeLink::tls: return "Tls";
    }
    return "Unknown";
}

constexpr std::uint16_t more_results = 2 | 8;   // autocommit | SERVER_MORE_RESULTS_EXISTS
constexpr std::uint16_t statement_timeout = 1969;

/// A fake server reached through the link of the test's parameter, with a login script.
class HostileErrorTest : public testing::TestWithParam<FakeLink> {
protected:
    HostileErrorTest() {
        if (GetParam() == FakeLink::unix_socket) {
            static std::atomic<int> counter{0};
            path_ = "/tmp/uvmysql-fake-err-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".sock";
            ::unlink(path_.c_str());
            server_ = std::make_unique<FakeServer>(loop_.get(), path_);
        } else {
            server_ = std::make_unique<FakeServer>(loop_.get());
        }
        if (GetParam() == FakeLink::tls) {
            server_->send(0, handshake_v10("mysql_native_password", default_nonce(),
                                           fake_server_caps | static_cast<std::uint32_t>(detail::cap::ssl)))
                .expect()   // SSLRequest
                .start_tls()
                .expect()
                .send(3, ok_packet());
        } else {
            server_->send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
                .expect()
                .send(2, ok_packet());
        }
    }
    ~HostileErrorTest() override {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    void TearDown() override { server_->shutdown(); }

    Connection connect_ok() {
        ConnectOptions opt;
        opt.user = "u";
        opt.password = "secret";
        opt.autocommit = std::nullopt;
        opt.connect_timeout = std::chrono::milliseconds(3000);
        if (GetParam() == FakeLink::unix_socket) {
            opt.unix_socket = path_;
        } else {
            opt.host = "127.0.0.1";
            opt.port = server_->port();
        }
        if (GetParam() == FakeLink::tls) {
            SslOptions ssl;
            ssl.ca = fake_cert_path("ca.crt");
            opt.ssl = ssl;
        }
        Connection c = run_until(loop_.get(), connect(loop_.get(), std::move(opt)));
        EXPECT_EQ(c.is_tls(), GetParam() == FakeLink::tls);
        return c;
    }

    /// The errno of the error `f` fails with (-1 and a test failure when it succeeds).
    template <class T>
    int errno_of(Future<T> f) {
        try {
            (void)run_until(loop_.get(), std::move(f));
            ADD_FAILURE() << "succeeded, but the server sent an error";
        } catch (const Error& e) {
            return e.errno_code();
        }
        return -1;
    }

    /// Script: the next command is answered by a one-column result set whose first two rows are
    /// followed by `error` instead of a third row.
    void reply_rows_then(const Bytes& error) {
        server_->expect().send(1, {1}).send(2, column_def("seq", 8)).send(3, text_row({"1"})).send(4, text_row({"2"}))
            .send(5, error);
    }
    /// Script: the next command is answered by OK.
    void reply_ok() { server_->expect().send(1, ok_packet()); }

    TestLoop loop_;
    std::string path_;
    std::unique_ptr<FakeServer> server_;
};

const Bytes bare_err0 = err_packet(0, "", "");          // FF 00 00
const Bytes err0_with_state = err_packet(0, "HY000", "");   // FF 00 00 #HY000
const Bytes interrupted =
    err_packet(statement_timeout, "70100", "Query execution was interrupted (max_statement_time exceeded)");

TEST_P(HostileErrorTest, ErrnoZeroFailsQueryAndClosesTheConnection) {
    server_->expect().send(1, bare_err0).stall();
    Connection c = connect_ok();
    try {
        (void)run_until(loop_.get(), c.query("SELECT 1"));
        ADD_FAILURE() << "an ERR packet with errno 0 read as success";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2027);
        EXPECT_NE(std::string(e.what()).find("error number 0"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(c.closed());   // a protocol violation: the stream is not trusted any more
}

TEST_P(HostileErrorTest, ErrnoZeroWithSqlstateFailsCursorExecute) {
    server_->expect().send(1, err0_with_state).stall();
    Connection c = connect_ok();
    Cursor cur = c.cursor();
    EXPECT_EQ(errno_of(cur.execute("SELECT 1")), 2027);
    EXPECT_TRUE(c.closed());
}

TEST_P(HostileErrorTest, ErrnoZeroFailsQueryResultsAndCommit) {
    server_->expect().send(1, err0_with_state).stall();
    Connection c = connect_ok();
    EXPECT_EQ(errno_of(c.commit()), 2027);
    EXPECT_EQ(errno_of(c.query_results("SELECT 1")), 2006);   // closed by the first: gone away
}

TEST_P(HostileErrorTest, ErrnoZeroAfterRowsReturnsNoRows) {
    reply_rows_then(bare_err0);
    server_->stall();
    Connection c = connect_ok();
    Cursor cur = c.cursor();
    EXPECT_EQ(errno_of(cur.execute("SELECT seq FROM seq_1_to_5")), 2027);
    EXPECT_EQ(cur.rowcount(), -1);
}

TEST_P(HostileErrorTest, ErrorAfterRowsFailsCursorExecute) {
    reply_rows_then(interrupted);
    reply_ok();
    Connection c = connect_ok();
    Cursor cur = c.cursor();
    EXPECT_EQ(errno_of(cur.execute("SELECT seq FROM seq_1_to_5")), statement_timeout);
    EXPECT_FALSE(c.closed());   // a statement's error: the session goes on
    EXPECT_EQ(run_until(loop_.get(), cur.execute("DO 1")), 0u);
    c.close();
}

TEST_P(HostileErrorTest, ErrorAfterRowsFailsDictCursorAndQuery) {
    reply_rows_then(interrupted);
    reply_rows_then(interrupted);
    Connection c = connect_ok();
    DictCursor cur = c.cursor<DictCursor>();
    EXPECT_EQ(errno_of(cur.execute("SELECT seq FROM seq_1_to_5")), statement_timeout);
    EXPECT_EQ(errno_of(c.query("SELECT seq FROM seq_1_to_5")), statement_timeout);
    c.close();
}

TEST_P(HostileErrorTest, ErrorAfterRowsFailsTheStreamAfterItsRows) {
    reply_rows_then(interrupted);
    Connection c = connect_ok();
    SSCursor cur = c.cursor<SSCursor>();
    (void)run_until(loop_.get(), cur.execute("SELECT seq FROM seq_1_to_5"));
    EXPECT_EQ(errno_of(cur.fetchall()), statement_timeout);
    c.close();
}

TEST_P(HostileErrorTest, ErrorThatCutsALaterResultComesFromNextset) {
    // Statement 1 succeeds (OK, more results follow); statement 2's rows are cut by the error:
    // execute() succeeds with the first result, and nextset() raises instead of handing out the
    // two rows of the cut result as if they were complete.
    server_->expect().send(1, ok_packet(7, 0, more_results)).send(2, {1}).send(3, column_def("seq", 8))
        .send(4, text_row({"1"})).send(5, text_row({"2"})).send(6, interrupted);
    Connection c = connect_ok();
    Cursor cur = c.cursor();
    EXPECT_EQ(run_until(loop_.get(), cur.execute("UPDATE t SET v = 1; SELECT seq FROM seq_1_to_5")), 7u);
    EXPECT_EQ(errno_of(cur.nextset()), statement_timeout);
    c.close();
}

INSTANTIATE_TEST_SUITE_P(Links, HostileErrorTest,
                         testing::Values(FakeLink::tcp, FakeLink::unix_socket, FakeLink::tls), fake_link_name);

}  // namespace
}  // namespace uvmysql::test
