// SPDX-License-Identifier: MIT
// Which transaction is a connection's innermost one: kept in the connection's session object.
#include "transaction/tx_current.hpp"

#include "common/access.hpp"
#include "connection/connection_impl.hpp"

namespace uvmysql::detail {

std::shared_ptr<TxNode> innermost_active(const Connection& conn) {
    if (!detail::Access::impl(conn)) return nullptr;
    auto node = std::static_pointer_cast<TxNode>(detail::Access::impl(conn)->transaction.lock());
    for (; node; node = node->parent()) {
        if (node->is_active()) return node;
    }
    return nullptr;
}

std::weak_ptr<void> make_current(const Connection& conn, const std::shared_ptr<TxNode>& node) {
    return std::exchange(detail::Access::impl(conn)->transaction, node);
}

void undo_current(const Connection& conn, const TxNode* node, std::weak_ptr<void> previous) {
    auto& slot = detail::Access::impl(conn)->transaction;
    if (slot.lock().get() == node) slot = std::move(previous);
}

void leave_savepoint(const TxNode& node) {
    const auto& impl = detail::Access::impl(node.connection());
    if (!impl || !node.in_its_session()) return;
    auto current = std::static_pointer_cast<TxNode>(impl->transaction.lock());
    // While `node` is being destroyed its own weak reference has expired already.
    bool within = !current;
    for (const TxNode* n = current.get(); n && !within; n = n->parent().get()) within = (n == &node);
    if (within) impl->transaction = node.parent();
}

}  // namespace uvmysql::detail
