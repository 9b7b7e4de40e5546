// SPDX-License-Identifier: MIT
// Tests of Ed25519 signing (client_ed25519) against RFC 8032 and MariaDB's documented example.
#include <gtest/gtest.h>

#include <string>

#include "auth/ed25519.hpp"
#include "hex.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;

std::string seed(const char* hex_text) {
    const auto b = hex(hex_text);
    return std::string(b.begin(), b.end());
}

template <std::size_t N>
std::vector<std::uint8_t> vec(const std::array<std::uint8_t, N>& a) {
    return {a.begin(), a.end()};
}

// RFC 8032 section 7.1: with a 32-byte password the scheme is plain Ed25519.
TEST(Ed25519, Rfc8032Test1) {
    const auto sk = seed("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    EXPECT_EQ(vec(ed25519_password_public_key(sk)),
              hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    EXPECT_EQ(vec(ed25519_password_sign(sk, {})),
              hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
}

TEST(Ed25519, Rfc8032Test2) {
    const auto sk = seed("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    EXPECT_EQ(vec(ed25519_password_public_key(sk)),
              hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
    EXPECT_EQ(vec(ed25519_password_sign(sk, hex("72"))),
              hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"));
}

TEST(Ed25519, Rfc8032Test3) {
    const auto sk = seed("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7");
    EXPECT_EQ(vec(ed25519_password_sign(sk, hex("af82"))),
              hex("6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                  "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"));
}

TEST(Ed25519, LongMessageMatchesOpenSslBackedSignature) {
    // Signature computed with Python's `cryptography` (OpenSSL) for seed 00..1f.
    std::string sk;
    for (int i = 0; i < 32; ++i) sk.push_back(static_cast<char>(i));
    std::vector<std::uint8_t> msg(1000);
    for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::uint8_t>(i * 7 + 3);
    EXPECT_EQ(vec(ed25519_password_sign(sk, msg)),
              hex("57f3ec07f8bbd550466b91c7aac979a19ac84a090cc067df8a713a7504a8925c"
                  "33aab66751857c528b2ec9db03cb2e558325ad1c329cf30876fb895399baac07"));
}

TEST(Ed25519, MariaDbPasswordHashOfSecret) {
    // MariaDB's docs: ed25519_password("secret") = ZIgUREUg5PVgQ6LskhXmO+eZLS0nC8be6HPjYWR4YJY (base64).
    EXPECT_EQ(vec(ed25519_password_public_key("secret")),
              hex("648814444520e4f56043a2ec9215e63be7992d2d270bc6dee873e36164786096"));
}

TEST(Ed25519, PasswordSignaturesMatchReference) {
    // Computed with a big-integer Python model of RFC 8032 that reproduces the vectors above.
    std::vector<std::uint8_t> nonce;
    for (int i = 0x20; i < 0x40; ++i) nonce.push_back(static_cast<std::uint8_t>(i));
    EXPECT_EQ(vec(ed25519_password_sign("secret", nonce)),
              hex("86721b479a775d0f2570c4c2f41b8488d7727719881b5854ae4e979411a9c40c"
                  "12a39ee0c41b0a374ef14408c88f72a210320f6f35344a838ec72ea6d708ae07"));
    EXPECT_EQ(vec(ed25519_password_sign("", nonce)),
              hex("bdeafdd8db5c41a63d0a761ba3abac6212e58fd8df96c7d71a03f13a5658d976"
                  "cb44118a2886ae7c9f6d11d39eca9b14a580bf75c9f50b899cdb503383daa307"));
    EXPECT_EQ(vec(ed25519_password_sign("a much longer password than thirty-two bytes, with spaces", nonce)),
              hex("91f45fe42759bdc0964fa55de3cfd23ac5ca1bc99cc5b10fedc860b9105ec48c"
                  "1234ba065a3d2230f8fef984aea317735c2715824be965ae786371d696fb9509"));
}

}  // namespace
}  // namespace uvmysql::test
