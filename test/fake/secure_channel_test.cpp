// SPDX-License-Identifier: MIT
// Secure channels against the fake server: TLS after an SSLRequest and unix sockets, where the
// password may travel in clear (caching_sha2 full authentication, sha256, mysql_clear_password).
#include <unistd.h>

#include <atomic>

#include "auth/scramble.hpp"

#include "fake_test_support.hpp"
#include "fake_tls.hpp"

namespace uvmysql::test {
namespace {

constexpr std::uint32_t tls_caps = fake_server_caps | static_cast<std::uint32_t>(detail::cap::ssl);

const test::Bytes secret_nul{'s', 'e', 'c', 'r', 'e', 't', 0};

test::Bytes more_data(std::uint8_t code) { return {0x01, code}; }

/// The SSLRequest: the first 32 bytes of a HandshakeResponse41 with the SSL capability.
void check_ssl_request(const ReceivedFrame& f) {
    EXPECT_EQ(f.seq, 1);
    ASSERT_EQ(f.payload.size(), 32u);
    const std::uint32_t caps = f.payload[0] | (f.payload[1] << 8) | (f.payload[2] << 16) |
                               (static_cast<std::uint32_t>(f.payload[3]) << 24);
    EXPECT_TRUE(caps & detail::cap::ssl);
}

class FakeTlsTest : public FakeServerTest {
protected:
    ConnectOptions tls_options(const char* ca = "ca.crt") {
        ConnectOptions opt = options();
        SslOptions ssl;
        ssl.ca = fake_cert_path(ca);
        opt.ssl = ssl;   // verifies the chain and that 127.0.0.1 is in the certificate
        return opt;
    }
};

TEST_F(FakeTlsTest, CachingSha2FullAuthOverTlsSendsThePasswordInClear) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("caching_sha2_password", nonce, tls_caps))
        .expect(check_ssl_request)
        .start_tls()
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 2);
            EXPECT_EQ(auth_response_of(f.payload), detail::caching_sha2_scramble("secret", nonce));
        })
        .send(3, more_data(0x04))   // perform_full_authentication
        .expect([](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 4);
            EXPECT_EQ(f.payload, secret_nul);   // no RSA round trip: the channel is encrypted
        })
        .send(5, ok_packet())
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(f.payload, test::Bytes{0x0e}); })   // COM_PING
        .send(1, ok_packet());
    Connection c = connect_ok(tls_options());
    EXPECT_TRUE(c.is_tls());
    EXPECT_TRUE(server_.tls_established());
    run_until(loop_.get(), c.ping(false));
    EXPECT_TRUE(server_.finished());
    c.close();
}

TEST_F(FakeTlsTest, Sha256PasswordOverTlsSendsThePasswordInClear) {
    server_.send(0, handshake_v10("sha256_password", default_nonce(), tls_caps))
        .expect(check_ssl_request)
        .start_tls()
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(auth_response_of(f.payload), secret_nul); })
        .send(3, ok_packet());
    Connection c = connect_ok(tls_options());
    EXPECT_TRUE(server_.finished());
    c.close();
}

TEST_F(FakeTlsTest, ClearPasswordOverTlsNeedsNoOptIn) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), tls_caps))
        .expect(check_ssl_request)
        .start_tls()
        .expect()
        .send(3, {0xfe, 'm', 'y', 's', 'q', 'l', '_', 'c', 'l', 'e', 'a', 'r', '_', 'p', 'a', 's', 's', 'w', 'o',
                  'r', 'd', 0})
        .expect([](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 4);
            EXPECT_EQ(f.payload, secret_nul);
        })
        .send(5, ok_packet());
    Connection c = connect_ok(tls_options());
    EXPECT_TRUE(server_.finished());
    c.close();
}

TEST_F(FakeTlsTest, UntrustedCertificateStopsBeforeThePassword) {
    server_.send(0, handshake_v10("caching_sha2_password", default_nonce(), tls_caps))
        .expect(check_ssl_request)
        .start_tls()
        .expect();
    EXPECT_EQ(connect_fails<OperationalError>(tls_options("wrong-ca.crt")), 2026);
    EXPECT_FALSE(server_.tls_established());
    EXPECT_EQ(server_.frames().size(), 1u);   // only the SSLRequest: no credentials left the client
}

/// A fake server on a unix socket of its own.
class FakeUnixSocketTest : public testing::Test {
protected:
    FakeUnixSocketTest() : path_(make_path()), server_(loop_.get(), path_) {}
    ~FakeUnixSocketTest() override { ::unlink(path_.c_str()); }
    void TearDown() override { server_.shutdown(); }

    static std::string make_path() {
        static std::atomic<int> counter{0};
        std::string p = "/tmp/uvmysql-fake-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".sock";
        ::unlink(p.c_str());
        return p;
    }

    std::string path_;
    TestLoop loop_;
    FakeServer server_;
};

TEST_F(FakeUnixSocketTest, CachingSha2FullAuthOverUnixSocketSendsThePasswordInClear) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("caching_sha2_password", nonce, fake_server_caps))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(auth_response_of(f.payload), detail::caching_sha2_scramble("secret", nonce));
        })
        .send(2, more_data(0x04))
        .expect([](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 3);
            EXPECT_EQ(f.payload, secret_nul);
        })
        .send(4, ok_packet());
    ConnectOptions opt;
    opt.unix_socket = path_;
    opt.user = "u";
    opt.password = "secret";
    opt.autocommit = std::nullopt;
    Connection c = run_until(loop_.get(), connect(loop_.get(), std::move(opt)));
    EXPECT_FALSE(c.is_tls());
    EXPECT_TRUE(server_.finished());
    c.close();
}

}  // namespace
}  // namespace uvmysql::test
