// SPDX-License-Identifier: MIT
// PoolCluster on the real 3-node Galera cluster of test/cluster/galera.sh (started once for the
// whole suite by test/cluster/run.sh): selection and stats, a node killed under load and
// restarted, a desynced node, every node down.
#include <gtest/gtest.h>
#include <uv.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <uvmysql/uvmysql.hpp>

#include "run_until.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
}

/// Runs `test/cluster/galera.sh ARGS` (its progress goes to stderr); true when it succeeded.
/// It blocks the loop (a restart takes seconds): the loop's clock is brought up to date after
/// it, or the next timer (run_until's deadline too) would count from before the call.
bool galera(uv_loop_t* loop, const std::string& args) {
    const std::string script = env("UVMYSQL_SOURCE_ROOT") + "/test/cluster/galera.sh";
    const bool ok = std::system((script + " " + args + " >&2").c_str()) == 0;
    if (loop != nullptr) uv_update_time(loop);
    return ok;
}

/// Connect options for node N (1..3) of the cluster, with autocommit so that writes commit.
ConnectOptions node_options(int n) {
    ConnectOptions opt;
    opt.host = "127.0.0.1";
    opt.port = std::atoi(env(("UVMYSQL_GALERA_PORT_" + std::to_string(n)).c_str()).c_str());
    opt.user = env("UVMYSQL_GALERA_USER");
    opt.password = env("UVMYSQL_GALERA_PASSWORD");
    opt.db = env("UVMYSQL_GALERA_DB");
    opt.autocommit = true;
    opt.connect_timeout = 2s;
    return opt;
}

std::vector<ClusterNode> three_nodes() {
    std::vector<ClusterNode> nodes;
    for (int n = 1; n <= 3; ++n) nodes.push_back(ClusterNode{"node" + std::to_string(n), node_options(n), NodeRole::any});
    return nodes;
}

NodeState state_of(const PoolCluster& cluster, const std::string& node) { return cluster.stats().node(node)->state; }
std::uint64_t acquired_on(const PoolCluster& cluster, const std::string& node) {
    return cluster.stats().node(node)->pool.acquired;
}

/// Polls until the node is in `state`; resolves to how long that took, or to `limit` if it never was.
Task<Clock::duration> until_state(PoolCluster cluster, std::string node, NodeState state, std::chrono::milliseconds limit) {
    const auto began = Clock::now();
    while (state_of(cluster, node) != state && Clock::now() - began < limit) co_await sleep_for(cluster.loop(), 20ms);
    co_return Clock::now() - began;
}

/// Sends `n` statements through the selector one after the other; resolves to the ports that answered.
Task<std::vector<int>> ports(ClusterSelector sel, int n) {
    std::vector<int> seen;
    for (int i = 0; i < n; ++i) {
        std::vector<Row> rows = co_await sel.query("SELECT @@port");
        seen.push_back(static_cast<int>(rows.at(0).at(0).as<std::int64_t>()));
    }
    co_return seen;
}

class GaleraClusterTest : public testing::Test {
protected:
    void SetUp() override {
        if (env("UVMYSQL_GALERA_HOSTS").empty() || !galera(nullptr, "status"))
            FAIL() << "no Galera cluster: run the suite with test/cluster/run.sh (it starts test/cluster/galera.sh)";
    }
    void TearDown() override {
        if (cluster_.loop() != nullptr) {
            cluster_.close();
            run_until(loop(), cluster_.wait_closed(), 10s);
            cluster_ = PoolCluster();
        }
        EXPECT_EQ(loop_.close(), 0);
    }
    uv_loop_t* loop() { return loop_.get(); }

    PoolCluster open(PoolClusterOptions options, std::vector<ClusterNode> nodes = three_nodes()) {
        cluster_ = run_until(loop(), create_pool_cluster(loop(), std::move(nodes), std::move(options)), 30s);
        return cluster_;
    }
    static PoolClusterOptions quick_options() {
        PoolClusterOptions o;
        o.pool.minsize = 1;
        o.pool.maxsize = 8;
        o.remove_node_error_count = 2;
        o.restore_node_timeout = 1s;
        o.galera_check_interval = 200ms;
        return o;
    }

    TestLoop loop_;
    PoolCluster cluster_;
};

