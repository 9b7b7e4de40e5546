// SPDX-License-Identifier: MIT
// Auth plugins MariaDB does not have (caching_sha2, sha256), auth switches and refusals.
#include "auth/mbedtls_compat.hpp"
#include "auth/scramble.hpp"
#include "fake_test_support.hpp"

namespace uvmysql::test {
namespace {

using detail::Bytes;

/// A real RSA key pair, made once per test binary.
struct RsaKeys {
    std::string public_pem, private_pem;
};
const RsaKeys& rsa_keys() {
    static const RsaKeys keys = [] {
        RsaKeys k;
        EXPECT_TRUE(detail::crypto::generate_rsa_key_pair(2048, k.public_pem, k.private_pem).ok());
        return k;
    }();
    return keys;
}

/// The password the client encrypted: decrypts and removes the nonce XOR.
std::string decrypt_password(const test::Bytes& cipher, const test::Bytes& nonce) {
    std::vector<std::uint8_t> plain;
    EXPECT_TRUE(detail::crypto::rsa_oaep_sha1_decrypt(rsa_keys().private_pem, cipher, plain).ok());
    std::string out;
    for (std::size_t i = 0; i < plain.size(); ++i) out.push_back(static_cast<char>(plain[i] ^ nonce[i % nonce.size()]));
    return out;
}

test::Bytes more_data(std::string_view data) {
    test::Bytes p(1 + data.size(), 0x01);
    std::copy(data.begin(), data.end(), p.begin() + 1);
    return p;
}

test::Bytes auth_switch(const std::string& plugin, const test::Bytes& data) {
    test::Bytes p(1 + plugin.size() + 1 + data.size(), 0);
    p[0] = 0xfe;
    std::copy(plugin.begin(), plugin.end(), p.begin() + 1);
    std::copy(data.begin(), data.end(), p.begin() + 2 + static_cast<std::ptrdiff_t>(plugin.size()));
    return p;
}

class FakeAuthTest : public FakeServerTest {};

TEST_F(FakeAuthTest, CachingSha2FastPath) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("caching_sha2_password", nonce, fake_server_caps))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 1);
            EXPECT_EQ(auth_response_of(f.payload), detail::caching_sha2_scramble("secret", nonce));
        })
        .send(2, more_data("\x03"))   // fast_auth_success
        .send(3, ok_packet());
    Connection c = connect_ok(options());
    EXPECT_EQ(c.server_version(), "8.0.36-fake");
    EXPECT_FALSE(c.is_mariadb());
    c.close();
}

TEST_F(FakeAuthTest, CachingSha2FullAuthWithConfiguredKey) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("caching_sha2_password", nonce, fake_server_caps))
        .expect()
        .send(2, more_data("\x04"))   // perform_full_authentication
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 3);
            EXPECT_EQ(f.payload.size(), 256u);   // one RSA-2048 block
            EXPECT_EQ(decrypt_password(f.payload, nonce), std::string("secret\0", 7));
        })
        .send(4, ok_packet());
    ConnectOptions opt = options();
    opt.server_public_key = rsa_keys().public_pem;
    Connection c = connect_ok(opt);
    c.close();
}

TEST_F(FakeAuthTest, CachingSha2FullAuthFetchesTheKey) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("caching_sha2_password", nonce, fake_server_caps))
        .expect()
        .send(2, more_data("\x04"))
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(f.payload, test::Bytes{0x02}); })   // request_public_key
        .send(4, more_data(rsa_keys().public_pem))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 5);
            EXPECT_EQ(decrypt_password(f.payload, nonce), std::string("secret\0", 7));
        })
        .send(6, ok_packet());
    Connection c = connect_ok(options());
    c.close();
}

TEST_F(FakeAuthTest, CachingSha2WrongPasswordIsAccessDenied) {
    server_.send(0, handshake_v10("caching_sha2_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, err_packet(1045, "28000", "Access denied for user 'u'@'localhost' (using password: YES)"));
    EXPECT_EQ(connect_fails<OperationalError>(options()), 1045);
}

TEST_F(FakeAuthTest, Sha256PasswordRequestsKeyThenEncrypts) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("sha256_password", nonce, fake_server_caps))
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(auth_response_of(f.payload), test::Bytes{0x01}); })
        .send(2, more_data(rsa_keys().public_pem))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(decrypt_password(f.payload, nonce), std::string("secret\0", 7));
        })
        .send(4, ok_packet());
    Connection c = connect_ok(options());
    c.close();
}

TEST_F(FakeAuthTest, SwitchFromNativeToCachingSha2) {
    const auto first = default_nonce();
    test::Bytes second(20, 'z');
    test::Bytes switch_data = second;
    switch_data.push_back(0);
    server_.send(0, handshake_v10("mysql_native_password", first, fake_server_caps))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(auth_response_of(f.payload), detail::native_password_scramble("secret", first));
        })
        .send(2, auth_switch("caching_sha2_password", switch_data))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(f.seq, 3);
            EXPECT_EQ(f.payload, detail::caching_sha2_scramble("secret", second));
        })
        .send(4, more_data("\x03"))
        .send(5, ok_packet());
    Connection c = connect_ok(options());
    c.close();
}

TEST_F(FakeAuthTest, ClearPasswordRefusedWithoutTls) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, auth_switch("mysql_clear_password", {}))
        .stall();
    EXPECT_EQ(connect_fails<OperationalError>(options()), 2061);
    EXPECT_EQ(server_.frames().size(), 1u);   // the password never left the client
}

TEST_F(FakeAuthTest, ClearPasswordWhenExplicitlyAllowed) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, auth_switch("mysql_clear_password", {}))
        .expect([](const ReceivedFrame& f) { EXPECT_EQ(f.payload, (test::Bytes{'s', 'e', 'c', 'r', 'e', 't', 0})); })
        .send(4, ok_packet());
    ConnectOptions opt = options();
    opt.allow_cleartext_password = true;
    Connection c = connect_ok(opt);
    c.close();
}

TEST_F(FakeAuthTest, UnknownPluginCannotBeLoaded) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps))
        .expect()
        .send(2, auth_switch("dialog", {}))
        .stall();
    EXPECT_EQ(connect_fails<OperationalError>(options()), 2059);
}

TEST_F(FakeAuthTest, AuthPluginOptionForcesThePlugin) {
    const auto nonce = default_nonce();
    server_.send(0, handshake_v10("mysql_native_password", nonce, fake_server_caps))
        .expect([&](const ReceivedFrame& f) {
            EXPECT_EQ(auth_response_of(f.payload), detail::caching_sha2_scramble("secret", nonce));
        })
        .send(2, more_data("\x03"))
        .send(3, ok_packet());
    ConnectOptions opt = options();
    opt.auth_plugin = "caching_sha2_password";
    Connection c = connect_ok(opt);
    c.close();
}

TEST_F(FakeAuthTest, TlsRequestedButNotOffered) {
    server_.send(0, handshake_v10("mysql_native_password", default_nonce(), fake_server_caps)).stall();
    ConnectOptions opt = options();
    opt.ssl = SslOptions{};
    EXPECT_EQ(connect_fails<OperationalError>(opt), 2026);
}

}  // namespace
}  // namespace uvmysql::test
