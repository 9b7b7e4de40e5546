// SPDX-License-Identifier: MIT
// transport_close: best-effort last bytes, then every handle uv_close()d; the Impl frees itself after the last callback.
#include "transport/transport_impl.hpp"

namespace uvmysql::detail {

void Transport::Impl::close() {
    if (state_ == State::closed) return;
    handler_ = nullptr;
    events_.clear();
    if (state_ == State::connected && stream_ != nullptr && !write_in_flight_) {
        if (tls_state_ == TlsState::established) {
            if (plain_sent_ < plain_pending_.size()) {
                (void)tls_->write({plain_pending_.data() + plain_sent_, plain_pending_.size() - plain_sent_});
            }
            tls_->close_notify();
        }
        try_write_pending();
    }
    state_ = State::closed;
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &Impl::on_handle_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&idle_), &Impl::on_handle_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&check_), &Impl::on_handle_closed);
    if (dns_ != nullptr) {
        uv_cancel(reinterpret_cast<uv_req_t*>(dns_));
        dns_ = nullptr;
    }
    close_stream();
}

void Transport::Impl::close_stream() {
    if (stream_ == nullptr) return;
    auto* h = reinterpret_cast<uv_handle_t*>(stream_);
    stream_ = nullptr;
    reading_ = false;
    uv_close(h, &Impl::on_stream_closed);
}

void Transport::Impl::on_stream_closed(uv_handle_t* h) noexcept {
    auto* self = static_cast<Impl*>(h->data);
    delete reinterpret_cast<StreamStorage*>(h);
    --self->live_;
    self->maybe_free();
}

void Transport::Impl::on_handle_closed(uv_handle_t* h) noexcept {
    auto* self = static_cast<Impl*>(h->data);
    --self->live_;
    self->maybe_free();
}

void Transport::Impl::maybe_free() {
    if (state_ == State::closed && live_ == 0) delete this;
}

}  // namespace uvmysql::detail
