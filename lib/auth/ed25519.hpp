// SPDX-License-Identifier: MIT
// Ed25519 signing as MariaDB's client_ed25519 plugin uses it (the password is the secret seed).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// Length of the nonce the MariaDB server sends for client_ed25519.
inline constexpr std::size_t ed25519_nonce_length = 32;

/// Signs `message` with Ed25519 (RFC 8032, PureEdDSA) using the password bytes in place of the
/// 32-byte secret seed: the secret scalar and prefix come from SHA-512(password), as in
/// MariaDB's auth_ed25519. With a 32-byte password this is exactly RFC 8032 signing.
/// Returns R || S (64 bytes).
std::array<std::uint8_t, 64> ed25519_password_sign(std::string_view password, Bytes message);

/// The Ed25519 public key for a password (what MariaDB stores, base64-encoded, for the account).
std::array<std::uint8_t, 32> ed25519_password_public_key(std::string_view password);

}  // namespace uvmysql::detail
