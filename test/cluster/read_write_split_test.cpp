// SPDX-License-Identifier: MIT
// The read/write split (PoolCluster::writer() and reader()) on the real primary and replica of
// test/cluster/replica.sh (started once for the suite by test/cluster/run.sh): where reads,
// writes and transactions go, roles that follow @@read_only, and reads when the replica is down.
#include <gtest/gtest.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <uvmysql/uvmysql.hpp>

#include "run_until.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v != nullptr ? v : "";
}

/// Runs `test/cluster/replica.sh ARGS`; true when it succeeded. It blocks the loop: the loop's
/// clock is brought up to date after it.
bool replica_script(uv_loop_t* loop, const std::string& args) {
    const std::string script = env("UVMYSQL_SOURCE_ROOT") + "/test/cluster/replica.sh";
    const bool ok = std::system((script + " " + args + " >&2").c_str()) == 0;
    uv_update_time(loop);
    return ok;
}

/// Connect options for "PRIMARY" or "REPLICA".
ConnectOptions server(const std::string& which) {
    ConnectOptions opt;
    opt.host = "127.0.0.1";
    opt.port = std::atoi(env("UVMYSQL_REPLICA_" + which + "_PORT").c_str());
    opt.user = env("UVMYSQL_REPLICA_USER");
    opt.password = env("UVMYSQL_REPLICA_PASSWORD");
    opt.db = env("UVMYSQL_REPLICA_DB");
    opt.autocommit = true;
    opt.connect_timeout = 2s;
    return opt;
}

PoolClusterOptions quick_checks() {
    PoolClusterOptions o;
    o.read_only_check_interval = 200ms;
    o.restore_node_timeout = 1s;
    o.remove_node_error_count = 1;
    return o;
}

class ReadWriteSplitTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (env("UVMYSQL_REPLICA_PRIMARY_PORT").empty()) {
            FAIL() << "UVMYSQL_REPLICA_* is not set: run the suite with test/cluster/run.sh";
        }
        primary_id_ = server_id(server("PRIMARY"));
        replica_id_ = server_id(server("REPLICA"));
        ASSERT_NE(primary_id_, replica_id_);
    }
    void TearDown() override {
        for (PoolCluster& c : clusters_) c.close();
        for (PoolCluster& c : clusters_) run_until(loop(), c.wait_closed(), 30s);
        clusters_.clear();
        EXPECT_EQ(loop_.close(), 0);
    }
    uv_loop_t* loop() { return loop_.get(); }

    PoolCluster make(std::vector<ClusterNode> nodes, PoolClusterOptions options = quick_checks()) {
        clusters_.push_back(run_until(loop(), create_pool_cluster(loop(), std::move(nodes), options), 30s));
        return clusters_.back();
    }
    std::int64_t server_id(ConnectOptions opt) {
        Connection c = run_until(loop(), connect(loop(), std::move(opt)), 10s);
        const std::int64_t id = scalar(c, "SELECT @@server_id");
        c.close();
        return id;
    }
    std::int64_t scalar(Connection c, const std::string& sql) {
        return run_until(loop(), c.query(sql), 10s).at(0).rows.at(0).at(0).as<std::int64_t>();
    }
    std::int64_t scalar(ClusterSelector sel, const std::string& sql) {
        return run_until(loop(), sel.query(sql), 10s).at(0).at(0).as<std::int64_t>();
    }
    /// Runs `sql` on the primary as root (the test account may not change read_only).
    void on_primary(const std::string& sql) { ASSERT_TRUE(replica_script(loop(), "sql primary '" + sql + "'")); }
    /// Polls `done` every 50 ms for at most `limit`; true once it held.
    template <class Fn>
    bool eventually(Fn done, std::chrono::milliseconds limit = 10s) {
        const auto until = Clock::now() + limit;
        while (!done()) {
            if (Clock::now() > until) return false;
            run_until(loop(), sleep_for(loop(), 50ms), 5s);
        }
        return true;
    }

    TestLoop loop_;
    std::vector<PoolCluster> clusters_;
    std::int64_t primary_id_ = 0;
    std::int64_t replica_id_ = 0;
};

