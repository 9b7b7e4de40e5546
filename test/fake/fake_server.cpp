// SPDX-License-Identifier: MIT
// FakeServer: the scripted MySQL server used by the fake-server tests.
#include "fake_server.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace uvmysql::test {

FakeServer::Handle* FakeServer::new_handle() {
    auto* h = new Handle;
    if (unix_) {
        uv_pipe_init(loop_, &h->pipe, 0);
    } else {
        uv_tcp_init(loop_, &h->tcp);
    }
    h->tcp.data = this;
    return h;
}

void FakeServer::close_and_free(Handle*& h) {
    if (!h) return;
    h->tcp.data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* p) { delete reinterpret_cast<Handle*>(p); });
    h = nullptr;
}

FakeServer::FakeServer(uv_loop_t* loop) : loop_(loop) {
    listener_ = new_handle();
    sockaddr_in addr{};
    uv_ip4_addr("127.0.0.1", 0, &addr);
    EXPECT_EQ(uv_tcp_bind(&listener_->tcp, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
    EXPECT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 8, &FakeServer::on_connection), 0);
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&listener_->tcp, reinterpret_cast<sockaddr*>(&bound), &len);
    port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

FakeServer::FakeServer(uv_loop_t* loop, const std::string& path) : loop_(loop), unix_(true) {
    listener_ = new_handle();
    EXPECT_EQ(uv_pipe_bind(&listener_->pipe, path.c_str()), 0) << path;
    EXPECT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 8, &FakeServer::on_connection), 0);
}

FakeServer::~FakeServer() { shutdown(); }

void FakeServer::shutdown() {
    close_and_free(listener_);
    close_and_free(client_);
}

FakeServer& FakeServer::send_raw(Bytes bytes) {
    steps_.push_back({Step::send, std::move(bytes), {}, {}});
    return *this;
}

FakeServer& FakeServer::send(std::uint8_t seq, const Bytes& payload) { return send_raw(frame(seq, payload)); }

FakeServer& FakeServer::compress(detail::CompressionAlgorithm algorithm) {
    Step step{Step::compress, {}, {}, {}};
    step.bytes = {static_cast<std::uint8_t>(algorithm)};
    steps_.push_back(std::move(step));
    return *this;
}

FakeServer& FakeServer::send_wire(Bytes bytes) {
    steps_.push_back({Step::send_wire, std::move(bytes), {}, {}});
    return *this;
}

void FakeServer::receive(const std::uint8_t* bytes, std::size_t n) {
    if (!codec_) {
        inbox_.insert(inbox_.end(), bytes, bytes + n);
        return;
    }
    wire_inbox_.insert(wire_inbox_.end(), bytes, bytes + n);
    unwrap_compressed();
}

void FakeServer::unwrap_compressed() {
    for (;;) {
        if (wire_inbox_.size() < detail::compressed_header_size) return;
        const auto* h = wire_inbox_.data();
        const std::size_t len = h[0] | (h[1] << 8) | (h[2] << 16);
        const std::size_t inflated = h[4] | (h[5] << 8) | (h[6] << 16);
        const std::size_t total = detail::compressed_header_size + len;
        if (wire_inbox_.size() < total) return;
        compressed_seqs_.push_back(h[3]);
        compressed_seq_ = static_cast<std::uint8_t>(h[3] + 1);
        compressed_bytes_in_ += total;
        const detail::Bytes payload(wire_inbox_.data() + detail::compressed_header_size, len);
        if (inflated == 0) {
            inbox_.insert(inbox_.end(), payload.begin(), payload.end());
        } else {
            Bytes out(inflated);
            EXPECT_TRUE(codec_->decompress(payload, out).ok()) << "the client sent a broken compressed packet";
            inbox_.insert(inbox_.end(), out.begin(), out.end());
        }
        inflated_bytes_in_ += inflated ? inflated : len;
        wire_inbox_.erase(wire_inbox_.begin(), wire_inbox_.begin() + static_cast<std::ptrdiff_t>(total));
    }
}

FakeServer& FakeServer::expect(std::function<void(const ReceivedFrame&)> check) {
    steps_.push_back({Step::expect, {}, std::move(check), {}});
    return *this;
}

FakeServer& FakeServer::then(std::function<void(FakeServer&)> fn) {
    steps_.push_back({Step::run, {}, {}, std::move(fn)});
    return *this;
}

FakeServer& FakeServer::close() {
    steps_.push_back({Step::close, {}, {}, {}});
    return *this;
}

