// SPDX-License-Identifier: MIT
// ConnectionImpl::open() over ConnectOptions::hosts: each host in HostHealth's order until one
// opens a session, and one error naming every host's when none does.
#include "common/logger.hpp"
#include "common/status_error.hpp"
#include "connection/connection_impl.hpp"
#include "connection/galera_status.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::detail {

namespace {

/// With galera_check, what a connect over several hosts checks after login (session_setup).
Future<void> check_galera(Connection c) {
    return c.query(galera_status_sql).then([](std::vector<ResultSet> sets) {
        StatusVariables status;
        for (const Row& r : sets.empty() ? std::vector<Row>{} : sets.front().rows) {
            status.emplace_back(r.at(0).to_string(), r.at(1).is_null() ? "" : r.at(1).to_string());
        }
        if (std::string why = galera_not_synced(status); !why.empty()) {
            throw OperationalError(cr::conn_host_error, "HY000", "the Galera node is not synced (" + why + ")");
        }
    });
}

/// Checks a host whose back-off is over off the caller's path: one connect to it alone (with
/// the Galera check a connect over the list makes), closed at once. It serves calls again once
/// that works; otherwise it backs off again.
void probe_host(uv_loop_s* loop, ConnectOptions opt, HostAddress host) {
    const auto backoff = opt.host_backoff;
    const bool galera = opt.galera_check;
    opt.hosts.clear();
    opt.host = host.host;
    opt.port = host.port;
    opt.observer.reset();   // the library's own check: not the program's to see
    connect(loop, std::move(opt))
        .then([galera](Connection c) {
            Future<void> checked = galera ? check_galera(c) : make_ready_future();
            return std::move(checked).finally([c]() mutable { c.close(); });
        })
        .then([host, backoff]() {
            HostHealth::instance().probe_done(host, true, backoff, HostHealth::Clock::now());
            logger()->info("hosts: {} answers again (background probe)", host.name());
        })
        .on_error([host, backoff](std::exception_ptr e) {
            HostHealth::instance().probe_done(host, false, backoff, HostHealth::Clock::now());
            logger()->debug("hosts: {} still fails (background probe): {}", host.name(), describe_exception(e));
        })
        .detach();
}

}  // namespace

/// The hosts one open() tries, and what went wrong with those tried so far.
struct HostAttempts {
    std::vector<HostAddress> order;
    std::size_t next = 0;
    std::string errors;     // "host:port: message; ..."
    int first_errno = 0;
    bool same_errno = true;
    std::exception_ptr last;
};

Future<void> ConnectionImpl::open() {
    if (options_.hosts.empty()) return open_one();
    auto attempts = std::make_shared<HostAttempts>();
    std::vector<HostAddress> hosts;
    if (auto st = parse_host_list(options_.hosts, options_.port, hosts); !st.ok() || hosts.empty()) {
        return make_exception_future<void>(to_exception(st.ok() ? Status::client(cr::unknown_error, "ConnectOptions::hosts is empty", ClientKind::programming) : st));
    }
    std::vector<HostAddress> probe;
    attempts->order = HostHealth::instance().order(std::move(hosts), options_.host_policy, HostHealth::Clock::now(), &probe);
    for (HostAddress& host : probe) probe_host(loop(), options_, std::move(host));
    return open_next_host(std::move(attempts));
}

Future<void> ConnectionImpl::open_next_host(std::shared_ptr<HostAttempts> attempts) {
    HostAddress host = attempts->order[attempts->next++];
    options_.host = host.host;
    options_.port = host.port;
    auto self = shared_from_this();
    return open_one()
        .then([self, host]() {
            HostHealth::instance().opened(host);
            self->counted_host_ = host;
        })
        .on_error([self, attempts, host](std::exception_ptr e) -> Future<void> {
            HostHealth::instance().failed(host, self->options_.host_backoff, HostHealth::Clock::now());
            int code = cr::conn_host_error;
            std::string what = "unknown error";
            try {
                std::rethrow_exception(e);
            } catch (const Error& err) {
                code = err.errno_code();
                what = err.what();
            } catch (const std::exception& err) {
                what = err.what();
            }
            if (attempts->next == 1) attempts->first_errno = code;
            attempts->same_errno = attempts->same_errno && code == attempts->first_errno;
            attempts->errors += (attempts->errors.empty() ? "" : "; ") + host.name() + ": " + what;
            if (attempts->next < attempts->order.size()) return self->open_next_host(attempts);
            if (attempts->order.size() == 1) return make_exception_future<void>(e);   // as it is
            const int errno_code = attempts->same_errno ? attempts->first_errno : cr::conn_host_error;
            return make_exception_future<void>(to_exception(Status::client(
                errno_code, "Can't connect to any of the " + std::to_string(attempts->order.size()) +
                                " hosts: " + attempts->errors)));
        });
}

}  // namespace uvmysql::detail
