// SPDX-License-Identifier: MIT
// One-shot uv timers behind with_timeout() and sleep_for(); each closes itself with uv_close.
#include "uvmysql/detail/loop_timer.hpp"

#include <uv.h>

#include <cassert>
#include <string>
#include <utility>

#include "async/unhandled.hpp"
#include "common/status.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

class LoopTimer {
public:
    explicit LoopTimer(UniqueFunction<void()> on_fire) noexcept : on_fire_(std::move(on_fire)) {
        handle_.data = this;
    }

    void start(uv_loop_t* loop, std::chrono::milliseconds delay) noexcept {
        const auto ms = delay.count() < 0 ? 0 : static_cast<std::uint64_t>(delay.count());
        [[maybe_unused]] int rc = uv_timer_init(loop, &handle_);
        assert(rc == 0);  // uv_timer_init cannot fail
        rc = uv_timer_start(&handle_, &LoopTimer::on_timer, ms, 0);
        assert(rc == 0);  // only fails for a null callback or a closing handle
    }

    void cancel() noexcept {
        uv_timer_stop(&handle_);
        on_fire_ = nullptr;  // release what the callback holds now, not at close time
        close();
    }

private:
    static void on_timer(uv_timer_t* handle) {
        auto* self = static_cast<LoopTimer*>(handle->data);
        UniqueFunction<void()> fire = std::move(self->on_fire_);
        self->close();  // frees *self on the next loop iteration; `fire` lives on this stack
        if (!fire) return;
        try {
            fire();
        } catch (...) {
            report_unhandled(std::current_exception());  // no exception crosses a libuv callback
        }
    }

    static void on_closed(uv_handle_t* handle) { delete static_cast<LoopTimer*>(handle->data); }

    void close() noexcept { uv_close(reinterpret_cast<uv_handle_t*>(&handle_), &LoopTimer::on_closed); }

    uv_timer_t handle_{};
    UniqueFunction<void()> on_fire_;
};

LoopTimer* start_timer(uv_loop_s* loop, std::chrono::milliseconds delay, UniqueFunction<void()> on_fire) {
    auto* timer = new LoopTimer(std::move(on_fire));
    timer->start(loop, delay);
    return timer;
}

void cancel_timer(LoopTimer* timer) noexcept { timer->cancel(); }

std::exception_ptr timeout_error(std::chrono::milliseconds timeout) {
    return std::make_exception_ptr(TimeoutError(
        cr::server_lost, "HYT00", "operation timed out after " + std::to_string(timeout.count()) + " ms"));
}

}  // namespace uvmysql::detail

namespace uvmysql {

Future<void> sleep_for(uv_loop_s* loop, std::chrono::milliseconds delay) {
    Promise<void> promise;
    Future<void> future = promise.get_future();
    detail::LoopTimer* timer =
        detail::start_timer(loop, delay, [p = std::move(promise)]() mutable { p.set_value(); });
    static_cast<void>(timer);  // fires once and frees itself; sleep_for cannot be cancelled
    return future;
}

}  // namespace uvmysql
