// SPDX-License-Identifier: MIT
// How a transaction ends: commit, rollback, close, XA prepare, and the rollback of an abandoned one.
#pragma once

#include <exception>
#include <memory>
#include <string>

#include "transaction/tx_node.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

enum class TxEnd { commit, rollback, close };

/// Ends `node` as Transaction::commit/rollback/close document it.
Future<void> end_transaction(const std::shared_ptr<TxNode>& node, TxEnd how);
/// XA END + XA PREPARE of a twophase `node`, as TwoPhaseTransaction::prepare() documents it.
Future<void> prepare_transaction(const std::shared_ptr<TxNode>& node);
/// Called by ~TxNode: rolls back a transaction that is still active (in the background, logged)
/// unless it is a prepared XA transaction, which is left prepared (logged).
void abandon(TxNode& node) noexcept;

}  // namespace uvmysql::detail
