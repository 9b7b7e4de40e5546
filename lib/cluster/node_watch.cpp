// SPDX-License-Identifier: MIT
// Health checks of a PoolCluster's nodes: Galera's wsrep state read on a connection of the
// node's own (so a check never waits behind the pool's borrowers), and the restore of nodes
// taken out.
#include "cluster/node_watch.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/logger.hpp"

namespace uvmysql::detail {
namespace {

using namespace std::chrono_literals;

bool galera_applies(const PoolClusterOptions& o, const NodeSlot& n) {
    return o.galera == GaleraMode::on || (o.galera == GaleraMode::auto_detect && (!n.galera_known || n.galera));
}

/// wsrep_local_state's numbers, as the Galera documentation names them.
const char* local_state_name(int state) {
    switch (state) {
        case 1: return "Joining";
        case 2: return "Donor/Desynced";
        case 3: return "Joined";
        case 4: return "Synced";
        default: return "unknown";
    }
}

NodeCheck read_wsrep(const std::vector<Row>& rows, GaleraMode mode) {
    std::map<std::string, std::string> status;
    for (const Row& r : rows) status[r.at(0).to_string()] = r.at(1).is_null() ? "" : r.at(1).to_string();
    NodeCheck check;
    // MariaDB built with wsrep but running without a provider (a plain server) still lists some
    // wsrep_% rows (wsrep_ready=OFF, an empty wsrep_provider_name) but no wsrep_local_state.
    const auto state = status.find("wsrep_local_state");
    const auto provider = status.find("wsrep_provider_name");
    if (state == status.end() || (provider != status.end() && provider->second.empty())) {
        check.synced = mode != GaleraMode::on;
        check.why = "no wsrep status: not a Galera node";
        return check;
    }
    check.galera = true;
    try {
        check.local_state = std::stoi(state->second);
    } catch (const std::exception&) {
        check.local_state = -1;
    }
    const std::string ready = status["wsrep_ready"];
    const auto primary = status.find("wsrep_cluster_status");
    const bool in_primary = primary == status.end() || primary->second == "Primary";
    check.synced = ready == "ON" && check.local_state == 4 && in_primary;
    if (!check.synced) {
        check.why = "wsrep_ready=" + ready + ", wsrep_local_state=" + std::to_string(check.local_state) + " (" +
                    local_state_name(check.local_state) + ")" +
                    (primary == status.end() ? "" : ", wsrep_cluster_status=" + primary->second);
    }
    return check;
}

/// How long the watch sleeps between looks at the node: the shortest interval that applies;
/// 0 when there is nothing to watch for.
std::chrono::milliseconds watch_period(const PoolClusterOptions& o, const NodeSlot& n) {
    std::chrono::milliseconds period{0};
    const auto consider = [&period](std::chrono::milliseconds d) {
        if (d > 0ms && (period == 0ms || d < period)) period = d;
    };
    if (galera_applies(o, n)) consider(o.galera_check_interval);
    consider(o.read_only_check_interval);
    if (o.restore_node_timeout > 0ms) consider(std::min<std::chrono::milliseconds>(o.restore_node_timeout, 500ms));
    return period;
}

bool check_due(const PoolClusterOptions& o, const NodeSlot& n) {
    const auto now = std::chrono::steady_clock::now();
    if (n.state == NodeState::down) {
        return o.restore_node_timeout > 0ms && now - n.down_since >= o.restore_node_timeout;
    }
    return galera_applies(o, n) ||
           (o.read_only_check_interval > 0ms && now - n.checked_at >= o.read_only_check_interval);
}

Task<void> watch(std::weak_ptr<ClusterState> weak, std::size_t node, uv_loop_s* loop) {
    for (;;) {
        std::chrono::milliseconds period{0};
        {
            auto cluster = weak.lock();
            if (!cluster || cluster->closed()) co_return;
            period = watch_period(cluster->options(), cluster->nodes()[node]);
        }
        if (period <= 0ms) co_return;
        co_await sleep_for(loop, period);

        auto cluster = weak.lock();   // held for one check at most
        if (!cluster || cluster->closed()) co_return;
        if (!check_due(cluster->options(), cluster->nodes()[node])) continue;
        std::optional<NodeCheck> check;
        std::string error;
        try {
            check = co_await check_node(cluster, node);
        } catch (...) {
            error = describe_exception(std::current_exception());
        }
        if (cluster->closed()) co_return;
        NodeSlot& n = cluster->nodes()[node];
        if (check) {
            cluster->record_check(node, *check);
        } else {
            if (n.monitor) n.monitor->close();
            n.monitor.reset();
            cluster->record_failure(node, "health check: " + error);
            if (n.state == NodeState::down) n.down_since = std::chrono::steady_clock::now();   // wait again
        }
    }
}

}  // namespace

Task<NodeCheck> check_node(std::shared_ptr<ClusterState> cluster, std::size_t node) {
    const PoolClusterOptions& o = cluster->options();
    NodeSlot& n = cluster->nodes()[node];
    if (!n.monitor || n.monitor->closed()) {
        n.monitor.reset();
        ConnectOptions opt = n.options;
        // A node that stops answering must fail its check, not hold it forever.
        if (opt.read_timeout <= 0ms) opt.read_timeout = std::max<std::chrono::milliseconds>(3 * o.galera_check_interval, 2s);
        Connection conn = co_await connect(cluster->loop(), std::move(opt));
        if (cluster->closed()) {
            conn.close();
            co_return NodeCheck{};
        }
        n.monitor = conn;
    }
    Connection conn = *n.monitor;
    NodeCheck check;
    if (galera_applies(o, n)) {
        std::vector<ResultSet> sets = co_await conn.query("SHOW GLOBAL STATUS LIKE 'wsrep_%'");
        check = read_wsrep(sets.empty() ? std::vector<Row>{} : sets.front().rows, o.galera);
    } else if (o.read_only_check_interval <= 0ms) {
        co_await conn.ping(false);
    }
    if (o.read_only_check_interval > 0ms) {
        std::vector<ResultSet> sets = co_await conn.query("SELECT @@global.read_only");
        if (!sets.empty() && !sets.front().rows.empty()) check.read_only = sets.front().rows.front().at(0).as<bool>();
    }
    co_return check;
}

void start_watch(const std::shared_ptr<ClusterState>& cluster, std::size_t node) {
    spawn(watch(cluster, node, cluster->loop())).detach();
}

}  // namespace uvmysql::detail
