// SPDX-License-Identifier: MIT
// Server side of TLS for the fake server: mbedTLS over the bytes FakeServer moves, with the
// test certificates of test/unit/transport/certs (CN=localhost, SAN 127.0.0.1 and ::1).
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace uvmysql::test {

/// Path of a file in test/unit/transport/certs (ca.crt, wrong-ca.crt, server.crt, ...).
std::string fake_cert_path(const char* name);

class FakeTls {
public:
    using Bytes = std::vector<std::uint8_t>;

    /// `send_cipher` puts encrypted bytes on the wire.
    explicit FakeTls(std::function<void(Bytes)> send_cipher);
    ~FakeTls();
    FakeTls(const FakeTls&) = delete;
    FakeTls& operator=(const FakeTls&) = delete;

    /// Feeds bytes from the client and appends what they decrypt to `plain`.
    /// Returns false once the handshake failed (the client refused the certificate, say).
    bool feed(std::span<const std::uint8_t> cipher, Bytes& plain);
    /// Encrypts and sends `plain`; only after ready().
    void send(const Bytes& plain);
    [[nodiscard]] bool ready() const { return ready_; }
    [[nodiscard]] int handshake_error() const { return handshake_error_; }

private:
    static int bio_send(void* self, const unsigned char* buf, std::size_t len);
    static int bio_recv(void* self, unsigned char* buf, std::size_t len);

    std::function<void(Bytes)> send_cipher_;
    Bytes in_;
    std::size_t in_off_ = 0;
    bool ready_ = false;
    int handshake_error_ = 0;
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    mbedtls_x509_crt cert_;
    mbedtls_pk_context key_;
    mbedtls_ssl_config conf_;
    mbedtls_ssl_context ssl_;
};

}  // namespace uvmysql::test
