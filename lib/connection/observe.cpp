// SPDX-License-Identifier: MIT
#include "connection/observe.hpp"

#include "common/logger.hpp"
#include "common/sql_operation.hpp"
#include "common/status_error.hpp"
#include "connection/session_state.hpp"

namespace uvmysql::detail {

ServerInfo server_info(const SessionState& s) {
    ServerInfo info;
    if (!s.server_version.empty()) info.db_system = s.is_mariadb ? "mariadb" : "mysql";
    const ConnectOptions& opt = *s.options;
    if (opt.unix_socket.empty()) {
        info.net_peer_name = opt.host;
        info.net_peer_port = opt.port;
    } else {
        info.net_sock_path = opt.unix_socket;
    }
    if (s.db) info.db_name = *s.db;
    info.connection_id = s.thread_id;
    return info;
}

ErrorInfo error_info(const Status& st) {
    ErrorInfo info;
    if (st.ok()) return info;
    info.failed = true;
    info.error_class = error_class(st);
    info.errno_code = st.errno_code;
    info.sqlstate = st.sqlstate.empty() ? std::string_view("HY000") : std::string_view(st.sqlstate);
    info.message = st.message;
    return info;
}

void log_observer_failure() noexcept {
    try {
        logger()->error("an Observer method threw (ignored): {}",
                        describe_exception(std::current_exception()));
    } catch (...) {  // logging itself failed: nothing more to do
    }
}

QueryWatch::QueryWatch(Observer& observer, const SessionState& session, std::string_view sql,
                       std::uint32_t statement_id)
    : observer_(observer), session_(session), start_(ObserverClock::now()) {
    event_.server = server_info(session);
    event_.statement = sql;
    event_.statement_id = statement_id;
    event_.prepared = statement_id != 0;
    event_.db_operation = sql_operation(sql, operation_);
    notify_observer([&] { observer_.on_query_start(event_); });
}

void QueryWatch::end(const Status* failure) noexcept {
    outcome_.duration = ObserverClock::now() - start_;
    if (failure && !failure->ok()) outcome_.error = error_info(*failure);
    // What may have changed since the start: the session's database (a select_db() queued
    // before it ran: the old name's buffer may be gone) and its id (a session opened meanwhile).
    event_.server.db_name = session_.db ? std::string_view(*session_.db) : std::string_view();
    event_.server.connection_id = session_.thread_id;
    notify_observer([&] { observer_.on_query_end(event_, outcome_); });
}

}  // namespace uvmysql::detail
