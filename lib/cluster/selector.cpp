// SPDX-License-Identifier: MIT
// ClusterSelector: a connection from the first node in policy order that lends one, statements
// with failures counted against their node, and the idempotent retry on the next node.
#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

#include "cluster/cluster_state.hpp"
#include "common/logger.hpp"
#include "uvmysql/pool_cluster.hpp"

namespace uvmysql {
namespace detail {
namespace {

bool connection_level(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const Error& e) {
        return is_fatal(e);
    } catch (...) {
        return false;
    }
}

std::exception_ptr closed_error() {
    return make_error(ErrorClass::interface, 0, "HY000", "the pool cluster is closed");
}

/// A connection from the first usable member not in `skip`. A node whose pool cannot lend one
/// is passed over (nothing was sent); its connect failure counts against it.
Task<ClusterLease> lend(std::shared_ptr<ClusterState> cluster, std::shared_ptr<SelectorState> selector,
                        std::vector<std::size_t> skip) {
    if (!cluster || cluster->closed()) std::rethrow_exception(closed_error());
    std::vector<std::string> tried;
    for (std::size_t node : cluster->candidates(*selector)) {
        if (std::find(skip.begin(), skip.end(), node) != skip.end()) continue;
        NodeSlot& n = cluster->nodes()[node];
        if (n.state != NodeState::up) continue;   // taken out while an earlier node was tried
        std::exception_ptr error;
        try {
            PooledConnection conn = co_await n.pool.acquire();
            co_return ClusterLease{std::move(conn), node};
        } catch (const Error&) {
            error = std::current_exception();
        }
        if (cluster->closed()) std::rethrow_exception(closed_error());
        const std::string what = describe_exception(error);
        if (connection_level(error)) cluster->record_failure(node, what);
        tried.push_back(n.name + ": " + what);
    }
    std::rethrow_exception(cluster->no_node_error(*selector, tried));
}

Task<std::vector<Row>> run_query(std::shared_ptr<ClusterState> cluster, std::shared_ptr<SelectorState> selector,
                                 std::string sql, Args args, bool idempotent) {
    std::vector<std::size_t> failed;   // nodes this call's statement failed on
    std::exception_ptr last;
    for (;;) {
        if (last) {
            const std::vector<std::size_t> left = cluster->candidates(*selector);
            const bool untried = std::any_of(left.begin(), left.end(), [&](std::size_t n) {
                return std::find(failed.begin(), failed.end(), n) == failed.end();
            });
            if (!untried) std::rethrow_exception(last);
        }
        ClusterLease lease = co_await lend(cluster, selector, failed);
        Connection conn = *lease.conn;
        std::exception_ptr error;
        try {
            std::vector<Row> rows = co_await conn.query(sql, args);
            cluster->record_success(lease.node);
            co_return rows;
        } catch (...) {
            error = std::current_exception();
        }
        cluster_report(cluster, lease.node, conn, error);
        lease.conn.release();
        if (!idempotent || cluster->closed() || !connection_level(error)) std::rethrow_exception(error);
        logger()->info("cluster: an idempotent query failed on node {} ({}); sending it to another node",
                       cluster->nodes()[lease.node].name, describe_exception(error));
        failed.push_back(lease.node);
        last = error;
    }
}

}  // namespace

void cluster_report(const std::shared_ptr<ClusterState>& cluster, std::size_t node, Connection& conn,
                    const std::exception_ptr& error) noexcept {
    if (!cluster) return;
    try {
        if (!error) {
            cluster->record_success(node);
        } else if (connection_level(error)) {
            conn.close();   // its pool drops it instead of lending it again
            cluster->record_failure(node, describe_exception(error));
        }
    } catch (...) {
        // Bookkeeping only (a log line that failed to allocate): the caller's outcome stands.
    }
}

}  // namespace detail

Future<detail::ClusterLease> ClusterSelector::acquire_lease() {
    if (!cluster_) return make_exception_future<detail::ClusterLease>(detail::closed_error());
    return spawn(detail::lend(cluster_, selector_, {}));
}

Future<PooledConnection> ClusterSelector::acquire() {
    return acquire_lease().then([](detail::ClusterLease lease) { return std::move(lease.conn); });
}

Future<std::vector<Row>> ClusterSelector::query(std::string sql, Args args) {
    if (!cluster_) return make_exception_future<std::vector<Row>>(detail::closed_error());
    return spawn(detail::run_query(cluster_, selector_, std::move(sql), std::move(args), false));
}

Future<std::vector<Row>> ClusterSelector::query(Idempotent, std::string sql, Args args) {
    if (!cluster_) return make_exception_future<std::vector<Row>>(detail::closed_error());
    return spawn(detail::run_query(cluster_, selector_, std::move(sql), std::move(args), true));
}

Future<ResultSet> ClusterSelector::execute(std::string sql, Args args) {
    return with_connection([sql = std::move(sql), args = std::move(args)](Connection conn) mutable {
        return conn.execute(std::move(sql), std::move(args));
    });
}

std::vector<std::string> ClusterSelector::nodes() const {
    std::vector<std::string> names;
    if (!cluster_) return names;
    for (std::size_t i : selector_->members) names.push_back(cluster_->nodes()[i].name);
    return names;
}

}  // namespace uvmysql