TEST_F(GaleraClusterTest, SelectsNodesByPatternAndPolicyAndReportsStats) {
    PoolCluster cluster = open(quick_options());
    const ClusterStats first = cluster.stats();
    ASSERT_EQ(first.nodes.size(), 3U);
    for (const NodeStats& n : first.nodes) {
        EXPECT_EQ(n.state, NodeState::up) << n.name;
        EXPECT_TRUE(n.galera) << n.name;
        EXPECT_EQ(n.wsrep_local_state, 4) << n.name;
        EXPECT_EQ(n.pool.size, 1U) << n.name;
    }

    // Round robin: one node after the other.
    std::vector<int> rr = run_until(loop(), spawn(ports(cluster.of("node*"), 30)), 20s);
    std::map<int, int> per_port;
    for (int p : rr) ++per_port[p];
    EXPECT_EQ(per_port.size(), 3U);
    for (const auto& [port, count] : per_port) EXPECT_EQ(count, 10) << "port " << port;

    // Order: the first usable node; an exact name: that node.
    for (int p : run_until(loop(), spawn(ports(cluster.of("*", NodePolicy::order), 5)), 10s)) EXPECT_EQ(p, node_options(1).port);
    for (int p : run_until(loop(), spawn(ports(cluster.of("node?", NodePolicy::random), 5)), 10s)) EXPECT_GT(p, 0);
    for (int p : run_until(loop(), spawn(ports(cluster.of("node3"), 5)), 10s)) EXPECT_EQ(p, node_options(3).port);
    EXPECT_EQ(cluster.of("node[").nodes().size(), 0U);
    EXPECT_EQ(cluster.of("node*").nodes(), (std::vector<std::string>{"node1", "node2", "node3"}));

    // execute() and with_connection() count in the nodes' pools too.
    ClusterSelector any = cluster.of();
    run_until(loop(), any.execute("CREATE TABLE IF NOT EXISTS selection (id INT PRIMARY KEY, v INT)"), 10s);
    run_until(loop(), any.execute("REPLACE INTO selection VALUES (%s, %s)", 1, 10), 10s);
    const std::int64_t v = run_until(loop(), any.with_connection([](Connection c) -> Task<std::int64_t> {
        std::vector<Row> rows = co_await c.query("SELECT v FROM selection WHERE id = %s", 1);
        co_return rows.at(0).at(0).as<std::int64_t>();
    }), 10s);
    EXPECT_EQ(v, 10);
    std::uint64_t acquired = 0;
    for (const NodeStats& n : cluster.stats().nodes) acquired += n.pool.acquired;
    EXPECT_EQ(acquired, 30U + 5 + 5 + 5 + 3);

    // A pattern that matches nothing fails, naming the pattern.
    try {
        run_until(loop(), cluster.of("replica*").query("SELECT 1"), 5s);
        ADD_FAILURE() << "a selector without nodes answered";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
        EXPECT_NE(std::string(e.what()).find("'replica*'"), std::string::npos) << e.what();
    }
}

TEST_F(GaleraClusterTest, WsrepSyncWaitIsSetOnEveryConnectionWithTheNodesInitCommand) {
    PoolClusterOptions options = quick_options();
    options.wsrep_sync_wait = 1;
    std::vector<ClusterNode> nodes = three_nodes();
    nodes[0].options.init_command = "SET @from_init = 7";   // kept: both run in one block
    PoolCluster cluster = open(options, nodes);
    for (int i = 0; i < 6; ++i) {
        std::vector<Row> rows = run_until(loop(), cluster.of().query("SELECT @@wsrep_sync_wait, @from_init, @@port"), 10s);
        EXPECT_EQ(rows.at(0).at(0).as<std::int64_t>(), 1);
        if (rows.at(0).at(2).as<std::int64_t>() == node_options(1).port) {
            EXPECT_EQ(rows.at(0).at(1).as<std::int64_t>(), 7);
        }
    }
}

/// What the load of KilledNodeIsSkippedThenUsedAgain saw.
struct LoadOutcome {
    std::vector<std::pair<std::int64_t, std::int64_t>> committed;   // (task, seq) of successful writes
    int reads = 0;
    int writes = 0;
    int writes_unknown = 0;      // cut off on the wire: OutcomeUnknownError (never retried)
    int writes_lost_link = 0;    // failed with a connection-level error before being sent
    int writes_retryable = 0;    // failed with is_retryable (certification failure at the view change)
    std::vector<std::string> unexpected;   // reads that failed, writes that failed otherwise
};

Task<void> worker(ClusterSelector sel, std::int64_t task, Clock::time_point end, LoadOutcome& out) {
    for (std::int64_t seq = 1; Clock::now() < end; ++seq) {
        try {
            co_await sel.execute("INSERT INTO failover (task, seq) VALUES (%s, %s)", task, seq);
            out.committed.emplace_back(task, seq);
            ++out.writes;
        } catch (const OutcomeUnknownError&) {
            ++out.writes_unknown;
        } catch (const Error& e) {
            if (is_fatal(e)) {
                ++out.writes_lost_link;
            } else if (is_retryable(e)) {
                ++out.writes_retryable;
            } else {
                out.unexpected.push_back(std::string("write: ") + e.what());
            }
        }
        try {
            co_await sel.query(idempotent, "SELECT COUNT(*) FROM failover WHERE task = %s", task);
            ++out.reads;
        } catch (const Error& e) {
            out.unexpected.push_back(std::string("read: ") + e.what());
        }
    }
}

