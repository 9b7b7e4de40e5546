// SPDX-License-Identifier: MIT
// TlsSession: mbedTLS client configuration, memory BIO, verification messages and the IP identity check.
#include "transport/tls_session.hpp"

#include <uv.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>

#include "transport/mbedtls_compat.hpp"

namespace uvmysql::detail {

namespace {

// GeneralName ::= CHOICE { ... iPAddress [7] IMPLICIT OCTET STRING ... } (RFC 5280, 4.2.1.6)
constexpr int san_ip_address_tag = MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7;

constexpr const char* system_ca_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",    // Fedora, RHEL
    "/etc/ssl/cert.pem",                   // macOS, BSDs
};

Status ssl_error(std::string what) {
    return Status::client(cr::ssl_connection_error, "SSL connection error: " + std::move(what));
}

std::string strip_brackets(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return std::string(host);
}

}  // namespace

bool certificate_has_ip(const mbedtls_x509_crt& crt, std::span<const std::uint8_t> ip) {
    for (const mbedtls_x509_sequence* san = &crt.subject_alt_names; san != nullptr; san = san->next) {
        if (san->buf.tag == san_ip_address_tag && san->buf.len == ip.size() && san->buf.p != nullptr &&
            std::memcmp(san->buf.p, ip.data(), ip.size()) == 0) {
            return true;
        }
    }
    return false;
}

std::size_t parse_ip_literal(std::string_view text, std::uint8_t (&out)[16]) {
    const std::string s(text);
    if (uv_inet_pton(AF_INET, s.c_str(), out) == 0) return 4;
    if (uv_inet_pton(AF_INET6, s.c_str(), out) == 0) return 16;
    return 0;
}

TlsSession::TlsSession(std::vector<std::uint8_t>& out) : out_(out) {
    mbedtls_pk_init(&own_key_);
    mbedtls_ssl_config_init(&conf_);
    mbedtls_ssl_init(&ssl_);
}

TlsSession::~TlsSession() {
    mbedtls_ssl_free(&ssl_);
    mbedtls_ssl_config_free(&conf_);
    mbedtls_pk_free(&own_key_);
}

std::unique_ptr<TlsSession> TlsSession::create(const TlsOptions& opt, std::string_view connect_host,
                                               std::vector<std::uint8_t>& out, Status& error) {
    std::unique_ptr<TlsSession> s(new TlsSession(out));
    s->thread_ctx_ = TlsThreadContext::current(error);
    if (!s->thread_ctx_) return nullptr;

    int rc = mbedtls_ssl_config_defaults(&s->conf_, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0) {
        error = ssl_error("cannot configure mbedTLS: " + mbedtls_compat::error_text(rc));
        return nullptr;
    }
    mbedtls_compat::set_min_tls12(&s->conf_);
    mbedtls_ssl_conf_rng(&s->conf_, mbedtls_ctr_drbg_random, s->thread_ctx_->drbg());

    if (opt.verify_cert) {
        std::string ca_path = opt.ca_file;
        if (ca_path.empty()) {
            for (const char* candidate : system_ca_bundles) {
                std::error_code ec;
                if (std::filesystem::is_regular_file(candidate, ec)) {
                    ca_path = candidate;
                    break;
                }
            }
            if (ca_path.empty()) {
                error = ssl_error("certificate verification is on but no CA file was given and no "
                                  "system CA bundle was found");
                return nullptr;
            }
        }
        s->ca_ = s->thread_ctx_->ca_chain(ca_path, error);
        if (!s->ca_) return nullptr;
        mbedtls_ssl_conf_ca_chain(&s->conf_, s->ca_->get(), nullptr);
        mbedtls_ssl_conf_authmode(&s->conf_, MBEDTLS_SSL_VERIFY_REQUIRED);
    } else {
        mbedtls_ssl_conf_authmode(&s->conf_, MBEDTLS_SSL_VERIFY_NONE);
    }

    if (opt.cert_file.empty() != opt.key_file.empty()) {
        error = ssl_error("a client certificate needs both cert_file and key_file");
        return nullptr;
    }
    if (!opt.cert_file.empty()) {
        s->own_cert_ = std::make_unique<CertChain>();
        if (Status st = s->own_cert_->load(opt.cert_file, "client certificate"); !st.ok()) {
            error = std::move(st);
            return nullptr;
        }
        rc = mbedtls_compat::parse_key_file(&s->own_key_, opt.key_file.c_str(), s->thread_ctx_->drbg());
        if (rc != 0) {
            error = ssl_error("cannot load client key '" + opt.key_file + "': " + mbedtls_compat::error_text(rc));
            return nullptr;
        }
        rc = mbedtls_ssl_conf_own_cert(&s->conf_, s->own_cert_->get(), &s->own_key_);
        if (rc != 0) {
            error = ssl_error("cannot use the client certificate: " + mbedtls_compat::error_text(rc));
            return nullptr;
        }
    }

    const bool check_identity = opt.verify_cert && opt.verify_identity;
    if (check_identity) {
        s->identity_ = strip_brackets(opt.server_name.empty() ? connect_host : opt.server_name);
        s->expected_ip_len_ = parse_ip_literal(s->identity_, s->expected_ip_);
        if (s->expected_ip_len_ != 0) mbedtls_ssl_conf_verify(&s->conf_, &TlsSession::verify_peer, s.get());
    }

    rc = mbedtls_ssl_setup(&s->ssl_, &s->conf_);
    if (rc != 0) {
        error = ssl_error("cannot set up the session: " + mbedtls_compat::error_text(rc));
        return nullptr;
    }
    // A DNS identity goes to mbedTLS, which sends it as SNI and matches it against the certificate.
    // IP literals are never sent as SNI (RFC 6066, 3) and are matched by verify_peer. An explicit
    // NULL says "no name check" to mbedTLS 3.6.3+, which otherwise refuses REQUIRED without a name.
    const bool dns_identity = check_identity && s->expected_ip_len_ == 0;
    rc = mbedtls_ssl_set_hostname(&s->ssl_, dns_identity ? s->identity_.c_str() : nullptr);
    if (rc != 0) {
        error = ssl_error("invalid server name '" + s->identity_ + "': " + mbedtls_compat::error_text(rc));
        return nullptr;
    }
    mbedtls_ssl_set_bio(&s->ssl_, s.get(), &TlsSession::bio_send, &TlsSession::bio_recv, nullptr);
    return s;
}

