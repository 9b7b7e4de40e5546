// SPDX-License-Identifier: MIT
// Transaction, NestedTransaction and TwoPhaseTransaction: the public handles.
#include "uvmysql/transaction.hpp"

#include "transaction/tx_end.hpp"
#include "transaction/tx_node.hpp"

namespace uvmysql {

using detail::TxEnd;

namespace {
const Xid no_xid;
}

bool Transaction::is_active() const { return node_ && node_->is_active(); }
Connection Transaction::connection() const { return node_ ? node_->connection() : Connection(); }
Future<void> Transaction::commit() { return detail::end_transaction(node_, TxEnd::commit); }
Future<void> Transaction::rollback() { return detail::end_transaction(node_, TxEnd::rollback); }
Future<void> Transaction::close() { return detail::end_transaction(node_, TxEnd::close); }

const Xid& TwoPhaseTransaction::xid() const { return node_ ? node_->xid : no_xid; }
bool TwoPhaseTransaction::is_prepared() const { return node_ && node_->prepared; }
Future<void> TwoPhaseTransaction::prepare() { return detail::prepare_transaction(node_); }

}  // namespace uvmysql
