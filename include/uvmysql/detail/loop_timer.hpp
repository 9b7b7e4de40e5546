// SPDX-License-Identifier: MIT
// One-shot libuv timers for with_timeout() and sleep_for(), without uv.h in public headers.
#pragma once

#include <chrono>
#include <exception>

#include "uvmysql/detail/unique_function.hpp"
#include "uvmysql/export.hpp"

struct uv_loop_s;

namespace uvmysql::detail {

/// A one-shot timer owned by the loop: it closes and frees itself after firing or cancel_timer().
class LoopTimer;

/// Starts a timer that calls `on_fire` once, on the loop thread, after `delay` (negative = 0).
/// The timer keeps the loop alive until it has fired or been cancelled and closed.
[[nodiscard]] UVMYSQL_API LoopTimer* start_timer(uv_loop_s* loop, std::chrono::milliseconds delay,
                                     UniqueFunction<void()> on_fire);

/// Stops a timer that has not fired yet: `on_fire` is destroyed unrun, the handle is closed.
/// Must not be called once the timer has fired (the handle is gone by then).
UVMYSQL_API void cancel_timer(LoopTimer* timer) noexcept;

/// The error with_timeout() fails with: TimeoutError 2013 (CR_SERVER_LOST), SQLSTATE HYT00,
/// "operation timed out after N ms".
[[nodiscard]] UVMYSQL_API std::exception_ptr timeout_error(std::chrono::milliseconds timeout);

}  // namespace uvmysql::detail
