// SPDX-License-Identifier: MIT
// transport_stream_io: reads with backpressure, and writes coalesced into one uv_write per loop phase.
#include "transport/transport_impl.hpp"

#include <algorithm>

namespace uvmysql::detail {

int Transport::Impl::start_reading() {
    if (paused_ || reading_ || state_ != State::connected || stream_ == nullptr) return 0;
    const int rc = uv_read_start(stream_, &Impl::on_alloc, &Impl::on_read);
    reading_ = rc == 0;
    return rc;
}

void Transport::Impl::stop_reading() {
    if (!reading_) return;
    uv_read_stop(stream_);
    reading_ = false;
}

void Transport::Impl::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) noexcept {
    // libuv pairs each alloc with the read callback that follows it, so one buffer is enough.
    auto* self = static_cast<Impl*>(h->data);
    if (!self->read_buf_) self->read_buf_.reset(new std::uint8_t[read_buffer_size]);
    *buf = uv_buf_init(reinterpret_cast<char*>(self->read_buf_.get()), read_buffer_size);
}

void Transport::Impl::on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) noexcept {
    auto* self = static_cast<Impl*>(s->data);
    if (nread == 0 || self->state_ != State::connected) return;
    if (nread < 0) {
        self->fail_stream(self->stream_failure(static_cast<int>(nread), false));
        return;
    }
    self->stats_.bytes_read += static_cast<std::uint64_t>(nread);
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(buf->base),
                                              static_cast<std::size_t>(nread));
    if (self->tls_state_ == TlsState::none) {
        self->deliver(bytes);
    } else {
        self->on_ciphertext(bytes);
    }
}

void Transport::Impl::deliver(std::span<const std::uint8_t> bytes) {
    if (handler_ != nullptr) handler_->on_read(bytes);
}

void Transport::Impl::pause_reading() {
    paused_ = true;
    stop_reading();
}

void Transport::Impl::resume_reading() {
    ApiCall call(*this);
    if (!paused_) return;
    paused_ = false;
    if (state_ != State::connected) return;
    if (const int rc = start_reading(); rc != 0) {
        fail_stream(stream_failure(rc, false));
        return;
    }
    if (tls_state_ != TlsState::none && (!tls_stash_.empty() || tls_->has_pending())) {
        // Delivered from the next tick: never call on_read from inside resume_reading().
        tls_resume_pending_ = true;
        schedule_tick();
    }
}

void Transport::Impl::write(std::span<const std::uint8_t> bytes) {
    if (bytes.empty() || state_ == State::dead || state_ == State::closed) return;
    auto& buf = tls_state_ == TlsState::none ? out_pending_ : plain_pending_;
    buf.insert(buf.end(), bytes.begin(), bytes.end());
    if (state_ == State::connected) schedule_tick();
}

void Transport::Impl::write_buffer(std::vector<std::uint8_t>& bytes) {
    // In clear with nothing pending: out_pending_ is empty, so the two buffers can trade places.
    if (tls_state_ == TlsState::none && out_pending_.empty() && !bytes.empty() && state_ != State::dead &&
        state_ != State::closed) {
        std::swap(out_pending_, bytes);
        if (state_ == State::connected) schedule_tick();
    } else {
        write(bytes);
    }
    bytes.clear();
}