/// Kills node 2 after `delay`, then measures how long until the cluster takes it out and how
/// many acquisitions it has had by then.
struct KillOutcome {
    bool killed = false;
    Clock::duration to_down{};
    std::uint64_t acquired_when_down = 0;
};

Task<void> kill_node2(PoolCluster cluster, std::chrono::milliseconds delay, KillOutcome& out) {
    co_await sleep_for(cluster.loop(), delay);
    out.killed = galera(cluster.loop(), "kill 2");
    out.to_down = co_await until_state(cluster, "node2", NodeState::down, 15s);
    out.acquired_when_down = acquired_on(cluster, "node2");
}

Task<std::set<std::pair<std::int64_t, std::int64_t>>> rows_on(uv_loop_t* loop, int node) {
    Connection c = co_await connect(loop, node_options(node));
    co_await c.query("SET SESSION wsrep_sync_wait = 1");   // after every write the cluster committed
    std::vector<Row> rows = co_await c.query("SELECT task, seq FROM failover", Args{});
    std::set<std::pair<std::int64_t, std::int64_t>> found;
    for (const Row& r : rows) found.emplace(r.at(0).as<std::int64_t>(), r.at(1).as<std::int64_t>());
    co_await c.ensure_closed();
    co_return found;
}

TEST_F(GaleraClusterTest, KilledNodeIsSkippedThenUsedAgain) {
    std::vector<NodeEvent> events;
    PoolClusterOptions options = quick_options();
    options.on_node_event = [&events](const NodeEvent& e) { events.push_back(e); };
    PoolCluster cluster = open(options);
    ClusterSelector sel = cluster.of("node*");
    run_until(loop(), sel.execute("DROP TABLE IF EXISTS failover"), 10s);
    run_until(loop(), sel.execute("CREATE TABLE failover (id BIGINT AUTO_INCREMENT PRIMARY KEY, task INT, seq INT)"), 10s);

    LoadOutcome load;
    KillOutcome kill;
    const auto end = Clock::now() + 20s;
    std::vector<Future<void>> running;
    for (std::int64_t task = 1; task <= 64; ++task) running.push_back(spawn(worker(sel, task, end, load)));
    running.push_back(spawn(kill_node2(cluster, 4s, kill)));
    for (Future<void>& f : running) run_until(loop(), std::move(f), 60s);

    ASSERT_TRUE(kill.killed) << "galera.sh kill 2 failed";
    EXPECT_LT(kill.to_down, 5s) << "node2 was still selected long after it was killed";
    EXPECT_EQ(acquired_on(cluster, "node2"), kill.acquired_when_down) << "node2 got work while down";
    EXPECT_TRUE(load.unexpected.empty()) << load.unexpected.size() << " unexpected failures, the first: " << load.unexpected.front();
    EXPECT_GT(load.writes, 100);
    EXPECT_GT(load.reads, 100);
    std::cerr << "load: " << load.writes << " writes committed, " << load.writes_unknown << " of unknown outcome, "
              << load.writes_lost_link << " lost with the link before being sent, "
              << load.writes_retryable << " retryable; " << load.reads << " reads; node2 out after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(kill.to_down).count() << " ms\n";

    // Back: the restarted node is checked again after restore_node_timeout and then used.
    ASSERT_TRUE(galera(loop(), "restart 2"));
    EXPECT_LT(run_until(loop(), spawn(until_state(cluster, "node2", NodeState::up, 15s)), 20s), 15s);
    const std::uint64_t before = acquired_on(cluster, "node2");
    run_until(loop(), spawn(ports(sel, 9)), 20s);
    EXPECT_GE(acquired_on(cluster, "node2"), before + 3);
    // Other nodes may have their own events (a donor is Desynced while node2 catches up).
    std::vector<NodeEvent> of_node2;
    for (const NodeEvent& e : events) {
        std::cerr << "event: " << e.node << " -> " << static_cast<int>(e.state) << ": " << e.reason << "\n";
        if (e.node == "node2") of_node2.push_back(e);
    }
    ASSERT_GE(of_node2.size(), 2U);
    EXPECT_EQ(of_node2.front().state, NodeState::down);
    EXPECT_EQ(of_node2.back().state, NodeState::up);

    // Nothing committed is missing on any node.
    for (int node = 1; node <= 3; ++node) {
        const auto found = run_until(loop(), spawn(rows_on(loop(), node)), 20s);
        std::size_t missing = 0;
        for (const auto& row : load.committed) missing += found.count(row) == 0 ? 1 : 0;
        EXPECT_EQ(missing, 0U) << "node" << node << " lacks committed rows";
        EXPECT_GE(found.size(), load.committed.size()) << "node" << node;
    }
}

