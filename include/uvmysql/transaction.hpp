// SPDX-License-Identifier: MIT
// Transaction objects (aiomysql.sa's Transaction, NestedTransaction, TwoPhaseTransaction), the
// functions that begin them and the scoped form transaction(conn, fn) / pool.transaction(fn).
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "uvmysql/connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/pool.hpp"
#include "uvmysql/task.hpp"
#include "uvmysql/detail/unique_function.hpp"

namespace uvmysql {

namespace detail {
class TxNode;
struct Access;
}

/// The isolation level of one transaction (SET TRANSACTION ISOLATION LEVEL ...).
enum class IsolationLevel { read_uncommitted, read_committed, repeatable_read, serializable };

/// How begin() starts the outermost transaction. The default is a plain START TRANSACTION.
///
/// GCC 12 rejects a braced list inside a co_await expression, so inside coroutines build the
/// options with the chainable setters (or as a named variable) instead of `{.isolation = ...}`:
/// `co_await begin(conn, TransactionOptions().with_isolation(IsolationLevel::serializable).with_read_only())`.
struct UVMYSQL_API TransactionOptions {
    /// Sent as SET TRANSACTION ISOLATION LEVEL before START TRANSACTION; unset: the session's.
    std::optional<IsolationLevel> isolation;
    /// START TRANSACTION READ ONLY: writes fail with ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION (1792).
    bool read_only = false;
    /// START TRANSACTION WITH CONSISTENT SNAPSHOT: InnoDB takes the read view at once.
    bool consistent_snapshot = false;

    /// A copy with `isolation` set to `level`.
    [[nodiscard]] TransactionOptions with_isolation(IsolationLevel level) const {
        TransactionOptions o = *this;
        o.isolation = level;
        return o;
    }
    /// A copy with `read_only` set to `on`.
    [[nodiscard]] TransactionOptions with_read_only(bool on = true) const {
        TransactionOptions o = *this;
        o.read_only = on;
        return o;
    }
    /// A copy with `consistent_snapshot` set to `on`.
    [[nodiscard]] TransactionOptions with_consistent_snapshot(bool on = true) const {
        TransactionOptions o = *this;
        o.consistent_snapshot = on;
        return o;
    }
    /// True when nothing differs from a plain START TRANSACTION.
    [[nodiscard]] bool is_default() const noexcept { return !isolation && !read_only && !consistent_snapshot; }
};

/// An XA transaction id (X/Open XID): gtrid of 1 to 64 bytes, bqual of 0 to 64 bytes, and a
/// format id from 0 to 2147483647 (MariaDB's range). Both strings may hold any bytes: they are
/// sent as hex literals, so nothing in them can be interpreted as SQL. An invalid xid fails the
/// operation with ProgrammingError before anything is sent.
struct UVMYSQL_API Xid {
    /// Global transaction id, 1 to 64 bytes.
    std::string gtrid;
    /// Branch qualifier, 0 to 64 bytes.
    std::string bqual;
    /// Format id, 0 to 2147483647; 1 by default, as in MySQL's XA statements.
    std::int64_t format_id = 1;

    Xid() = default;
    /// Converts from a string, so `begin_twophase(conn, "order-17")` works.
    Xid(std::string global_id, std::string branch = {}, std::int64_t format = 1)  // NOLINT
        : gtrid(std::move(global_id)), bqual(std::move(branch)), format_id(format) {}
    /// An xid with gtrid `global_id` (not null), an empty bqual and format id 1, so that a
    /// string literal works: `begin_twophase(conn, "order-17")`.
    Xid(const char* global_id) : gtrid(global_id) {}  // NOLINT

