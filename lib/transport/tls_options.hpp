// SPDX-License-Identifier: MIT
// TlsOptions: what Transport::start_tls() needs to know to set up and verify a TLS session.
#pragma once

#include <string>

namespace uvmysql::detail {

/// TLS settings of one connection. Files are PEM (or DER) paths read when the handshake starts.
struct TlsOptions {
    /// CA bundle that the server's chain must lead to. Empty: the system bundle (first found of
    /// /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem)
    /// when verify_cert is set, nothing otherwise.
    std::string ca_file;
    /// Client certificate and its unencrypted private key, both or neither.
    std::string cert_file;
    std::string key_file;
    /// Verify the server's chain against the CA bundle (mbedTLS authmode REQUIRED); off: no
    /// verification at all (authmode NONE), which also turns verify_identity off.
    bool verify_cert = true;
    /// Check that the certificate names the server: DNS names against the subjectAltName DNS
    /// entries (or the CN when there are none), IP literals against the iPAddress entries.
    bool verify_identity = true;
    /// The name (or IP literal) to send as SNI and to check the certificate against; empty: the
    /// host given to connect_tcp(), or "localhost" for a unix socket.
    std::string server_name;
};

}  // namespace uvmysql::detail
