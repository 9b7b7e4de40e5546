// SPDX-License-Identifier: MIT
// PoolState: acquisition, hand-out, release and retirement of pooled connections.
#include "pool/pool_state.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "common/access.hpp"
#include "common/logger.hpp"
#include "connection/observe.hpp"
#include "pool/pool_tasks.hpp"
#include "uvmysql/task.hpp"

namespace uvmysql::detail {

namespace {

std::exception_ptr interface_error(std::string message) {
    return std::make_exception_ptr(InterfaceError(0, "HY000", std::move(message)));
}

std::exception_ptr acquire_cancelled_error() {
    return std::make_exception_ptr(CancelledError(0, "HY008", "waiting for a pooled connection was cancelled"));
}

}  // namespace

// ---- Scope ----------------------------------------------------------------------------------

PoolState::Scope::Scope(PoolState& s) : s_(s), keep_(s.shared_from_this()) { ++s_.depth_; }

PoolState::Scope::~Scope() {
    if (--s_.depth_ == 0) s_.settle();
}

void PoolState::settle() noexcept {
    ++depth_;  // whatever the deferred work calls into only records; this loop picks it up
    while (dirty_ || !deferred_.empty()) {
        if (dirty_) {
            dirty_ = false;
            serve();
        }
        // Swapped, not moved: both vectors keep their capacity (no allocation per acquire).
        running_.swap(deferred_);
        for (auto& fn : running_) fn();
        running_.clear();
    }
    --depth_;
}

// ---- construction ---------------------------------------------------------------------------

PoolState::PoolState(uv_loop_s* loop, ConnectOptions options, PoolOptions pool_options)
    : loop_(loop),
      connect_options_(std::move(options)),
      options_(pool_options),
      jitter_rng_(std::random_device{}()) {
    if (options_.query_timeout) connect_options_.query_timeout = *options_.query_timeout;
    if (!connect_options_.observer) connect_options_.observer = options_.observer;   // docs/observability.md
}

PoolState::~PoolState() {
    // Normally empty by now (handles close the pool, lent connections keep it alive); this is
    // the safety net for a pool whose creation failed half-way.
    for (auto& w : waiters_) stop_watching(w);
    for (auto& [id, m] : members_) {
        if (m.leak_timer) cancel_timer(m.leak_timer);
        m.conn.close();
    }
}

Future<void> PoolState::start() {
    Scope scope(*this);
    if (options_.minsize == 0) return make_ready_future();
    startup_.emplace();
    Future<void> done = startup_->get_future();
    for (std::size_t i = 0; i < options_.minsize; ++i) start_open();
    return done;
}

// ---- acquire / release ----------------------------------------------------------------------

Future<PooledConnection> PoolState::acquire(std::shared_ptr<CancelState> signal) {
    Scope scope(*this);
    if (closing_) return make_exception_future<PooledConnection>(interface_error("the pool is closed"));
    if (signal && signal->cancelled()) return make_exception_future<PooledConnection>(acquire_cancelled_error());
    if (options_.max_waiting > 0 && waiters_.size() >= options_.max_waiting) {
        ++counters_.rejected;
        return make_exception_future<PooledConnection>(
            PoolQueueFullError(0, "HY000",
                               "too many callers waiting for a pooled connection (max_waiting=" +
                                   std::to_string(options_.max_waiting) + ")"));
    }
    Waiter& w = waiters_.emplace_back();
    w.id = next_id_++;
    w.since = PoolClock::now();
    Future<PooledConnection> result = w.promise.get_future();
    if (options_.acquire_timeout.count() >= 0) {
        w.timer = start_timer(loop_, options_.acquire_timeout, [weak = weak_from_this(), id = w.id]() {
            if (auto self = weak.lock()) self->on_acquire_timeout(id);
        });
    }
    if (signal) {
        w.cancel_key = signal->subscribe([weak = weak_from_this(), id = w.id]() {
            if (auto self = weak.lock()) self->on_acquire_cancelled(id);
        });
        w.signal = std::move(signal);
    }
    dirty_ = true;
    refill_ = true;
    return result;  // the Scope may fulfil it before the caller sees it
}

void PoolState::release(std::uint64_t id) noexcept {
    Scope scope(*this);
    auto it = members_.find(id);
    if (it == members_.end() || it->second.use != Use::in_use) return;  // terminated meanwhile
    Member& m = it->second;
    if (m.leak_timer) cancel_timer(std::exchange(m.leak_timer, nullptr));
    dirty_ = true;
    refill_ = true;
    const auto now = PoolClock::now();
    if (m.conn.closed()) return retire(id, Retire::broken);
    // A borrower's own limit ends with its loan.
    if (m.conn.query_timeout() != connect_options_.query_timeout) m.conn.set_query_timeout(connect_options_.query_timeout);
    // An SSCursor result still on the wire: read out within unread_result_drain (clean_member)
    // when the connection is to be kept, else closed at once (no COM_QUIT can be sent behind it;
    // reading out a large result could take any time).
    const bool keep = !closing_ && now < m.expires && options_.reset_on_return != ResetMode::close;
    if (m.conn.has_unread_result() && (!keep || options_.unread_result_drain.count() <= 0)) {
        return retire(id, Retire::unread);
    }
    if (closing_) return retire(id, Retire::shutdown);
    if (now >= m.expires) return retire(id, Retire::expired);
    if (options_.reset_on_return == ResetMode::close) return retire(id, Retire::reset_close);
    if (needs_cleaning(m)) {
        set_use(m, Use::checking);
        defer([self = shared_from_this(), id, conn = m.conn]() {
            spawn(clean_member(self, id, conn)).detach();
        });
        return;
    }
    make_idle(id, m, now);
}

bool PoolState::needs_cleaning(const Member& m) const {
    return m.conn.pending_commands() > 0 || m.conn.has_unread_result() || m.conn.in_transaction() ||
           options_.reset_on_return == ResetMode::reset_connection;
}

// ---- serving --------------------------------------------------------------------------------

void PoolState::serve() {
    const auto now = PoolClock::now();
    sweep_free(now);
    while (!waiters_.empty() && !free_.empty()) {
        const std::uint64_t id = free_.back();
        Member& m = members_.at(id);
        if (needs_ping(m, now)) {
            if (validating_ >= waiters_.size()) break;  // enough pings in flight for the demand
            free_.pop_back();
            start_validation(id, m);
            continue;
        }
        free_.pop_back();
        hand_out(id, m, now);
    }
    if (!closing_) {
        // Demand that no ping or connection attempt in flight will meet.
        while (waiters_.size() > validating_ + opening_ && has_room()) start_open();
        if (std::exchange(refill_, false)) {
            while (size() < options_.minsize && has_room()) start_open();
        }
    }
    if (quitting_ == 0 && !clear_waiters_.empty()) {
        for (auto& p : std::exchange(clear_waiters_, {}))
            defer([p = std::move(p)]() mutable { p.set_value(); });
    }
    check_closed();
}

void PoolState::sweep_free(PoolClock::time_point now) {
    // Filtered in place: this runs on every serve(). retire() does not touch free_.
    std::size_t kept = 0;
    for (const std::uint64_t id : free_) {
        const Member& m = members_.at(id);
        if (m.conn.closed()) {  // the server closed it while idle (wait_timeout, KILL...)
            retire(id, Retire::broken);
        } else if (expired(m, now)) {
            retire(id, Retire::expired);
        } else {
            free_[kept++] = id;
        }
    }
    free_.resize(kept);
}

void PoolState::hand_out(std::uint64_t id, Member& m, PoolClock::time_point now) {
    Waiter w = std::move(waiters_.front());
    waiters_.pop_front();
    stop_watching(w);
    set_use(m, Use::in_use);
    m.fresh = false;
    ++counters_.acquired;
    counters_.acquire_wait.record(std::chrono::duration_cast<std::chrono::microseconds>(now - w.since));
    if (options_.observer) [[unlikely]] report_acquire(w, AcquireResult::acquired, m.conn.thread_id());
    if (options_.leak_detection_threshold.count() >= 0) {
        m.leak_timer = start_timer(loop_, options_.leak_detection_threshold, [weak = weak_from_this(), id]() {
            if (auto self = weak.lock()) self->on_leak(id);
        });
    }
    // `this`, not a shared_ptr, in the capture: small enough for UniqueFunction's inline
    // storage (settle() runs it while the pool is alive).
    defer([this, p = std::move(w.promise), conn = m.conn, id]() mutable {
        p.set_value(Access::make<PooledConnection>(shared_from_this(), std::move(conn), id));
    });
}

void PoolState::start_validation(std::uint64_t id, Member& m) {
    set_use(m, Use::checking);
    ++validating_;
    ++counters_.validations;
    defer([self = shared_from_this(), id, conn = m.conn]() {
        spawn(validate_member(self, id, conn)).detach();
    });
}

void PoolState::start_open() {
    ++opening_;
    defer([self = shared_from_this()]() { spawn(open_member(self)).detach(); });
}

void PoolState::make_idle(std::uint64_t id, Member& m, PoolClock::time_point now) {
    set_use(m, Use::idle);
    m.last_used = now;
    free_.push_back(id);
    dirty_ = true;
}

// ---- task completions -----------------------------------------------------------------------

void PoolState::opened(std::optional<Connection> conn, std::exception_ptr error) {
    Scope scope(*this);
    --opening_;
    dirty_ = true;
    if (error) {
        ++counters_.failed;
        if (startup_) {
            if (!startup_error_) startup_error_ = error;
        } else if (waiters_.size() > validating_ + opening_) {
            fail_front_waiter(error);  // the caller this attempt was for gets the reason
        } else {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                logger()->warn("pool: could not open a connection: {}", e.what());
            } catch (...) {
                logger()->warn("pool: could not open a connection");
            }
        }
    } else {
        ++counters_.created;
        const auto now = PoolClock::now();
        const std::uint64_t id = next_id_++;
        Member& m = members_[id];
        m.conn = std::move(*conn);
        m.created = now;
        m.last_used = now;
        m.expires = expiry_for(now);
        m.fresh = true;
        if (closing_) {
            retire(id, Retire::shutdown);
        } else {
            make_idle(id, m, now);
        }
    }
    if (startup_ && opening_ == 0) {
        Promise<void> p = std::move(*startup_);
        startup_.reset();
        if (std::exception_ptr e = std::exchange(startup_error_, nullptr)) {
            close();
            defer([p = std::move(p), e]() mutable { p.set_exception(e); });
        } else {
            defer([p = std::move(p)]() mutable { p.set_value(); });
        }
    }
}

