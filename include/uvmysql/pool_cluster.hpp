// SPDX-License-Identifier: MIT
// PoolCluster: one Pool per node of a cluster, selectors that pick a node by name pattern and
// policy, nodes taken out on failures and Galera state, and create_pool_cluster().
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "uvmysql/connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/pool.hpp"
#include "uvmysql/pool_cluster_options.hpp"
#include "uvmysql/pool_stats.hpp"

struct uv_loop_s;

namespace uvmysql {

namespace detail {
class ClusterState;
struct SelectorState;
struct Access;

/// A connection lent by one node's pool, with the node it came from.
struct ClusterLease {
    PooledConnection conn;
    std::size_t node = 0;
};

/// Counts `error` against `node` when it is connection-level (is_fatal()), closing `conn` so
/// that its pool drops it; a success clears the node's run of failures.
UVMYSQL_API void cluster_report(const std::shared_ptr<ClusterState>& cluster, std::size_t node,
                                Connection& conn, const std::exception_ptr& error) noexcept;
}  // namespace detail

/// A node's part of ClusterStats.
struct UVMYSQL_API NodeStats {
    std::string name;                 ///< as given in ClusterNode
    NodeRole role = NodeRole::any;    ///< as given in ClusterNode
    NodeState state = NodeState::up;  ///< whether selectors use it now
    bool galera = false;              ///< the node reported wsrep status (Galera awareness applies)
    int wsrep_local_state = -1;       ///< last wsrep_local_state read (4 = Synced); -1: none yet
    std::optional<bool> read_only;    ///< last `@@global.read_only` read; empty: not read yet
    int consecutive_errors = 0;       ///< connection-level failures since its last success
    std::uint64_t times_down = 0;     ///< how often it was taken out (down or not synced)
    std::string last_error;           ///< the last connection-level error, or why it is not synced
    PoolStats pool;                   ///< its pool's stats
};

/// What PoolCluster::stats() returns: one NodeStats per node, in the order they were given.
struct UVMYSQL_API ClusterStats {
    std::vector<NodeStats> nodes;  ///< per node
    /// The node called `name`, or nullptr.
    [[nodiscard]] const NodeStats* node(std::string_view name) const noexcept {
        for (const NodeStats& n : nodes)
            if (n.name == name) return &n;
        return nullptr;
    }
};

/// Tag for ClusterSelector::query(): the statement may run twice (a read), so when the node it
/// was sent to fails with a connection-level error it is sent again to another node.
struct Idempotent {
    explicit Idempotent() = default;
};
/// The Idempotent tag: `sel.query(uvmysql::idempotent, "SELECT ...", id)`.
inline constexpr Idempotent idempotent{};

/// The nodes of a PoolCluster whose names match a glob pattern, tried in a NodePolicy's order
/// (node mysql's `cluster.of("replica*", "RR")`). A cheap handle; copies share the round-robin
/// position, and so do all selectors made by of() with the same pattern and policy.
///
/// Each call goes to the first usable node in policy order whose pool lends a connection; a
/// node whose pool cannot (connect error, acquire_timeout) is passed over for the next, since
/// nothing was sent. Once a statement was sent, a connection-level failure (is_fatal()) counts
/// against the node and is reported to the caller — it is sent again to another node only by
/// query(idempotent, ...). With no usable node the call fails with OperationalError 2003 naming
/// each node and its state. Call on the cluster's loop thread.
class UVMYSQL_API ClusterSelector {
public:
    /// An empty selector: every call fails with InterfaceError.
    ClusterSelector() = default;

    /// A connection from the first node in policy order whose pool lends one. Fails with
    /// OperationalError 2003 listing each node's error when none does, InterfaceError once the
    /// cluster is closed.
    [[nodiscard]] Future<PooledConnection> acquire();

    /// Pool::with_connection() on a connection from acquire(): `fn(conn)` returns a Future<T> or a
    /// Task<T>. A connection-level failure of the work counts against the node (and the
    /// connection is closed rather than lent again); the work is never run twice.
    template <class Fn>
    requires std::is_invocable_v<Fn&, Connection>
    [[nodiscard]] auto with_connection(Fn fn)
        -> Future<typename detail::LentWork<std::invoke_result_t<Fn&, Connection>>::value_type> {
        using Work = detail::LentWork<std::invoke_result_t<Fn&, Connection>>;
        using T = typename Work::value_type;
        return acquire_lease().then([fn = std::move(fn), cluster = cluster_](detail::ClusterLease lease) mutable -> Future<T> {
            auto body = std::make_unique<Fn>(std::move(fn));   // a stable address for a coroutine's captures
            Connection conn = *lease.conn;
            const std::size_t node = lease.node;
            Future<T> work = Work::start((*body)(conn));
            Future<T> reported = [&]() -> Future<T> {
                if constexpr (std::is_void_v<T>) {
                    return std::move(work).then([cluster, node, conn]() mutable {
                        detail::cluster_report(cluster, node, conn, nullptr);
                    });
                } else {
                    return std::move(work).then([cluster, node, conn](T value) mutable -> T {
                        detail::cluster_report(cluster, node, conn, nullptr);
                        return value;
                    });
                }
            }();
            return std::move(reported)
                .on_error([cluster, node, conn](std::exception_ptr e) mutable -> T {
                    detail::cluster_report(cluster, node, conn, e);
                    std::rethrow_exception(e);
                })
                .finally([lease = std::move(lease), body = std::move(body)]() mutable { lease.conn.release(); });
        });
    }

