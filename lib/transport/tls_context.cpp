// SPDX-License-Identifier: MIT
// TlsThreadContext: per-thread DRBG seeding and the CA bundle cache.
#include "transport/tls_context.hpp"

#include <filesystem>
#include <system_error>

#include "transport/mbedtls_compat.hpp"

namespace uvmysql::detail {

Status CertChain::load(const std::string& path, const char* what) {
    const int rc = mbedtls_x509_crt_parse_file(&crt_, path.c_str());
    // A positive result counts certificates that failed to parse while others were read.
    if (rc < 0 || crt_.version == 0) {
        return Status::client(cr::ssl_connection_error,
                              std::string("SSL connection error: cannot load ") + what + " '" + path +
                                  "': " + (rc < 0 ? mbedtls_compat::error_text(rc) : "no certificate found"));
    }
    return {};
}

TlsThreadContext::TlsThreadContext() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
}

TlsThreadContext::~TlsThreadContext() {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
}

int TlsThreadContext::seed() {
    static constexpr unsigned char personalization[] = "uvmysql transport";
    return mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, personalization,
                                 sizeof personalization - 1);
}

std::shared_ptr<TlsThreadContext> TlsThreadContext::current(Status& error) {
    thread_local std::shared_ptr<TlsThreadContext> instance;
    if (instance) return instance;
    if (const int rc = mbedtls_compat::init_crypto_once(); rc != 0) {
        error = Status::client(cr::ssl_connection_error,
                               "SSL connection error: cannot initialise PSA crypto " +
                                   mbedtls_compat::error_text(rc));
        return nullptr;
    }
    auto ctx = std::make_shared<TlsThreadContext>();
    if (const int rc = ctx->seed(); rc != 0) {
        error = Status::client(cr::ssl_connection_error,
                               "SSL connection error: cannot seed the random generator: " +
                                   mbedtls_compat::error_text(rc));
        return nullptr;
    }
    instance = ctx;
    return instance;
}

std::shared_ptr<CertChain> TlsThreadContext::ca_chain(const std::string& path, Status& error) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    const auto mtime = ec ? fs::file_time_type{} : fs::last_write_time(path, ec);
    if (!ec) {
        const long long stamp = mtime.time_since_epoch().count();
        auto it = ca_cache_.find(path);
        if (it != ca_cache_.end() && it->second.size == size && it->second.mtime == stamp) {
            return it->second.chain;
        }
        auto chain = std::make_shared<CertChain>();
        if (Status st = chain->load(path, "CA file"); !st.ok()) {
            error = std::move(st);
            return nullptr;
        }
        ca_cache_[path] = CachedChain{chain, stamp, size};
        return chain;
    }
    // Not a regular file we can stat: let mbedTLS report why it cannot be read, and cache nothing.
    auto chain = std::make_shared<CertChain>();
    if (Status st = chain->load(path, "CA file"); !st.ok()) {
        error = std::move(st);
        return nullptr;
    }
    return chain;
}

}  // namespace uvmysql::detail