void PoolState::validated(std::uint64_t id, std::exception_ptr error) {
    Scope scope(*this);
    --validating_;
    dirty_ = true;
    auto it = members_.find(id);
    if (it == members_.end()) return;
    Member& m = it->second;
    if (error || m.conn.closed()) return retire(id, Retire::broken);
    if (closing_) return retire(id, Retire::shutdown);
    m.fresh = true;
    make_idle(id, m, PoolClock::now());  // back on top: the next serve() hands it out
}

void PoolState::cleaned(std::uint64_t id, CleanResult result) {
    Scope scope(*this);
    dirty_ = true;
    refill_ = true;
    auto it = members_.find(id);
    if (it == members_.end()) return;
    Member& m = it->second;
    if (result == CleanResult::broken || m.conn.closed()) return retire(id, Retire::broken);
    if (result == CleanResult::unread) return retire(id, Retire::unread);
    if (closing_) return retire(id, Retire::shutdown);
    make_idle(id, m, PoolClock::now());
}

void PoolState::quit_done() {
    Scope scope(*this);
    --quitting_;
    dirty_ = true;
}

// ---- retirement and shutdown ----------------------------------------------------------------

void PoolState::retire(std::uint64_t id, Retire why) {
    auto it = members_.find(id);
    if (it == members_.end()) return;
    Member& m = it->second;
    set_use(m, Use::idle);  // leaves the in_use / checking gauges
    if (m.leak_timer) cancel_timer(m.leak_timer);
    Connection conn = std::move(m.conn);
    members_.erase(it);
    dirty_ = true;
    ++counters_.closed;
    switch (why) {
        case Retire::broken:
            ++counters_.discarded_broken;
            break;
        case Retire::expired:
            ++counters_.discarded_expired;
            break;
        case Retire::unread:
            ++counters_.discarded_unread;
            break;
        case Retire::shutdown:
        case Retire::reset_close:
        case Retire::terminated:
            break;
    }
    const bool polite = why == Retire::shutdown || why == Retire::expired || why == Retire::reset_close;
    if (polite && !conn.closed()) {
        // COM_QUIT, so the server does not count an aborted connection. Until it is sent the
        // session still exists: it keeps counting against maxsize.
        ++quitting_;
        defer([self = shared_from_this(), conn]() mutable {
            conn.ensure_closed()
                .finally([self, conn]() mutable {
                    conn.close();
                    self->quit_done();
                })
                .detach();
        });
    } else {
        defer([conn]() mutable { conn.close(); });
    }
}

