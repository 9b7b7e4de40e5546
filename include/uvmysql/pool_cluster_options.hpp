// SPDX-License-Identifier: MIT
// The settings of a PoolCluster: its nodes, how nodes are taken out and back, Galera awareness.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "uvmysql/export.hpp"
#include "uvmysql/options.hpp"
#include "uvmysql/pool_options.hpp"

namespace uvmysql {

/// What a node is for in the read/write split (PoolCluster::writer() and reader()); selectors
/// made with PoolCluster::of() go by name and ignore it.
enum class NodeRole {
    any,       ///< decided by the node's `@@read_only`: writable, it takes writes; read-only, reads
    primary,   ///< takes writes while `@@read_only` is OFF; reads only as the readers' fallback
    replica,   ///< takes reads, never writes
};

/// Where PoolCluster::reader() sends a read when no replica is usable.
enum class ReadFallback {
    writer,   ///< to the writer's nodes (the primary serves the read)
    none,     ///< nowhere: the call fails with OperationalError 2003
};

/// One server of a PoolCluster: a name that selectors match, where it is, what it is for.
struct UVMYSQL_API ClusterNode {
    std::string name;        ///< unique in the cluster; selectors match it with a glob ("replica*")
    ConnectOptions options;  ///< connect()'s options for this node's pool
    NodeRole role = NodeRole::any;  ///< what it is for (see NodeRole)
};

/// The order in which a selector tries its usable nodes (node mysql's PoolCluster selectors).
enum class NodePolicy {
    round_robin,  ///< each call starts one node further along (per selector pattern and policy)
    random,       ///< a random order per call
    order,        ///< as listed: the first usable node (failover to the next)
};

/// Whether a cluster watches its nodes' Galera (wsrep) state.
enum class GaleraMode {
    off,          ///< never: a node is usable unless connections to it fail
    on,           ///< always: a node that does not report wsrep status is never usable
    auto_detect,  ///< per node: on when `SHOW GLOBAL STATUS LIKE 'wsrep_%'` is not empty
};

/// The state of a node, as selectors see it.
enum class NodeState {
    up,          ///< selected
    down,        ///< taken out after remove_node_error_count connection failures in a row
    not_synced,  ///< Galera: reachable, but not wsrep_ready=ON with wsrep_local_state 4 (Synced)
};

/// What PoolClusterOptions::on_node_event receives when a node changes state.
struct UVMYSQL_API NodeEvent {
    std::string node;    ///< the node's name
    NodeState previous;  ///< its state before
    NodeState state;     ///< its state now
    std::string reason;  ///< why, as the log line says it (the last error, the wsrep state...)
};

/// Settings of create_pool_cluster(), common to every node.
struct UVMYSQL_API PoolClusterOptions {
    /// Each node's pool settings (minsize, maxsize, acquire_timeout...).
    PoolOptions pool;
    /// Connection-level failures in a row (a failed connect, a statement that failed with an
    /// error for which is_fatal() holds, a failed health check) that take a node out. At least 1.
    int remove_node_error_count = 5;
    /// How long a node that was taken out stays out before it is checked (a connect and, for
    /// Galera, the wsrep state) and, if the check passes, used again. 0: it stays out for good.
    std::chrono::milliseconds restore_node_timeout{std::chrono::seconds(5)};
    /// Called on the loop thread when a node goes down, becomes not synced or comes back, after
    /// the "uvmysql" logger's line. It may call back into the cluster; what it throws is logged.
    std::function<void(const NodeEvent&)> on_node_event;
    /// Galera awareness (see GaleraMode); auto_detect by default.
    GaleraMode galera = GaleraMode::auto_detect;
    /// How often each Galera node's state is read, on a connection of its own.
    std::chrono::milliseconds galera_check_interval{std::chrono::seconds(1)};
    /// When set, `SET SESSION wsrep_sync_wait=N` is run on every new pool connection (as
    /// init_command, before the ConnectOptions' own): 1 makes reads wait until the node has
    /// applied every write the cluster committed before them (read-your-writes). Galera only.
    std::optional<int> wsrep_sync_wait;
    /// How often each node's `@@global.read_only` is read (on the health checks' connection, and
    /// once when the cluster is created), for the read/write split: a primary set read-only
    /// stops taking writes, a read-only node of role `any` takes reads. 0: never read; roles
    /// are then taken as given and every node of role `any` counts as writable.
    std::chrono::milliseconds read_only_check_interval{std::chrono::seconds(1)};
};

}  // namespace uvmysql
