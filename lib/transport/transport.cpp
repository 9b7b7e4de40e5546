// SPDX-License-Identifier: MIT
// Transport: libuv connect/read/write, write coalescing, the TLS plumbing and the close protocol.
#include "transport/transport.hpp"

#include <uv.h>
#ifndef _WIN32
#include <sys/un.h>

#include <csignal>
#endif

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>
#include <utility>
#include <vector>

#include "transport/tls_session.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::size_t read_buffer_size = 64 * 1024;
// Plaintext handed to on_read per call under TLS: one full record's worth.
constexpr std::size_t plain_buffer_size = 16 * 1024;
// Plaintext encrypted per uv_write under TLS, so a huge write() does not double its memory at once.
constexpr std::size_t tls_encrypt_chunk = 256 * 1024;
// Write buffers that grew beyond this are released after use instead of being kept for reuse.
constexpr std::size_t keep_capacity = 1024 * 1024;
constexpr std::size_t max_uv_buf = 1U << 30;
constexpr unsigned keepalive_delay_s = 60;

// One allocation for whichever stream a connect attempt uses; freed in its close callback.
union StreamStorage {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
};

void release_if_big(std::vector<std::uint8_t>& v) {
    if (v.capacity() > keep_capacity) std::vector<std::uint8_t>().swap(v);
}

Status misuse(const char* what) { return Status::client(cr::unknown_error, what, ClientKind::interface); }

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

// Flow: idle → connecting (DNS, then one TCP attempt per address; or the unix socket) →
// connected (reading; optional TLS: handshaking → established) → dead after a reported failure.
// close() moves any state to closed: the handler is dropped and every handle is uv_close()d; the
// object deletes itself when the last close callback (or cancelled DNS request) has come back.
class Transport::Impl {
public:
    Impl(uv_loop_t* loop, TransportHandler& handler) : loop_(loop), handler_(&handler) {
        uv_timer_init(loop_, &timer_);
        uv_idle_init(loop_, &idle_);
        uv_check_init(loop_, &check_);
        timer_.data = idle_.data = check_.data = this;
        connect_req_.data = write_req_.data = this;
        live_ = 3;
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void connect_tcp(std::string host, int port, std::chrono::milliseconds timeout);
    void connect_unix(std::string path, std::chrono::milliseconds timeout);
    void start_tls(const TlsOptions& opt);
    void write(std::span<const std::uint8_t> bytes);
    void pause_reading();
    void resume_reading();
    void close();

    bool is_secure() const { return tls_state_ == TlsState::established || (unix_ && state_ == State::connected); }
    bool is_tls() const { return tls_state_ == TlsState::established; }
    std::string tls_version() const { return is_tls() ? tls_->version() : std::string(); }
    std::string tls_ciphersuite() const { return is_tls() ? tls_->ciphersuite() : std::string(); }
    TransportStats stats() const { return stats_; }

private:
    enum class State { idle, connecting, connected, dead, closed };
    enum class TlsState { none, handshaking, established };
    enum class EventKind { connected, tls_ready, error };
    struct Event {
        EventKind kind;
        Status status;
    };
    // Marks a public method call: events raised inside one are deferred to the next tick, so that
    // the handler is never called back from inside a Transport method.
    struct ApiCall {
        explicit ApiCall(Impl& impl) : impl_(impl) { ++impl_.api_depth_; }
        ~ApiCall() { --impl_.api_depth_; }
        ApiCall(const ApiCall&) = delete;
        ApiCall& operator=(const ApiCall&) = delete;
        Impl& impl_;
    };

    ~Impl() = default;  // only through maybe_free()

    // libuv callbacks
    static void on_timeout(uv_timer_t* t) noexcept;
    static void on_resolved(uv_getaddrinfo_t* req, int status, addrinfo* res) noexcept;
    static void on_connect(uv_connect_t* req, int status) noexcept;
    static void on_alloc(uv_handle_t* h, std::size_t suggested, uv_buf_t* buf) noexcept;
    static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) noexcept;
    static void on_write(uv_write_t* req, int status) noexcept;
    static void on_tick_idle(uv_idle_t* h) noexcept { static_cast<Impl*>(h->data)->tick(); }
    static void on_tick_check(uv_check_t* h) noexcept { static_cast<Impl*>(h->data)->tick(); }
    static void on_handle_closed(uv_handle_t* h) noexcept;
    static void on_stream_closed(uv_handle_t* h) noexcept;

