// SPDX-License-Identifier: MIT
// Tests of the AuthPlugin state machines, driven as the connection layer drives them.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/auth_plugin.hpp"
#include "auth/mbedtls_compat.hpp"
#include "auth/scramble.hpp"
#include "hex.hpp"
#include "test_keys.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;
using Kind = AuthAction::Kind;

const auto nonce = hex("50652b46602f6533 6d4e7d4d4657616249257a5a");
const auto switch_nonce = concat({nonce, hex("00")});  // as an AuthSwitchRequest carries it

std::unique_ptr<AuthPlugin> plugin(std::string_view name) {
    auto p = make_auth_plugin(name);
    EXPECT_NE(p, nullptr) << name;
    if (p) {
        EXPECT_EQ(p->name(), name);
    }
    return p;
}

AuthContext context(std::string_view password, bool secure = false) {
    AuthContext ctx;
    ctx.password = password;
    ctx.nonce = nonce;
    ctx.secure_channel = secure;
    return ctx;
}

// Decrypts what the plugin sent and removes the nonce mask: the password + NUL it hid.
std::vector<std::uint8_t> decrypt_password(const std::vector<std::uint8_t>& cipher) {
    std::vector<std::uint8_t> plain;
    EXPECT_TRUE(crypto::rsa_oaep_sha1_decrypt(openssl_private_key, cipher, plain).ok());
    for (std::size_t i = 0; i < plain.size(); ++i) plain[i] ^= nonce[i % nonce.size()];
    return plain;
}

TEST(MakeAuthPlugin, KnowsTheSupportedPlugins) {
    for (const char* name : {"mysql_native_password", "caching_sha2_password", "sha256_password",
                             "mysql_clear_password", "client_ed25519"})
        plugin(name);
    for (const char* name : {"", "mysql_old_password", "dialog", "auth_gssapi_client", "MYSQL_NATIVE_PASSWORD"})
        EXPECT_EQ(make_auth_plugin(name), nullptr) << name;
}

TEST(NativePasswordPlugin, SendsScrambleForEitherNonceForm) {
    auto p = plugin("mysql_native_password");
    const auto expected = hex("5c2841f31215917b464e6389a5397969c8f3db35");
    AuthAction a = p->start(context("secret"));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, expected);
    AuthContext ctx = context("secret");
    ctx.nonce = switch_nonce;
    a = p->start(ctx);
    EXPECT_EQ(a.data, expected);
}

TEST(NativePasswordPlugin, EmptyPasswordAndBadInput) {
    auto p = plugin("mysql_native_password");
    AuthAction a = p->start(context(""));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_TRUE(a.data.empty());
    AuthContext ctx = context("secret");
    const auto short_nonce = hex("0102");
    ctx.nonce = short_nonce;
    a = p->start(ctx);
    ASSERT_EQ(a.kind, Kind::fail);
    EXPECT_EQ(a.status.errno_code, cr::malformed_packet);
    EXPECT_EQ(p->on_more_data(hex("03")).kind, Kind::fail);
}

TEST(CachingSha2Plugin, FastAuthSuccessWaitsForOk) {
    auto p = plugin("caching_sha2_password");
    AuthAction a = p->start(context("secret"));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4"));
    EXPECT_EQ(p->on_more_data(hex("03")).kind, Kind::read);
    EXPECT_EQ(p->on_more_data(hex("03")).kind, Kind::fail);  // nothing more is expected
}

TEST(CachingSha2Plugin, FullAuthOverSecureChannelSendsCleartext) {
    auto p = plugin("caching_sha2_password");
    ASSERT_EQ(p->start(context("secret", true)).kind, Kind::send);
    const AuthAction a = p->on_more_data(hex("04"));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, concat({bytes_of("secret"), hex("00")}));
}

TEST(CachingSha2Plugin, FullAuthRequestsKeyThenEncrypts) {
    auto p = plugin("caching_sha2_password");
    {
        // The context's storage goes away after start(): the plugin must have copied it.
        const std::string password = "secret";
        const std::vector<std::uint8_t> n = switch_nonce;
        AuthContext ctx;
        ctx.password = password;
        ctx.nonce = n;
        ASSERT_EQ(p->start(ctx).kind, Kind::send);
    }
    AuthAction a = p->on_more_data(hex("04"));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, hex("02"));
    a = p->on_more_data(as_bytes(openssl_public_key));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data.size(), 256u);
    EXPECT_EQ(decrypt_password(a.data), concat({bytes_of("secret"), hex("00")}));
    EXPECT_EQ(p->on_more_data(hex("03")).kind, Kind::fail);
}

TEST(CachingSha2Plugin, FullAuthUsesConfiguredKey) {
    auto p = plugin("caching_sha2_password");
    AuthContext ctx = context("secret");
    ctx.server_public_key_pem = openssl_public_key;
    ASSERT_EQ(p->start(ctx).kind, Kind::send);
    const AuthAction a = p->on_more_data(hex("04"));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(decrypt_password(a.data), concat({bytes_of("secret"), hex("00")}));
}

