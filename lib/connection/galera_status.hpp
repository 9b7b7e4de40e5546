// SPDX-License-Identifier: MIT
// A Galera node's state, read from its wsrep status variables: the one rule for "Synced" that
// a connect over several hosts and a PoolCluster's health checks both apply.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace uvmysql::detail {

/// Status variables as (name, value) rows of SHOW STATUS.
using StatusVariables = std::vector<std::pair<std::string, std::string>>;

/// The statement that reads what galera_not_synced() needs.
extern const char* const galera_status_sql;

/// True when the server runs a Galera provider. MariaDB built with wsrep but running without
/// one still lists some wsrep_% variables, but no wsrep_local_state or an empty provider name.
[[nodiscard]] bool is_galera_node(const StatusVariables& status);

/// Why a Galera node is not Synced (wsrep_ready ON, wsrep_local_state 4, the primary
/// component) in words ("wsrep_ready=ON, wsrep_local_state=2 (Donor/Desynced), ..."); empty
/// when it is, and for a server that is not a Galera node.
[[nodiscard]] std::string galera_not_synced(const StatusVariables& status);

}  // namespace uvmysql::detail
