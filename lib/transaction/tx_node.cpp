// SPDX-License-Identifier: MIT
// TxNode: activity of a transaction and the errors for using one that has ended.
#include "transaction/tx_node.hpp"

#include "common/access.hpp"
#include "connection/connection_impl.hpp"
#include "transaction/tx_end.hpp"

namespace uvmysql::detail {

namespace {

std::string how_it_ended(const TxNode& node) {
    switch (node.state) {
        case TxState::active: return "is active";
        case TxState::ending: return "is being committed or rolled back";
        case TxState::committed:
            return node.kind() == TxKind::savepoint ? "was already released (committed)" : "was already committed";
        case TxState::rolled_back: return "was already rolled back";
        case TxState::closed: return "was closed";
        case TxState::failed_to_begin: return "failed to begin";
    }
    return "has ended";
}

}  // namespace

std::string TxNode::description() const {
    switch (kind_) {
        case TxKind::outermost: return "the transaction";
        case TxKind::inner: return "the inner transaction";
        case TxKind::savepoint: return "the savepoint " + savepoint;
        case TxKind::twophase: return "the XA transaction";
    }
    return "the transaction";
}

TxNode::TxNode(Connection conn, TxKind kind) : kind_(kind), conn_(std::move(conn)) {
    if (const auto& impl = detail::Access::impl(conn_)) {
        sessions_opened_ = impl->sessions_opened;
        pool_returns_ = impl->pool_returns;
    }
}

TxNode::TxNode(std::shared_ptr<TxNode> parent, TxKind kind) : kind_(kind), parent_(std::move(parent)) {}

TxNode::~TxNode() { abandon(*this); }

TxNode& TxNode::root() noexcept {
    TxNode* n = this;
    while (n->parent_) n = n->parent_.get();
    return *n;
}

const TxNode& TxNode::root() const noexcept { return const_cast<TxNode*>(this)->root(); }

bool TxNode::is_active() const {
    for (const TxNode* n = this; n; n = n->parent_.get()) {
        if (n->state != TxState::active) return false;
    }
    return in_its_session();
}

bool TxNode::in_its_session() const {
    const TxNode& r = root();
    const auto& impl = detail::Access::impl(r.conn_);
    return impl && impl->state() != ConnectionImpl::State::closed && impl->sessions_opened == r.sessions_opened_ &&
           impl->pool_returns == r.pool_returns_;
}

std::exception_ptr TxNode::session_error() const {
    if (in_its_session()) return nullptr;
    const TxNode& r = root();
    const auto& impl = detail::Access::impl(r.conn_);
    std::string why = !impl                                            ? "has no connection"
                      : impl->pool_returns != r.pool_returns_          ? "was returned to its pool"
                      : impl->sessions_opened != r.sessions_opened_    ? "was reconnected (a new session)"
                                                                       : "is closed";
    const bool prepared_xa = r.kind_ == TxKind::twophase && r.prepared;
    return std::make_exception_ptr(InterfaceError(
        0, "HY000",
        "the connection of " + description() + " " + why + " since it began; " +
            (prepared_xa ? "a prepared XA transaction stays prepared: end it with commit_prepared() or "
                           "rollback_prepared()"
                         : "the transaction was rolled back")));
}

std::exception_ptr TxNode::inactive_error() const {
    std::string message;
    if (state != TxState::active) {
        message = description() + " " + how_it_ended(*this);
    } else {
        const TxNode* ended = parent_.get();
        while (ended && ended->state == TxState::active) ended = ended->parent_.get();
        message = description() + " is no longer active: " +
                  (ended ? "its enclosing " + ended->description().substr(4) + " " + how_it_ended(*ended)
                         : std::string("its session has ended"));
    }
    return std::make_exception_ptr(ProgrammingError(0, "25000", std::move(message)));
}

}  // namespace uvmysql::detail
