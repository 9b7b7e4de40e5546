// SPDX-License-Identifier: MIT
// Test peers for the transport tests: a libuv stream server and an mbedTLS server, on the test's loop.
#pragma once

#include <gtest/gtest.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "transport/transport.hpp"

namespace transport_test {

using uvmysql::detail::Status;
using uvmysql::detail::Transport;
using uvmysql::detail::TransportHandler;

/// Path of a file in test/unit/transport/certs.
std::string cert_path(const char* name);

/// A byte pattern that makes reordering or loss visible.
std::string pattern(std::size_t size, unsigned seed = 0);

inline std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class StreamServer;

/// One accepted connection of a StreamServer. Lives until the server is destroyed; its libuv
/// handle is closed by close()/end() or by the destructor.
class ServerConn {
public:
    union Handle {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    };

    explicit ServerConn(StreamServer& server) : server_(server) {}
    ~ServerConn() {
        *alive_ = false;
        close();
    }
    ServerConn(const ServerConn&) = delete;
    ServerConn& operator=(const ServerConn&) = delete;

    /// Queues `data`; `done` runs when the write completed (not after close()).
    void write(std::string_view data, std::function<void()> done = {});
    /// Stops/starts reading (the server reads from accept on unless told otherwise).
    void start_reading();
    void stop_reading();
    /// Closes at once (pending writes are dropped).
    void close();
    /// Sends what is queued, then shuts the write side down and closes.
    void end();
    bool closed() const { return handle_ == nullptr; }

    StreamServer& server() { return server_; }
    std::string received;
    bool eof = false;
    std::uint64_t bytes_written = 0;

private:
    friend class StreamServer;
    static void on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf);
    static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
    uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(handle_); }

    StreamServer& server_;
    Handle* handle_ = nullptr;
    std::vector<char> buf_ = std::vector<char>(64 * 1024);
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// A TCP or unix socket server on the test loop. By default it echoes what it reads.
class StreamServer {
public:
    explicit StreamServer(uv_loop_t* loop) : loop_(loop) {}
    ~StreamServer() { close(); }
    StreamServer(const StreamServer&) = delete;
    StreamServer& operator=(const StreamServer&) = delete;

    /// Listens on `ip` port 0; returns the port, or -1 if `ip` cannot be bound (e.g. no IPv6).
    int listen_tcp(const char* ip);
    /// Listens on a unix socket; false if that fails.
    bool listen_unix(const std::string& path);
    /// Closes the listener and every connection.
    void close();

    uv_loop_t* loop() { return loop_; }
    const std::vector<std::unique_ptr<ServerConn>>& conns() const { return conns_; }

    bool read_on_accept = true;
    std::function<void(ServerConn&)> on_accept;
    /// Default: echo the data back.
    std::function<void(ServerConn&, std::string_view)> on_data;
    /// Default: close the connection.
    std::function<void(ServerConn&)> on_eof;

private:
    friend class ServerConn;
    static void on_connection(uv_stream_t* listener, int status);

    uv_loop_t* loop_;
    bool unix_ = false;
    ServerConn::Handle* listener_ = nullptr;
    std::vector<std::unique_ptr<ServerConn>> conns_;
};

/// mbedTLS server side over a StreamServer: handshakes each connection, then echoes plaintext
/// (or calls on_plain).
class TlsServer {
public:
    struct Options {
        std::string cert = cert_path("server.crt");
        std::string key = cert_path("server.key");
        std::string client_ca;  ///< non-empty: require a client certificate signed by it
        std::size_t clear_prefix = 0;  ///< bytes read in clear before the handshake (an SSLRequest)
    };
    class Conn;

    TlsServer(uv_loop_t* loop, const Options& opt);
    ~TlsServer();
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    int listen_tcp(const char* ip) { return stream_.listen_tcp(ip); }
    StreamServer& stream() { return stream_; }
    std::vector<Conn*> conns() const;

    /// After a successful handshake.
    std::function<void(Conn&)> on_ready;
    /// Decrypted data; default: echo it.
    std::function<void(Conn&, std::string_view)> on_plain;

private:
    StreamServer stream_;
    std::size_t clear_prefix_;
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    mbedtls_ssl_config conf_;
    mbedtls_x509_crt cert_;
    mbedtls_x509_crt client_ca_;
    mbedtls_pk_context key_;
    std::map<ServerConn*, std::unique_ptr<Conn>> conns_;
};

/// One TLS connection of a TlsServer.
class TlsServer::Conn {
public:
    Conn(TlsServer& server, ServerConn& conn, mbedtls_ssl_config& conf);
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    /// Encrypts and sends `plain`.
    void send(std::string_view plain);
    /// Sends close_notify, then ends the TCP stream.
    void close_notify_and_end();
    void feed(std::string_view ciphertext);

    ServerConn& stream() { return conn_; }
    bool ready = false;
    int handshake_error = 0;  ///< mbedTLS code if the handshake failed
    bool peer_closed = false;
    std::string plain;  ///< everything decrypted so far
    std::string clear;  ///< the clear prefix

private:
    static int bio_send(void* self, const unsigned char* buf, std::size_t len);
    static int bio_recv(void* self, unsigned char* buf, std::size_t len);
    void pump();

    TlsServer& server_;
    ServerConn& conn_;
    mbedtls_ssl_context ssl_;
    std::string in_;
    std::size_t in_off_ = 0;
    std::size_t clear_needed_;
};

/// Records a Transport's events; hooks let a test act inside each callback.
class Client final : public TransportHandler {
public:
    explicit Client(uv_loop_t* loop) : transport(Transport::create(loop, *this)) {}

    void write(std::string_view s) { transport->write(bytes_of(s)); }

    void on_connected(const Status& st) override {
        connected.push_back(st);
        if (when_connected) when_connected(st);
    }
    void on_read(std::span<const std::uint8_t> bytes) override {
        ++reads;
        data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (when_read) when_read(bytes);
    }
    void on_tls_ready(const Status& st) override {
        tls_ready.push_back(st);
        if (when_tls_ready) when_tls_ready(st);
    }
    void on_error(const Status& st) override {
        errors.push_back(st);
        if (when_error) when_error(st);
    }

    std::unique_ptr<Transport> transport;
    std::vector<Status> connected;
    std::vector<Status> tls_ready;
    std::vector<Status> errors;
    std::string data;
    int reads = 0;
    std::function<void(const Status&)> when_connected;
    std::function<void(std::span<const std::uint8_t>)> when_read;
    std::function<void(const Status&)> when_tls_ready;
    std::function<void(const Status&)> when_error;
};

/// Owns a loop; TearDown drains it and checks that uv_loop_close() succeeds (nothing leaked).
class LoopTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    /// Runs the loop until `done()` or `limit` passed; returns done().
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(20));
    /// Runs the loop for about `d` (to show that nothing more happens).
    void run_for(std::chrono::milliseconds d) { run_until([] { return false; }, d); }
    /// Runs `fn` after about `d` on the loop.
    void after(std::chrono::milliseconds d, std::function<void()> fn);

    uv_loop_t loop_{};
    uv_loop_t* loop() { return &loop_; }

private:
    uv_timer_t watchdog_{};
    std::vector<std::unique_ptr<std::pair<uv_timer_t, std::function<void()>>>> timers_;
};

}  // namespace transport_test
