// SPDX-License-Identifier: MIT
// The runner's time limits: query_timeout (KILL QUERY from a second connection), kill_grace,
// and the read_timeout / write_timeout stall watchdog.
#include <uv.h>

#include <algorithm>
#include <string>

#include "async/defer_continuations.hpp"
#include "common/logger.hpp"
#include "connection/connection_impl.hpp"
#include "connection/kill_query.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::detail {

namespace {

Status query_timeout_error(std::chrono::milliseconds limit, bool sent) {
    Status st = Status::client(er::statement_timeout,
                               "Query execution was interrupted (query_timeout of " + std::to_string(limit.count()) +
                                   " ms exceeded" + (sent ? "" : " before the command was sent") + ")");
    st.sqlstate = "70100";
    return st;
}

void disarm(Op& op) noexcept {
    if (op.deadline.timer != nullptr) cancel_timer(std::exchange(op.deadline.timer, nullptr));
}

void cancel(LoopTimer*& timer) noexcept {
    if (timer != nullptr) cancel_timer(std::exchange(timer, nullptr));
}

}  // namespace

void ConnectionImpl::arm_deadline(Op& op) {
    const auto limit = op.timeout.value_or(options_.query_timeout);
    if (limit.count() <= 0) return;
    op.deadline.id = ++next_op_id_;
    op.deadline.limit = limit;
    std::weak_ptr<ConnectionImpl> weak = weak_from_this();
    op.deadline.timer = start_timer(loop_, limit, [weak, id = op.deadline.id]() {
        if (auto self = weak.lock()) self->on_deadline(id);
    });
}

void ConnectionImpl::on_deadline(std::uint64_t id) {
    auto self = shared_from_this();
    DeferContinuations defer;
    if (active_ && active_->deadline.id == id) {
        active_->deadline.timer = nullptr;   // fired: the handle is gone
        interrupt_active();
        return;
    }
    const auto it = std::find_if(queue_.begin(), queue_.end(), [id](const auto& op) { return op->deadline.id == id; });
    if (it == queue_.end()) return;
    auto op = std::move(*it);
    queue_.erase(it);
    op->deadline.timer = nullptr;
    if (op->is_stream()) --streams_in_flight_;
    op->fail(query_timeout_error(op->deadline.limit, false));
    release_if_idle();
}

void ConnectionImpl::interrupt_active() {
    active_->deadline.passed = true;
    logger()->debug("query_timeout of {} ms passed on thread {}: KILL QUERY", active_->deadline.limit.count(),
                    session_.thread_id);
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
    if (!(active_ && active_->deadline.passed)) cancel(grace_timer_);
    drain();
    flush();
    release_if_idle();
}

void ConnectionImpl::on_kill_grace() {
    grace_timer_ = nullptr;
    close_now(Status::client(cr::server_lost, "Lost connection to MySQL server: the query did not stop within " +
                                                  std::to_string(options_.kill_grace.count()) +
                                                  " ms of KILL QUERY (query_timeout)"));
}

void ConnectionImpl::resolve_done(Op& op) {
    disarm(op);
    if (op.deadline.passed) {
        if (!kill_pending_) cancel(grace_timer_);
        op.fail(query_timeout_error(op.deadline.limit, true));   // whatever the server answered
    } else {
        op.finish();
    }
}

void ConnectionImpl::watch_stalls() {
    if (options_.read_timeout.count() <= 0 && options_.write_timeout.count() <= 0) return;
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
    if (active_) disarm(*active_);
    for (auto& op : queue_) disarm(*op);
}

}  // namespace uvmysql::detail