void PoolState::retire_free(Retire why) {
    for (std::uint64_t id : std::exchange(free_, {})) retire(id, why);
}

Future<void> PoolState::clear() {
    Scope scope(*this);
    retire_free(Retire::shutdown);
    Promise<void>& p = clear_waiters_.emplace_back();
    dirty_ = true;
    return p.get_future();
}

void PoolState::close() {
    Scope scope(*this);
    if (closing_) return;
    closing_ = true;
    dirty_ = true;
    fail_waiters(interface_error("the pool was closed while waiting for a connection"));
    retire_free(Retire::shutdown);
}

void PoolState::terminate() {
    Scope scope(*this);
    close();
    std::vector<std::uint64_t> lent;
    for (const auto& [id, m] : members_) lent.push_back(id);
    for (std::uint64_t id : lent) retire(id, Retire::terminated);
}

Future<void> PoolState::wait_closed() {
    Scope scope(*this);
    if (!closing_) {
        return make_exception_future<void>(
            interface_error("wait_closed() needs close() or terminate() first"));
    }
    Promise<void>& p = closed_waiters_.emplace_back();
    dirty_ = true;
    return p.get_future();
}

void PoolState::check_closed() {
    if (!closing_ || !members_.empty() || opening_ > 0 || quitting_ > 0 || closed_waiters_.empty()) return;
    for (auto& p : std::exchange(closed_waiters_, {})) defer([p = std::move(p)]() mutable { p.set_value(); });
}

