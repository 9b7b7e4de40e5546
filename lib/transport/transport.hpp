// SPDX-License-Identifier: MIT
// Transport: the only code that touches sockets — TCP or unix socket stream on libuv, optional TLS.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "transport/tls_options.hpp"

struct uv_loop_s;  // uv_loop_t

namespace uvmysql::detail {

/// Receives a Transport's events; implemented by the connection. Callbacks run on the loop
/// thread, from libuv callbacks only — never from inside a Transport method. They must not
/// throw (the libuv callbacks they run from are noexcept). Any of them may call any Transport
/// method, close() it or destroy it (and destroy the handler itself, once the Transport is closed).
class TransportHandler {
public:
    /// The connect_tcp()/connect_unix() outcome. Errors: cr::conn_host_error (TCP, incl. timeout),
    /// cr::connection_error (unix socket), cr::unknown_host (name resolution). After an error
    /// the transport is dead.
    virtual void on_connected(const Status& st) = 0;
    /// Bytes received (decrypted when TLS is on). The span is valid only during the call.
    virtual void on_read(std::span<const std::uint8_t> bytes) = 0;
    /// The start_tls() outcome: ok, or cr::ssl_connection_error with mbedTLS's reason (for
    /// verification failures, which check failed). After an error the transport is dead.
    virtual void on_tls_ready(const Status& st) = 0;
    /// The stream failed once connected (and not during a TLS handshake, which reports through
    /// on_tls_ready): cr::server_lost for end of stream, TLS close_notify and read errors,
    /// cr::server_gone_error for write errors. Reported once; the transport is dead after it.
    virtual void on_error(const Status& st) = 0;

protected:
    ~TransportHandler() = default;
};

/// Counters for tests and benchmarks.
struct TransportStats {
    std::uint64_t uv_writes = 0;      ///< uv_write() calls issued
    std::uint64_t bytes_written = 0;  ///< bytes whose write completed (ciphertext under TLS)
    std::uint64_t bytes_read = 0;     ///< bytes received from the socket (ciphertext under TLS)
};

/// One client stream on a libuv loop: connect (TCP with DNS, or unix socket), optional in-place
/// TLS upgrade, coalesced writes, reads with backpressure. Callback-based; the connection layer
/// turns the events into futures. Bound to the loop's thread.
///
/// Lifetime: close() (or the destructor) is immediate — after it returns no handler call is made —
/// and idempotent. The libuv handles are closed asynchronously and the internal state is freed in
/// their close callbacks, so the loop must run once more before uv_loop_close(). Both may be
/// called from inside any handler callback.
class Transport {
public:
    /// A transport in the idle state, not yet connected. `handler` must outlive it (or its close()).
    static std::unique_ptr<Transport> create(uv_loop_s* loop, TransportHandler& handler);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    /// Resolves `host` (IPv4/IPv6 literal, "[v6]" or a name via uv_getaddrinfo) and connects to
    /// each address in turn until one accepts; sets TCP_NODELAY and keepalive. `timeout` (<= 0:
    /// none) covers resolution and connect. Reports through on_connected; reading starts on success.
    void connect_tcp(std::string host, int port, std::chrono::milliseconds timeout);
    /// Connects to a unix socket at `path`. Reports through on_connected.
    void connect_unix(std::string path, std::chrono::milliseconds timeout);
    /// Upgrades the connected stream to TLS in place (after the SSLRequest packet was written:
    /// bytes written before the call go out in clear first). Reports through on_tls_ready.
    /// write() calls made during the handshake are sent encrypted once it is done.
    void start_tls(const TlsOptions& opt);
    /// Copies `bytes` to the outgoing buffer. Everything written during one loop phase goes out in
    /// one uv_write() at the end of it; writes made while one is in flight are gathered and sent
    /// together when it completes. Ignored once the transport is dead or closed; buffered before
    /// the connection is up.
    void write(std::span<const std::uint8_t> bytes);
    /// write() of a whole buffer, which is left empty: when nothing else waits to go out in
    /// clear, the transport takes the buffer itself (swapping in its own spent one) instead of
    /// copying it, which matters for large commands (a 150 KB bulk execute).
    void write_buffer(std::vector<std::uint8_t>& bytes);
    /// Stops delivering on_read (and stops reading the socket) until resume_reading().
    void pause_reading();
    void resume_reading();
    /// Closes now: no handler call after it returns. Best effort, without waiting: bytes still
    /// buffered (and a TLS close_notify) are tried once with uv_try_write when no write is in flight.
    void close();

    /// TLS is established, or the stream is a unix socket (a "secure channel" for auth plugins).
    bool is_secure() const;
    bool is_tls() const;
    /// The negotiated TLS version ("TLSv1.2") and cipher suite; empty without TLS.
    std::string tls_version() const;
    std::string tls_ciphersuite() const;
    TransportStats stats() const;
    /// Bytes given to write() are not all taken by the socket yet.
    bool write_pending() const;
    /// TCP keepalive: probes after `seconds` idle (0: off; default 60). Call before connect_tcp().
    void set_keepalive(unsigned seconds);

private:
    class Impl;
    explicit Transport(Impl* impl) : impl_(impl) {}
    Impl* impl_;  // frees itself once its handles are closed; nullptr after close()
    TransportStats final_stats_;
};

}  // namespace uvmysql::detail