int TlsSession::bio_send(void* self, const unsigned char* buf, std::size_t len) {
    auto* s = static_cast<TlsSession*>(self);
    len = std::min<std::size_t>(len, std::numeric_limits<int>::max());
    s->out_.insert(s->out_.end(), buf, buf + len);
    return static_cast<int>(len);
}

int TlsSession::bio_recv(void* self, unsigned char* buf, std::size_t len) {
    auto* s = static_cast<TlsSession*>(self);
    if (s->in_.empty()) return MBEDTLS_ERR_SSL_WANT_READ;
    len = std::min({len, s->in_.size(), static_cast<std::size_t>(std::numeric_limits<int>::max())});
    std::memcpy(buf, s->in_.data(), len);
    s->in_ = s->in_.subspan(len);
    return static_cast<int>(len);
}

int TlsSession::verify_peer(void* self, mbedtls_x509_crt* crt, int depth, std::uint32_t* flags) {
    auto* s = static_cast<TlsSession*>(self);
    if (depth == 0 && !certificate_has_ip(*crt, {s->expected_ip_, s->expected_ip_len_})) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
        s->ip_mismatch_ = true;
    }
    return 0;
}

Status TlsSession::handshake_error(int rc) const {
    if (rc != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) return ssl_error(mbedtls_compat::error_text(rc));
    std::uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_);
    std::string why;
    if ((flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0) {
        why = "the certificate is not valid for '" + identity_ + "'" +
              (ip_mismatch_ ? " (no such IP address in its subjectAltName)" : "");
        flags &= ~static_cast<std::uint32_t>(MBEDTLS_X509_BADCERT_CN_MISMATCH);
    }
    if (flags != 0) {
        char info[512];
        const int n = mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
        std::string_view text(info, n > 0 ? static_cast<std::size_t>(n) : 0);
        while (!text.empty()) {  // one line per flag
            const auto eol = text.find('\n');
            const auto line = text.substr(0, eol);
            if (!line.empty()) why += (why.empty() ? "" : "; ") + std::string(line);
            text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        }
    }
    if (why.empty()) why = mbedtls_compat::error_text(rc);
    return ssl_error("certificate verification failed: " + why);
}

TlsSession::Result TlsSession::fail(Status st) {
    error_ = std::move(st);
    terminal_ = Result::failed;
    return terminal_;
}

TlsSession::Result TlsSession::handshake() {
    if (terminal_ != Result::want_read) return terminal_;
    const int rc = mbedtls_ssl_handshake(&ssl_);
    if (rc == 0) return Result::done;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return Result::want_read;
    return fail(handshake_error(rc));
}

TlsSession::Result TlsSession::read(std::span<std::uint8_t> buf, std::size_t& n) {
    n = 0;
    if (terminal_ != Result::want_read) return terminal_;
    while (n < buf.size()) {
        const int rc = mbedtls_ssl_read(&ssl_, buf.data() + n, buf.size() - n);
        if (rc > 0) {
            n += static_cast<std::size_t>(rc);
        } else if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
            return Result::want_read;
        } else if (mbedtls_compat::is_read_again(rc)) {
            continue;
        } else if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            terminal_ = Result::closed;
            return terminal_;
        } else {
            return fail(Status::client(cr::server_lost, "Lost connection to MySQL server (TLS error: " +
                                                            mbedtls_compat::error_text(rc) + ")"));
        }
    }
    return Result::more;
}

TlsSession::Result TlsSession::write(std::span<const std::uint8_t> plain) {
    if (terminal_ == Result::failed) return terminal_;
    while (!plain.empty()) {
        const int rc = mbedtls_ssl_write(&ssl_, plain.data(), plain.size());
        if (rc <= 0) {
            // Our BIO never blocks, so WANT_READ/WANT_WRITE here would only come from a
            // renegotiation, which the client configuration refuses.
            return fail(Status::client(cr::server_gone_error, "MySQL server has gone away (TLS error: " +
                                                                  mbedtls_compat::error_text(rc) + ")"));
        }
        plain = plain.subspan(static_cast<std::size_t>(rc));
    }
    return Result::done;
}

void TlsSession::close_notify() {
    if (terminal_ == Result::failed) return;
    (void)mbedtls_ssl_close_notify(&ssl_);
}

bool TlsSession::has_pending() const {
    return terminal_ != Result::want_read || mbedtls_ssl_get_bytes_avail(&ssl_) > 0;
}

std::string TlsSession::version() const { return mbedtls_ssl_get_version(&ssl_); }

std::string TlsSession::ciphersuite() const {
    const char* name = mbedtls_ssl_get_ciphersuite(&ssl_);
    return name != nullptr ? name : "";
}

}  // namespace uvmysql::detail
