// SPDX-License-Identifier: MIT
// create_pool_cluster() and PoolCluster's methods: a pool and a first check per node, then the
// watches that keep node states current.
#include "uvmysql/pool_cluster.hpp"

#include <exception>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cluster/cluster_state.hpp"
#include "cluster/node_watch.hpp"
#include "common/access.hpp"
#include "common/logger.hpp"

namespace uvmysql {
namespace {

/// The node's options for its pool: wsrep_sync_wait goes first in init_command.
ConnectOptions pool_connect_options(const ClusterNode& node, const PoolClusterOptions& options) {
    ConnectOptions opt = node.options;
    if (options.wsrep_sync_wait) {
        std::string set = "SET SESSION wsrep_sync_wait=" + std::to_string(*options.wsrep_sync_wait);
        // init_command is one statement (no multi-statements): MariaDB's anonymous block runs both.
        opt.init_command = opt.init_command ? "BEGIN NOT ATOMIC " + set + "; " + *opt.init_command + "; END" : set;
    }
    return opt;
}

std::exception_ptr check_arguments(const std::vector<ClusterNode>& nodes, const PoolClusterOptions& options) {
    auto refuse = [](std::string why) { return make_error(ErrorClass::programming, 0, "HY000", std::move(why)); };
    if (nodes.empty()) return refuse("create_pool_cluster: no nodes");
    std::set<std::string> names;
    for (const ClusterNode& n : nodes) {
        if (n.name.empty()) return refuse("create_pool_cluster: a node has no name");
        if (!names.insert(n.name).second) return refuse("create_pool_cluster: two nodes are called '" + n.name + "'");
    }
    if (options.remove_node_error_count < 1) return refuse("create_pool_cluster: remove_node_error_count must be at least 1");
    if (options.galera_check_interval.count() <= 0) return refuse("create_pool_cluster: galera_check_interval must be positive");
    if (options.restore_node_timeout.count() < 0) return refuse("create_pool_cluster: restore_node_timeout must not be negative");
    if (options.read_only_check_interval.count() < 0) return refuse("create_pool_cluster: read_only_check_interval must not be negative");
    return nullptr;
}

Task<PoolCluster> create_cluster(uv_loop_s* loop, std::vector<ClusterNode> nodes, PoolClusterOptions options) {
    if (std::exception_ptr bad = check_arguments(nodes, options)) std::rethrow_exception(bad);
    auto cluster = std::make_shared<detail::ClusterState>(loop, options);
    std::vector<Future<Pool>> opening;
    for (const ClusterNode& node : nodes) {
        detail::NodeSlot slot;
        slot.name = node.name;
        slot.role = node.role;
        slot.options = node.options;
        cluster->nodes().push_back(std::move(slot));
        opening.push_back(create_pool(loop, pool_connect_options(node, options), options.pool));
    }
    // Every node's first connections are opened together; then each node is checked in turn.
    std::vector<std::string> unreachable;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        detail::NodeSlot& n = cluster->nodes()[i];
        std::optional<std::string> error;
        try {
            n.pool = co_await std::move(opening[i]);
        } catch (const ProgrammingError&) {
            throw;   // the options are wrong for every node
        } catch (...) {
            error = detail::describe_exception(std::current_exception());
        }
        if (!error && (options.galera != GaleraMode::off || options.read_only_check_interval.count() > 0)) {
            try {
                cluster->record_check(i, co_await detail::check_node(cluster, i));
            } catch (...) {
                error = "health check: " + detail::describe_exception(std::current_exception());
            }
        }
        if (error) {
            if (!n.pool.loop()) {
                PoolOptions empty = options.pool;   // nothing opened now; acquire() opens on demand
                empty.minsize = 0;
                n.pool = co_await create_pool(loop, pool_connect_options(nodes[i], options), empty);
            }
            cluster->take_down(i, *error);
            unreachable.push_back(n.name + ": " + *error);
        }
    }
    if (unreachable.size() == nodes.size()) {
        cluster->close();
        std::string message = "create_pool_cluster: none of the " + std::to_string(nodes.size()) + " nodes could be reached";
        const char* sep = ": ";
        for (const std::string& u : unreachable) {
            message += sep + u;
            sep = "; ";
        }
        std::rethrow_exception(make_error(ErrorClass::operational, 2003, "HY000", std::move(message)));
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) detail::start_watch(cluster, i);
    co_return detail::Access::make<PoolCluster>(std::move(cluster));
}

Task<void> wait_pools_closed(std::vector<Pool> pools) {
    for (Pool& p : pools) co_await p.wait_closed();
}

}  // namespace

Future<PoolCluster> create_pool_cluster(uv_loop_s* loop, std::vector<ClusterNode> nodes, PoolClusterOptions options) {
    return spawn(create_cluster(loop, std::move(nodes), std::move(options)));
}

ClusterSelector PoolCluster::of(std::string pattern, NodePolicy policy) const {
    if (!state_) return {};
    return detail::Access::make<ClusterSelector>(state_, state_->selector(pattern, policy));
}

ClusterSelector PoolCluster::writer(NodePolicy policy) const {
    if (!state_) return {};
    return detail::Access::make<ClusterSelector>(
        state_, state_->split_selector(detail::Route::writes, policy, ReadFallback::none));
}

ClusterSelector PoolCluster::reader(NodePolicy policy, ReadFallback fallback) const {
    if (!state_) return {};
    return detail::Access::make<ClusterSelector>(state_, state_->split_selector(detail::Route::reads, policy, fallback));
}

Pool PoolCluster::pool(std::string_view name) const {
    if (state_)
        for (const detail::NodeSlot& n : state_->nodes())
            if (n.name == name) return n.pool;
    return {};
}

ClusterStats PoolCluster::stats() const { return state_ ? state_->stats() : ClusterStats{}; }

void PoolCluster::close() {
    if (state_) state_->close();
}

Future<void> PoolCluster::wait_closed() {
    if (!state_ || !state_->closed())
        return make_exception_future<void>(
            make_error(ErrorClass::interface, 0, "HY000", "PoolCluster::wait_closed() called before close()"));
    std::vector<Pool> pools;
    for (const detail::NodeSlot& n : state_->nodes()) pools.push_back(n.pool);
    return spawn(wait_pools_closed(std::move(pools)));
}

uv_loop_s* PoolCluster::loop() const { return state_ ? state_->loop() : nullptr; }

}  // namespace uvmysql
