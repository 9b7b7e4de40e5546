// SPDX-License-Identifier: MIT
// TxNode: the state of one transaction object, shared by its handles and by the ones inside it.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "uvmysql/connection.hpp"
#include "uvmysql/transaction.hpp"

namespace uvmysql::detail {

enum class TxKind {
    outermost,   // START TRANSACTION ... COMMIT / ROLLBACK
    inner,       // begin() inside an active transaction: emulated, no SQL of its own
    savepoint,   // SAVEPOINT ... RELEASE / ROLLBACK TO
    twophase,    // XA START ... XA COMMIT / XA ROLLBACK (an outermost transaction too)
};

enum class TxState { active, ending, committed, rolled_back, closed, failed_to_begin };

/// One transaction. The outermost one holds the connection and the connection's use counters
/// at the time it began; the others hold their enclosing transaction, so a transaction is
/// active only while everything around it is, and only within the session it began in.
/// Destroying an active node rolls it back (tx_end.cpp), except a prepared XA transaction.
class TxNode {
public:
    /// An outermost (or twophase) transaction beginning now on `conn`.
    TxNode(Connection conn, TxKind kind);
    /// A transaction (inner or savepoint) inside `parent`.
    TxNode(std::shared_ptr<TxNode> parent, TxKind kind);
    TxNode(const TxNode&) = delete;
    TxNode& operator=(const TxNode&) = delete;
    ~TxNode();

    [[nodiscard]] TxKind kind() const noexcept { return kind_; }
    [[nodiscard]] const std::shared_ptr<TxNode>& parent() const noexcept { return parent_; }
    /// The outermost transaction this one is part of (itself for an outermost one).
    [[nodiscard]] TxNode& root() noexcept;
    [[nodiscard]] const TxNode& root() const noexcept;
    [[nodiscard]] const Connection& connection() const noexcept { return root().conn_; }
    /// "the transaction", "the savepoint uvmysql_sp_2"...: for messages.
    [[nodiscard]] std::string description() const;

    /// Active itself, every enclosing transaction active, and still in its session.
    [[nodiscard]] bool is_active() const;
    /// True while the connection still runs the session (and the use) the transaction began in.
    [[nodiscard]] bool in_its_session() const;
    /// The InterfaceError for a transaction whose session is gone; null while in_its_session().
    [[nodiscard]] std::exception_ptr session_error() const;
    /// The ProgrammingError (SQLSTATE 25000) for using a transaction that is no longer active.
    [[nodiscard]] std::exception_ptr inactive_error() const;

    TxState state = TxState::active;
    std::string savepoint;            // savepoint: its name
    Xid xid;                          // twophase: its xid
    bool xa_ended = false;            // twophase: XA END done (the branch is IDLE or PREPARED)
    bool prepared = false;            // twophase: XA PREPARE done
    std::uint64_t savepoints_made = 0;   // outermost: numbers the savepoints inside it

private:
    TxKind kind_;
    std::shared_ptr<TxNode> parent_;
    Connection conn_;                    // outermost only
    std::uint64_t sessions_opened_ = 0;  // outermost only: the connection's counters at begin
    std::uint64_t pool_returns_ = 0;
};

}  // namespace uvmysql::detail