// ---- waiters and timers ---------------------------------------------------------------------

void PoolState::fail_waiters(std::exception_ptr error) {
    for (auto& w : std::exchange(waiters_, {})) {
        stop_watching(w);
        if (options_.observer) [[unlikely]] report_acquire(w, AcquireResult::failed, 0);
        defer([p = std::move(w.promise), error]() mutable { p.set_exception(error); });
    }
}

void PoolState::fail_front_waiter(std::exception_ptr error) {
    Waiter w = std::move(waiters_.front());
    waiters_.pop_front();
    stop_watching(w);
    if (options_.observer) [[unlikely]] report_acquire(w, AcquireResult::failed, 0);
    defer([p = std::move(w.promise), error]() mutable { p.set_exception(error); });
}

void PoolState::report_acquire(const Waiter& w, AcquireResult result, std::uint32_t connection_id) {
    AcquireEvent ev;
    ev.wait = PoolClock::now() - w.since;
    ev.result = result;
    ev.connection_id = connection_id;
    ev.size = size();
    ev.idle = free_.size();
    // The waiter being reported may still be in the queue (a timeout or cancel removes it next).
    ev.waiting = waiters_.size() - (result == AcquireResult::timed_out || result == AcquireResult::cancelled ? 1 : 0);
    ev.maxsize = options_.maxsize;
    Observer& observer = *options_.observer;
    notify_observer([&] { observer.on_pool_acquire(ev); });
}

void PoolState::stop_watching(Waiter& w) noexcept {
    if (w.timer) cancel_timer(std::exchange(w.timer, nullptr));
    if (w.cancel_key != 0) w.signal->unsubscribe(std::exchange(w.cancel_key, 0));
}

void PoolState::on_acquire_cancelled(std::uint64_t waiter_id) {
    Scope scope(*this);
    auto it =
        std::find_if(waiters_.begin(), waiters_.end(), [&](const Waiter& w) { return w.id == waiter_id; });
    if (it == waiters_.end()) return;
    it->cancel_key = 0;   // the signal forgot it already
    stop_watching(*it);
    if (options_.observer) [[unlikely]] report_acquire(*it, AcquireResult::cancelled, 0);
    defer([p = std::move(it->promise), e = acquire_cancelled_error()]() mutable { p.set_exception(e); });
    waiters_.erase(it);
    dirty_ = true;
}

