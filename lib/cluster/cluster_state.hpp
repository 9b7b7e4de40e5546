// SPDX-License-Identifier: MIT
// ClusterState: what a PoolCluster's handles share: the nodes with their pools and health, the
// selectors' positions, and the bookkeeping that takes nodes out and brings them back.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "uvmysql/pool_cluster.hpp"

namespace uvmysql::detail {

/// One node: its pool, its health and its Galera state.
struct NodeSlot {
    std::string name;
    NodeRole role = NodeRole::any;
    ConnectOptions options;   // as given: the health checks connect with these
    Pool pool;
    NodeState state = NodeState::up;
    int consecutive_errors = 0;
    std::uint64_t times_down = 0;
    std::string last_error;
    std::chrono::steady_clock::time_point down_since{};
    bool galera = false;         // the node reported wsrep status
    bool galera_known = false;   // a check has told whether it does
    int wsrep_local_state = -1;
    std::optional<bool> read_only;       // @@global.read_only at the last check
    std::chrono::steady_clock::time_point checked_at{};   // the last check that passed
    std::optional<Connection> monitor;   // the health checks' own connection, not a pool's
};

/// What a selector picks from: nodes by name, or the read/write split's writers or readers.
enum class Route { names, writes, reads };

/// The nodes a selector matched and where its round robin stands.
struct SelectorState {
    std::string pattern;   // Route::names; for the split, "writer" or "reader" (in errors)
    NodePolicy policy = NodePolicy::round_robin;
    Route route = Route::names;
    ReadFallback fallback = ReadFallback::writer;   // Route::reads
    std::vector<std::size_t> members;   // indexes into ClusterState::nodes, in the cluster's order
    std::size_t next = 0;
};

/// What one health check of a node found.
struct NodeCheck {
    bool galera = false;       // wsrep status was there
    bool synced = true;        // usable: not Galera, or wsrep_ready=ON and wsrep_local_state=4
    int local_state = -1;
    std::string why;           // for a node not synced: its wsrep state in words
    std::optional<bool> read_only;   // @@global.read_only, when read
};

class ClusterState {
public:
    ClusterState(uv_loop_s* loop, PoolClusterOptions options) : loop_(loop), options_(std::move(options)) {}
    ~ClusterState();
    ClusterState(const ClusterState&) = delete;
    ClusterState& operator=(const ClusterState&) = delete;

    [[nodiscard]] uv_loop_s* loop() const noexcept { return loop_; }
    [[nodiscard]] const PoolClusterOptions& options() const noexcept { return options_; }
    [[nodiscard]] std::vector<NodeSlot>& nodes() noexcept { return nodes_; }
    [[nodiscard]] bool closed() const noexcept { return closed_; }

    /// A statement on the node succeeded: its run of failures is over.
    void record_success(std::size_t node);
    /// A connection-level failure on the node; the last of remove_node_error_count in a row
    /// takes it down.
    void record_failure(std::size_t node, std::string why);
    /// Takes the node down at once (it could not be reached when the cluster was created).
    void take_down(std::size_t node, std::string why);
    /// A health check passed: the node is up, or not synced, as the check says. A node that
    /// is down only comes back through this.
    void record_check(std::size_t node, const NodeCheck& check);

    /// The selector for (pattern, policy), made on first use and shared afterwards.
    std::shared_ptr<SelectorState> selector(const std::string& pattern, NodePolicy policy);
    /// The read/write split's selector (Route::writes or Route::reads), over every node.
    std::shared_ptr<SelectorState> split_selector(Route route, NodePolicy policy, ReadFallback fallback);
    /// The selector's usable members, in the order its policy gives this call.
    std::vector<std::size_t> candidates(SelectorState& selector);
    /// OperationalError 2003 for a call no node of `selector` could serve: each node with its
    /// state and last error, and `tried` (what this call's attempts failed with) first.
    std::exception_ptr no_node_error(const SelectorState& selector, const std::vector<std::string>& tried) const;

    [[nodiscard]] ClusterStats stats() const;
    /// Closes the pools and the health checks' connections. Idempotent.
    void close();

private:
    void set_state(std::size_t node, NodeState state, std::string reason);
    /// Whether the node takes the selector's calls when it is up (its role and @@read_only).
    [[nodiscard]] bool serves(const SelectorState& selector, const NodeSlot& n) const noexcept;
    /// Why an up node does not (for errors): "is a replica", "is read-only"...
    [[nodiscard]] std::string why_not(const SelectorState& selector, const NodeSlot& n) const;

    uv_loop_s* loop_;
    PoolClusterOptions options_;
    std::vector<NodeSlot> nodes_;
    std::map<std::string, std::shared_ptr<SelectorState>> selectors_;
    std::mt19937 random_{std::random_device{}()};
    bool closed_ = false;
};

/// The words for a state in log lines and errors ("up", "down", "not synced").
const char* state_name(NodeState state) noexcept;

}  // namespace uvmysql::detail
