// SPDX-License-Identifier: MIT
// PoolState: the bookkeeping behind a Pool — members, waiters, capacity, shutdown and metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <list>
#include <memory>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "async/block_cache.hpp"
#include "async/cancel_state.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/detail/loop_timer.hpp"
#include "uvmysql/detail/unique_function.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/observer.hpp"
#include "uvmysql/pool.hpp"

namespace uvmysql::detail {

using PoolClock = std::chrono::steady_clock;

/// The state shared by a pool's handles, its lent connections and its background tasks.
///
/// Flow: acquire() queues a waiter; serve() hands free connections to waiters in FIFO order,
/// starts pings for connections idle too long, and opens connections for demand that nothing in
/// flight will meet (within maxsize). release() puts a clean connection back at once, or lets a
/// task roll it back / reset it first. Connections that are closed, broken or expired are retired.
///
/// Re-entrancy: every entry point opens a Scope. State changes happen inside; anything that may
/// run user code (fulfilling a promise, starting I/O, closing a connection whose pending futures
/// then fail) is deferred to the end of the outermost Scope, when the state is consistent. So user
/// continuations may call back into the pool freely.
class PoolState : public std::enable_shared_from_this<PoolState> {
public:
    PoolState(uv_loop_s* loop, ConnectOptions options, PoolOptions pool_options);
    ~PoolState();
    PoolState(const PoolState&) = delete;
    PoolState& operator=(const PoolState&) = delete;

    /// Opens the first minsize connections; resolves when all are open, fails (and closes the
    /// pool) with the first error.
    Future<void> start();

    // --- what Pool and PooledConnection forward --------------------------------------------
    /// A connection for a new waiter; `signal` (may be null) can take the waiter out.
    Future<PooledConnection> acquire(std::shared_ptr<CancelState> signal);
    /// Takes member `id` back from its borrower; unknown ids (terminated members) are ignored.
    void release(std::uint64_t id) noexcept;
    Future<void> clear();
    void close();
    void terminate();
    Future<void> wait_closed();

    [[nodiscard]] std::size_t size() const noexcept { return members_.size() + opening_; }
    [[nodiscard]] std::size_t freesize() const noexcept { return free_.size(); }
    [[nodiscard]] bool closing() const noexcept { return closing_; }
    [[nodiscard]] PoolStats stats() const;
    [[nodiscard]] const PoolOptions& options() const noexcept { return options_; }
    [[nodiscard]] const ConnectOptions& connect_options() const noexcept { return connect_options_; }
    [[nodiscard]] uv_loop_s* loop() const noexcept { return loop_; }

    // --- completions of the background tasks (pool_tasks.cpp) ------------------------------
    /// A connection attempt ended: `conn` on success, else `error`.
    void opened(std::optional<Connection> conn, std::exception_ptr error);
    /// The ping of member `id` before hand-out ended (null error: alive).
    void validated(std::uint64_t id, std::exception_ptr error);
    /// How cleaning a returned member ended.
    enum class CleanResult { clean, broken, unread };
    void cleaned(std::uint64_t id, CleanResult result);
    /// A retired connection's COM_QUIT went out.
    void quit_done();

    /// Counters the tasks bump.
    PoolStats& counters() noexcept { return counters_; }

private:
    enum class Use { idle, in_use, checking };
    /// Why a member leaves the pool (decides the counter and how it is closed).
    enum class Retire { shutdown, broken, expired, unread, reset_close, terminated };

    struct Member {
        Connection conn;
        Use use = Use::idle;
        PoolClock::time_point created;
        PoolClock::time_point last_used;
        PoolClock::time_point expires;  // max() without max_lifetime
        bool fresh = false;             // just opened or pinged: no ping before this hand-out
        LoopTimer* leak_timer = nullptr;
    };
    struct Waiter {
        std::uint64_t id = 0;
        Promise<PooledConnection> promise;
        PoolClock::time_point since;
        LoopTimer* timer = nullptr;
        std::shared_ptr<CancelState> signal;   // its CancelSignal, if any
        std::uint64_t cancel_key = 0;          // its subscription to `signal`
    };
    /// The waiter leaves the queue: its timer and signal forget it.
    static void stop_watching(Waiter& w) noexcept;
    /// Tells the observer (PoolOptions::observer, set) how `w`'s wait ended.
    void report_acquire(const Waiter& w, AcquireResult result, std::uint32_t connection_id);

    /// Opened by each entry point; the outermost one settles the pool when it ends.
    class Scope {
    public:
        explicit Scope(PoolState& s);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        PoolState& s_;
        std::shared_ptr<PoolState> keep_;
    };

    /// Serves waiters and runs deferred work until nothing is left to do.
    void settle() noexcept;
    /// One pass: sweep the free list, hand out, validate, open, check for the end of shutdown.
    void serve();
    void sweep_free(PoolClock::time_point now);
    void hand_out(std::uint64_t id, Member& m, PoolClock::time_point now);
    void start_validation(std::uint64_t id, Member& m);
    void start_open();
    void make_idle(std::uint64_t id, Member& m, PoolClock::time_point now);
    /// Removes member `id` (not in free_) from the pool and closes its connection.
    void retire(std::uint64_t id, Retire why);
    void retire_free(Retire why);
    void fail_waiters(std::exception_ptr error);
    void fail_front_waiter(std::exception_ptr error);
    void on_acquire_timeout(std::uint64_t waiter_id);
    void on_acquire_cancelled(std::uint64_t waiter_id);
    void on_leak(std::uint64_t id);
    void check_closed();

    [[nodiscard]] bool has_room() const noexcept;
    [[nodiscard]] bool expired(const Member& m, PoolClock::time_point now) const noexcept;
    [[nodiscard]] bool needs_ping(const Member& m, PoolClock::time_point now) const noexcept;
    [[nodiscard]] bool needs_cleaning(const Member& m) const;
    [[nodiscard]] PoolClock::time_point expiry_for(PoolClock::time_point created);
    void set_use(Member& m, Use use) noexcept;
    void defer(UniqueFunction<void()> fn) { deferred_.push_back(std::move(fn)); }

    uv_loop_s* loop_;
    ConnectOptions connect_options_;
    PoolOptions options_;

    std::unordered_map<std::uint64_t, Member> members_;
    std::vector<std::uint64_t> free_;  // idle members; back = most recently used, handed out first
    std::list<Waiter, CachedBlockAllocator<Waiter>> waiters_;   // FIFO; nodes from the block cache
    std::uint64_t next_id_ = 1;
    std::size_t in_use_ = 0;
    std::size_t checking_ = 0;
    std::size_t validating_ = 0;  // of checking_: pings for waiters
    std::size_t opening_ = 0;
    std::size_t quitting_ = 0;  // retired, COM_QUIT not yet sent: still counts against maxsize

    bool closing_ = false;
    bool dirty_ = false;   // serve() has work
    bool refill_ = false;  // top up to minsize on the next serve() (set by acquire/release)
    int depth_ = 0;        // open Scopes
    std::vector<UniqueFunction<void()>> deferred_;
    std::vector<UniqueFunction<void()>> running_;   // the batch settle() is running

    std::optional<Promise<void>> startup_;  // create_pool() waiting for minsize connections
    std::exception_ptr startup_error_;
    std::vector<Promise<void>> closed_waiters_;
    std::vector<Promise<void>> clear_waiters_;

    PoolStats counters_;
    std::minstd_rand jitter_rng_;
};

}  // namespace uvmysql::detail
