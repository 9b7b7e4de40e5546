// SPDX-License-Identifier: MIT
// Tests of the password scrambles and the RSA password encryption, with independent vectors.
#include <gtest/gtest.h>

#include <string>

#include "auth/mbedtls_compat.hpp"
#include "auth/scramble.hpp"
#include "hex.hpp"
#include "test_keys.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;

// The nonce of a real MariaDB 10.11 greeting. Expected values were computed with Python's
// hashlib from the formulas in the MySQL documentation, not with this code.
const auto nonce = hex("50652b46602f6533 6d4e7d4d4657616249257a5a");
const std::string utf8_password = "p\xc3\xa4ss w0rd!";

TEST(NativePasswordScramble, MatchesKnownVectors) {
    EXPECT_EQ(native_password_scramble("secret", nonce), hex("5c2841f31215917b464e6389a5397969c8f3db35"));
    EXPECT_EQ(native_password_scramble(utf8_password, nonce), hex("89e001f2b8447620ca0f4783c57d2f481a1d3c42"));
}

TEST(NativePasswordScramble, EmptyPasswordGivesEmptyResponse) {
    EXPECT_TRUE(native_password_scramble("", nonce).empty());
}

TEST(NativePasswordScramble, PassesTheServersCheck) {
    // The server stores SHA1(SHA1(pw)) and checks SHA1(response XOR SHA1(nonce + stored)) == stored.
    const auto stored = crypto::sha1({crypto::sha1({as_bytes("hunter2")})});
    const auto response = native_password_scramble("hunter2", nonce);
    const auto mask = crypto::sha1({nonce, stored});
    std::vector<std::uint8_t> stage1(20);
    for (std::size_t i = 0; i < 20; ++i) stage1[i] = response[i] ^ mask[i];
    EXPECT_EQ(crypto::sha1({stage1}), stored);
}

TEST(CachingSha2Scramble, MatchesKnownVectors) {
    EXPECT_EQ(caching_sha2_scramble("secret", nonce),
              hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4"));
    EXPECT_EQ(caching_sha2_scramble(utf8_password, nonce),
              hex("5c7c22a38ecc9fbab4ba690d46d6e5bd24135f4d2bc648fdd9fd1648a2075179"));
    EXPECT_TRUE(caching_sha2_scramble("", nonce).empty());
}

TEST(Sha, MatchesKnownDigests) {
    const auto s1 = crypto::sha1({as_bytes("abc")});
    EXPECT_EQ(std::vector<std::uint8_t>(s1.begin(), s1.end()), hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
    const auto s256 = crypto::sha256({as_bytes("a"), as_bytes("bc")});
    EXPECT_EQ(std::vector<std::uint8_t>(s256.begin(), s256.end()),
              hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const auto s512 = crypto::sha512({as_bytes("abc")});
    EXPECT_EQ(std::vector<std::uint8_t>(s512.begin(), s512.end()),
              hex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
}

TEST(ScrambleNonce, TakesTwentyBytes) {
    EXPECT_EQ(scramble_nonce(nonce).size(), 20u);
    const auto with_nul = concat({nonce, hex("00")});
    const Bytes n = scramble_nonce(with_nul);
    EXPECT_EQ(std::vector<std::uint8_t>(n.begin(), n.end()), nonce);
    EXPECT_TRUE(scramble_nonce(hex("0102")).empty());
}

TEST(CleartextPassword, AppendsNul) {
    EXPECT_EQ(cleartext_password("ab"), hex("61 62 00"));
    EXPECT_EQ(cleartext_password(""), hex("00"));
}

std::vector<std::uint8_t> unmask(std::vector<std::uint8_t> plain, const std::vector<std::uint8_t>& key) {
    for (std::size_t i = 0; i < plain.size(); ++i) plain[i] ^= key[i % key.size()];
    return plain;
}

TEST(RsaEncryptedPassword, RoundTripsWithOpenSslKey) {
    for (const char* pem : {openssl_public_key, openssl_public_key_pkcs1}) {
        std::vector<std::uint8_t> cipher;
        ASSERT_TRUE(rsa_encrypted_password("secret", nonce, pem, cipher).ok());
        EXPECT_EQ(cipher.size(), 256u);
        std::vector<std::uint8_t> plain;
        ASSERT_TRUE(crypto::rsa_oaep_sha1_decrypt(openssl_private_key, cipher, plain).ok());
        EXPECT_EQ(unmask(plain, nonce), cleartext_password("secret"));
    }
}

TEST(RsaEncryptedPassword, RoundTripsWithGeneratedKeyAndLongPassword) {
    std::string pub, priv;
    ASSERT_TRUE(crypto::generate_rsa_key_pair(1024, pub, priv).ok());
    EXPECT_NE(pub.find("BEGIN PUBLIC KEY"), std::string::npos);
    // Longer than the 20-byte nonce, so the XOR wraps around; 85 + NUL = 86 = 128 - 42 fits exactly.
    const std::string password(85, 'x');
    std::vector<std::uint8_t> cipher;
    ASSERT_TRUE(rsa_encrypted_password(password, nonce, pub, cipher).ok());
    std::vector<std::uint8_t> plain;
    ASSERT_TRUE(crypto::rsa_oaep_sha1_decrypt(priv, cipher, plain).ok());
    EXPECT_EQ(unmask(plain, nonce), cleartext_password(password));
    // OAEP is randomized: the same input encrypts differently each time.
    std::vector<std::uint8_t> again;
    ASSERT_TRUE(rsa_encrypted_password(password, nonce, pub, again).ok());
    EXPECT_NE(again, cipher);
    // One byte more does not fit a 1024-bit key.
    EXPECT_EQ(rsa_encrypted_password(password + "y", nonce, pub, cipher).errno_code, cr::auth_plugin_err);
}

TEST(RsaEncryptedPassword, RejectsBadKeys) {
    std::vector<std::uint8_t> cipher;
    for (const char* pem : {"", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                            ec_public_key}) {
        const Status st = rsa_encrypted_password("secret", nonce, pem, cipher);
        EXPECT_EQ(st.errno_code, cr::auth_plugin_err) << pem;
        EXPECT_FALSE(st.message.empty());
    }
    EXPECT_EQ(rsa_encrypted_password("secret", {}, openssl_public_key, cipher).errno_code, cr::malformed_packet);
}

}  // namespace
}  // namespace uvmysql::test