TEST_F(GaleraClusterTest, DesyncedNodeGetsNoNewWorkUntilSynced) {
    std::vector<NodeEvent> events;
    PoolClusterOptions options = quick_options();
    options.on_node_event = [&events](const NodeEvent& e) { events.push_back(e); };
    PoolCluster cluster = open(options);
    ClusterSelector sel = cluster.of("node*");

    ASSERT_TRUE(galera(loop(), "desync 3"));
    EXPECT_LT(run_until(loop(), spawn(until_state(cluster, "node3", NodeState::not_synced, 5s)), 10s), 5s);
    EXPECT_EQ(cluster.stats().node("node3")->wsrep_local_state, 2);
    const std::uint64_t before = acquired_on(cluster, "node3");
    for (int p : run_until(loop(), spawn(ports(sel, 12)), 20s)) EXPECT_NE(p, node_options(3).port);
    EXPECT_EQ(acquired_on(cluster, "node3"), before);

    // A plain connect() over ConnectOptions::hosts passes the desynced node over too (naming
    // why when no other is left); with galera_check off it uses it. 0.0.0.0 reaches node 3
    // under a second name, which HostHealth keeps apart.
    const std::string node1 = "127.0.0.1:" + std::to_string(node_options(1).port);
    const std::string port3 = std::to_string(node_options(3).port);
    ConnectOptions unchecked = node_options(1);
    unchecked.host.clear();
    unchecked.hosts = {"0.0.0.0:" + port3, node1};
    unchecked.galera_check = false;
    Connection used = run_until(loop(), connect(loop(), unchecked), 10s);
    EXPECT_EQ(used.port(), node_options(3).port);
    used.close();
    ConnectOptions checked = unchecked;
    checked.galera_check = true;
    checked.hosts = {"127.0.0.1:" + port3, node1};
    Connection passed_over = run_until(loop(), connect(loop(), checked), 10s);
    EXPECT_EQ(passed_over.port(), node_options(1).port);
    passed_over.close();
    checked.hosts = {"0.0.0.0:" + port3, "127.0.0.1:" + port3};
    try {
        (void)run_until(loop(), connect(loop(), checked), 10s);
        ADD_FAILURE() << "connected to a desynced node";
    } catch (const OperationalError& e) {
        EXPECT_NE(std::string(e.what()).find("the Galera node is not synced"), std::string::npos) << e.what();
    }

    ASSERT_TRUE(galera(loop(), "resync 3"));
    EXPECT_LT(run_until(loop(), spawn(until_state(cluster, "node3", NodeState::up, 5s)), 10s), 5s);
    std::set<int> seen;
    for (int p : run_until(loop(), spawn(ports(sel, 6)), 20s)) seen.insert(p);
    EXPECT_EQ(seen.count(node_options(3).port), 1U);
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].state, NodeState::not_synced);
    EXPECT_NE(events[0].reason.find("wsrep_local_state=2"), std::string::npos) << events[0].reason;
    EXPECT_EQ(events[1].state, NodeState::up);
}

TEST_F(GaleraClusterTest, EveryNodeDownIsOneErrorNamingEach) {
    // Ports where nothing listens: the cluster's base port + 90...
    const int base = std::atoi(env("UVMYSQL_GALERA_PORT").c_str()) + 90;
    std::vector<ClusterNode> dead;
    for (int n = 1; n <= 3; ++n) {
        ConnectOptions opt = node_options(1);
        opt.port = base + n;
        dead.push_back(ClusterNode{"dead" + std::to_string(n), opt, NodeRole::any});
    }
    try {
        run_until(loop(), create_pool_cluster(loop(), dead, quick_options()), 20s);
        ADD_FAILURE() << "a cluster of dead nodes was created";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
        for (int n = 1; n <= 3; ++n)
            EXPECT_NE(std::string(e.what()).find("dead" + std::to_string(n) + ": "), std::string::npos) << e.what();
    }

    // With a live node the cluster opens; a selector of only dead nodes names each, down.
    std::vector<ClusterNode> mixed = dead;
    mixed.push_back(ClusterNode{"node1", node_options(1), NodeRole::any});
    PoolCluster cluster = open(quick_options(), mixed);
    EXPECT_EQ(state_of(cluster, "dead1"), NodeState::down);
    EXPECT_EQ(state_of(cluster, "node1"), NodeState::up);
    try {
        run_until(loop(), cluster.of("dead*").query(idempotent, "SELECT 1"), 10s);
        ADD_FAILURE() << "dead nodes answered";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
        for (int n = 1; n <= 3; ++n)
            EXPECT_NE(std::string(e.what()).find("dead" + std::to_string(n) + " is down"), std::string::npos) << e.what();
    }
    EXPECT_EQ(run_until(loop(), cluster.of().query("SELECT 1"), 10s).size(), 1U);
}

}  // namespace
}  // namespace uvmysql::test