TEST(CachingSha2Plugin, RefusesKeyRequestWhenNotAllowed) {
    auto p = plugin("caching_sha2_password");
    AuthContext ctx = context("secret");
    ctx.allow_public_key_request = false;
    ASSERT_EQ(p->start(ctx).kind, Kind::send);
    const AuthAction a = p->on_more_data(hex("04"));
    ASSERT_EQ(a.kind, Kind::fail);
    EXPECT_EQ(a.status.errno_code, cr::auth_plugin_err);
}

TEST(CachingSha2Plugin, RejectsUnexpectedDataAndBadKeys) {
    auto p = plugin("caching_sha2_password");
    ASSERT_EQ(p->start(context("secret")).kind, Kind::send);
    EXPECT_EQ(p->on_more_data(hex("05")).status.errno_code, cr::malformed_packet);

    p = plugin("caching_sha2_password");
    ASSERT_EQ(p->start(context("secret")).kind, Kind::send);
    ASSERT_EQ(p->on_more_data(hex("04")).kind, Kind::send);
    const AuthAction a = p->on_more_data(bytes_of("garbage"));
    ASSERT_EQ(a.kind, Kind::fail);
    EXPECT_EQ(a.status.errno_code, cr::auth_plugin_err);

    p = plugin("caching_sha2_password");
    EXPECT_EQ(p->on_more_data(hex("03")).kind, Kind::fail);  // before start()
}

TEST(CachingSha2Plugin, EmptyPasswordSendsEmptyScramble) {
    auto p = plugin("caching_sha2_password");
    const AuthAction a = p->start(context(""));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_TRUE(a.data.empty());
}

TEST(Sha256Plugin, SecureChannelSendsCleartext) {
    auto p = plugin("sha256_password");
    const AuthAction a = p->start(context("secret", true));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, concat({bytes_of("secret"), hex("00")}));
    EXPECT_EQ(p->on_more_data(hex("01")).kind, Kind::fail);
}

TEST(Sha256Plugin, InsecureRequestsKeyThenEncrypts) {
    auto p = plugin("sha256_password");
    AuthAction a = p->start(context("secret"));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, hex("01"));
    a = p->on_more_data(as_bytes(openssl_public_key_pkcs1));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(decrypt_password(a.data), concat({bytes_of("secret"), hex("00")}));
    EXPECT_EQ(p->on_more_data(as_bytes(openssl_public_key)).kind, Kind::fail);
}

TEST(Sha256Plugin, ConfiguredKeyAndEmptyPassword) {
    auto p = plugin("sha256_password");
    AuthContext ctx = context("secret");
    ctx.server_public_key_pem = openssl_public_key;
    AuthAction a = p->start(ctx);
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(decrypt_password(a.data), concat({bytes_of("secret"), hex("00")}));

    a = p->start(context(""));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, hex("00"));

    ctx = context("secret");
    ctx.allow_public_key_request = false;
    a = p->start(ctx);
    ASSERT_EQ(a.kind, Kind::fail);
    EXPECT_EQ(a.status.errno_code, cr::auth_plugin_err);
}

TEST(ClearPasswordPlugin, RefusesInsecureChannelUnlessAllowed) {
    auto p = plugin("mysql_clear_password");
    AuthAction a = p->start(context("secret"));
    ASSERT_EQ(a.kind, Kind::fail);
    EXPECT_EQ(a.status.errno_code, cr::auth_plugin_err);
    EXPECT_NE(a.status.message.find("unencrypted"), std::string::npos);

    AuthContext ctx = context("secret");
    ctx.allow_cleartext_without_tls = true;
    a = p->start(ctx);
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, concat({bytes_of("secret"), hex("00")}));

    a = p->start(context("secret", true));
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, concat({bytes_of("secret"), hex("00")}));
    EXPECT_EQ(p->on_more_data({}).kind, Kind::fail);
}

TEST(Ed25519Plugin, SignsTheServerNonce) {
    auto p = plugin("client_ed25519");
    std::vector<std::uint8_t> n;
    for (int i = 0x20; i < 0x40; ++i) n.push_back(static_cast<std::uint8_t>(i));
    AuthContext ctx = context("secret");
    ctx.nonce = n;
    const auto expected = hex(
        "86721b479a775d0f2570c4c2f41b8488d7727719881b5854ae4e979411a9c40c"
        "12a39ee0c41b0a374ef14408c88f72a210320f6f35344a838ec72ea6d708ae07");
    AuthAction a = p->start(ctx);
    ASSERT_EQ(a.kind, Kind::send);
    EXPECT_EQ(a.data, expected);
    const auto with_nul = concat({n, hex("00")});
    ctx.nonce = with_nul;
    EXPECT_EQ(p->start(ctx).data, expected);
    ctx.nonce = nonce;  // the 20-byte greeting scramble is not an ed25519 nonce
    EXPECT_EQ(p->start(ctx).status.errno_code, cr::malformed_packet);
    EXPECT_EQ(p->on_more_data({}).kind, Kind::fail);
}

}  // namespace
}  // namespace uvmysql::test
