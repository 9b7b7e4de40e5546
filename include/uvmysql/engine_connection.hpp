// SPDX-License-Identifier: MIT
// EngineConnection (aiomysql.sa.SAConnection): executes SQL text or statements, owns transactions.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "uvmysql/connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/result_proxy.hpp"
#include "uvmysql/sql.hpp"
#include "uvmysql/transaction.hpp"

namespace uvmysql {

namespace detail {
struct EngineConnectionState;
struct Access;
}

/// How an EngineConnection runs statements (SQLAlchemy's execution options).
struct ExecutionOptions {
    /// Stream the rows from the socket as they are fetched (SSCursor) instead of buffering them.
    bool stream_results = false;

    /// A copy with stream_results set: `conn.execution_options(ExecutionOptions().with_stream_results())`.
    [[nodiscard]] ExecutionOptions with_stream_results(bool on = true) const {
        ExecutionOptions o = *this;
        o.stream_results = on;
        return o;
    }
};

/// A connection lent by an Engine (aiomysql.sa.SAConnection). A cheap handle: copies share the
/// connection (and its closed state) but each carries its own ExecutionOptions. Call on the
/// engine's loop thread.
///
/// close() rolls back a transaction still open and gives the connection back to the engine's
/// pool; so does destroying the last handle without close() (the pool then rolls back).
/// Every operation on a closed EngineConnection fails with InterfaceError.
class UVMYSQL_API EngineConnection {
public:
    /// An empty handle: closed() is true.
    EngineConnection() = default;

    /// Runs SQL text with `args` interpolated client-side (positional `%%s` or named `%(name)s`,
    /// as Cursor::execute(); no args: sent as it is). Resolves to its ResultProxy; fails with
    /// the server's error class, ProgrammingError for bad arguments, InterfaceError when closed.
    [[nodiscard]] Future<ResultProxy> execute(std::string sql, Args args = {});
    /// execute() with positional values given one by one (compiles inside co_await on GCC 12).
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<ResultProxy> execute(std::string sql, Vs&&... values) {
        return execute(std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }
    /// Runs a statement of the expression layer (select(), tbl.insert()...): compiled first, its
    /// values bound through the library's escaping. A statement that does not compile fails the
    /// future with compile()'s error (ProgrammingError, NoSuchColumnError).
    template <sql::Statement S>
    [[nodiscard]] Future<ResultProxy> execute(const S& statement) {
        return execute_statement([&statement] { return sql::compile(statement); });
    }
    /// aiomysql's `execute(tbl.insert(), {"id": 1, "val": "v1"})`: an INSERT of one row.
    [[nodiscard]] Future<ResultProxy> execute(const sql::Insert& statement, const NamedParams& row) {
        return execute(statement.values(row));
    }

    /// execute(), then the first column of the first row (NULL when there is no row).
    [[nodiscard]] Future<Value> scalar(std::string sql, Args args = {});
    /// scalar() with positional values given one by one (compiles inside co_await on GCC 12).
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<Value> scalar(std::string sql, Vs&&... values) {
        return scalar(std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }
    /// scalar() of an expression-layer statement: `co_await conn.scalar(select(count()).select_from(tbl))`.
    /// A statement that does not compile fails the future with compile()'s error.
    template <sql::Statement S>
    [[nodiscard]] Future<Value> scalar(const S& statement) {
        return scalar_of(execute(statement));
    }

    /// A handle on the same connection whose statements run with `options`.
    [[nodiscard]] EngineConnection execution_options(ExecutionOptions options) const;
    /// The ExecutionOptions this handle runs statements with.
    [[nodiscard]] const ExecutionOptions& get_execution_options() const noexcept { return options_; }

    // --- transactions (the transaction layer's objects; see transaction.hpp) -------------------
    /// begin(connection(), options): the outermost transaction, or an inner one while one is active.
    [[nodiscard]] Future<Transaction> begin(TransactionOptions options = {});
    /// A SAVEPOINT transaction (begin_nested(connection())).
    [[nodiscard]] Future<NestedTransaction> begin_nested();
    /// An XA transaction with a random xid, or with `xid`.
    [[nodiscard]] Future<TwoPhaseTransaction> begin_twophase();
    /// begin_twophase(connection(), xid): XA START with `xid`; ProgrammingError 1440 (XAER_DUPID)
    /// when the server has it already.
    [[nodiscard]] Future<TwoPhaseTransaction> begin_twophase(Xid xid);
    /// XA RECOVER: the xids of the server's prepared XA transactions.
    [[nodiscard]] Future<std::vector<Xid>> recover_twophase();
    /// XA COMMIT of a prepared XA transaction (one that recover_twophase() lists), e.g. after a
    /// crash between prepare and commit. ProgrammingError 1397 (XAER_NOTA) for an unknown xid.
    [[nodiscard]] Future<void> commit_prepared(Xid xid);
    /// XA ROLLBACK of a prepared XA transaction. ProgrammingError 1397 (XAER_NOTA) for an unknown xid.
    [[nodiscard]] Future<void> rollback_prepared(Xid xid);

    /// True while a transaction is open on the session (as the server reports it).
    [[nodiscard]] bool in_transaction() const;
    /// True after close(), for an empty handle, and when the underlying connection is closed.
    [[nodiscard]] bool closed() const;
    /// The underlying Connection (an empty handle once closed).
    [[nodiscard]] Connection connection() const;

    /// Rolls back what is pending (a streamed result is read out first), then returns the
    /// connection to the engine's pool. Never fails (problems are logged: the pool closes a
    /// connection it cannot reuse). Idempotent.
    [[nodiscard]] Future<void> close();

private:
    friend struct detail::Access;   // Engine::acquire() makes it
    explicit EngineConnection(std::shared_ptr<detail::EngineConnectionState> state) noexcept
        : state_(std::move(state)) {}
    Future<ResultProxy> execute_statement(detail::UniqueFunction<sql::Compiled()> compile);
    Future<ResultProxy> run(sql::Compiled compiled);
    static Future<Value> scalar_of(Future<ResultProxy> result);
    std::exception_ptr check_open() const;

    std::shared_ptr<detail::EngineConnectionState> state_;
    ExecutionOptions options_;
};

}  // namespace uvmysql
