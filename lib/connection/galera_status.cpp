// SPDX-License-Identifier: MIT
#include "connection/galera_status.hpp"

#include <string_view>

namespace uvmysql::detail {

namespace {

const std::string* value_of(const StatusVariables& status, std::string_view name) {
    for (const auto& [k, v] : status)
        if (k == name) return &v;
    return nullptr;
}

/// wsrep_local_state's numbers, as the Galera documentation names them.
const char* local_state_name(const std::string& state) {
    if (state == "1") return "Joining";
    if (state == "2") return "Donor/Desynced";
    if (state == "3") return "Joined";
    if (state == "4") return "Synced";
    return "unknown";
}

}  // namespace

const char* const galera_status_sql =
    "SHOW GLOBAL STATUS WHERE Variable_name IN "
    "('wsrep_ready', 'wsrep_local_state', 'wsrep_provider_name', 'wsrep_cluster_status')";

bool is_galera_node(const StatusVariables& status) {
    const std::string* provider = value_of(status, "wsrep_provider_name");
    return value_of(status, "wsrep_local_state") != nullptr && (provider == nullptr || !provider->empty());
}

std::string galera_not_synced(const StatusVariables& status) {
    if (!is_galera_node(status)) return {};
    const std::string& state = *value_of(status, "wsrep_local_state");
    const std::string* ready = value_of(status, "wsrep_ready");
    const std::string* cluster = value_of(status, "wsrep_cluster_status");
    if (ready != nullptr && *ready == "ON" && state == "4" && (cluster == nullptr || *cluster == "Primary")) return {};
    return "wsrep_ready=" + (ready != nullptr ? *ready : "?") + ", wsrep_local_state=" + state + " (" +
           local_state_name(state) + ")" + (cluster != nullptr ? ", wsrep_cluster_status=" + *cluster : "");
}

}  // namespace uvmysql::detail
