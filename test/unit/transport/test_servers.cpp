// SPDX-License-Identifier: MIT
// Test peers for the transport tests: stream server, mbedTLS server, loop fixture.
#include "test_servers.hpp"

#include <cstring>
#include <thread>

#include "transport/mbedtls_compat.hpp"

namespace transport_test {

std::string cert_path(const char* name) { return std::string(TRANSPORT_CERTS_DIR) + "/" + name; }

std::string pattern(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    std::uint32_t x = 2463534242U + seed;
    for (std::size_t i = 0; i < size; ++i) {  // xorshift32
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s[i] = static_cast<char>(x);
    }
    return s;
}

// ---- ServerConn -----------------------------------------------------------------------------

namespace {
struct WriteReq {
    uv_write_t req;
    std::string data;
    ServerConn* conn;
    std::shared_ptr<bool> conn_alive;  // after end(), writes may complete after the ServerConn is gone
    std::function<void()> done;
};
void delete_handle(uv_handle_t* h) { delete reinterpret_cast<ServerConn::Handle*>(h); }
}  // namespace

void ServerConn::write(std::string_view data, std::function<void()> done) {
    if (handle_ == nullptr) return;
    auto* w = new WriteReq{{}, std::string(data), this, alive_, std::move(done)};
    w->req.data = w;
    uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
    const int rc = uv_write(&w->req, stream(), &buf, 1, [](uv_write_t* req, int status) {
        auto* w = static_cast<WriteReq*>(req->data);
        if (status == 0 && *w->conn_alive) {
            w->conn->bytes_written += w->data.size();
            if (w->done) w->done();
        }
        delete w;
    });
    if (rc != 0) delete w;
}

void ServerConn::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto* self = static_cast<ServerConn*>(h->data);
    *buf = uv_buf_init(self->buf_.data(), static_cast<unsigned>(self->buf_.size()));
}

void ServerConn::on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
    auto* self = static_cast<ServerConn*>(s->data);
    if (nread < 0) {
        self->eof = true;
        self->stop_reading();
        if (self->server_.on_eof) {
            self->server_.on_eof(*self);
        } else {
            self->close();
        }
        return;
    }
    const std::string_view data(buf->base, static_cast<std::size_t>(nread));
    self->received.append(data);
    if (self->server_.on_data) {
        self->server_.on_data(*self, data);
    } else {
        self->write(data);
    }
}

void ServerConn::start_reading() {
    if (handle_ != nullptr) uv_read_start(stream(), &ServerConn::on_alloc, &ServerConn::on_read);
}

void ServerConn::stop_reading() {
    if (handle_ != nullptr) uv_read_stop(stream());
}

void ServerConn::close() {
    if (handle_ == nullptr) return;
    uv_close(reinterpret_cast<uv_handle_t*>(std::exchange(handle_, nullptr)), &delete_handle);
}

void ServerConn::end() {
    if (handle_ == nullptr) return;
    auto* req = new uv_shutdown_t;
    auto* h = std::exchange(handle_, nullptr);
    uv_read_stop(reinterpret_cast<uv_stream_t*>(h));
    const int rc = uv_shutdown(req, reinterpret_cast<uv_stream_t*>(h), [](uv_shutdown_t* r, int) {
        auto* handle = reinterpret_cast<uv_handle_t*>(r->handle);
        if (!uv_is_closing(handle)) uv_close(handle, &delete_handle);
        delete r;
    });
    if (rc != 0) {
        delete req;
        uv_close(reinterpret_cast<uv_handle_t*>(h), &delete_handle);
    }
}

// ---- StreamServer ---------------------------------------------------------------------------

int StreamServer::listen_tcp(const char* ip) {
    sockaddr_storage addr{};
    if (uv_ip4_addr(ip, 0, reinterpret_cast<sockaddr_in*>(&addr)) != 0 &&
        uv_ip6_addr(ip, 0, reinterpret_cast<sockaddr_in6*>(&addr)) != 0) {
        return -1;
    }
    listener_ = new ServerConn::Handle;
    uv_tcp_init(loop_, &listener_->tcp);
    listener_->tcp.data = this;
    if (uv_tcp_bind(&listener_->tcp, reinterpret_cast<const sockaddr*>(&addr), 0) != 0 ||
        uv_listen(reinterpret_cast<uv_stream_t*>(&listener_->tcp), 64, &StreamServer::on_connection) != 0) {
        close();
        return -1;
    }
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&listener_->tcp, reinterpret_cast<sockaddr*>(&bound), &len);
    return bound.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port)
                                      : ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
}

