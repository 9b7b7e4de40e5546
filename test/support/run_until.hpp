// SPDX-License-Identifier: MIT
// run_until(): drives a uv loop until a Future is ready (failing the test on timeout); TestLoop.
#pragma once

#include <gtest/gtest.h>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "uvmysql/future.hpp"

namespace uvmysql::test {

/// Thrown by run_until() after it has recorded a test failure for a future that never became
/// ready, so that the caller's test stops there.
class RunUntilTimeout : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Runs `loop` until `future` is ready, then returns its value or rethrows its exception
/// (so EXPECT_THROW(run_until(...), uvmysql::OperationalError) works). If the future is not ready
/// after `timeout`, or the loop runs out of work first, records a test failure and throws
/// RunUntilTimeout. Its own deadline timer is closed before returning, so uv_loop_close() can
/// follow directly when nothing else is pending.
template <class T>
T run_until(uv_loop_s* loop, Future<T> future, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    struct Deadline {
        uv_timer_t timer{};
        bool expired = false;
        bool closed = false;
    } deadline;
    uv_timer_init(loop, &deadline.timer);
    deadline.timer.data = &deadline;
    // The loop's cached clock stops between runs: after the test blocked (a sleep, a child
    // process), a deadline counted from it would fire early.
    uv_update_time(loop);
    uv_timer_start(
        &deadline.timer, [](uv_timer_t* t) { static_cast<Deadline*>(t->data)->expired = true; },
        static_cast<std::uint64_t>(timeout.count()), 0);

    // Unreferenced: the deadline bounds how long UV_RUN_ONCE blocks but does not keep the loop
    // alive, so a loop with nothing left that could resolve the future is noticed at once.
    uv_unref(reinterpret_cast<uv_handle_t*>(&deadline.timer));
    bool ran_dry = false;
    while (!future.is_ready() && !deadline.expired) {
        if (uv_run(loop, UV_RUN_ONCE) == 0 && !future.is_ready() && !deadline.expired) {
            ran_dry = true;
            break;
        }
    }

    uv_close(reinterpret_cast<uv_handle_t*>(&deadline.timer),
             [](uv_handle_t* h) { static_cast<Deadline*>(h->data)->closed = true; });
    while (!deadline.closed) uv_run(loop, UV_RUN_NOWAIT);

    if (!future.is_ready()) {
        const std::string why =
            ran_dry ? "run_until: the loop ran out of work before the future was ready"
                    : "run_until: future not ready after " + std::to_string(timeout.count()) + " ms";
        ADD_FAILURE() << why;
        throw RunUntilTimeout(why);
    }
    return std::move(future).get();
}

/// A uv loop on the stack for one test: close() runs it until idle and returns uv_loop_close()'s
/// result (libuv's check that every handle was closed); the destructor does so if the test did not,
/// and expects 0.
class TestLoop {
public:
    TestLoop() { EXPECT_EQ(uv_loop_init(&loop_), 0); }
    TestLoop(const TestLoop&) = delete;
    TestLoop& operator=(const TestLoop&) = delete;
    ~TestLoop() {
        if (!closed_) {
            EXPECT_EQ(close(), 0) << "handles left open on the test loop";
        }
    }

    uv_loop_t* get() noexcept { return &loop_; }

    /// Runs the loop until nothing is pending, then closes it; returns uv_loop_close()'s result.
    int close() {
        uv_run(&loop_, UV_RUN_DEFAULT);
        const int rc = uv_loop_close(&loop_);
        closed_ = rc == 0;
        return rc;
    }

private:
    uv_loop_t loop_{};
    bool closed_ = false;
};

}  // namespace uvmysql::test
