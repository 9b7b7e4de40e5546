// SPDX-License-Identifier: MIT
// A node's health checks: one check (a ping, or its Galera state), and the loop that repeats it.
#pragma once

#include <cstddef>
#include <memory>

#include "cluster/cluster_state.hpp"
#include "uvmysql/task.hpp"

namespace uvmysql::detail {

/// Checks the node once on its own monitor connection (opened when there is none): with Galera
/// awareness, reads `SHOW GLOBAL STATUS LIKE 'wsrep_%'`; otherwise pings. Fails with the
/// connect() or statement error.
Task<NodeCheck> check_node(std::shared_ptr<ClusterState> cluster, std::size_t node);

/// Starts the node's watch, which runs until the cluster is closed or dropped: every
/// galera_check_interval while Galera awareness applies to it, and for a node that is down,
/// once restore_node_timeout has passed (then again after each failed check).
void start_watch(const std::shared_ptr<ClusterState>& cluster, std::size_t node);

}  // namespace uvmysql::detail
