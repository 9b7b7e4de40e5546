// SPDX-License-Identifier: MIT
// begin() and begin_nested(): the outermost transaction, inner ones and savepoints.
#include <utility>

#include "common/access.hpp"
#include "common/status_error.hpp"
#include "transaction/tx_begin.hpp"
#include "transaction/tx_current.hpp"
#include "transaction/tx_run.hpp"
#include "transaction/tx_statements.hpp"
#include "uvmysql/transaction.hpp"

namespace uvmysql {

namespace detail {

Future<std::shared_ptr<TxNode>> start(std::shared_ptr<TxNode> node, std::vector<std::string> statements) {
    const Connection conn = node->connection();
    std::weak_ptr<void> previous = make_current(conn, node);
    return run_in_turn(conn, std::move(statements))
        .on_error([node, previous](std::exception_ptr e) {
            // Before the continuation holding `node` is dropped: a node that never began is
            // not rolled back when it dies.
            node->state = TxState::failed_to_begin;
            undo_current(node->connection(), node.get(), previous);
            std::rethrow_exception(e);
        })
        .then([node]() { return node; });
}

std::exception_ptr not_connected_error() {
    return to_exception(connection_gone("Not connected: an empty Connection handle"));
}

namespace {

/// A new outermost transaction on `conn` with `options`.
Future<std::shared_ptr<TxNode>> start_outermost(Connection conn, const TransactionOptions& options) {
    std::vector<std::string> sql;
    if (auto set = set_transaction_statement(options)) sql.push_back(std::move(*set));
    sql.push_back(start_transaction_statement(options));
    return start(std::make_shared<TxNode>(std::move(conn), TxKind::outermost), std::move(sql));
}

}  // namespace

}  // namespace detail

using detail::TxKind;
using detail::TxNode;

Future<Transaction> begin(Connection conn, TransactionOptions options) {
    if (!detail::Access::impl(conn)) return make_exception_future<Transaction>(detail::not_connected_error());
    if (auto enclosing = detail::innermost_active(conn)) {
        if (!options.is_default()) {
            return make_exception_future<Transaction>(ProgrammingError(
                0, "25000",
                "transaction options (isolation level, read only, consistent snapshot) apply only to an "
                "outermost transaction, but a transaction is active on this connection"));
        }
        return make_ready_future(detail::Access::make<Transaction>(std::make_shared<TxNode>(std::move(enclosing), TxKind::inner)));
    }
    return detail::start_outermost(std::move(conn), options).then([](std::shared_ptr<TxNode> node) {
        return detail::Access::make<Transaction>(std::move(node));
    });
}

Future<NestedTransaction> begin_nested(Connection conn) {
    if (!detail::Access::impl(conn)) return make_exception_future<NestedTransaction>(detail::not_connected_error());
    auto to_handle = [](std::shared_ptr<TxNode> node) { return detail::Access::make<NestedTransaction>(std::move(node)); };
    auto enclosing = detail::innermost_active(conn);
    if (!enclosing) return detail::start_outermost(std::move(conn), TransactionOptions()).then(to_handle);
    TxNode& root = enclosing->root();
    auto node = std::make_shared<TxNode>(std::move(enclosing), TxKind::savepoint);
    node->savepoint = detail::savepoint_name(++root.savepoints_made);
    std::vector<std::string> sql;
    sql.push_back("SAVEPOINT " + node->savepoint);
    return detail::start(std::move(node), std::move(sql)).then(to_handle);
}

}  // namespace uvmysql
