// SPDX-License-Identifier: MIT
// Transport::Impl: the state shared by the transport's files (connect, stream I/O, TLS pump, events, close).
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "transport/tls_session.hpp"
#include "transport/transport.hpp"

namespace uvmysql::detail {

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
    void write_buffer(std::vector<std::uint8_t>& bytes);
    void pause_reading();
    void resume_reading();
    void close();

    bool is_secure() const { return tls_state_ == TlsState::established || (unix_ && state_ == State::connected); }
    bool is_tls() const { return tls_state_ == TlsState::established; }
    std::string tls_version() const { return is_tls() ? tls_->version() : std::string(); }
    std::string tls_ciphersuite() const { return is_tls() ? tls_->ciphersuite() : std::string(); }
    TransportStats stats() const { return stats_; }
    bool write_pending() const { return write_in_flight_ || !out_pending_.empty() || !plain_pending_.empty(); }
    void set_keepalive(unsigned seconds) { keepalive_s_ = seconds; }

private:
    static constexpr std::size_t read_buffer_size = 64 * 1024;
    // Plaintext handed to on_read per call under TLS: one full record's worth.
    static constexpr std::size_t plain_buffer_size = 16 * 1024;
    // Plaintext encrypted per uv_write under TLS, so a huge write() does not double its memory at once.
    static constexpr std::size_t tls_encrypt_chunk = 256 * 1024;
    // Write buffers that grew beyond this are released after use instead of being kept for reuse.
    static constexpr std::size_t keep_capacity = 1024 * 1024;
    static constexpr std::size_t max_uv_buf = 1U << 30;

    // One allocation for whichever stream a connect attempt uses; freed in its close callback.
    union StreamStorage {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    };

    static void release_if_big(std::vector<std::uint8_t>& v) {
        if (v.capacity() > keep_capacity) std::vector<std::uint8_t>().swap(v);
    }
    static Status misuse(const char* what) { return Status::client(cr::unknown_error, what, ClientKind::interface); }

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

    // connecting (transport_connect.cpp)
    bool can_connect();
    void begin_connect(std::chrono::milliseconds timeout);
    void resolve();
    void connect_next();
    void connected();
    void fail_connect(Status st);
    Status connect_error(const std::string& reason, ClientKind kind = ClientKind::operational) const;
    Status unknown_host(int rc) const;

    // reading (transport_stream_io.cpp), TLS (transport_tls_pump.cpp)
    int start_reading();
    void stop_reading();
    void deliver(std::span<const std::uint8_t> bytes);
    void on_ciphertext(std::span<const std::uint8_t> bytes);
    void process_stash();
    void run_tls();
    void fail_tls(Status st);

    // writing (transport_stream_io.cpp), the end-of-phase tick (transport_events.cpp)
    void schedule_tick();
    void tick();
    void flush();
    void try_write_pending();

    // failures (transport_stream_io.cpp), events (transport_events.cpp), teardown (transport_close.cpp)
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
    unsigned keepalive_s_ = 60;   // TCP keepalive delay; 0: off
    std::vector<std::uint8_t> plain_pending_;  // TLS: plaintext not yet encrypted
    std::size_t plain_sent_ = 0;

    std::unique_ptr<TlsSession> tls_;
    std::vector<std::uint8_t> tls_stash_;  // ciphertext left unprocessed while paused
    std::unique_ptr<std::uint8_t[]> plain_buf_;
    bool tls_resume_pending_ = false;

    TransportStats stats_;
};

}  // namespace uvmysql::detail