void PoolState::on_acquire_timeout(std::uint64_t waiter_id) {
    Scope scope(*this);
    auto it =
        std::find_if(waiters_.begin(), waiters_.end(), [&](const Waiter& w) { return w.id == waiter_id; });
    if (it == waiters_.end()) return;
    it->timer = nullptr;  // it fired: the handle is gone
    stop_watching(*it);
    ++counters_.acquire_timeouts;
    if (options_.observer) [[unlikely]] report_acquire(*it, AcquireResult::timed_out, 0);
    std::string message =
        "timed out after " + std::to_string(options_.acquire_timeout.count()) +
        " ms waiting for a pooled connection (size " + std::to_string(size()) + " of " +
        (options_.maxsize == 0 ? std::string("unlimited") : std::to_string(options_.maxsize)) + ", " +
        std::to_string(free_.size()) + " free, " + std::to_string(waiters_.size()) + " waiting)";
    defer([p = std::move(it->promise),
           e = std::make_exception_ptr(PoolTimeoutError(0, "HYT00", std::move(message)))]() mutable {
        p.set_exception(e);
    });
    waiters_.erase(it);
    dirty_ = true;
}

void PoolState::on_leak(std::uint64_t id) {
    Scope scope(*this);
    auto it = members_.find(id);
    if (it == members_.end()) return;
    Member& m = it->second;
    m.leak_timer = nullptr;  // it fired: the handle is gone
    if (m.use != Use::in_use) return;
    ++counters_.leaks_detected;
    logger()->warn(
        "pool: a connection (thread id {}) has been held for more than {} ms without being released "
        "(leak_detection_threshold); is a PooledConnection kept alive by mistake?",
        m.conn.thread_id(), options_.leak_detection_threshold.count());
}

// ---- small helpers --------------------------------------------------------------------------

bool PoolState::has_room() const noexcept {
    return options_.maxsize == 0 || members_.size() + opening_ + quitting_ < options_.maxsize;
}

bool PoolState::expired(const Member& m, PoolClock::time_point now) const noexcept {
    if (now >= m.expires) return true;
    return options_.pool_recycle.count() >= 0 && now - m.last_used > options_.pool_recycle;
}

bool PoolState::needs_ping(const Member& m, PoolClock::time_point now) const noexcept {
    if (options_.ping_after_idle.count() < 0) return false;
    const auto idle = now - m.last_used;
    // Just opened or pinged: no second ping, even with ping_after_idle = 0 (which would loop).
    if (m.fresh && idle < std::max<PoolClock::duration>(options_.ping_after_idle, std::chrono::seconds(1)))
        return false;
    return idle >= options_.ping_after_idle;
}

PoolClock::time_point PoolState::expiry_for(PoolClock::time_point created) {
    if (options_.max_lifetime.count() < 0) return PoolClock::time_point::max();
    auto lifetime = std::chrono::duration_cast<PoolClock::duration>(options_.max_lifetime);
    const auto jitter_ms = std::min(options_.lifetime_jitter, options_.max_lifetime).count();
    if (jitter_ms > 0) {
        std::uniform_int_distribution<std::int64_t> pick(0, jitter_ms);
        lifetime -=
            std::chrono::duration_cast<PoolClock::duration>(std::chrono::milliseconds(pick(jitter_rng_)));
    }
    return created + lifetime;
}

void PoolState::set_use(Member& m, Use use) noexcept {
    if (m.use == use) return;
    if (m.use == Use::in_use) --in_use_;
    if (m.use == Use::checking) --checking_;
    if (use == Use::in_use) ++in_use_;
    if (use == Use::checking) ++checking_;
    m.use = use;
}

PoolStats PoolState::stats() const {
    PoolStats s = counters_;
    s.idle = free_.size();
    s.in_use = in_use_;
    s.opening = opening_;
    s.checking = checking_;
    s.size = size();
    s.waiting = waiters_.size();
    s.minsize = options_.minsize;
    s.maxsize = options_.maxsize;
    return s;
}

}  // namespace uvmysql::detail
