// SPDX-License-Identifier: MIT
// LOAD DATA LOCAL INFILE against a rogue server: only the file the statement named is ever sent.
#include <cstdio>
#include <fstream>

#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

test::Bytes infile_request(const std::string& name) {
    test::Bytes p(1 + name.size(), 0xfb);
    std::copy(name.begin(), name.end(), p.begin() + 1);
    return p;
}

class FakeLocalInfileTest : public FakeServerTest {
protected:
    void SetUp() override {
        path_ = testing::TempDir() + "uvmysql-infile.csv";
        std::ofstream(path_) << "1,one\n2,two\n";
    }
    void TearDown() override {
        std::remove(path_.c_str());
        FakeServerTest::TearDown();
    }
    void script_login() {
        server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps | detail::cap::local_files))
            .expect()
            .send(2, ok_packet());
    }
    std::string path_;
};

TEST_F(FakeLocalInfileTest, SendsTheNamedFile) {
    script_login();
    server_.expect()
        .send(1, infile_request(path_))
        .expect([](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 2);
            EXPECT_EQ(std::string(f.payload.begin(), f.payload.end()), "1,one\n2,two\n");
        })
        .expect([](const ReceivedFrame& f) { EXPECT_TRUE(f.payload.empty()); })
        .send(4, ok_packet(2));
    ConnectOptions opt = options();
    opt.local_infile = true;
    Connection c = connect_ok(opt);
    auto sets = run_until(loop_.get(), c.query("LOAD DATA LOCAL INFILE '" + path_ + "' INTO TABLE t"));
    EXPECT_EQ(sets.at(0).affected_rows, 2u);
    c.close();
}

TEST_F(FakeLocalInfileTest, RogueServerAskingForAnotherFileGetsNothing) {
    script_login();
    server_.expect()
        .send(1, infile_request("/etc/passwd"))
        .expect([](const ReceivedFrame& f) { EXPECT_TRUE(f.payload.empty()) << "file contents leaked"; })
        .send(3, ok_packet());
    ConnectOptions opt = options();
    opt.local_infile = true;
    Connection c = connect_ok(opt);
    EXPECT_THROW((void)run_until(loop_.get(), c.query("LOAD DATA LOCAL INFILE '" + path_ + "' INTO TABLE t")),
                 OperationalError);
    EXPECT_FALSE(c.closed());   // the exchange completed: the session is still in sync
    c.close();
}

TEST_F(FakeLocalInfileTest, RogueServerAskingDuringASelect) {
    script_login();
    server_.expect()
        .send(1, infile_request(path_))
        .expect([](const ReceivedFrame& f) { EXPECT_TRUE(f.payload.empty()) << "file contents leaked"; })
        .send(3, ok_packet());
    ConnectOptions opt = options();
    opt.local_infile = true;
    Connection c = connect_ok(opt);
    EXPECT_THROW((void)run_until(loop_.get(), c.query("SELECT 1")), OperationalError);
    c.close();
}

TEST_F(FakeLocalInfileTest, DisabledByDefault) {
    script_login();
    server_.expect()
        .send(1, infile_request(path_))
        .expect([](const ReceivedFrame& f) { EXPECT_TRUE(f.payload.empty()); })
        .send(3, err_packet(1148, "42000", "The used command is not allowed with this MariaDB version"));
    Connection c = connect_ok(options());
    EXPECT_THROW((void)run_until(loop_.get(), c.query("LOAD DATA LOCAL INFILE '" + path_ + "' INTO TABLE t")),
                 Error);
    c.close();
}

}  // namespace
}  // namespace uvmysql::test