    /// Same gtrid, bqual and format id.
    friend bool operator==(const Xid&, const Xid&) = default;
};

/// A transaction begun with begin() (aiomysql.sa.Transaction). A cheap handle: copies share the
/// transaction. Call on the connection's loop thread.
///
/// The outermost transaction sends START TRANSACTION / COMMIT / ROLLBACK. A transaction begun
/// while another is active on the same connection is an inner, emulated one: its commit() does
/// nothing, its rollback() rolls back the transaction that encloses it (see docs/transaction.md
/// for the nesting rules). When the last handle of an active transaction is destroyed, it is
/// rolled back asynchronously and a warning is logged through the "uvmysql" logger; a
/// transaction is never committed implicitly.
class UVMYSQL_API Transaction {
public:
    /// An empty handle: is_active() is false; commit() and rollback() fail with InterfaceError.
    Transaction() = default;

    /// True until it is committed, rolled back or closed, until an enclosing transaction ends,
    /// and while its session lives (false once the connection is closed, reconnected or
    /// returned to its pool).
    [[nodiscard]] bool is_active() const;
    /// The connection the transaction runs on (an empty handle for an empty Transaction).
    [[nodiscard]] Connection connection() const;

    /// Commits: COMMIT for the outermost transaction, RELEASE SAVEPOINT for a NestedTransaction,
    /// XA COMMIT for a TwoPhaseTransaction, nothing for an inner one. Fails with ProgrammingError
    /// (errno 0, SQLSTATE 25000) when the transaction is no longer active (committed, rolled
    /// back, closed, or its enclosing transaction ended) or a commit or rollback of it is in
    /// progress; with InterfaceError when its connection was closed, reconnected or returned to
    /// its pool; with the server's error otherwise. A failed commit leaves it active, so that
    /// rollback() or close() can still end it.
    [[nodiscard]] Future<void> commit();
    /// Rolls back: ROLLBACK, ROLLBACK TO SAVEPOINT, XA ROLLBACK, or for an inner transaction the
    /// rollback of the one that encloses it. Resolves at once when the transaction has already
    /// ended; fails with InterfaceError when its connection was closed, reconnected or returned
    /// to its pool.
    [[nodiscard]] Future<void> rollback();
    /// Ends the transaction without committing: rolls back the outermost transaction, a
    /// savepoint or an XA transaction when active; an inner transaction is only deactivated,
    /// leaving its enclosing one alone (aiomysql). Resolves at once when nothing is active,
    /// including when the connection is gone.
    [[nodiscard]] Future<void> close();

protected:
    friend struct detail::Access;   // the transaction layer makes the handles
    /// A handle on `node` (made by begin() and its siblings).
    explicit Transaction(std::shared_ptr<detail::TxNode> node) noexcept : node_(std::move(node)) {}
    /// The state the copies of this handle share (null for an empty handle).
    std::shared_ptr<detail::TxNode> node_;
};

/// A transaction on a SAVEPOINT, begun with begin_nested() (aiomysql.sa.NestedTransaction):
/// commit() is RELEASE SAVEPOINT, rollback() and close() are ROLLBACK TO SAVEPOINT. Savepoint
/// names are generated (uvmysql_sp_<n>), unique within the session's transaction.
class UVMYSQL_API NestedTransaction : public Transaction {
public:
    NestedTransaction() = default;

private:
    friend struct detail::Access;
    using Transaction::Transaction;
};

/// An XA transaction, begun with begin_twophase() (aiomysql.sa.TwoPhaseTransaction).
/// prepare() is XA END + XA PREPARE; commit() is XA COMMIT after prepare(), or XA END + XA COMMIT
/// ... ONE PHASE without it; rollback() and close() are XA ROLLBACK (after XA END when needed).
/// A prepared transaction whose last handle is destroyed stays prepared (logged): after
/// PREPARE the outcome is the coordinator's to decide, with commit_prepared()/rollback_prepared().
class UVMYSQL_API TwoPhaseTransaction : public Transaction {
public:
    TwoPhaseTransaction() = default;

