// SPDX-License-Identifier: MIT
// The password transformations of the MySQL/MariaDB auth plugins, as pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// Length of the scramble (nonce) of mysql_native_password, caching_sha2_password and sha256_password.
inline constexpr std::size_t scramble_length = 20;

/// The 20-byte nonce inside plugin data: HandshakeV10 gives exactly 20 bytes, an
/// AuthSwitchRequest 20 bytes plus a NUL. Returns an empty span when there are fewer than 20.
[[nodiscard]] Bytes scramble_nonce(Bytes plugin_data) noexcept;

/// mysql_native_password: SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))), 20 bytes;
/// empty for an empty password. `nonce` is the 20-byte scramble.
[[nodiscard]] std::vector<std::uint8_t> native_password_scramble(std::string_view password, Bytes nonce);

/// caching_sha2_password fast path: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce),
/// 32 bytes; empty for an empty password.
[[nodiscard]] std::vector<std::uint8_t> caching_sha2_scramble(std::string_view password, Bytes nonce);

/// The RSA payload of sha256_password / caching_sha2_password full authentication:
/// RSA-OAEP-SHA1 of (password + NUL) XOR nonce (repeated), with the server's PEM public key.
Status rsa_encrypted_password(std::string_view password, Bytes nonce, std::string_view public_key_pem,
                              std::vector<std::uint8_t>& out);

/// password + NUL: what the cleartext paths send.
[[nodiscard]] std::vector<std::uint8_t> cleartext_password(std::string_view password);

}  // namespace uvmysql::detail
