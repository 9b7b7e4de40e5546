// SPDX-License-Identifier: MIT
// PoolStats: a snapshot of a pool's gauges, counters and acquire-wait histogram, for metrics export.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "uvmysql/export.hpp"

namespace uvmysql {

/// Acquire wait times as a histogram with fixed bucket bounds, in the shape Prometheus and
/// OpenTelemetry expect (explicit bounds, a count and a sum).
struct UVMYSQL_API WaitHistogram {
    /// Upper bounds of the buckets, in microseconds (inclusive, Prometheus' `le`). A last bucket,
    /// past the end of this array, holds the longer waits (+Inf).
    static constexpr std::array<std::uint64_t, 16> bounds_us{
        50,     100,    250,     500,     1'000,   2'500,     5'000,     10'000,
        25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 10'000'000,
    };

    /// counts[i]: waits in (bounds_us[i-1], bounds_us[i]]; counts.back(): waits above the last bound.
    /// Not cumulative (OpenTelemetry's layout); cumulative() gives Prometheus' buckets.
    std::array<std::uint64_t, bounds_us.size() + 1> counts{};
    std::uint64_t count = 0;   ///< waits recorded
    std::uint64_t sum_us = 0;  ///< their total, in microseconds

    /// Records one wait.
    void record(std::chrono::microseconds wait) noexcept {
        const auto us = static_cast<std::uint64_t>(wait.count() < 0 ? 0 : wait.count());
        std::size_t i = 0;
        while (i < bounds_us.size() && us > bounds_us[i]) ++i;
        ++counts[i];
        ++count;
        sum_us += us;
    }

    /// Waits of at most bounds_us[i] (Prometheus' cumulative bucket); i >= bounds_us.size() gives
    /// count (the +Inf bucket).
    [[nodiscard]] std::uint64_t cumulative(std::size_t i) const noexcept {
        std::uint64_t total = 0;
        for (std::size_t k = 0; k <= i && k < counts.size(); ++k) total += counts[k];
        return total;
    }
};

/// What Pool::stats() returns: the pool's state at the moment of the call. Gauges describe now;
/// counters only grow over the pool's life.
struct UVMYSQL_API PoolStats {
    // --- gauges -----------------------------------------------------------------------------
    std::size_t idle = 0;      ///< free connections, ready to hand out (Pool::freesize())
    std::size_t in_use = 0;    ///< connections handed out and not yet released
    std::size_t opening = 0;   ///< connections being opened
    std::size_t checking = 0;  ///< being pinged before hand-out or cleaned after release
    std::size_t size = 0;      ///< idle + in_use + opening + checking (Pool::size())
    std::size_t waiting = 0;   ///< acquire() calls waiting for a connection
    /// Connections the pool keeps open at least (PoolOptions::minsize).
    std::size_t minsize = 0;
    std::size_t maxsize = 0;  ///< 0: unlimited

    // --- counters ---------------------------------------------------------------------------
    std::uint64_t created = 0;            ///< connections opened successfully
    std::uint64_t failed = 0;             ///< connection attempts that failed
    std::uint64_t closed = 0;             ///< connections closed, for whatever reason
    std::uint64_t acquired = 0;           ///< successful acquire() calls
    std::uint64_t acquire_timeouts = 0;   ///< acquire() calls failed with PoolTimeoutError
    std::uint64_t rejected = 0;           ///< acquire() calls failed with PoolQueueFullError
    std::uint64_t discarded_broken = 0;   ///< closed as broken: lost link, failed ping/rollback/reset
    std::uint64_t discarded_expired = 0;  ///< closed by pool_recycle or max_lifetime
    std::uint64_t discarded_unread = 0;   ///< closed on release with an unread SSCursor result
    std::uint64_t drained_unread = 0;     ///< unread SSCursor results read out on release (kept)
    std::uint64_t validations = 0;        ///< pings before hand-out (ping_after_idle)
    std::uint64_t rollbacks = 0;          ///< transactions rolled back on release
    std::uint64_t resets = 0;             ///< sessions reset on release (ResetMode::reset_connection)
    std::uint64_t leaks_detected = 0;     ///< acquisitions held past leak_detection_threshold

    /// Time from acquire() to the connection being handed over, for successful calls.
    WaitHistogram acquire_wait;
};

}  // namespace uvmysql