    /// The transaction's xid (an empty Xid for an empty handle).
    [[nodiscard]] const Xid& xid() const;
    /// True once prepare() succeeded.
    [[nodiscard]] bool is_prepared() const;
    /// XA END + XA PREPARE. Fails with ProgrammingError when the transaction is not active or
    /// already prepared, InterfaceError when its connection is gone, or the server's error.
    [[nodiscard]] Future<void> prepare();

private:
    friend struct detail::Access;
    using Transaction::Transaction;
};

/// Begins a transaction on `conn` (aiomysql's SAConnection.begin()). With no transaction active
/// on the connection, sends START TRANSACTION (after SET TRANSACTION ISOLATION LEVEL when
/// `options` ask for one) and resolves to the outermost Transaction. While one is active,
/// resolves at once to an inner, emulated transaction of the innermost active one; `options`
/// must then be the default (ProgrammingError otherwise: they only apply to a new transaction).
/// As with any START TRANSACTION, an implicit transaction left open by statements run with
/// autocommit off is committed first by the server. Fails with InterfaceError on an empty or
/// closed connection, or the server's error (1568 when an isolation level is asked for while
/// such an implicit transaction is open: ProgrammingError).
[[nodiscard]] UVMYSQL_API Future<Transaction> begin(Connection conn, TransactionOptions options = {});

/// Begins a SAVEPOINT inside the innermost active transaction of `conn` (aiomysql's
/// begin_nested()). With no transaction active, begins an outermost one instead (START
/// TRANSACTION), as aiomysql does: the NestedTransaction then commits and rolls back the whole.
[[nodiscard]] UVMYSQL_API Future<NestedTransaction> begin_nested(Connection conn);

/// Begins an XA transaction (XA START) with a random xid ("uvmysql-" and 32 hex digits).
/// The server refuses it inside another transaction: ProgrammingError 1400 (XAER_OUTSIDE) or
/// 1399 (XAER_RMFAIL).
[[nodiscard]] UVMYSQL_API Future<TwoPhaseTransaction> begin_twophase(Connection conn);
/// Begins an XA transaction with `xid`. Fails as above, or with ProgrammingError for an invalid
/// xid, ProgrammingError 1440 (XAER_DUPID) when it exists already.
[[nodiscard]] UVMYSQL_API Future<TwoPhaseTransaction> begin_twophase(Connection conn, Xid xid);

/// XA RECOVER: the xids of the prepared XA transactions of the server (of every session,
/// including those whose connection is gone).
[[nodiscard]] UVMYSQL_API Future<std::vector<Xid>> recover_twophase(Connection conn);
/// XA COMMIT of a prepared XA transaction, from any connection. ProgrammingError 1397
/// (XAER_NOTA) for an unknown xid.
[[nodiscard]] UVMYSQL_API Future<void> commit_prepared(Connection conn, Xid xid);
/// XA ROLLBACK of a prepared XA transaction, from any connection. ProgrammingError 1397
/// (XAER_NOTA) for an unknown xid.
[[nodiscard]] UVMYSQL_API Future<void> rollback_prepared(Connection conn, Xid xid);

namespace detail {

template <class R>
struct AwaitedResult {};
template <class T>
struct AwaitedResult<Future<T>> {
    using type = T;
};
template <class T>
struct AwaitedResult<Task<T>> {
    using type = T;
};

/// What the body of the scoped form may be: callable with Transaction&, returning a Future or a Task.
template <class Fn>
concept TransactionBody = std::is_invocable_v<Fn&, Transaction&> &&
                          requires { typename AwaitedResult<std::invoke_result_t<Fn&, Transaction&>>::type; };

template <class Fn>
using TransactionBodyResult = typename AwaitedResult<std::invoke_result_t<Fn&, Transaction&>>::type;

/// The end of a scoped transaction: without `error`, commits when still active; with it, rolls
/// back when still active (a failed rollback is only logged) and fails with `error` unchanged.
UVMYSQL_API Future<void> finish_scope(Transaction& tx, std::exception_ptr error);

/// The body of a scoped transaction, type-erased before it enters a coroutine frame: a frame
/// defined in this header with a field of the caller's lambda type trips GCC's
/// -Wsubobject-linkage in the caller's file. The body (and a coroutine lambda's captures) lives
/// on the heap until its Future has finished.
template <class T>
using ScopeBody = UniqueFunction<Future<T>(Transaction&)>;

template <class Fn, class T = TransactionBodyResult<Fn>>
ScopeBody<T> erase_body(Fn fn) {
    return ScopeBody<T>([fn = std::move(fn)](Transaction& tx) mutable -> Future<T> {
        if constexpr (std::is_same_v<std::invoke_result_t<Fn&, Transaction&>, Task<T>>) {
            return spawn(fn(tx));
        } else {
            return fn(tx);
        }
    });
}

template <class T>
Task<T> run_scope(Future<Transaction> begun, ScopeBody<T> body) {
    // body and tx live in this frame until the body's Future has finished.
    Transaction tx = co_await std::move(begun);
    std::exception_ptr error;
    try {
        if constexpr (std::is_void_v<T>) {
            co_await body(tx);
            co_await finish_scope(tx, nullptr);
            co_return;
        } else {
            T value = co_await body(tx);
            co_await finish_scope(tx, nullptr);
            co_return value;
        }
    } catch (...) {
        error = std::current_exception();
    }
    co_await finish_scope(tx, error);   // throws `error`
    std::rethrow_exception(error);
}

template <class T>
Task<T> run_pool_scope(Pool pool, TransactionOptions options, ScopeBody<T> body) {
    PooledConnection conn = co_await pool.acquire();   // released when this frame ends
    co_return co_await run_scope<T>(begin(*conn, options), std::move(body));
}

}  // namespace detail

/// Runs `fn(Transaction&)` inside a transaction on `conn`: begins it, awaits the Future or Task
/// that `fn` returns, then commits when that succeeded (unless `fn` ended the transaction
/// itself), or rolls back when it failed or `fn` threw, and fails with that very error
/// (a failed rollback is logged, never reported instead of it). A failed commit is rolled back
/// and reported. Resolves to what `fn`'s result resolves to. `fn` is kept alive until its
/// result has finished, so a coroutine lambda may use its captures and the Transaction&.
template <detail::TransactionBody Fn>
[[nodiscard]] Future<detail::TransactionBodyResult<Fn>> transaction(Connection conn, TransactionOptions options, Fn fn) {
    return spawn(detail::run_scope(begin(std::move(conn), options), detail::erase_body(std::move(fn))));
}
template <detail::TransactionBody Fn>
[[nodiscard]] Future<detail::TransactionBodyResult<Fn>> transaction(Connection conn, Fn fn) {
    return transaction(std::move(conn), TransactionOptions(), std::move(fn));
}

/// As transaction(conn, ...), on a connection acquired from `pool` and released afterwards
/// (also when acquire, begin, `fn` or the commit fail). Pool::transaction() calls this.
template <detail::TransactionBody Fn>
[[nodiscard]] Future<detail::TransactionBodyResult<Fn>> transaction(Pool pool, TransactionOptions options, Fn fn) {
    return spawn(detail::run_pool_scope(std::move(pool), options, detail::erase_body(std::move(fn))));
}
template <detail::TransactionBody Fn>
[[nodiscard]] Future<detail::TransactionBodyResult<Fn>> transaction(Pool pool, Fn fn) {
    return transaction(std::move(pool), TransactionOptions(), std::move(fn));
}

template <class Fn>
auto Pool::transaction(Fn fn) {
    return uvmysql::transaction(*this, std::move(fn));
}
template <class Fn>
auto Pool::transaction(TransactionOptions options, Fn fn) {
    return uvmysql::transaction(*this, std::move(options), std::move(fn));
}

}  // namespace uvmysql
