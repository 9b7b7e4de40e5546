// SPDX-License-Identifier: MIT
// ConnectionImpl's Observer events: a session opened (or not) and a session closed.
#include "connection/connection_impl.hpp"

namespace uvmysql::detail {

void ConnectionImpl::report_connect(const Status& st) {
    const auto now = ObserverClock::now();
    ConnectEvent ev;
    ev.server = server_info(session_);
    ev.duration = now - attempt_started_;
    ev.error = error_info(st);
    if (st.ok()) session_started_ = now;
    Observer& observer = *options_.observer;
    notify_observer([&] { observer.on_connect(ev); });
}

void ConnectionImpl::report_close(const Status& reason) {
    CloseEvent ev;
    ev.server = server_info(session_);
    ev.session_duration = ObserverClock::now() - session_started_;
    // The program's own close (close(), COM_QUIT, the handle dropped) is an interface status.
    ev.by_client = reason.ok() || (reason.client_kind == ClientKind::interface && !reason.from_server);
    if (!ev.by_client) ev.error = error_info(reason);
    Observer& observer = *options_.observer;
    notify_observer([&] { observer.on_close(ev); });
}

}  // namespace uvmysql::detail
