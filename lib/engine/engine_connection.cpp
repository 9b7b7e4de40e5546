// SPDX-License-Identifier: MIT
// EngineConnection: statements into ResultProxies, transactions through the transaction layer.
#include "uvmysql/engine_connection.hpp"

#include "common/logger.hpp"
#include "common/access.hpp"
#include "engine/engine_state.hpp"

namespace uvmysql {

namespace {

using detail::ResultState;

std::shared_ptr<const std::vector<std::string>> names_of(const std::vector<std::string>& names) {
    return std::make_shared<const std::vector<std::string>>(names);
}

ResultProxy buffered(ResultSet rs) {
    auto s = std::make_shared<ResultState>();
    s->lastrowid = rs.insert_id;
    s->returns_rows = rs.has_rows();
    if (rs.has_rows()) {
        std::vector<std::string> names;
        names.reserve(rs.columns->size());
        for (const ColumnInfo& c : *rs.columns) names.push_back(c.name);
        s->keys = names_of(names);
        s->rowcount = static_cast<std::int64_t>(rs.rows.size());
        s->rows = std::move(rs.rows);
        s->closed = s->rows.empty();
    } else {
        s->rowcount = static_cast<std::int64_t>(rs.affected_rows);
    }
    return detail::Access::make<ResultProxy>(std::move(s));
}

ResultProxy streamed(SSCursor cur) {
    auto s = std::make_shared<ResultState>();
    s->lastrowid = cur.lastrowid();
    s->returns_rows = !cur.description().empty();
    if (s->returns_rows) {
        std::vector<std::string> names;
        names.reserve(cur.description().size());
        for (const Description& d : cur.description()) names.push_back(d.name);
        s->keys = names_of(names);
        s->closed = false;
        s->stream = std::move(cur);
    } else {
        s->rowcount = cur.rowcount();
    }
    return detail::Access::make<ResultProxy>(std::move(s));
}

Task<> close_connection(std::shared_ptr<detail::EngineConnectionState> state) {
    Connection conn = state->conn;
    try {
        // A streamed result still being read would make the rollback fail with 2014.
        if (!conn.closed() && conn.has_unread_result()) co_await conn.discard_unread_result();
        if (!conn.closed() && conn.in_transaction()) co_await conn.rollback();
    } catch (...) {
        detail::logger()->warn("engine: closing a connection: {}",
                               detail::describe_exception(std::current_exception()));
    }
    state->lent.release();  // the pool rolls back or drops whatever is left
    state->conn = Connection();
}

}  // namespace

std::exception_ptr EngineConnection::check_open() const {
    if (!state_ || state_->closed)
        return std::make_exception_ptr(InterfaceError(0, "08003", "This EngineConnection is closed"));
    return nullptr;
}

Future<ResultProxy> EngineConnection::execute(std::string sql, Args args) {
    if (auto e = check_open()) return make_exception_future<ResultProxy>(e);
    Connection conn = state_->conn;
    if (options_.stream_results) {
        auto cur = conn.cursor<SSCursor>();
        return cur.execute(std::move(sql), args).then([cur](std::uint64_t) { return streamed(cur); });
    }
    return conn.execute(std::move(sql), std::move(args)).then(&buffered);
}

Future<ResultProxy> EngineConnection::execute_statement(detail::UniqueFunction<sql::Compiled()> compile) {
    if (auto e = check_open()) return make_exception_future<ResultProxy>(e);
    try {
        return run(compile());
    } catch (...) {
        return make_exception_future<ResultProxy>(std::current_exception());
    }
}

Future<ResultProxy> EngineConnection::run(sql::Compiled compiled) {
    // Always positional, even with no values: the compiled text has its literal `%` doubled.
    return execute(std::move(compiled.sql), Args(std::move(compiled.params)));
}

Future<Value> EngineConnection::scalar_of(Future<ResultProxy> result) {
    return std::move(result).then([](ResultProxy r) { return r.scalar(); });
}

Future<Value> EngineConnection::scalar(std::string sql, Args args) {
    return scalar_of(execute(std::move(sql), std::move(args)));
}

EngineConnection EngineConnection::execution_options(ExecutionOptions options) const {
    EngineConnection c = *this;
    c.options_ = options;
    return c;
}

Future<Transaction> EngineConnection::begin(TransactionOptions options) {
    if (auto e = check_open()) return make_exception_future<Transaction>(e);
    return uvmysql::begin(state_->conn, options);
}
Future<NestedTransaction> EngineConnection::begin_nested() {
    if (auto e = check_open()) return make_exception_future<NestedTransaction>(e);
    return uvmysql::begin_nested(state_->conn);
}
Future<TwoPhaseTransaction> EngineConnection::begin_twophase() {
    if (auto e = check_open()) return make_exception_future<TwoPhaseTransaction>(e);
    return uvmysql::begin_twophase(state_->conn);
}
Future<TwoPhaseTransaction> EngineConnection::begin_twophase(Xid xid) {
    if (auto e = check_open()) return make_exception_future<TwoPhaseTransaction>(e);
    return uvmysql::begin_twophase(state_->conn, std::move(xid));
}
Future<std::vector<Xid>> EngineConnection::recover_twophase() {
    if (auto e = check_open()) return make_exception_future<std::vector<Xid>>(e);
    return uvmysql::recover_twophase(state_->conn);
}
Future<void> EngineConnection::commit_prepared(Xid xid) {
    if (auto e = check_open()) return make_exception_future<void>(e);
    return uvmysql::commit_prepared(state_->conn, std::move(xid));
}
Future<void> EngineConnection::rollback_prepared(Xid xid) {
    if (auto e = check_open()) return make_exception_future<void>(e);
    return uvmysql::rollback_prepared(state_->conn, std::move(xid));
}

bool EngineConnection::in_transaction() const { return !closed() && state_->conn.in_transaction(); }
bool EngineConnection::closed() const { return !state_ || state_->closed || state_->conn.closed(); }
Connection EngineConnection::connection() const { return state_ ? state_->conn : Connection(); }

Future<void> EngineConnection::close() {
    if (!state_ || state_->closed) return make_ready_future();
    state_->closed = true;  // at once: nothing new starts on it while it is being given back
    return spawn(close_connection(state_));
}

}  // namespace uvmysql
