// SPDX-License-Identifier: MIT
// What interrupts a command: its query_timeout and its CancelSignal (KILL QUERY from a second
// connection, kill_grace), and the read_timeout / write_timeout stall watchdog.
#include <uv.h>

#include <algorithm>
#include <string>

#include "async/cancel_state.hpp"
#include "async/defer_continuations.hpp"
#include "common/logger.hpp"
#include "connection/connection_impl.hpp"
#include "connection/kill_query.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::detail {

namespace {

/// The error an interrupted command fails with (`sent`: it was on the wire, and was killed).
Status interrupted_error(ConnectionImpl::Cause cause, std::chrono::milliseconds limit, bool sent) {
    const char* const unsent = sent ? "" : " before the command was sent";
    Status st = cause == ConnectionImpl::Cause::timeout
                    ? Status::client(er::statement_timeout, "Query execution was interrupted (query_timeout of " +
                                                                std::to_string(limit.count()) + " ms exceeded" +
                                                                unsent + ")")
                    : Status::client(er::query_interrupted,
                                     std::string("Query execution was interrupted (cancelled") + unsent + ")");
    st.sqlstate = "70100";
    return st;
}

void cancel(LoopTimer*& timer) noexcept {
    if (timer != nullptr) cancel_timer(std::exchange(timer, nullptr));
}

/// The op leaves the runner: no timer or signal may name it any more.
void stop_watching(Op& op) noexcept {
    cancel(op.interrupt.timer);
    if (op.interrupt.cancel_key != 0) op.cancel_signal->unsubscribe(std::exchange(op.interrupt.cancel_key, 0));
}

}  // namespace

bool ConnectionImpl::watch_interrupts(Op& op) {
    const auto limit = op.timeout.value_or(options_.query_timeout);
    if (op.cancel_signal && op.cancel_signal->cancelled()) return false;
    if (limit.count() <= 0 && !op.cancel_signal) return true;
    const std::uint64_t id = op.interrupt.id = ++next_op_id_;
    std::weak_ptr<ConnectionImpl> weak = weak_from_this();
    if (limit.count() > 0) {
        op.interrupt.limit = limit;
        op.interrupt.timer = start_timer(loop_, limit, [weak, id]() {
            if (auto self = weak.lock()) self->on_interrupt(id, Cause::timeout);
        });
    }
    if (op.cancel_signal) {
        op.interrupt.cancel_key = op.cancel_signal->subscribe([weak, id]() {
            if (auto self = weak.lock()) self->on_interrupt(id, Cause::cancel);
        });
    }
    return true;
}

Status ConnectionImpl::cancelled_before_sent() { return interrupted_error(Cause::cancel, {}, false); }

void ConnectionImpl::on_interrupt(std::uint64_t id, Cause cause) {
    auto self = shared_from_this();
    DeferContinuations defer;
    const auto fired = [cause](Op& op) {
        if (cause == Cause::timeout) op.interrupt.timer = nullptr;   // the handle is gone
        if (cause == Cause::cancel) op.interrupt.cancel_key = 0;    // the signal forgot it
    };
    if (active_ && active_->interrupt.id == id) {
        fired(*active_);
        if (active_->interrupt.reason) return;   // already being interrupted
        active_->interrupt.reason = std::make_unique<Status>(interrupted_error(cause, active_->interrupt.limit, true));
        interrupt_active();
        return;
    }
    const auto it = std::find_if(queue_.begin(), queue_.end(), [id](const auto& op) { return op->interrupt.id == id; });
    if (it == queue_.end()) return;
    auto op = std::move(*it);
    queue_.erase(it);
    fired(*op);
    stop_watching(*op);
    if (op->is_stream()) stream_done();
    op->fail(interrupted_error(cause, op->interrupt.limit, false));
    release_if_idle();
}

