// SPDX-License-Identifier: MIT
// How a transaction ends: commit, rollback, close, XA prepare, and the rollback of an abandoned one.
//
// Flow: check the handle, its session and that it is active; mark it `ending` (a second commit
// or rollback meanwhile is refused); queue its statements together; then record the outcome before the
// caller's continuation runs. A failed commit or prepare leaves the transaction active, so that
// a rollback can still end it; a failed rollback leaves it rolled back (the server gave up on it
// or the connection is gone).
#include "transaction/tx_end.hpp"

#include <string>
#include <vector>

#include "common/logger.hpp"
#include "transaction/tx_current.hpp"
#include "transaction/tx_run.hpp"
#include "transaction/tx_statements.hpp"

namespace uvmysql::detail {

namespace {

Future<void> fail(std::exception_ptr e) { return make_exception_future<void>(std::move(e)); }

Future<void> empty_handle() { return fail(std::make_exception_ptr(InterfaceError(0, "HY000", "empty Transaction handle"))); }

enum class Step { commit, rollback, prepare };

/// The statements that take `node` (not an inner one) through `step` from where it is now.
std::vector<std::string> statements_for(const TxNode& node, Step step) {
    std::vector<std::string> sql;
    switch (node.kind()) {
        case TxKind::outermost: sql.emplace_back(step == Step::commit ? "COMMIT" : "ROLLBACK"); break;
        case TxKind::savepoint:
            sql.push_back((step == Step::commit ? "RELEASE SAVEPOINT " : "ROLLBACK TO SAVEPOINT ") + node.savepoint);
            break;
        case TxKind::twophase:
            if (!node.xa_ended) sql.push_back(xa_statement("END", node.xid));
            if (step == Step::prepare) {
                sql.push_back(xa_statement("PREPARE", node.xid));
            } else if (step == Step::commit) {
                // Without PREPARE the branch commits in one phase (XA COMMIT on an IDLE branch
                // needs ONE PHASE; on a PREPARED one it must not have it).
                sql.push_back(xa_statement("COMMIT", node.xid, node.prepared ? "" : " ONE PHASE"));
            } else {
                sql.push_back(xa_statement("ROLLBACK", node.xid));
            }
            break;
        case TxKind::inner: break;
    }
    return sql;
}

/// Queues the statements of `step` together: whatever the caller queues next runs after all of
/// them (a begin_twophase() right after a rollback must not land between XA END and XA ROLLBACK).
/// An XA END that succeeds is recorded even when the next statement fails, so that a later
/// rollback does not send it again.
Future<void> send(const std::shared_ptr<TxNode>& node, Step step) {
    std::vector<Future<void>> steps;
    for (std::string& sql : statements_for(*node, step)) steps.push_back(run_statement(node->connection(), std::move(sql)));
    if (node->kind() == TxKind::twophase && !node->xa_ended) {
        steps.front() = std::move(steps.front()).then([node]() { node->xa_ended = true; });
    }
    return when_all(std::move(steps));
}

/// Refuses a handle that cannot end: empty, out of its session, or (for commit) inactive.
/// Null when it may go on.
std::exception_ptr refusal(const std::shared_ptr<TxNode>& node, bool commit) {
    if (auto e = node->session_error()) return e;
    if (commit && !node->is_active()) return node->inactive_error();
    return nullptr;
}

}  // namespace

Future<void> end_transaction(const std::shared_ptr<TxNode>& node, TxEnd how) {
    if (!node) return how == TxEnd::close ? make_ready_future() : empty_handle();
    if (!node->in_its_session() && how == TxEnd::close) return make_ready_future();
    if (auto e = refusal(node, how == TxEnd::commit)) return fail(std::move(e));
    if (!node->is_active()) return make_ready_future();   // rollback or close of an ended one

    if (node->kind() == TxKind::inner) {
        if (how == TxEnd::rollback) {
            node->state = TxState::rolled_back;
            return end_transaction(node->parent(), TxEnd::rollback);
        }
        node->state = how == TxEnd::commit ? TxState::committed : TxState::closed;
        return make_ready_future();
    }

    const bool commit = how == TxEnd::commit;
    node->state = TxState::ending;
    return send(node, commit ? Step::commit : Step::rollback)
        .on_error([node, commit](std::exception_ptr e) {
            node->state = commit ? TxState::active : TxState::rolled_back;
            if (!commit && node->kind() == TxKind::savepoint) leave_savepoint(*node);
            std::rethrow_exception(e);
        })
        .then([node, how]() {
            node->state = how == TxEnd::commit     ? TxState::committed
                          : how == TxEnd::rollback ? TxState::rolled_back
                                                   : TxState::closed;
            if (node->kind() == TxKind::savepoint) leave_savepoint(*node);
        });
}

Future<void> prepare_transaction(const std::shared_ptr<TxNode>& node) {
    if (!node) return empty_handle();
    if (auto e = refusal(node, true)) return fail(std::move(e));
    if (node->prepared) {
        return fail(std::make_exception_ptr(ProgrammingError(0, "25000", "the XA transaction is already prepared")));
    }
    node->state = TxState::ending;
    return send(node, Step::prepare)
        .on_error([node](std::exception_ptr e) {
            node->state = TxState::active;
            std::rethrow_exception(e);
        })
        .then([node]() {
            node->prepared = true;
            node->state = TxState::active;
        });
}

void abandon(TxNode& node) noexcept {
    try {
        if (!node.is_active()) return;
        if (node.kind() == TxKind::twophase && node.prepared) {
            logger()->warn("transaction: the prepared XA transaction {} was dropped; it stays prepared until "
                           "commit_prepared() or rollback_prepared()",
                           xid_text(node.xid));
            return;
        }
        logger()->warn("transaction: {} was destroyed while active; rolling it back", node.description());
        if (node.kind() == TxKind::savepoint) leave_savepoint(node);
        Future<void> done = node.kind() == TxKind::inner
                                ? end_transaction(node.parent(), TxEnd::rollback)
                                : run_together(node.connection(), statements_for(node, Step::rollback));
        std::move(done)
            .on_error([](std::exception_ptr e) {
                logger()->error("transaction: the rollback of a dropped transaction failed: {}", describe_exception(e));
            })
            .detach();
    } catch (...) {
        // A destructor must not throw; the server rolls the transaction back when the session ends.
    }
}

}  // namespace uvmysql::detail
