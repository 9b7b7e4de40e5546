// SPDX-License-Identifier: MIT
// Transport: the public facade over Transport::Impl, which the transport_*.cpp files implement by concern.
#include "transport/transport.hpp"

#ifndef _WIN32
#include <csignal>
#endif

#include <mutex>
#include <utility>

#include "transport/transport_impl.hpp"

namespace uvmysql::detail {

namespace {

// libuv writes with write(2), which raises SIGPIPE when the peer has reset the connection; its
// default action kills the process. Like libmysqlclient's library init, ignore it — but only if
// the application left the default disposition in place.
void ignore_sigpipe_once() {
#ifndef _WIN32
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction current {};
        if (sigaction(SIGPIPE, nullptr, &current) == 0 && (current.sa_flags & SA_SIGINFO) == 0 &&
            current.sa_handler == SIG_DFL) {
            struct sigaction ignore {};
            ignore.sa_handler = SIG_IGN;
            sigemptyset(&ignore.sa_mask);
            sigaction(SIGPIPE, &ignore, nullptr);
        }
    });
#endif
}

}  // namespace

std::unique_ptr<Transport> Transport::create(uv_loop_s* loop, TransportHandler& handler) {
    ignore_sigpipe_once();
    return std::unique_ptr<Transport>(new Transport(new Impl(loop, handler)));
}

Transport::~Transport() { close(); }

// After close() the Impl frees itself on the loop's schedule, so the facade forgets it at once:
// later calls are no-ops and stats() returns the final counters.
void Transport::connect_tcp(std::string host, int port, std::chrono::milliseconds timeout) {
    if (impl_ != nullptr) impl_->connect_tcp(std::move(host), port, timeout);
}
void Transport::connect_unix(std::string path, std::chrono::milliseconds timeout) {
    if (impl_ != nullptr) impl_->connect_unix(std::move(path), timeout);
}
void Transport::start_tls(const TlsOptions& opt) {
    if (impl_ != nullptr) impl_->start_tls(opt);
}
void Transport::write(std::span<const std::uint8_t> bytes) {
    if (impl_ != nullptr) impl_->write(bytes);
}
void Transport::write_buffer(std::vector<std::uint8_t>& bytes) {
    if (impl_ != nullptr) {
        impl_->write_buffer(bytes);   // leaves it empty
    } else {
        bytes.clear();
    }
}
void Transport::pause_reading() {
    if (impl_ != nullptr) impl_->pause_reading();
}
void Transport::resume_reading() {
    if (impl_ != nullptr) impl_->resume_reading();
}
void Transport::close() {
    if (impl_ == nullptr) return;
    Impl* impl = std::exchange(impl_, nullptr);
    final_stats_ = impl->stats();
    impl->close();
}
bool Transport::is_secure() const { return impl_ != nullptr && impl_->is_secure(); }
bool Transport::is_tls() const { return impl_ != nullptr && impl_->is_tls(); }
std::string Transport::tls_version() const { return impl_ != nullptr ? impl_->tls_version() : std::string(); }
std::string Transport::tls_ciphersuite() const {
    return impl_ != nullptr ? impl_->tls_ciphersuite() : std::string();
}
bool Transport::write_pending() const { return impl_ != nullptr && impl_->write_pending(); }
void Transport::set_keepalive(unsigned seconds) {
    if (impl_ != nullptr) impl_->set_keepalive(seconds);
}
TransportStats Transport::stats() const { return impl_ != nullptr ? impl_->stats() : final_stats_; }

}  // namespace uvmysql::detail
