// SPDX-License-Identifier: MIT
// PoolCluster without a server: name patterns, argument checks, nodes that refuse connections,
// and which errors are retryable.
#include <gtest/gtest.h>
#include <uv.h>

#include <string>
#include <vector>

#include "cluster/glob.hpp"
#include "run_until.hpp"
#include "uvmysql/pool_cluster.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

TEST(ClusterGlob, MatchesStarsAndQuestionMarks) {
    using detail::glob_match;
    EXPECT_TRUE(glob_match("*", "node1"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("replica*", "replica"));
    EXPECT_TRUE(glob_match("replica*", "replica-2"));
    EXPECT_FALSE(glob_match("replica*", "primary"));
    EXPECT_TRUE(glob_match("node?", "node3"));
    EXPECT_FALSE(glob_match("node?", "node10"));
    EXPECT_TRUE(glob_match("*-eu-*", "db-eu-1"));
    EXPECT_TRUE(glob_match("a*b*c", "aXbYbZc"));
    EXPECT_FALSE(glob_match("a*b*c", "aXbYbZ"));
    EXPECT_TRUE(glob_match("node1", "node1"));
    EXPECT_FALSE(glob_match("node1", "node12"));
}

TEST(ClusterErrors, DeadlockAndNotReadyAreRetryable) {
    EXPECT_TRUE(is_retryable(OperationalError(1213, "40001", "Deadlock found when trying to get lock")));
    EXPECT_TRUE(is_retryable(OperationalError(1047, "08S01", "WSREP has not yet prepared node for application use")));
    EXPECT_FALSE(is_retryable(OperationalError(2013, "HY000", "Lost connection")));
    EXPECT_FALSE(is_retryable(IntegrityError(1062, "23000", "Duplicate entry")));
}

/// A port on 127.0.0.1 where nothing listens: bound, then closed.
int closed_port(uv_loop_t* loop) {
    uv_tcp_t tcp;
    uv_tcp_init(loop, &tcp);
    sockaddr_in addr{};
    uv_ip4_addr("127.0.0.1", 0, &addr);
    uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&tcp, reinterpret_cast<sockaddr*>(&bound), &len);
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), nullptr);
    uv_run(loop, UV_RUN_NOWAIT);
    return ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

std::vector<ClusterNode> refusing_nodes(uv_loop_t* loop, int count) {
    std::vector<ClusterNode> nodes;
    for (int i = 1; i <= count; ++i) {
        ConnectOptions opt;
        opt.host = "127.0.0.1";
        opt.port = closed_port(loop);
        opt.connect_timeout = 2s;
        nodes.push_back(ClusterNode{"db" + std::to_string(i), opt, NodeRole::any});
    }
    return nodes;
}

TEST(PoolClusterUnit, RefusesBadArguments) {
    TestLoop loop;
    EXPECT_THROW(run_until(loop.get(), create_pool_cluster(loop.get(), {}, {})), ProgrammingError);
    std::vector<ClusterNode> twice = refusing_nodes(loop.get(), 2);
    twice[1].name = twice[0].name;
    EXPECT_THROW(run_until(loop.get(), create_pool_cluster(loop.get(), twice, {})), ProgrammingError);
    PoolClusterOptions bad;
    bad.remove_node_error_count = 0;
    EXPECT_THROW(run_until(loop.get(), create_pool_cluster(loop.get(), refusing_nodes(loop.get(), 1), bad)),
                 ProgrammingError);
}

TEST(PoolClusterUnit, NoReachableNodeIsOneErrorNamingEach) {
    TestLoop loop;
    for (GaleraMode mode : {GaleraMode::off, GaleraMode::auto_detect}) {
        PoolClusterOptions options;
        options.galera = mode;
        try {
            run_until(loop.get(), create_pool_cluster(loop.get(), refusing_nodes(loop.get(), 3), options), 10s);
            ADD_FAILURE() << "created";
        } catch (const OperationalError& e) {
            EXPECT_EQ(e.errno_code(), 2003);
            const std::string what = e.what();
            for (const char* name : {"db1: ", "db2: ", "db3: "}) EXPECT_NE(what.find(name), std::string::npos) << what;
        }
    }
}

TEST(PoolClusterUnit, EmptyHandlesFail) {
    PoolCluster cluster;
    EXPECT_TRUE(cluster.stats().nodes.empty());
    EXPECT_EQ(cluster.loop(), nullptr);
    ClusterSelector sel = cluster.of("*");
    EXPECT_TRUE(sel.nodes().empty());
    TestLoop loop;
    EXPECT_THROW(run_until(loop.get(), sel.query("SELECT 1")), InterfaceError);
    EXPECT_THROW(run_until(loop.get(), cluster.wait_closed()), InterfaceError);
}

}  // namespace
}  // namespace uvmysql::test
