// SPDX-License-Identifier: MIT
// Health checks of a PoolCluster's nodes: Galera's wsrep state read on a connection of the
// node's own (so a check never waits behind the pool's borrowers), and the restore of nodes
// taken out.
#include "cluster/node_watch.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/logger.hpp"
#include "connection/galera_status.hpp"

namespace uvmysql::detail {
namespace {

using namespace std::chrono_literals;

bool galera_applies(const PoolClusterOptions& o, const NodeSlot& n) {
    return o.galera == GaleraMode::on || (o.galera == GaleraMode::auto_detect && (!n.galera_known || n.galera));
}

NodeCheck read_wsrep(const std::vector<Row>& rows, GaleraMode mode) {
    StatusVariables status;
    for (const Row& r : rows) status.emplace_back(r.at(0).to_string(), r.at(1).is_null() ? "" : r.at(1).to_string());
    NodeCheck check;
    if (!is_galera_node(status)) {
        check.synced = mode != GaleraMode::on;
        check.why = "no wsrep status: not a Galera node";
        return check;
    }
    check.galera = true;
    for (const auto& [name, value] : status) {
        if (name != "wsrep_local_state") continue;
        try {
            check.local_state = std::stoi(value);
        } catch (const std::exception&) {
            check.local_state = -1;
        }
    }
    check.why = galera_not_synced(status);
    check.synced = check.why.empty();
    return check;
}

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
        opt.observer.reset();   // the cluster's health checks are the library's own sessions
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
