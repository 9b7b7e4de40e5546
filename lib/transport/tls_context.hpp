// SPDX-License-Identifier: MIT
// TlsThreadContext: the per-thread mbedTLS state (seeded DRBG, parsed CA bundles) that sessions share.
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/x509_crt.h>

#include <map>
#include <memory>
#include <string>

#include "common/status.hpp"

namespace uvmysql::detail {

/// A parsed certificate chain (CA bundle or client certificate), owned and freed by this object.
class CertChain {
public:
    CertChain() { mbedtls_x509_crt_init(&crt_); }
    ~CertChain() { mbedtls_x509_crt_free(&crt_); }
    CertChain(const CertChain&) = delete;
    CertChain& operator=(const CertChain&) = delete;

    /// Parses every certificate of a PEM or DER file. Succeeds when at least one certificate was
    /// read (system bundles may hold a few that mbedTLS cannot parse); otherwise fails with
    /// cr::ssl_connection_error naming the file and what it is used for (`what`).
    Status load(const std::string& path, const char* what);

    mbedtls_x509_crt* get() noexcept { return &crt_; }

private:
    mbedtls_x509_crt crt_;
};

/// mbedTLS state shared by all TLS sessions of one thread: a CTR_DRBG seeded once from the
/// platform entropy, and the CA bundles parsed so far (re-read when the file's size or mtime
/// changes). Everything in uvmysql runs on loop threads and one loop is driven by one thread,
/// so a thread-local instance needs no lock. Sessions hold a shared_ptr to it, so the state
/// lives as long as the last session that uses it.
class TlsThreadContext {
public:
    /// The calling thread's context, created and seeded on first use. Returns nullptr and sets
    /// `error` (cr::ssl_connection_error) if seeding fails.
    static std::shared_ptr<TlsThreadContext> current(Status& error);

    TlsThreadContext();
    ~TlsThreadContext();
    TlsThreadContext(const TlsThreadContext&) = delete;
    TlsThreadContext& operator=(const TlsThreadContext&) = delete;

    mbedtls_ctr_drbg_context* drbg() noexcept { return &drbg_; }

    /// The CA bundle at `path`, parsed once and then served from this thread's cache while the
    /// file is unchanged. Returns nullptr and sets `error` when it cannot be read or parsed.
    std::shared_ptr<CertChain> ca_chain(const std::string& path, Status& error);

private:
    struct CachedChain {
        std::shared_ptr<CertChain> chain;
        long long mtime = 0;
        unsigned long long size = 0;
    };

    int seed();

    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    std::map<std::string, CachedChain> ca_cache_;
};

}  // namespace uvmysql::detail
