// SPDX-License-Identifier: MIT
// ClusterState: node health (failures in a row, checks), state changes with their log line and
// event, and the order in which a selector tries its nodes.
#include "cluster/cluster_state.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "cluster/glob.hpp"
#include "common/logger.hpp"

namespace uvmysql::detail {

const char* state_name(NodeState state) noexcept {
    switch (state) {
        case NodeState::up: return "up";
        case NodeState::down: return "down";
        case NodeState::not_synced: return "not synced";
    }
    return "?";
}

ClusterState::~ClusterState() { close(); }

void ClusterState::record_success(std::size_t node) { nodes_[node].consecutive_errors = 0; }

void ClusterState::record_failure(std::size_t node, std::string why) {
    NodeSlot& n = nodes_[node];
    ++n.consecutive_errors;
    n.last_error = std::move(why);
    if (n.state != NodeState::down && n.consecutive_errors >= std::max(1, options_.remove_node_error_count)) {
        set_state(node, NodeState::down,
                  std::to_string(n.consecutive_errors) + " connection failures in a row, the last: " + n.last_error);
    }
}

void ClusterState::take_down(std::size_t node, std::string why) {
    NodeSlot& n = nodes_[node];
    ++n.consecutive_errors;
    n.last_error = why;
    if (n.state != NodeState::down) set_state(node, NodeState::down, std::move(why));
}

void ClusterState::record_check(std::size_t node, const NodeCheck& check) {
    NodeSlot& n = nodes_[node];
    n.checked_at = std::chrono::steady_clock::now();
    if (check.read_only && n.read_only && *check.read_only != *n.read_only) {
        logger()->info("cluster: node {} is {} now", n.name, *check.read_only ? "read-only" : "writable");
    }
    if (check.read_only) n.read_only = check.read_only;
    n.galera = check.galera;
    n.galera_known = true;
    n.wsrep_local_state = check.local_state;
    n.consecutive_errors = 0;
    if (check.synced) {
        if (n.state != NodeState::up) set_state(node, NodeState::up, check.galera ? "Synced" : "reachable again");
    } else if (n.state != NodeState::not_synced) {
        n.last_error = check.why;
        set_state(node, NodeState::not_synced, check.why);
    }
}

void ClusterState::set_state(std::size_t node, NodeState state, std::string reason) {
    NodeSlot& n = nodes_[node];
    const NodeState previous = n.state;
    n.state = state;
    if (state == NodeState::up) {
        logger()->info("cluster: node {} is back ({} before: {})", n.name, state_name(previous), reason);
    } else {
        ++n.times_down;
        n.down_since = std::chrono::steady_clock::now();
        logger()->warn("cluster: node {} is {} and gets no new work: {}", n.name, state_name(state), reason);
        // Its free connections are most likely as dead as the node; a restored node starts afresh.
        if (state == NodeState::down) n.pool.clear().detach();
    }
    if (options_.on_node_event) {
        // Last: the callback may call back into the cluster.
        try {
            options_.on_node_event(NodeEvent{n.name, previous, state, std::move(reason)});
        } catch (...) {
            logger()->error("cluster: on_node_event threw: {}", describe_exception(std::current_exception()));
        }
    }
}

std::shared_ptr<SelectorState> ClusterState::selector(const std::string& pattern, NodePolicy policy) {
    auto& slot = selectors_[std::to_string(static_cast<int>(policy)) + ":" + pattern];
    if (!slot) {
        slot = std::make_shared<SelectorState>();
        slot->pattern = pattern;
        slot->policy = policy;
        for (std::size_t i = 0; i < nodes_.size(); ++i)
            if (glob_match(pattern, nodes_[i].name)) slot->members.push_back(i);
    }
    return slot;
}

std::shared_ptr<SelectorState> ClusterState::split_selector(Route route, NodePolicy policy, ReadFallback fallback) {
    const std::string name = route == Route::writes ? "writer" : "reader";
    auto& slot = selectors_[name + ":" + std::to_string(static_cast<int>(policy)) + ":" +
                            std::to_string(static_cast<int>(fallback))];
    if (!slot) {
        slot = std::make_shared<SelectorState>();
        slot->pattern = name;
        slot->policy = policy;
        slot->route = route;
        slot->fallback = fallback;
        for (std::size_t i = 0; i < nodes_.size(); ++i) slot->members.push_back(i);
    }
    return slot;
}

bool ClusterState::serves(const SelectorState& selector, const NodeSlot& n) const noexcept {
    switch (selector.route) {
        case Route::names: return true;
        case Route::writes: return n.role != NodeRole::replica && n.read_only != true;
        case Route::reads: return n.role == NodeRole::replica || (n.role == NodeRole::any && n.read_only == true);
    }
    return false;
}

std::string ClusterState::why_not(const SelectorState& selector, const NodeSlot& n) const {
    if (selector.route == Route::writes) return n.role == NodeRole::replica ? "is a replica" : "is read-only";
    return n.role == NodeRole::primary ? "is not a replica" : "is not read-only";
}

std::vector<std::size_t> ClusterState::candidates(SelectorState& selector) {
    std::vector<std::size_t> usable;
    for (std::size_t i : selector.members)
        if (nodes_[i].state == NodeState::up && serves(selector, nodes_[i])) usable.push_back(i);
    if (usable.empty() && selector.route == Route::reads && selector.fallback == ReadFallback::writer) {
        // No replica: a read is served by the nodes that take writes (any role but replica).
        for (std::size_t i : selector.members)
            if (nodes_[i].state == NodeState::up && nodes_[i].role != NodeRole::replica) usable.push_back(i);
    }
    if (usable.empty()) return usable;
    switch (selector.policy) {
        case NodePolicy::order: break;
        case NodePolicy::round_robin:
            std::rotate(usable.begin(), usable.begin() + static_cast<std::ptrdiff_t>(selector.next++ % usable.size()),
                        usable.end());
            break;
        case NodePolicy::random: std::shuffle(usable.begin(), usable.end(), random_); break;
    }
    return usable;
}

std::exception_ptr ClusterState::no_node_error(const SelectorState& selector, const std::vector<std::string>& tried) const {
    std::string message = selector.route == Route::names
                              ? "no node of the cluster matching '" + selector.pattern + "' could serve the call"
                              : "no node of the cluster's " + selector.pattern + " could serve the call";
    if (selector.members.empty()) message += ": no node has a matching name";
    const char* sep = ": ";
    for (const std::string& t : tried) {
        message += sep + t;
        sep = "; ";
    }
    for (std::size_t i : selector.members) {
        const NodeSlot& n = nodes_[i];
        const bool fallback = selector.route == Route::reads && selector.fallback == ReadFallback::writer &&
                              n.role != NodeRole::replica;   // tried above when no replica was up
        if (n.state == NodeState::up && !serves(selector, n) && !fallback) {
            message += sep + n.name + " " + why_not(selector, n);
            sep = "; ";
        }
        if (n.state == NodeState::up) continue;   // tried above
        message += sep + n.name + " is " + state_name(n.state);
        if (!n.last_error.empty()) message += " (" + n.last_error + ")";
        sep = "; ";
    }
    return make_error(ErrorClass::operational, 2003, "HY000", std::move(message));
}

ClusterStats ClusterState::stats() const {
    ClusterStats s;
    for (const NodeSlot& n : nodes_) {
        NodeStats ns;
        ns.name = n.name;
        ns.role = n.role;
        ns.state = n.state;
        ns.galera = n.galera;
        ns.wsrep_local_state = n.wsrep_local_state;
        ns.read_only = n.read_only;
        ns.consecutive_errors = n.consecutive_errors;
        ns.times_down = n.times_down;
        ns.last_error = n.last_error;
        ns.pool = n.pool.stats();
        s.nodes.push_back(std::move(ns));
    }
    return s;
}

void ClusterState::close() {
    if (closed_) return;
    closed_ = true;
    for (NodeSlot& n : nodes_) {
        n.pool.close();
        if (n.monitor) n.monitor->close();
    }
}

}  // namespace uvmysql::detail
