// SPDX-License-Identifier: MIT
// XA (two-phase) transactions: a branch prepared on one connection survives that connection and
// is found with recover_twophase() and committed from another, as a recovering coordinator does.
#include <algorithm>

#include "run_sample.hpp"
#include "sample_options.hpp"

namespace {

using namespace std::chrono_literals;

/// Waits until the server has finished with session `id`: only then is its prepared branch
/// detached from it and open to other sessions.
uvmysql::Task<> wait_session_gone(uv_loop_t* loop, uvmysql::Connection admin, std::uint32_t id) {
    const std::string sql = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + std::to_string(id);
    for (;;) {
        auto sets = co_await admin.query(sql);
        if (sets.front().rows.at(0).at(0).as<std::int64_t>() == 0) co_return;
        co_await uvmysql::sleep_for(loop, 10ms);
    }
}

}  // namespace

uvmysql::Task<> example(uv_loop_t* loop) {
    const uvmysql::ConnectOptions options = samples::options_from_env("test_pymysql");
    auto setup = co_await uvmysql::connect(loop, options);
    co_await setup.query("DROP TABLE IF EXISTS xa_orders");
    co_await setup.query("CREATE TABLE xa_orders (id INT PRIMARY KEY, item VARCHAR(30)) ENGINE=InnoDB");
    co_await setup.commit();

    // Phase one on the first connection: do the work, then PREPARE it.
    auto first = co_await uvmysql::connect(loop, options);
    uvmysql::TwoPhaseTransaction xa = co_await uvmysql::begin_twophase(first);   // a random xid
    const uvmysql::Xid xid = xa.xid();
    co_await first.query("INSERT INTO xa_orders VALUES (1, 'book')");
    co_await xa.prepare();
    std::printf("prepared %s on session %u\n", xid.gtrid.c_str(), first.thread_id());

    // The first connection goes away (a crash would do the same): the branch stays prepared.
    const std::uint32_t first_session = first.thread_id();
    first.close();
    co_await wait_session_gone(loop, setup, first_session);

    // Phase two from another connection: find the branch and commit it.
    auto second = co_await uvmysql::connect(loop, options);
    const std::vector<uvmysql::Xid> prepared = co_await uvmysql::recover_twophase(second);
    const bool found = std::find(prepared.begin(), prepared.end(), xid) != prepared.end();
    std::printf("XA RECOVER lists it: %s\n", found ? "yes" : "no");
    co_await uvmysql::commit_prepared(second, xid);

    auto sets = co_await second.query("SELECT id, item FROM xa_orders");
    for (const auto& row : sets.front().rows) {
        std::printf("committed row: %s %s\n", row[0].to_string().c_str(), row[1].to_string().c_str());
    }
    co_await second.query("DROP TABLE xa_orders");
    co_await second.ensure_closed();
    co_await setup.ensure_closed();
    if (!found) throw uvmysql::InterfaceError(0, "HY000", "the prepared xid was not recovered");
}

int main() { return samples::run(example); }
