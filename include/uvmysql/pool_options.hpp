// SPDX-License-Identifier: MIT
// PoolOptions: the parameters of aiomysql.create_pool() beyond connect()'s, plus uvmysql's additions.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "uvmysql/export.hpp"

namespace uvmysql {

class Observer;

/// What the pool does to a healthy connection when it comes back (after the automatic rollback of
/// an open transaction, which always happens).
enum class ResetMode {
    none,              ///< keep the session as the last user left it (aiomysql's behaviour)
    reset_connection,  ///< COM_RESET_CONNECTION, then the connect options are applied again
    close,             ///< close it: every acquire() gets a fresh session
};

/// Pool settings for create_pool(). The connection settings themselves (including `echo`) are
/// the ConnectOptions given next to these.
///
/// Durations follow one rule: a negative value turns the feature off. Give them as
/// `std::chrono::seconds(1)` or `std::chrono::milliseconds(250)`.
struct UVMYSQL_API PoolOptions {
    // --- aiomysql ---------------------------------------------------------------------------
    /// Connections opened by create_pool() and kept at least (refilled on acquire); 0 = none.
    std::size_t minsize = 1;
    /// Most connections the pool holds at once, idle + in use + being opened; 0 = unlimited.
    std::size_t maxsize = 10;
    /// A connection unused for longer than this is closed instead of being handed out
    /// (aiomysql's pool_recycle, measured from its last release). Negative (the default): off.
    std::chrono::milliseconds pool_recycle{-1};

    // --- uvmysql additions ------------------------------------------------------------------
    /// Bound on the whole acquire() wait (queue, connect and validation included); it then fails
    /// with PoolTimeoutError. Negative (the default): wait as long as it takes.
    std::chrono::milliseconds acquire_timeout{-1};
    /// How many acquire() calls may wait at once; one more fails at once with PoolQueueFullError.
    /// 0 (the default): no limit.
    std::size_t max_waiting = 0;
    /// Absolute lifetime of a connection, from when it was opened: past it, the connection is
    /// closed when it is released or would be handed out. Negative (the default): unlimited.
    std::chrono::milliseconds max_lifetime{-1};
    /// Each connection's lifetime is shortened by a random amount up to this, so that connections
    /// opened together do not all expire together. Only used with max_lifetime.
    std::chrono::milliseconds lifetime_jitter{0};
    /// A connection idle for at least this long is pinged (COM_PING) before it is handed out; one
    /// that fails is closed and another one is used. 0: ping every time (except right after the
    /// connection was opened or pinged); negative: never.
    std::chrono::milliseconds ping_after_idle{std::chrono::seconds(5)};
    /// What happens to a returned connection's session (see ResetMode).
    ResetMode reset_on_return = ResetMode::none;
    /// A connection returned while an SSCursor result on it is still unread: the pool reads out
    /// and drops the rest for up to this long (a loop that stopped early usually leaves little),
    /// and closes the connection if that is not enough. 0 or negative: close it at once.
    std::chrono::milliseconds unread_result_drain{100};
    /// The pool's default time limit for each statement on its connections (see
    /// ConnectOptions::query_timeout: past it the statement is killed, fails with
    /// QueryTimeoutError, and the connection comes back healthy). nullopt (the default): the
    /// ConnectOptions' query_timeout. A borrower may change it with
    /// Connection::set_query_timeout(); the pool restores its default when the connection is
    /// released, so the next borrower never inherits another's limit.
    std::optional<std::chrono::milliseconds> query_timeout;
    /// Logs a warning through the "uvmysql" logger when a connection is held longer than this
    /// (once per acquisition), to find code that forgets to release. Negative (the default): off.
    std::chrono::milliseconds leak_detection_threshold{-1};
    /// Receives an event for each acquire() (Observer::on_pool_acquire). When the
    /// ConnectOptions given to create_pool() have no observer of their own, the pool's
    /// connections report their statements, connects and closes to this one too.
    std::shared_ptr<Observer> observer;
};

}  // namespace uvmysql