FakeServer& FakeServer::stall() {
    steps_.push_back({Step::stall, {}, {}, {}});
    return *this;
}

FakeServer& FakeServer::stop_reading() {
    return then([](FakeServer& self) {
        if (self.client_) uv_read_stop(reinterpret_cast<uv_stream_t*>(self.client_));
    });
}

FakeServer& FakeServer::start_tls() {
    steps_.push_back({Step::tls, {}, {}, {}});
    return *this;
}

void FakeServer::on_connection(uv_stream_t* server, int status) {
    auto* self = static_cast<FakeServer*>(server->data);
    if (!self || status < 0 || self->client_) return;
    self->client_ = self->new_handle();
    if (uv_accept(server, reinterpret_cast<uv_stream_t*>(self->client_)) != 0) {
        close_and_free(self->client_);
        return;
    }
    uv_read_start(reinterpret_cast<uv_stream_t*>(self->client_), &FakeServer::on_alloc, &FakeServer::on_read);
    self->advance();
}

void FakeServer::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto* self = static_cast<FakeServer*>(h->data);
    *buf = uv_buf_init(self->read_buf_, sizeof self->read_buf_);
}

void FakeServer::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* self = static_cast<FakeServer*>(stream->data);
    if (!self) return;
    if (nread < 0) {
        self->client_closed_ = true;
        close_and_free(self->client_);
        return;
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(buf->base);
    if (!self->tls_) {
        self->receive(bytes, static_cast<std::size_t>(nread));
    } else {
        Bytes plain;
        if (!self->tls_->feed({bytes, static_cast<std::size_t>(nread)}, plain)) {
            close_and_free(self->client_);   // the client refused the handshake
            return;
        }
        self->receive(plain.data(), plain.size());
    }
    self->advance();
}

bool FakeServer::take_frame(ReceivedFrame& out) {
    if (inbox_.size() < 4) return false;
    const std::size_t len = inbox_[0] | (inbox_[1] << 8) | (inbox_[2] << 16);
    if (inbox_.size() < 4 + len) return false;
    out.seq = inbox_[3];
    out.payload.assign(inbox_.begin() + 4, inbox_.begin() + 4 + static_cast<std::ptrdiff_t>(len));
    inbox_.erase(inbox_.begin(), inbox_.begin() + 4 + static_cast<std::ptrdiff_t>(len));
    return true;
}

void FakeServer::write(Bytes bytes) {
    if (tls_ && tls_->ready()) {
        tls_->send(bytes);
    } else {
        write_raw(std::move(bytes));
    }
}

void FakeServer::write_raw(Bytes bytes) {
    if (!client_) return;
    struct WriteReq {
        uv_write_t req;
        Bytes data;
    };
    auto* w = new WriteReq{{}, std::move(bytes)};
    uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(w->data.data()), static_cast<unsigned>(w->data.size()));
    const int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(client_), &buf, 1,
                            [](uv_write_t* req, int) { delete reinterpret_cast<WriteReq*>(req); });
    if (rc != 0) delete w;
}

void FakeServer::advance() {
    while (next_ < steps_.size() && client_) {
        Step& step = steps_[next_];
        switch (step.kind) {
            case Step::send:
                if (codec_) {
                    detail::CompressedFrameWriter writer(*codec_);
                    Bytes wire;
                    writer.write(step.bytes, wire, compressed_seq_);
                    write(std::move(wire));
                } else {
                    write(step.bytes);
                }
                break;
            case Step::send_wire:
                write(step.bytes);
                break;
            case Step::compress:
                codec_ = std::make_unique<detail::CompressionCodec>(
                    static_cast<detail::CompressionAlgorithm>(step.bytes.at(0)));
                break;
            case Step::expect: {
                ReceivedFrame f;
                if (!take_frame(f)) return;
                if (step.check) step.check(f);
                frames_.push_back(std::move(f));
                break;
            }
            case Step::run:
                step.fn(*this);
                break;
            case Step::close:
                ++next_;
                close_and_free(client_);
                return;
            case Step::stall:
                ++next_;
                return;
            case Step::tls:
                if (!tls_) {
                    // What follows the SSLRequest in the inbox is already the ClientHello.
                    tls_ = std::make_unique<FakeTls>([this](Bytes b) { write_raw(std::move(b)); });
                    Bytes hello = std::move(inbox_);
                    inbox_.clear();
                    if (!tls_->feed(hello, inbox_)) {
                        close_and_free(client_);
                        return;
                    }
                }
                if (!tls_->ready()) return;
                break;
        }
        ++next_;
    }
}