bool StreamServer::listen_unix(const std::string& path) {
    unix_ = true;
    listener_ = new ServerConn::Handle;
    uv_pipe_init(loop_, &listener_->pipe, 0);
    listener_->pipe.data = this;
    if (uv_pipe_bind(&listener_->pipe, path.c_str()) != 0 ||
        uv_listen(reinterpret_cast<uv_stream_t*>(&listener_->pipe), 64, &StreamServer::on_connection) != 0) {
        close();
        return false;
    }
    return true;
}

void StreamServer::on_connection(uv_stream_t* listener, int status) {
    auto* self = static_cast<StreamServer*>(listener->data);
    if (status < 0) return;
    auto conn = std::make_unique<ServerConn>(*self);
    conn->handle_ = new ServerConn::Handle;
    if (self->unix_) {
        uv_pipe_init(self->loop_, &conn->handle_->pipe, 0);
    } else {
        uv_tcp_init(self->loop_, &conn->handle_->tcp);
    }
    conn->handle_->tcp.data = conn.get();
    if (uv_accept(listener, conn->stream()) != 0) return;  // conn's destructor closes the handle
    ServerConn& c = *conn;
    self->conns_.push_back(std::move(conn));
    if (self->read_on_accept) c.start_reading();
    if (self->on_accept) self->on_accept(c);
}

void StreamServer::close() {
    if (listener_ != nullptr) uv_close(reinterpret_cast<uv_handle_t*>(std::exchange(listener_, nullptr)), &delete_handle);
    for (auto& c : conns_) c->close();
}

// ---- TlsServer ------------------------------------------------------------------------------

TlsServer::TlsServer(uv_loop_t* loop, const Options& opt) : stream_(loop), clear_prefix_(opt.clear_prefix) {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    mbedtls_ssl_config_init(&conf_);
    mbedtls_x509_crt_init(&cert_);
    mbedtls_x509_crt_init(&client_ca_);
    mbedtls_pk_init(&key_);
    namespace compat = uvmysql::detail::mbedtls_compat;
    EXPECT_EQ(compat::init_crypto_once(), 0);
    EXPECT_EQ(mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0), 0);
    EXPECT_EQ(mbedtls_x509_crt_parse_file(&cert_, opt.cert.c_str()), 0);
    EXPECT_EQ(compat::parse_key_file(&key_, opt.key.c_str(), &drbg_), 0);
    EXPECT_EQ(mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT),
              0);
    mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
    EXPECT_EQ(mbedtls_ssl_conf_own_cert(&conf_, &cert_, &key_), 0);
    if (!opt.client_ca.empty()) {
        EXPECT_EQ(mbedtls_x509_crt_parse_file(&client_ca_, opt.client_ca.c_str()), 0);
        mbedtls_ssl_conf_ca_chain(&conf_, &client_ca_, nullptr);
        mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_REQUIRED);
    } else {
        mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_NONE);
    }
    stream_.on_accept = [this](ServerConn& c) {
        conns_[&c] = std::make_unique<Conn>(*this, c, conf_);
    };
    stream_.on_data = [this](ServerConn& c, std::string_view data) { conns_.at(&c)->feed(data); };
}

TlsServer::~TlsServer() {
    stream_.close();
    conns_.clear();
    mbedtls_pk_free(&key_);
    mbedtls_x509_crt_free(&client_ca_);
    mbedtls_x509_crt_free(&cert_);
    mbedtls_ssl_config_free(&conf_);
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
}

std::vector<TlsServer::Conn*> TlsServer::conns() const {
    std::vector<Conn*> out;
    for (const auto& c : stream_.conns()) {
        if (auto it = conns_.find(c.get()); it != conns_.end()) out.push_back(it->second.get());
    }
    return out;
}

TlsServer::Conn::Conn(TlsServer& server, ServerConn& conn, mbedtls_ssl_config& conf) : server_(server), conn_(conn), clear_needed_(server.clear_prefix_) {
    mbedtls_ssl_init(&ssl_);
    EXPECT_EQ(mbedtls_ssl_setup(&ssl_, &conf), 0);
    mbedtls_ssl_set_bio(&ssl_, this, &Conn::bio_send, &Conn::bio_recv, nullptr);
}

TlsServer::Conn::~Conn() { mbedtls_ssl_free(&ssl_); }

