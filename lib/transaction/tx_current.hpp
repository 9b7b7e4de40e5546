// SPDX-License-Identifier: MIT
// Which transaction is a connection's innermost one: kept in the connection's session object.
#pragma once

#include <memory>

#include "transaction/tx_node.hpp"
#include "uvmysql/connection.hpp"

namespace uvmysql::detail {

/// The innermost transaction of `conn` that is still active (new transactions go inside it),
/// or null. Inner transactions are never the innermost: they add nothing on the server.
std::shared_ptr<TxNode> innermost_active(const Connection& conn);

/// Makes `node` the innermost transaction of `conn`; returns what was before, for undo_current.
std::weak_ptr<void> make_current(const Connection& conn, const std::shared_ptr<TxNode>& node);
/// `node` did not begin after all: `previous` is the innermost again (if `node` still is).
void undo_current(const Connection& conn, const TxNode* node, std::weak_ptr<void> previous);
/// A savepoint `node` ended: its parent is the innermost again when `node` was, or was inside
/// it (RELEASE and ROLLBACK TO end the later savepoints too), or is gone.
void leave_savepoint(const TxNode& node);

}  // namespace uvmysql::detail