TEST_F(ReadWriteSplitTest, ReadsGoToTheReplicaWritesAndTransactionsToThePrimary) {
    PoolCluster cluster = make({ClusterNode{"primary", server("PRIMARY"), NodeRole::primary},
                                ClusterNode{"replica", server("REPLICA"), NodeRole::replica}});
    EXPECT_EQ(cluster.stats().node("primary")->read_only, std::optional<bool>(false));
    EXPECT_EQ(cluster.stats().node("replica")->read_only, std::optional<bool>(true));
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(scalar(cluster.reader(), "SELECT @@server_id"), replica_id_);
        EXPECT_EQ(scalar(cluster.writer(), "SELECT @@server_id"), primary_id_);
    }
    run_until(loop(), cluster.writer().execute("CREATE TABLE IF NOT EXISTS split_rows (id INT PRIMARY KEY)"), 10s);
    run_until(loop(), cluster.writer().execute("DELETE FROM split_rows"), 10s);

    // A transaction: every statement on one connection of the primary.
    const std::vector<std::int64_t> seen = run_until(
        loop(), cluster.writer().with_connection([](Connection c) -> Task<std::vector<std::int64_t>> {
            std::vector<std::int64_t> ids;
            co_await c.begin();
            co_await c.execute("INSERT INTO split_rows VALUES (1), (2), (3)");
            ids.push_back((co_await c.query("SELECT @@server_id")).at(0).rows.at(0).at(0).as<std::int64_t>());
            ids.push_back((co_await c.query("SELECT COUNT(*) FROM split_rows")).at(0).rows.at(0).at(0).as<std::int64_t>());
            co_await c.commit();
            co_return ids;
        }),
        10s);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], primary_id_);
    EXPECT_EQ(seen[1], 3);   // its own uncommitted rows: the same connection throughout
    // The committed rows reach the replica, where reads go.
    EXPECT_TRUE(eventually([&] { return scalar(cluster.reader(), "SELECT COUNT(*) FROM split_rows") == 3; }));
    const ClusterStats stats = cluster.stats();
    EXPECT_GE(stats.node("replica")->pool.acquired, 6u);
    EXPECT_GE(stats.node("primary")->pool.acquired, 8u);
}

TEST_F(ReadWriteSplitTest, RolesOfNodesOfAnyRoleFollowReadOnly) {
    PoolCluster cluster = make({ClusterNode{"a", server("REPLICA"), NodeRole::any},
                                ClusterNode{"b", server("PRIMARY"), NodeRole::any}});
    EXPECT_EQ(scalar(cluster.writer(), "SELECT @@server_id"), primary_id_);
    EXPECT_EQ(scalar(cluster.reader(), "SELECT @@server_id"), replica_id_);

    on_primary("SET GLOBAL read_only = ON");
    const bool noticed = eventually([&] { return cluster.stats().node("b")->read_only == true; });
    std::string refused;
    try {
        (void)scalar(cluster.writer(), "SELECT 1");
    } catch (const OperationalError& e) {
        refused = e.what();
        EXPECT_EQ(e.errno_code(), 2003);
    }
    // Both read-only now: both take reads.
    std::vector<std::int64_t> readers;
    for (int i = 0; i < 4; ++i) readers.push_back(scalar(cluster.reader(), "SELECT @@server_id"));
    on_primary("SET GLOBAL read_only = OFF");
    EXPECT_TRUE(noticed);
    EXPECT_NE(refused.find("writer"), std::string::npos) << refused;
    EXPECT_NE(refused.find("b is read-only"), std::string::npos) << refused;
    EXPECT_NE(refused.find("a is read-only"), std::string::npos) << refused;
    EXPECT_NE(std::find(readers.begin(), readers.end(), primary_id_), readers.end());
    EXPECT_NE(std::find(readers.begin(), readers.end(), replica_id_), readers.end());

    EXPECT_TRUE(eventually([&] { return cluster.stats().node("b")->read_only == false; }));
    EXPECT_EQ(scalar(cluster.writer(), "SELECT @@server_id"), primary_id_);
}

TEST_F(ReadWriteSplitTest, ReadsFallBackToThePrimaryWhileTheReplicaIsDown) {
    PoolCluster cluster = make({ClusterNode{"primary", server("PRIMARY"), NodeRole::primary},
                                ClusterNode{"replica", server("REPLICA"), NodeRole::replica}});
    EXPECT_EQ(scalar(cluster.reader(), "SELECT @@server_id"), replica_id_);
    ASSERT_TRUE(replica_script(loop(), "kill replica"));
    EXPECT_TRUE(eventually([&] { return cluster.stats().node("replica")->state == NodeState::down; }));

    EXPECT_EQ(scalar(cluster.reader(), "SELECT @@server_id"), primary_id_);   // the fallback
    std::string refused;
    try {
        (void)scalar(cluster.reader(NodePolicy::round_robin, ReadFallback::none), "SELECT 1");
    } catch (const OperationalError& e) {
        refused = e.what();
    }
    EXPECT_NE(refused.find("replica is down"), std::string::npos) << refused;
    EXPECT_NE(refused.find("primary is not a replica"), std::string::npos) << refused;
    EXPECT_EQ(scalar(cluster.writer(), "SELECT @@server_id"), primary_id_);

    ASSERT_TRUE(replica_script(loop(), "restart replica"));
    EXPECT_TRUE(eventually([&] { return cluster.stats().node("replica")->state == NodeState::up; }, 20s));
    EXPECT_EQ(scalar(cluster.reader(), "SELECT @@server_id"), replica_id_);
}

}  // namespace
}  // namespace uvmysql::test