void ConnectionImpl::interrupt_active() {
    logger()->debug("{} on thread {}: KILL QUERY", active_->interrupt.reason->message, session_.thread_id);
    kill_pending_ = true;
    const std::uint64_t generation = ++kill_generation_;
    std::weak_ptr<ConnectionImpl> weak = weak_from_this();
    cancel(grace_timer_);
    grace_timer_ = start_timer(loop_, options_.kill_grace, [weak]() {
        if (auto self = weak.lock()) self->on_kill_grace();
    });
    auto done = [weak, generation]() {
        if (auto self = weak.lock()) self->on_kill_done(generation);
    };
    kill_query(loop_, options_, session_.thread_id)
        .then(done)
        .on_error([done](std::exception_ptr e) {
            logger()->warn("KILL QUERY failed: {}", describe_exception(e));
            done();
        })
        .detach();
}

void ConnectionImpl::on_kill_done(std::uint64_t generation) {
    if (generation != kill_generation_ || !kill_pending_) return;   // a closed or reopened session
    auto self = shared_from_this();
    DeferContinuations defer;
    kill_pending_ = false;
    // The grace period still bounds an interrupted op that has not ended yet.
    if (!(active_ && active_->interrupt.reason)) cancel(grace_timer_);
    drain();
    flush();
    release_if_idle();
}

void ConnectionImpl::on_kill_grace() {
    grace_timer_ = nullptr;
    close_now(Status::client(cr::server_lost, "Lost connection to MySQL server: the query did not stop within " +
                                                  std::to_string(options_.kill_grace.count()) +
                                                  " ms of KILL QUERY (kill_grace)"));
}

void ConnectionImpl::resolve_done(Op& op) {
    if (op.interrupt.id == 0) {   // nothing watched it (the common case)
        op.finish();
        return;
    }
    stop_watching(op);
    if (op.interrupt.reason) {
        if (!kill_pending_) cancel(grace_timer_);
        op.fail(*op.interrupt.reason);   // whatever the server answered
    } else {
        op.finish();
    }
}

void ConnectionImpl::watch_stalls() {
    read_progress_ms_ = write_progress_ms_ = uv_now(loop_);
    if (transport_) stall_seen_ = transport_->stats();
    arm_stall_timer();
}

void ConnectionImpl::arm_stall_timer() {
    if (stall_timer_ != nullptr) return;
    // Checked a few times per limit: a stall is noticed within about 1.2 times the limit.
    auto shortest = std::chrono::milliseconds::max();
    for (auto limit : {options_.read_timeout, options_.write_timeout}) {
        if (limit.count() > 0) shortest = std::min(shortest, limit);
    }
    const auto period = std::max(shortest / 8, std::chrono::milliseconds(5));
    std::weak_ptr<ConnectionImpl> weak = weak_from_this();
    stall_timer_ = start_timer(loop_, period, [weak]() {
        if (auto self = weak.lock()) self->check_stalls();
    });
}

void ConnectionImpl::check_stalls() {
    stall_timer_ = nullptr;
    if (!active_ || !transport_) return;   // idle: the next op restarts the watchdog
    const std::uint64_t now = uv_now(loop_);
    const TransportStats seen = transport_->stats();
    if (seen.bytes_read != stall_seen_.bytes_read || reading_paused_ || waiting_ != Wait::message) {
        read_progress_ms_ = now;
    }
    if (seen.bytes_written != stall_seen_.bytes_written || !transport_->write_pending()) write_progress_ms_ = now;
    stall_seen_ = seen;
    const auto stalled = [now](std::uint64_t since, std::chrono::milliseconds limit) {
        return limit.count() > 0 && now - since >= static_cast<std::uint64_t>(limit.count());
    };
    if (stalled(write_progress_ms_, options_.write_timeout)) {
        close_now(Status::client(cr::server_lost, "Lost connection to MySQL server during query (write_timeout: " +
                                                      std::to_string(options_.write_timeout.count()) +
                                                      " ms without the socket taking a byte)"));
        return;
    }
    if (stalled(read_progress_ms_, options_.read_timeout)) {
        close_now(Status::client(cr::server_lost, "Lost connection to MySQL server during query (read_timeout: no reply for " +
                                                      std::to_string(options_.read_timeout.count()) + " ms)"));
        return;
    }
    arm_stall_timer();
}

void ConnectionImpl::stop_time_limits() {
    cancel(grace_timer_);
    cancel(stall_timer_);
    kill_pending_ = false;
    ++kill_generation_;
    if (active_) stop_watching(*active_);
    for (auto& op : queue_) stop_watching(*op);
}

}  // namespace uvmysql::detail
