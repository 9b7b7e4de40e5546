// SPDX-License-Identifier: MIT
// The pool's background coroutines: opening, validating and cleaning members.
#include "pool/pool_tasks.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <utility>

#include "pool/pool_state.hpp"

namespace uvmysql::detail {

Task<void> open_member(std::shared_ptr<PoolState> pool) {
    std::optional<Connection> conn;
    std::exception_ptr error;
    try {
        conn.emplace(co_await connect(pool->loop(), pool->connect_options()));
    } catch (...) {
        error = std::current_exception();
    }
    pool->opened(std::move(conn), std::move(error));
}

Task<void> validate_member(std::shared_ptr<PoolState> pool, std::uint64_t id, Connection conn) {
    std::exception_ptr error;
    try {
        // A link that silently died (no FIN ever came) would leave the ping waiting forever.
        const auto limit = conn.options().connect_timeout.count() > 0 ? conn.options().connect_timeout
                                                                      : std::chrono::milliseconds(10'000);
        co_await with_timeout(pool->loop(), limit, conn.ping(false));
    } catch (...) {
        error = std::current_exception();
    }
    pool->validated(id, std::move(error));
}

Task<void> clean_member(std::shared_ptr<PoolState> pool, std::uint64_t id, Connection conn) {
    using Result = PoolState::CleanResult;
    Result result = Result::clean;
    try {
        // An SSCursor result left unread is read out, within the budget (the connection is then
        // closed instead: what is left may be huge).
        if (conn.has_unread_result()) {
            try {
                co_await with_timeout(pool->loop(), pool->options().unread_result_drain, conn.discard_unread_result());
                ++pool->counters().drained_unread;
            } catch (...) {
                // Over the budget, or a fetch still pending: has_unread_result() stays true.
            }
        }
        // Work the borrower left queued (a detached query...) runs first: a ping queued behind
        // it resolves once it is done, and the session state is then final.
        if (conn.pending_commands() > 0 && !conn.has_unread_result()) co_await conn.ping(false);
        if (conn.has_unread_result()) {
            result = Result::unread;
        } else {
            if (conn.in_transaction()) {
                co_await conn.rollback();
                ++pool->counters().rollbacks;
            }
            if (pool->options().reset_on_return == ResetMode::reset_connection) {
                co_await reset_session(conn);
                ++pool->counters().resets;
            }
        }
    } catch (...) {
        result = Result::broken;
    }
    pool->cleaned(id, result);
}

Task<void> reset_session(Connection conn) {
    co_await conn.reset_connection();   // also sets up charset, sql_mode, init_command, autocommit again
    if (conn.options().db) co_await conn.select_db(*conn.options().db);   // the borrower may have changed it
}

}  // namespace uvmysql::detail
