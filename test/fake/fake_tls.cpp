// SPDX-License-Identifier: MIT
// FakeTls: mbedTLS server context fed and drained by the fake server.
#include "fake_tls.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "transport/mbedtls_compat.hpp"

namespace uvmysql::test {

namespace compat = detail::mbedtls_compat;

std::string fake_cert_path(const char* name) { return std::string(FAKE_CERTS_DIR) + "/" + name; }

FakeTls::FakeTls(std::function<void(Bytes)> send_cipher) : send_cipher_(std::move(send_cipher)) {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
    mbedtls_x509_crt_init(&cert_);
    mbedtls_pk_init(&key_);
    mbedtls_ssl_config_init(&conf_);
    mbedtls_ssl_init(&ssl_);
    EXPECT_EQ(compat::init_crypto_once(), 0);
    EXPECT_EQ(mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0), 0);
    EXPECT_EQ(mbedtls_x509_crt_parse_file(&cert_, fake_cert_path("server.crt").c_str()), 0);
    EXPECT_EQ(compat::parse_key_file(&key_, fake_cert_path("server.key").c_str(), &drbg_), 0);
    EXPECT_EQ(mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT),
              0);
    mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
    mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_NONE);
    EXPECT_EQ(mbedtls_ssl_conf_own_cert(&conf_, &cert_, &key_), 0);
    EXPECT_EQ(mbedtls_ssl_setup(&ssl_, &conf_), 0);
    mbedtls_ssl_set_bio(&ssl_, this, &FakeTls::bio_send, &FakeTls::bio_recv, nullptr);
}

FakeTls::~FakeTls() {
    mbedtls_ssl_free(&ssl_);
    mbedtls_ssl_config_free(&conf_);
    mbedtls_pk_free(&key_);
    mbedtls_x509_crt_free(&cert_);
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
}

int FakeTls::bio_send(void* self, const unsigned char* buf, std::size_t len) {
    static_cast<FakeTls*>(self)->send_cipher_(Bytes(buf, buf + len));
    return static_cast<int>(len);
}

int FakeTls::bio_recv(void* self, unsigned char* buf, std::size_t len) {
    auto* t = static_cast<FakeTls*>(self);
    const std::size_t avail = t->in_.size() - t->in_off_;
    if (avail == 0) return MBEDTLS_ERR_SSL_WANT_READ;
    len = std::min(len, avail);
    std::memcpy(buf, t->in_.data() + t->in_off_, len);
    t->in_off_ += len;
    return static_cast<int>(len);
}

bool FakeTls::feed(std::span<const std::uint8_t> cipher, Bytes& plain) {
    if (handshake_error_ != 0) return false;
    in_.insert(in_.end(), cipher.begin(), cipher.end());
    if (!ready_) {
        const int rc = mbedtls_ssl_handshake(&ssl_);
        if (rc != 0 && rc != MBEDTLS_ERR_SSL_WANT_READ) handshake_error_ = rc;
        ready_ = rc == 0;
    }
    if (ready_) {
        unsigned char buf[16 * 1024];
        for (;;) {
            const int rc = mbedtls_ssl_read(&ssl_, buf, sizeof buf);
            if (rc > 0) {
                plain.insert(plain.end(), buf, buf + rc);
            } else if (!compat::is_read_again(rc)) {
                break;   // WANT_READ, close_notify or an error: the script notices what follows
            }
        }
    }
    in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(in_off_));
    in_off_ = 0;
    return handshake_error_ == 0;
}

void FakeTls::send(const Bytes& plain) {
    std::size_t off = 0;
    while (off < plain.size()) {
        const int rc = mbedtls_ssl_write(&ssl_, plain.data() + off, plain.size() - off);
        if (rc <= 0) {
            ADD_FAILURE() << "fake server mbedtls_ssl_write: " << compat::error_text(rc);
            return;
        }
        off += static_cast<std::size_t>(rc);
    }
}

}  // namespace uvmysql::test
