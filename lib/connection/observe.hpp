// SPDX-License-Identifier: MIT
// What the connection layer tells an Observer: events built from the session, calls that never throw.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "async/block_cache.hpp"
#include "common/sql_operation.hpp"
#include "common/status.hpp"
#include "uvmysql/observer.hpp"

namespace uvmysql::detail {

struct SessionState;

using ObserverClock = std::chrono::steady_clock;

/// The attributes of the session's server, viewing `s` and its options.
ServerInfo server_info(const SessionState& s);
/// The ErrorInfo of `st` (failed == !st.ok()).
ErrorInfo error_info(const Status& st);

/// Logs the exception being handled, which an Observer method threw.
void log_observer_failure() noexcept;

/// Runs `call` (an Observer method); an exception it throws is logged and dropped, so an
/// observer can never break the connection or the pool calling it.
template <class Fn>
void notify_observer(Fn&& call) noexcept {
    try {
        call();
    } catch (...) {
        log_observer_failure();
    }
}

/// One statement reported to an observer, from its start to its end (QueryOp owns it). Only
/// made when an observer is installed: the common case costs QueryOp one null pointer.
class QueryWatch {
public:
    static void* operator new(std::size_t size) { return cached_block_alloc(size); }
    static void operator delete(void* block, std::size_t size) noexcept { cached_block_free(block, size); }

    /// Reports the start of `sql` (a prepared statement's when `statement_id` is not 0). `sql`
    /// must stay valid until end().
    QueryWatch(Observer& observer, const SessionState& session, std::string_view sql,
               std::uint32_t statement_id);
    QueryWatch(const QueryWatch&) = delete;
    QueryWatch& operator=(const QueryWatch&) = delete;
    ~QueryWatch() = default;

    /// Adds one result's figures (an OK, or the end of a result set).
    void tally(std::uint64_t rows, std::uint64_t affected, std::uint32_t warnings) noexcept {
        outcome_.rows += rows;
        outcome_.affected_rows += affected;
        outcome_.warnings += warnings;
    }
    /// Reports the end: `failure` is the error the statement fails with, or null.
    void end(const Status* failure) noexcept;

private:
    Observer& observer_;
    const SessionState& session_;
    ObserverClock::time_point start_;
    // Built once at the start and given to both calls (the observer's user_token stays in it).
    QueryEvent event_;
    QueryOutcome outcome_;
    char operation_[sql_operation_max];
};

}  // namespace uvmysql::detail
