// SPDX-License-Identifier: MIT
// transport_events: the end-of-phase tick — deferred handler events, a TLS resume, then the coalesced flush.
#include "transport/transport_impl.hpp"

namespace uvmysql::detail {

void Transport::Impl::schedule_tick() {
    if (tick_scheduled_ || state_ == State::closed) return;
    tick_scheduled_ = true;
    uv_idle_start(&idle_, &Impl::on_tick_idle);
    uv_check_start(&check_, &Impl::on_tick_check);
}

void Transport::Impl::tick() {
    uv_idle_stop(&idle_);
    uv_check_stop(&check_);
    tick_scheduled_ = false;
    if (!events_.empty()) {
        auto events = std::move(events_);
        events_.clear();
        for (const Event& e : events) {
            deliver_event(e);
            if (state_ == State::closed) return;
        }
    }
    if (tls_resume_pending_) {
        tls_resume_pending_ = false;
        if (state_ == State::connected && !paused_) {
            if (!tls_stash_.empty()) {
                process_stash();
            } else {
                run_tls();
            }
        }
        if (state_ == State::closed) return;
    }
    flush();
}

void Transport::Impl::notify(EventKind kind, Status st) {
    if (handler_ == nullptr) return;
    Event e{kind, std::move(st)};
    if (api_depth_ > 0) {
        events_.push_back(std::move(e));
        schedule_tick();
        return;
    }
    deliver_event(e);
}

void Transport::Impl::deliver_event(const Event& e) {
    if (handler_ == nullptr) return;
    switch (e.kind) {
    case EventKind::connected: handler_->on_connected(e.status); break;
    case EventKind::tls_ready: handler_->on_tls_ready(e.status); break;
    case EventKind::error: handler_->on_error(e.status); break;
    }
}

}  // namespace uvmysql::detail
