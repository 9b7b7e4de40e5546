// SPDX-License-Identifier: MIT
// The password transformations of the MySQL/MariaDB auth plugins, as pure functions.
#include "auth/scramble.hpp"

#include "auth/mbedtls_compat.hpp"

namespace uvmysql::detail {

Bytes scramble_nonce(Bytes plugin_data) noexcept {
    if (plugin_data.size() < scramble_length) return {};
    return plugin_data.first(scramble_length);
}

std::vector<std::uint8_t> native_password_scramble(std::string_view password, Bytes nonce) {
    if (password.empty()) return {};
    auto stage1 = crypto::sha1({as_bytes(password)});
    const auto stage2 = crypto::sha1({stage1});
    const auto mask = crypto::sha1({nonce, stage2});
    std::vector<std::uint8_t> out(stage1.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = stage1[i] ^ mask[i];
    crypto::zeroize(stage1.data(), stage1.size());
    return out;
}

std::vector<std::uint8_t> caching_sha2_scramble(std::string_view password, Bytes nonce) {
    if (password.empty()) return {};
    auto stage1 = crypto::sha256({as_bytes(password)});
    const auto stage2 = crypto::sha256({stage1});
    const auto mask = crypto::sha256({stage2, nonce});
    std::vector<std::uint8_t> out(stage1.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = stage1[i] ^ mask[i];
    crypto::zeroize(stage1.data(), stage1.size());
    return out;
}

Status rsa_encrypted_password(std::string_view password, Bytes nonce, std::string_view public_key_pem,
                              std::vector<std::uint8_t>& out) {
    if (nonce.empty()) return Status::malformed("auth plugin data has no scramble");
    std::vector<std::uint8_t> plain = cleartext_password(password);
    for (std::size_t i = 0; i < plain.size(); ++i) plain[i] ^= nonce[i % nonce.size()];
    Status st = crypto::rsa_oaep_sha1_encrypt(public_key_pem, plain, out);
    crypto::zeroize(plain.data(), plain.size());
    return st;
}

std::vector<std::uint8_t> cleartext_password(std::string_view password) {
    std::vector<std::uint8_t> out(password.begin(), password.end());
    out.push_back(0);
    return out;
}

}  // namespace uvmysql::detail
