// SPDX-License-Identifier: MIT
// The auth layer's only contact with mbedTLS: hashes and RSA-OAEP, the same on mbedTLS 2.28 and 3.x.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail::crypto {

using Sha1Digest = std::array<std::uint8_t, 20>;
using Sha256Digest = std::array<std::uint8_t, 32>;
using Sha512Digest = std::array<std::uint8_t, 64>;

/// SHA-1 of the concatenation of `parts`.
Sha1Digest sha1(std::initializer_list<Bytes> parts);
/// SHA-256 of the concatenation of `parts`.
Sha256Digest sha256(std::initializer_list<Bytes> parts);
/// SHA-512 of the concatenation of `parts`.
Sha512Digest sha512(std::initializer_list<Bytes> parts);

/// Encrypts `plaintext` with an RSA public key given as PEM ("BEGIN PUBLIC KEY" or
/// "BEGIN RSA PUBLIC KEY"), RSAES-OAEP with SHA-1 and MGF1-SHA-1 (PKCS#1 v2.1), as MySQL's
/// sha256_password and caching_sha2_password expect. Fails with cr::auth_plugin_err when the
/// key does not parse, is not RSA, or the plaintext is too long for it.
Status rsa_oaep_sha1_encrypt(std::string_view public_key_pem, Bytes plaintext, std::vector<std::uint8_t>& out);

/// Overwrites memory that held a secret (not optimised away).
void zeroize(void* p, std::size_t n) noexcept;

/// For tests: generates an RSA key pair of `bits` bits, both halves as PEM.
Status generate_rsa_key_pair(unsigned bits, std::string& public_pem, std::string& private_pem);

/// For tests: decrypts RSAES-OAEP (SHA-1) with a PEM private key.
Status rsa_oaep_sha1_decrypt(std::string_view private_key_pem, Bytes ciphertext, std::vector<std::uint8_t>& out);

}  // namespace uvmysql::detail::crypto