void Transport::Impl::flush() {
    if (state_ != State::connected || write_in_flight_ || stream_ == nullptr) return;
    if (tls_state_ == TlsState::established && plain_sent_ < plain_pending_.size()) {
        const std::size_t n = std::min(tls_encrypt_chunk, plain_pending_.size() - plain_sent_);
        const auto r = tls_->write({plain_pending_.data() + plain_sent_, n});
        plain_sent_ += n;
        if (plain_sent_ == plain_pending_.size()) {
            plain_pending_.clear();
            plain_sent_ = 0;
            release_if_big(plain_pending_);
        }
        if (r == TlsSession::Result::failed) {
            fail_stream(tls_->error());
            return;
        }
    }
    if (out_pending_.empty()) return;
    std::swap(out_pending_, out_inflight_);
    uv_buf_t bufs[8];
    unsigned nbufs = 0;
    std::size_t size = std::min(out_inflight_.size(), max_uv_buf * (sizeof bufs / sizeof bufs[0]));
    if (size < out_inflight_.size()) {  // more than 8 GiB at once: the rest waits for the next write
        out_pending_.insert(out_pending_.begin(), out_inflight_.begin() + static_cast<std::ptrdiff_t>(size),
                            out_inflight_.end());
        out_inflight_.resize(size);
    }
    // Try the socket directly first: a request that fits in the socket buffer (nearly every
    // query) then costs one send() and no write request, which on libuv 1.44 also spares an
    // epoll_ctl per query.
    if (size <= max_uv_buf) {
        uv_buf_t whole = uv_buf_init(reinterpret_cast<char*>(out_inflight_.data()), static_cast<unsigned>(size));
        const int sent = uv_try_write(stream_, &whole, 1);
        if (sent < 0 && sent != UV_EAGAIN) {
            fail_stream(stream_failure(sent, true));
            return;
        }
        if (sent > 0) {
            stats_.bytes_written += static_cast<std::size_t>(sent);
            out_inflight_.erase(out_inflight_.begin(), out_inflight_.begin() + sent);
            size = out_inflight_.size();
            if (size == 0) {
                ++stats_.uv_writes;   // one write per flush, whichever way it went out
                release_if_big(out_inflight_);
                // Under TLS the plaintext is encrypted a chunk per flush: go on with the next.
                if (plain_sent_ < plain_pending_.size() || !out_pending_.empty()) schedule_tick();
                return;
            }
        }
    }
    for (std::size_t off = 0; off < size; off += max_uv_buf) {
        bufs[nbufs++] = uv_buf_init(reinterpret_cast<char*>(out_inflight_.data() + off),
                                    static_cast<unsigned>(std::min(max_uv_buf, size - off)));
    }
    if (const int rc = uv_write(&write_req_, stream_, bufs, nbufs, &Impl::on_write); rc != 0) {
        fail_stream(stream_failure(rc, true));
        return;
    }
    write_in_flight_ = true;
    ++stats_.uv_writes;
}

void Transport::Impl::on_write(uv_write_t* req, int status) noexcept {
    auto* self = static_cast<Impl*>(req->data);
    self->write_in_flight_ = false;
    if (status == UV_ECANCELED || self->state_ != State::connected) return;
    if (status < 0) {
        self->fail_stream(self->stream_failure(status, true));
        return;
    }
    self->stats_.bytes_written += self->out_inflight_.size();
    self->out_inflight_.clear();
    release_if_big(self->out_inflight_);
    self->flush();  // whatever was written meanwhile goes out as one write, right away
}

void Transport::Impl::try_write_pending() {
    if (stream_ == nullptr || write_in_flight_ || out_pending_.empty()) return;
    const uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(out_pending_.data()),
                                     static_cast<unsigned>(std::min(out_pending_.size(), max_uv_buf)));
    (void)uv_try_write(stream_, &buf, 1);
    out_pending_.clear();
}

Status Transport::Impl::stream_failure(int rc, bool writing) const {
    const std::string reason = rc == UV_EOF ? "connection closed by server" : uv_strerror(rc);
    if (tls_state_ == TlsState::handshaking) {
        return Status::client(cr::ssl_connection_error, "SSL connection error: " + reason + " during the TLS handshake");
    }
    if (writing) return Status::client(cr::server_gone_error, "MySQL server has gone away (" + reason + ")");
    return Status::client(cr::server_lost, "Lost connection to MySQL server (" + reason + ")");
}

void Transport::Impl::fail_stream(Status st) {
    if (state_ != State::connected) return;
    state_ = State::dead;
    stop_reading();
    close_stream();
    notify(tls_state_ == TlsState::handshaking ? EventKind::tls_ready : EventKind::error, std::move(st));
}

}  // namespace uvmysql::detail
