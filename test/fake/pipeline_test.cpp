// SPDX-License-Identifier: MIT
// Pipelining on the wire: with ConnectOptions::pipeline the statements reach the server before
// any reply does, and a COMMIT waits for the replies before it.
#include <string>

#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

using PipelineWireTest = FakeServerTest;

constexpr std::uint8_t longlong = 8;

std::string text_of(const ReceivedFrame& f) { return std::string(f.payload.begin() + 1, f.payload.end()); }

TEST_F(PipelineWireTest, StatementsReachTheServerBeforeAnyReply) {
    auto expect_query = [](std::string sql) {
        return [sql](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 0);
            EXPECT_EQ(text_of(f), sql);
        };
    };
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, ok_packet())
        .expect(expect_query("SELECT 1"))
        .expect(expect_query("SELECT 2"))
        .expect(expect_query("SELECT 3"))   // three statements and still no reply sent: pipelined
        .then([](FakeServer& s) { EXPECT_EQ(s.frames().size(), 4u) << "COMMIT was written before the replies"; });
    for (const char* n : {"1", "2", "3"}) {
        server_.send(1, {0x01}).send(2, column_def("n", longlong)).send(3, text_row({n})).send(4, end_of_rows());
    }
    server_.expect(expect_query("COMMIT")).send(1, ok_packet());
    ConnectOptions opt = options();
    opt.pipeline = true;
    Connection c = connect_ok(opt);
    auto r1 = c.query("SELECT 1");
    auto r2 = c.query("SELECT 2");
    auto r3 = c.query("SELECT 3");
    auto committed = c.commit();
    EXPECT_EQ(run_until(loop_.get(), std::move(r1)).at(0).rows.at(0).at(0).as<std::int64_t>(), 1);
    EXPECT_EQ(run_until(loop_.get(), std::move(r2)).at(0).rows.at(0).at(0).as<std::int64_t>(), 2);
    EXPECT_EQ(run_until(loop_.get(), std::move(r3)).at(0).rows.at(0).at(0).as<std::int64_t>(), 3);
    run_until(loop_.get(), std::move(committed));
    EXPECT_TRUE(server_.finished());
    c.close();
}

}  // namespace
}  // namespace uvmysql::test
