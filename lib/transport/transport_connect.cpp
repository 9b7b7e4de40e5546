// SPDX-License-Identifier: MIT
// transport_connect: DNS, one TCP attempt per address, or the unix socket; the connect timeout.
#include "transport/transport_impl.hpp"

#ifndef _WIN32
#include <sys/un.h>
#endif

#include <cstring>

namespace uvmysql::detail {

bool Transport::Impl::can_connect() {
    if (state_ == State::idle) return true;
    notify(EventKind::connected, misuse("connect called on a transport that was already used"));
    return false;
}

void Transport::Impl::begin_connect(std::chrono::milliseconds timeout) {
    state_ = State::connecting;
    if (timeout.count() > 0) {
        uv_timer_start(&timer_, &Impl::on_timeout, static_cast<std::uint64_t>(timeout.count()), 0);
    }
}

void Transport::Impl::connect_tcp(std::string host, int port, std::chrono::milliseconds timeout) {
    ApiCall call(*this);
    if (!can_connect()) return;
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    host_ = std::move(host);
    target_ = (host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_) + ":" + std::to_string(port);
    begin_connect(timeout);
    if (port < 0 || port > 65535 || host_.empty()) {
        fail_connect(connect_error(host_.empty() ? "empty host name" : "invalid port"));
        return;
    }
    sockaddr_storage addr{};
    if (uv_ip4_addr(host_.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr)) == 0 ||
        uv_ip6_addr(host_.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr)) == 0) {
        addrs_.push_back(addr);
        connect_next();
        return;
    }
    resolve();
}

void Transport::Impl::resolve() {
    auto* req = new uv_getaddrinfo_t;
    req->data = this;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    const std::string service = target_.substr(target_.rfind(':') + 1);
    const int rc = uv_getaddrinfo(loop_, req, &Impl::on_resolved, host_.c_str(), service.c_str(), &hints);
    if (rc != 0) {
        delete req;
        fail_connect(unknown_host(rc));
        return;
    }
    dns_ = req;
    ++live_;
}

void Transport::Impl::on_resolved(uv_getaddrinfo_t* req, int status, addrinfo* res) noexcept {
    auto* self = static_cast<Impl*>(req->data);
    const bool current = req == self->dns_;
    delete req;
    --self->live_;
    if (!current) {  // cancelled by a timeout or close()
        if (res != nullptr) uv_freeaddrinfo(res);
        self->maybe_free();
        return;
    }
    self->dns_ = nullptr;
    if (status < 0) {
        self->fail_connect(self->unknown_host(status));
        return;
    }
    for (const addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) && ai->ai_addrlen <= sizeof(sockaddr_storage)) {
            sockaddr_storage addr{};
            std::memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
            self->addrs_.push_back(addr);
        }
    }
    uv_freeaddrinfo(res);
    if (self->addrs_.empty()) {
        self->fail_connect(self->unknown_host(UV_EAI_NONAME));
        return;
    }
    self->connect_next();
}

void Transport::Impl::connect_next() {
    while (next_addr_ < addrs_.size()) {
        const sockaddr_storage& addr = addrs_[next_addr_++];
        auto* storage = new StreamStorage;
        int rc = uv_tcp_init(loop_, &storage->tcp);
        if (rc != 0) {
            delete storage;
            last_error_ = rc;
            continue;
        }
        storage->tcp.data = this;
        ++live_;
        stream_ = reinterpret_cast<uv_stream_t*>(&storage->tcp);
        rc = uv_tcp_connect(&connect_req_, &storage->tcp, reinterpret_cast<const sockaddr*>(&addr), &Impl::on_connect);
        if (rc == 0) return;
        last_error_ = rc;
        close_stream();
    }
    fail_connect(connect_error(uv_strerror(last_error_)));
}

void Transport::Impl::connect_unix(std::string path, std::chrono::milliseconds timeout) {
    ApiCall call(*this);
    if (!can_connect()) return;
    unix_ = true;
    target_ = std::move(path);
    begin_connect(timeout);
#ifndef _WIN32
    if (target_.empty() || target_.size() >= sizeof(sockaddr_un{}.sun_path)) {
        // libuv 1.44 would silently truncate a long path.
        fail_connect(connect_error(uv_strerror(target_.empty() ? UV_EINVAL : UV_ENAMETOOLONG)));
        return;
    }
#endif
    auto* storage = new StreamStorage;
    if (const int rc = uv_pipe_init(loop_, &storage->pipe, 0); rc != 0) {
        delete storage;
        fail_connect(connect_error(uv_strerror(rc)));
        return;
    }
    storage->pipe.data = this;
    ++live_;
    stream_ = reinterpret_cast<uv_stream_t*>(&storage->pipe);
    uv_pipe_connect(&connect_req_, &storage->pipe, target_.c_str(), &Impl::on_connect);
}

void Transport::Impl::on_connect(uv_connect_t* req, int status) noexcept {
    auto* self = static_cast<Impl*>(req->data);
    if (self->state_ != State::connecting || req->handle != self->stream_) return;  // cancelled
    if (status < 0) {
        self->last_error_ = status;
        self->close_stream();
        self->connect_next();
        return;
    }
    self->connected();
}

void Transport::Impl::connected() {
    uv_timer_stop(&timer_);
    if (!unix_) {
        auto* tcp = reinterpret_cast<uv_tcp_t*>(stream_);
        uv_tcp_nodelay(tcp, 1);
        uv_tcp_keepalive(tcp, keepalive_s_ > 0 ? 1 : 0, keepalive_s_);
    }
    addrs_ = {};
    state_ = State::connected;
    if (const int rc = start_reading(); rc != 0) {
        fail_connect(connect_error(uv_strerror(rc)));
        return;
    }
    if (!out_pending_.empty()) schedule_tick();
    notify(EventKind::connected, {});
}

void Transport::Impl::fail_connect(Status st) {
    uv_timer_stop(&timer_);
    if (dns_ != nullptr) {
        // The request completes later either way (UV_EAI_CANCELED or a stale result): on_resolved
        // recognises it as no longer current.
        uv_cancel(reinterpret_cast<uv_req_t*>(dns_));
        dns_ = nullptr;
    }
    close_stream();
    state_ = State::dead;
    notify(EventKind::connected, std::move(st));
}

void Transport::Impl::on_timeout(uv_timer_t* t) noexcept {
    auto* self = static_cast<Impl*>(t->data);
    if (self->state_ == State::connecting) self->fail_connect(self->connect_error("timed out", ClientKind::timeout));
}

Status Transport::Impl::connect_error(const std::string& reason, ClientKind kind) const {
    if (unix_) {
        return Status::client(cr::connection_error,
                              "Can't connect to local server through socket '" + target_ + "' (" + reason + ")", kind);
    }
    return Status::client(cr::conn_host_error, "Can't connect to MySQL server on '" + target_ + "' (" + reason + ")",
                          kind);
}

Status Transport::Impl::unknown_host(int rc) const {
    return Status::client(cr::unknown_host, "Unknown MySQL server host '" + host_ + "' (" + uv_strerror(rc) + ")");
}

}  // namespace uvmysql::detail