    /// Pool::query() on a node of the selector: resolves to the rows. Not sent again after a
    /// connection-level failure (see the idempotent overload).
    [[nodiscard]] Future<std::vector<Row>> query(std::string sql, Args args = {});
    /// query() with positional values given one by one.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<Row>> query(std::string sql, Vs&&... values) {
        return query(std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }
    /// query() for a statement that may run twice: after a connection-level failure it is sent
    /// to the next node not yet tried; the last node's error is reported when all failed.
    [[nodiscard]] Future<std::vector<Row>> query(Idempotent, std::string sql, Args args = {});
    /// The idempotent query() with positional values given one by one.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<Row>> query(Idempotent tag, std::string sql, Vs&&... values) {
        return query(tag, std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }
    /// Pool::execute() on a node of the selector: resolves to the statement's ResultSet. Never
    /// sent twice: a write whose node failed may or may not have been committed.
    [[nodiscard]] Future<ResultSet> execute(std::string sql, Args args = {});
    /// execute() with positional values given one by one.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<ResultSet> execute(std::string sql, Vs&&... values) {
        return execute(std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }

    /// The names of the nodes the pattern matched, in the cluster's order.
    [[nodiscard]] std::vector<std::string> nodes() const;

private:
    friend struct detail::Access;   // PoolCluster::of() makes it
    ClusterSelector(std::shared_ptr<detail::ClusterState> cluster, std::shared_ptr<detail::SelectorState> selector) noexcept
        : cluster_(std::move(cluster)), selector_(std::move(selector)) {}
    [[nodiscard]] Future<detail::ClusterLease> acquire_lease();

    std::shared_ptr<detail::ClusterState> cluster_;
    std::shared_ptr<detail::SelectorState> selector_;
};

/// One Pool per node of a cluster (a Galera cluster, a primary and its replicas), used through
/// selectors: `cluster.of("node*").query(...)`. A cheap handle; copies share the cluster.
///
/// A node is taken out (NodeState::down) after PoolClusterOptions::remove_node_error_count
/// connection-level failures in a row and checked again after restore_node_timeout; a Galera
/// node is also out while it is not Synced (NodeState::not_synced). Each change is logged
/// through the "uvmysql" logger and passed to on_node_event. Dropping the last handle closes
/// the cluster (as close()). Call on the loop thread the cluster was created on.
class UVMYSQL_API PoolCluster {
public:
    /// An empty handle: of() gives selectors that fail, stats() is empty.
    PoolCluster() = default;

    /// A selector over the nodes whose names match `pattern` (`*` any run of characters, `?`
    /// one character; "*" all nodes), tried in `policy`'s order. A pattern that matches no node
    /// gives a selector whose calls fail with OperationalError 2003.
    [[nodiscard]] ClusterSelector of(std::string pattern = "*", NodePolicy policy = NodePolicy::round_robin) const;
    /// Writes and transactions: the nodes that take writes — role `primary` or `any`, up, and
    /// not `@@read_only` (NodeRole) — first usable in `policy` order. A transaction belongs on
    /// one connection: `writer().with_connection(...)` or `writer().acquire()`.
    [[nodiscard]] ClusterSelector writer(NodePolicy policy = NodePolicy::order) const;
    /// Plain reads: the replicas — role `replica`, or role `any` and `@@read_only` ON — that are
    /// up, each call in `policy` order; when none is usable, per `fallback`. Replicas may lag
    /// behind the primary: read what was just written through writer().
    [[nodiscard]] ClusterSelector reader(NodePolicy policy = NodePolicy::round_robin,
                                         ReadFallback fallback = ReadFallback::writer) const;
    /// The pool of the node called `name` (an empty Pool if there is none).
    [[nodiscard]] Pool pool(std::string_view name) const;
    /// A snapshot of every node's state and pool stats.
    [[nodiscard]] ClusterStats stats() const;
    /// Closes every node's pool (Pool::close()) and stops the health checks. Idempotent.
    void close();
    /// Resolves once the cluster is closed and every pool is closed (Pool::wait_closed()).
    /// Fails with InterfaceError when called before close().
    [[nodiscard]] Future<void> wait_closed();
    /// The libuv loop the cluster runs on (null for an empty handle).
    [[nodiscard]] uv_loop_s* loop() const;

private:
    friend struct detail::Access;   // create_pool_cluster() makes it
    explicit PoolCluster(std::shared_ptr<detail::ClusterState> state) noexcept : state_(std::move(state)) {}
    std::shared_ptr<detail::ClusterState> state_;
};

/// Creates one Pool per node (create_pool() with `options.pool`) and checks each node once
/// (with Galera awareness, its wsrep state). A node that cannot be reached is created with an
/// empty pool, marked down and checked again after restore_node_timeout. Resolves when every
/// node was tried; fails with OperationalError 2003 naming each node's error when none could be
/// reached, with ProgrammingError when `nodes` is empty, a name repeats or the options are
/// invalid. Call on the loop's thread.
[[nodiscard]] UVMYSQL_API Future<PoolCluster> create_pool_cluster(uv_loop_s* loop, std::vector<ClusterNode> nodes,
                                                                  PoolClusterOptions options = {});

}  // namespace uvmysql
