// SPDX-License-Identifier: MIT
// transport_tls_pump: ciphertext from the socket through mbedTLS to plaintext for the handler, and the upgrade.
#include "transport/transport_impl.hpp"

namespace uvmysql::detail {

void Transport::Impl::start_tls(const TlsOptions& opt) {
    ApiCall call(*this);
    if (state_ == State::closed) return;
    if (state_ != State::connected || tls_state_ != TlsState::none) {
        notify(EventKind::tls_ready, misuse("start_tls() needs a connected transport without TLS"));
        return;
    }
    Status error;
    tls_ = TlsSession::create(opt, unix_ ? std::string_view("localhost") : std::string_view(host_), out_pending_, error);
    if (!tls_) {
        fail_tls(std::move(error));
        return;
    }
    tls_state_ = TlsState::handshaking;
    run_tls();  // queues the ClientHello after whatever was written in clear
}

void Transport::Impl::on_ciphertext(std::span<const std::uint8_t> bytes) {
    if (!tls_stash_.empty() || paused_) {
        tls_stash_.insert(tls_stash_.end(), bytes.begin(), bytes.end());
        if (!paused_) process_stash();
        return;
    }
    tls_->feed(bytes);
    run_tls();
    const auto rest = tls_->unconsumed();
    tls_->feed({});
    if (state_ == State::connected && !rest.empty()) tls_stash_.assign(rest.begin(), rest.end());  // paused
}

void Transport::Impl::process_stash() {
    tls_->feed(tls_stash_);
    run_tls();
    const std::size_t left = tls_->unconsumed().size();
    tls_->feed({});
    tls_stash_.erase(tls_stash_.begin(), tls_stash_.end() - static_cast<std::ptrdiff_t>(left));
}

void Transport::Impl::run_tls() {
    if (tls_state_ == TlsState::handshaking) {
        const auto r = tls_->handshake();
        if (!out_pending_.empty()) schedule_tick();
        if (r == TlsSession::Result::want_read) return;
        if (r != TlsSession::Result::done) {
            fail_tls(tls_->error());
            return;
        }
        tls_state_ = TlsState::established;
        if (!plain_pending_.empty()) schedule_tick();
        notify(EventKind::tls_ready, {});
        if (state_ != State::connected) return;
    }
    while (state_ == State::connected && !paused_) {
        if (!plain_buf_) plain_buf_.reset(new std::uint8_t[plain_buffer_size]);
        std::size_t n = 0;
        const auto r = tls_->read({plain_buf_.get(), plain_buffer_size}, n);
        if (!out_pending_.empty()) schedule_tick();  // e.g. an alert mbedTLS answered with
        if (n > 0) {
            deliver({plain_buf_.get(), n});
            if (state_ != State::connected) return;
        }
        if (r == TlsSession::Result::want_read) return;
        if (r == TlsSession::Result::more) continue;
        if (paused_) return;  // the end is sticky in the session: reported after resume_reading()
        if (r == TlsSession::Result::closed) {
            fail_stream(Status::client(cr::server_lost, "Lost connection to MySQL server (TLS connection closed by server)"));
        } else {
            fail_stream(tls_->error());
        }
        return;
    }
}

void Transport::Impl::fail_tls(Status st) {
    state_ = State::dead;
    stop_reading();
    try_write_pending();  // the alert that tells the server why
    close_stream();
    notify(EventKind::tls_ready, std::move(st));
}

}  // namespace uvmysql::detail
