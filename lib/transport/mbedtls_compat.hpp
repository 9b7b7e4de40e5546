// SPDX-License-Identifier: MIT
// The one place where transport/ deals with the differences between mbedTLS 2.28 and 3.x.
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#include <cstdio>
#include <mutex>
#include <string>

#if MBEDTLS_VERSION_MAJOR < 2 || (MBEDTLS_VERSION_MAJOR == 2 && MBEDTLS_VERSION_MINOR < 28)
#error "uvmysql needs mbedTLS 2.28 or newer"
#endif

namespace uvmysql::detail::mbedtls_compat {

/// Parses an unencrypted PEM or DER private key file. mbedTLS 3.x wants an RNG (used for blinding).
inline int parse_key_file(mbedtls_pk_context* key, const char* path, mbedtls_ctr_drbg_context* drbg) {
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_keyfile(key, path, nullptr, mbedtls_ctr_drbg_random, drbg);
#else
    (void)drbg;
    return mbedtls_pk_parse_keyfile(key, path, nullptr);
#endif
}

/// Refuses anything older than TLS 1.2. The maximum stays the library's own: TLS 1.3 on 3.x builds
/// with MBEDTLS_SSL_PROTO_TLS1_3, TLS 1.2 on 2.28 (whose TLS 1.3 code is an unusable prototype).
inline void set_min_tls12(mbedtls_ssl_config* conf) {
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

/// Initialises PSA crypto once per process: mbedTLS 3.x needs it before a TLS 1.3 handshake.
/// Nothing to do on 2.28. Returns 0 or an mbedTLS/PSA error code.
inline int init_crypto_once() {
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
    static std::once_flag once;
    static int result = 0;
    std::call_once(once, [] { result = psa_crypto_init() == PSA_SUCCESS ? 0 : -1; });
    return result;
#else
    return 0;
#endif
}

/// True for mbedtls_ssl_read() results that only report a post-handshake message that was
/// handled (a TLS 1.3 NewSessionTicket on 3.x): the caller just reads again.
inline bool is_read_again(int rc) {
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    if (rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) return true;
#endif
    (void)rc;
    return false;
}

/// mbedTLS's description of an error code followed by the code, e.g.
/// "X509 - Read/write of file failed (-0x2900)".
inline std::string error_text(int rc) {
    char code[24];
    std::snprintf(code, sizeof code, "(-0x%04x)", static_cast<unsigned>(rc < 0 ? -rc : rc));
#if defined(MBEDTLS_ERROR_C)
    char text[160];
    mbedtls_strerror(rc, text, sizeof text);
    return std::string(text) + " " + code;
#else
    return std::string("mbedTLS error ") + code;
#endif
}

}  // namespace uvmysql::detail::mbedtls_compat