int TlsServer::Conn::bio_send(void* self, const unsigned char* buf, std::size_t len) {
    static_cast<Conn*>(self)->conn_.write({reinterpret_cast<const char*>(buf), len});
    return static_cast<int>(len);
}

int TlsServer::Conn::bio_recv(void* self, unsigned char* buf, std::size_t len) {
    auto* c = static_cast<Conn*>(self);
    const std::size_t avail = c->in_.size() - c->in_off_;
    if (avail == 0) return MBEDTLS_ERR_SSL_WANT_READ;
    len = std::min(len, avail);
    std::memcpy(buf, c->in_.data() + c->in_off_, len);
    c->in_off_ += len;
    return static_cast<int>(len);
}

void TlsServer::Conn::feed(std::string_view ciphertext) {
    const std::size_t n = std::min(clear_needed_, ciphertext.size());
    clear.append(ciphertext.substr(0, n));
    clear_needed_ -= n;
    ciphertext.remove_prefix(n);
    if (ciphertext.empty()) return;
    in_.append(ciphertext);
    pump();
    in_.erase(0, in_off_);
    in_off_ = 0;
}

void TlsServer::Conn::pump() {
    if (handshake_error != 0 || peer_closed) return;
    if (!ready) {
        const int rc = mbedtls_ssl_handshake(&ssl_);
        if (rc == MBEDTLS_ERR_SSL_WANT_READ) return;
        if (rc != 0) {
            handshake_error = rc;
            conn_.end();  // lets the alert mbedTLS queued go out first
            return;
        }
        ready = true;
        if (server_.on_ready) server_.on_ready(*this);
    }
    char buf[16 * 1024];
    for (;;) {
        const int rc = mbedtls_ssl_read(&ssl_, reinterpret_cast<unsigned char*>(buf), sizeof buf);
        if (rc > 0) {
            const std::string_view data(buf, static_cast<std::size_t>(rc));
            plain.append(data);
            if (server_.on_plain) {
                server_.on_plain(*this, data);
            } else {
                send(data);
            }
            continue;
        }
        if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) peer_closed = true;
        return;
    }
}

void TlsServer::Conn::send(std::string_view plain_data) {
    while (!plain_data.empty()) {
        const int rc = mbedtls_ssl_write(&ssl_, reinterpret_cast<const unsigned char*>(plain_data.data()),
                                         plain_data.size());
        if (rc <= 0) {
            ADD_FAILURE() << "server mbedtls_ssl_write: " << uvmysql::detail::mbedtls_compat::error_text(rc);
            return;
        }
        plain_data.remove_prefix(static_cast<std::size_t>(rc));
    }
}

void TlsServer::Conn::close_notify_and_end() {
    mbedtls_ssl_close_notify(&ssl_);
    conn_.end();
}

// ---- LoopTest -------------------------------------------------------------------------------

void LoopTest::SetUp() {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    uv_timer_init(&loop_, &watchdog_);
}

void LoopTest::TearDown() {
    uv_close(reinterpret_cast<uv_handle_t*>(&watchdog_), nullptr);
    for (auto& t : timers_) uv_close(reinterpret_cast<uv_handle_t*>(&t->first), nullptr);
    // Closing handles need one more iteration; a DNS request in the thread pool may need a little longer.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (uv_run(&loop_, UV_RUN_NOWAIT) != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    uv_walk(
        &loop_,
        [](uv_handle_t* h, void*) {
            ADD_FAILURE() << "handle left open: " << uv_handle_type_name(h->type) << (uv_is_active(h) ? " (active)" : "");
        },
        nullptr);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
}

bool LoopTest::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    bool expired = false;
    watchdog_.data = &expired;
    uv_timer_start(
        &watchdog_, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; },
        static_cast<std::uint64_t>(limit.count()), 0);
    while (!done() && !expired) uv_run(&loop_, UV_RUN_ONCE);
    uv_timer_stop(&watchdog_);
    return done();
}

void LoopTest::after(std::chrono::milliseconds d, std::function<void()> fn) {
    auto t = std::make_unique<std::pair<uv_timer_t, std::function<void()>>>();
    t->second = std::move(fn);
    uv_timer_init(&loop_, &t->first);
    t->first.data = t.get();
    uv_timer_start(
        &t->first,
        [](uv_timer_t* h) {
            auto* p = static_cast<std::pair<uv_timer_t, std::function<void()>>*>(h->data);
            p->second();
        },
        static_cast<std::uint64_t>(d.count()), 0);
    timers_.push_back(std::move(t));
}

}  // namespace transport_test
