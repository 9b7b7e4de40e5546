// SPDX-License-Identifier: MIT
// TlsSession: a client-side mbedTLS session over in-memory buffers (sans-I/O), driven by Transport.
#pragma once

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "transport/tls_context.hpp"
#include "transport/tls_options.hpp"

namespace uvmysql::detail {

/// True if `crt` lists `ip` (4 or 16 network-order bytes) among its subjectAltName iPAddress
/// entries. mbedTLS before 3.5 matches only DNS names, so IP identities are checked here.
bool certificate_has_ip(const mbedtls_x509_crt& crt, std::span<const std::uint8_t> ip);

/// Parses an IPv4 or IPv6 literal into network-order bytes; returns 0 if `text` is not one,
/// else the length (4 or 16).
std::size_t parse_ip_literal(std::string_view text, std::uint8_t (&out)[16]);

/// One TLS client session. It never touches a socket: ciphertext comes in through feed() and is
/// pulled by mbedTLS as it needs it; ciphertext going out is appended to the vector given to
/// create(). Flow: create → handshake() until done/failed (feeding each received chunk) → read()
/// after each feed, write() for outgoing plaintext → close_notify().
class TlsSession {
public:
    enum class Result {
        want_read,  ///< all fed input is consumed: feed more
        more,       ///< the output buffer is full: call read() again
        done,       ///< handshake finished / write encrypted
        closed,     ///< the peer sent close_notify (sticky)
        failed,     ///< fatal error, see error() (sticky)
    };

    /// Configures a session: verification mode, CA bundle, client certificate and the identity to
    /// check (`opt.server_name`, else `connect_host`). Returns nullptr and sets `error`
    /// (cr::ssl_connection_error) if a file cannot be loaded or mbedTLS refuses the setup.
    static std::unique_ptr<TlsSession> create(const TlsOptions& opt, std::string_view connect_host,
                                              std::vector<std::uint8_t>& out, Status& error);
    ~TlsSession();
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;

    /// Makes `ciphertext` the input that mbedTLS reads from next; it must stay valid until the
    /// last call that uses it. What is left over is unconsumed().
    void feed(std::span<const std::uint8_t> ciphertext) noexcept { in_ = ciphertext; }
    std::span<const std::uint8_t> unconsumed() const noexcept { return in_; }

    /// Advances the handshake: want_read, done (chain and identity verified as configured) or failed.
    Result handshake();
    /// Decrypts into `buf` as much as the fed input allows; `n` receives the byte count.
    /// Returns want_read, more (buf is full), closed or failed; n may be non-zero with any of them.
    Result read(std::span<std::uint8_t> buf, std::size_t& n);
    /// Encrypts all of `plain` into the output vector: done or failed.
    Result write(std::span<const std::uint8_t> plain);
    /// Appends a close_notify alert to the output.
    void close_notify();

    /// Whether read() can make progress without new input (buffered plaintext or a sticky end).
    bool has_pending() const;
    /// Why the session failed (cr::ssl_connection_error during the handshake).
    const Status& error() const noexcept { return error_; }
    /// Negotiated protocol ("TLSv1.2") and cipher suite names, after the handshake.
    std::string version() const;
    std::string ciphersuite() const;

private:
    TlsSession(std::vector<std::uint8_t>& out);
    static int bio_send(void* self, const unsigned char* buf, std::size_t len);
    static int bio_recv(void* self, unsigned char* buf, std::size_t len);
    static int verify_peer(void* self, mbedtls_x509_crt* crt, int depth, std::uint32_t* flags);
    Status handshake_error(int rc) const;
    Result fail(Status st);

    std::shared_ptr<TlsThreadContext> thread_ctx_;
    std::shared_ptr<CertChain> ca_;
    std::unique_ptr<CertChain> own_cert_;
    mbedtls_pk_context own_key_;
    mbedtls_ssl_config conf_;
    mbedtls_ssl_context ssl_;
    std::vector<std::uint8_t>& out_;
    std::span<const std::uint8_t> in_;
    std::string identity_;          // what the certificate must name
    std::uint8_t expected_ip_[16] = {};
    std::size_t expected_ip_len_ = 0;  // non-zero: identity_ is an IP literal checked by verify_peer
    bool ip_mismatch_ = false;
    Result terminal_ = Result::want_read;  // closed or failed once the session is over
    Status error_;
};

}  // namespace uvmysql::detail