Bytes frame(std::uint8_t seq, const Bytes& payload) {
    Bytes out{static_cast<std::uint8_t>(payload.size()), static_cast<std::uint8_t>(payload.size() >> 8),
              static_cast<std::uint8_t>(payload.size() >> 16), seq};
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Bytes lenenc_str(const std::string& s) {
    Bytes out;
    if (s.size() < 251) {
        out.push_back(static_cast<std::uint8_t>(s.size()));
    } else if (s.size() < 0x10000) {
        out = {0xfc, static_cast<std::uint8_t>(s.size()), static_cast<std::uint8_t>(s.size() >> 8)};
    } else if (s.size() < 0x1000000) {
        out = {0xfd, static_cast<std::uint8_t>(s.size()), static_cast<std::uint8_t>(s.size() >> 8),
               static_cast<std::uint8_t>(s.size() >> 16)};
    } else {
        out.push_back(0xfe);
        for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(std::uint64_t{s.size()} >> (8 * i)));
    }
    out.insert(out.end(), s.begin(), s.end());
    return out;
}

Bytes default_nonce() {
    Bytes n;
    for (int i = 0; i < 20; ++i) n.push_back(static_cast<std::uint8_t>('A' + i));
    return n;
}

Bytes handshake_v10(const std::string& plugin, const Bytes& nonce, std::uint32_t caps, const std::string& version) {
    Bytes p{10};
    p.insert(p.end(), version.begin(), version.end());
    p.push_back(0);
    for (std::uint32_t v = 42, i = 0; i < 4; ++i, v >>= 8) p.push_back(static_cast<std::uint8_t>(v));  // thread id
    p.insert(p.end(), nonce.begin(), nonce.begin() + 8);
    p.push_back(0);
    p.push_back(static_cast<std::uint8_t>(caps));
    p.push_back(static_cast<std::uint8_t>(caps >> 8));
    p.push_back(45);  // utf8mb4_general_ci
    p.push_back(2);   // status: autocommit
    p.push_back(0);
    p.push_back(static_cast<std::uint8_t>(caps >> 16));
    p.push_back(static_cast<std::uint8_t>(caps >> 24));
    p.push_back(21);  // length of auth plugin data
    for (int i = 0; i < 10; ++i) p.push_back(0);
    p.insert(p.end(), nonce.begin() + 8, nonce.end());
    p.push_back(0);
    p.insert(p.end(), plugin.begin(), plugin.end());
    p.push_back(0);
    return p;
}

Bytes ok_packet(std::uint64_t affected, std::uint64_t insert_id, std::uint16_t status, std::uint16_t warnings) {
    // Values below 251 keep the lenenc ints one byte long, which is all the tests need.
    return {0x00,
            static_cast<std::uint8_t>(affected),
            static_cast<std::uint8_t>(insert_id),
            static_cast<std::uint8_t>(status),
            static_cast<std::uint8_t>(status >> 8),
            static_cast<std::uint8_t>(warnings),
            static_cast<std::uint8_t>(warnings >> 8)};
}

Bytes err_packet(std::uint16_t code, const std::string& sqlstate, const std::string& message) {
    Bytes p{0xff, static_cast<std::uint8_t>(code), static_cast<std::uint8_t>(code >> 8)};
    if (!sqlstate.empty()) {
        p.push_back('#');
        p.insert(p.end(), sqlstate.begin(), sqlstate.end());
    }
    p.insert(p.end(), message.begin(), message.end());
    return p;
}

Bytes column_def(const std::string& name, std::uint8_t type) {
    Bytes p;
    for (const std::string& part : {std::string("def"), std::string("db"), std::string("t"), std::string("t"), name, name}) {
        auto encoded = lenenc_str(part);
        p.insert(p.end(), encoded.begin(), encoded.end());
    }
    const Bytes fixed{0x0c, 45, 0, 20, 0, 0, 0, type, 0, 0, 0, 0, 0};
    p.insert(p.end(), fixed.begin(), fixed.end());
    return p;
}

Bytes text_row(std::initializer_list<std::string> fields) {
    Bytes p;
    for (const auto& f : fields) {
        auto part = lenenc_str(f);
        p.insert(p.end(), part.begin(), part.end());
    }
    return p;
}

Bytes end_of_rows(std::uint16_t status) {
    return {0xfe, 0, 0, static_cast<std::uint8_t>(status), static_cast<std::uint8_t>(status >> 8), 0, 0};
}

}  // namespace uvmysql::test