    // connecting
    bool can_connect();
    void begin_connect(std::chrono::milliseconds timeout);
    void resolve();
    void connect_next();
    void connected();
    void fail_connect(Status st);
    Status connect_error(const std::string& reason) const;
    Status unknown_host(int rc) const;

    // reading, TLS
    int start_reading();
    void stop_reading();
    void deliver(std::span<const std::uint8_t> bytes);
    void on_ciphertext(std::span<const std::uint8_t> bytes);
    void process_stash();
    void run_tls();
    void fail_tls(Status st);

    // writing
    void schedule_tick();
    void tick();
    void flush();
    void try_write_pending();

    // failures, events, teardown
    Status stream_failure(int rc, bool writing) const;
    void fail_stream(Status st);
    void notify(EventKind kind, Status st);
    void deliver_event(const Event& e);
    void close_stream();
    void maybe_free();

    uv_loop_t* loop_;
    TransportHandler* handler_;
    State state_ = State::idle;
    TlsState tls_state_ = TlsState::none;
    int live_ = 0;  // handles and requests whose callbacks are still to come
    int api_depth_ = 0;
    std::vector<Event> events_;

    uv_timer_t timer_;
    uv_idle_t idle_;    // runs the tick before the loop would block in poll
    uv_check_t check_;  // runs the tick right after the I/O callbacks of the same iteration
    bool tick_scheduled_ = false;
    uv_stream_t* stream_ = nullptr;  // the current StreamStorage
    uv_getaddrinfo_t* dns_ = nullptr;
    uv_connect_t connect_req_;
    uv_write_t write_req_;

    bool unix_ = false;
    std::string host_;
    std::string target_;  // "host:port" or the socket path, for messages
    std::vector<sockaddr_storage> addrs_;
    std::size_t next_addr_ = 0;
    int last_error_ = UV_ECONNREFUSED;

    std::unique_ptr<std::uint8_t[]> read_buf_;
    bool paused_ = false;
    bool reading_ = false;

    std::vector<std::uint8_t> out_pending_;   // bytes for the next uv_write (ciphertext under TLS)
    std::vector<std::uint8_t> out_inflight_;  // bytes of the uv_write in flight
    bool write_in_flight_ = false;
    std::vector<std::uint8_t> plain_pending_;  // TLS: plaintext not yet encrypted
    std::size_t plain_sent_ = 0;

    std::unique_ptr<TlsSession> tls_;
    std::vector<std::uint8_t> tls_stash_;  // ciphertext left unprocessed while paused
    std::unique_ptr<std::uint8_t[]> plain_buf_;
    bool tls_resume_pending_ = false;

    TransportStats stats_;
};

// ---- connecting ---------------------------------------------------------------------------

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
        uv_tcp_keepalive(tcp, 1, keepalive_delay_s);
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
    if (self->state_ == State::connecting) self->fail_connect(self->connect_error("timed out"));
}

Status Transport::Impl::connect_error(const std::string& reason) const {
    if (unix_) {
        return Status::client(cr::connection_error,
                              "Can't connect to local server through socket '" + target_ + "' (" + reason + ")");
    }
    return Status::client(cr::conn_host_error, "Can't connect to MySQL server on '" + target_ + "' (" + reason + ")");
}

Status Transport::Impl::unknown_host(int rc) const {
    return Status::client(cr::unknown_host, "Unknown MySQL server host '" + host_ + "' (" + uv_strerror(rc) + ")");
}

// ---- reading and TLS ------------------------------------------------------------------------

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

// ---- writing ----------------------------------------------------------------------------------

void Transport::Impl::write(std::span<const std::uint8_t> bytes) {
    if (bytes.empty() || state_ == State::dead || state_ == State::closed) return;
    auto& buf = tls_state_ == TlsState::none ? out_pending_ : plain_pending_;
    buf.insert(buf.end(), bytes.begin(), bytes.end());
    if (state_ == State::connected) schedule_tick();
}

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

// ---- failures, events, close ------------------------------------------------------------------

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

void Transport::Impl::maybe_free() {
    if (state_ == State::closed && live_ == 0) delete this;
}

// ---- Transport --------------------------------------------------------------------------------

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
TransportStats Transport::stats() const { return impl_ != nullptr ? impl_->stats() : final_stats_; }

}  // namespace uvmysql::detail
