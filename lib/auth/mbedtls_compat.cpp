// SPDX-License-Identifier: MIT
// The auth layer's only contact with mbedTLS: hashes and RSA-OAEP, the same on mbedTLS 2.28 and 3.x.
//
// The 2.x/3.x differences live here and nowhere else:
//  - RSA-OAEP encrypt/decrypt take a `mode` argument (MBEDTLS_RSA_PUBLIC/PRIVATE) in 2.x only;
//  - mbedtls_rsa_set_padding returns void in 2.x, int in 3.x;
//  - mbedtls_pk_parse_key takes an RNG in 3.x.
// Hashes go through the generic md API, whose signatures did not change (unlike
// mbedtls_sha1_ret/mbedtls_sha1), and only public accessors are used (no MBEDTLS_PRIVATE).
#include "auth/mbedtls_compat.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include <mbedtls/version.h>

#include <cstdio>

#if MBEDTLS_VERSION_MAJOR < 2 || (MBEDTLS_VERSION_MAJOR == 2 && MBEDTLS_VERSION_MINOR < 16)
#error "uvmysql needs mbedTLS 2.16 or newer"
#endif

namespace uvmysql::detail::crypto {

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> digest(mbedtls_md_type_t type, std::initializer_list<Bytes> parts) {
    std::array<std::uint8_t, N> out{};
    mbedtls_md_context_t ctx;
    mbedtls_md_init(&ctx);
    const mbedtls_md_info_t* info = mbedtls_md_info_from_type(type);
    // These only fail on allocation failure or a hash compiled out of mbedTLS: both are
    // configuration errors that the unit tests catch, so the result is simply left zeroed.
    if (info != nullptr && mbedtls_md_setup(&ctx, info, 0) == 0 && mbedtls_md_starts(&ctx) == 0) {
        bool good = true;
        for (Bytes p : parts) good = good && mbedtls_md_update(&ctx, p.data(), p.size()) == 0;
        if (good) mbedtls_md_finish(&ctx, out.data());
    }
    mbedtls_md_free(&ctx);
    return out;
}

Status crypto_error(std::string what, int rc) {
    char code[16];
    std::snprintf(code, sizeof code, "-0x%04x", static_cast<unsigned>(-rc));
    return Status::client(cr::auth_plugin_err, what + " (mbedTLS error " + code + ")");
}

/// An RNG for OAEP padding and RSA blinding, seeded from the system entropy sources.
class Random {
public:
    Random() {
        mbedtls_entropy_init(&entropy_);
        mbedtls_ctr_drbg_init(&drbg_);
        static constexpr unsigned char personalization[] = "uvmysql-auth";
        rc_ = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, personalization,
                                    sizeof(personalization) - 1);
    }
    ~Random() {
        mbedtls_ctr_drbg_free(&drbg_);
        mbedtls_entropy_free(&entropy_);
    }
    Random(const Random&) = delete;
    Random& operator=(const Random&) = delete;

    [[nodiscard]] int status() const noexcept { return rc_; }
    static int generate(void* self, unsigned char* out, std::size_t n) {
        return mbedtls_ctr_drbg_random(&static_cast<Random*>(self)->drbg_, out, n);
    }
    void* context() noexcept { return this; }

private:
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    int rc_ = 0;
};

/// An mbedtls_pk_context that frees itself.
class PkKey {
public:
    PkKey() { mbedtls_pk_init(&pk_); }
    ~PkKey() { mbedtls_pk_free(&pk_); }
    PkKey(const PkKey&) = delete;
    PkKey& operator=(const PkKey&) = delete;
    mbedtls_pk_context* get() noexcept { return &pk_; }

private:
    mbedtls_pk_context pk_;
};

// PEM parsing needs a NUL-terminated buffer whose length counts the NUL.
std::string nul_terminated(std::string_view pem) { return std::string(pem) + '\0'; }

int set_oaep_sha1(mbedtls_rsa_context* rsa) {
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA1);
#else
    mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA1);
    return 0;
#endif
}

int oaep_encrypt(mbedtls_rsa_context* rsa, Random& rng, Bytes in, unsigned char* out) {
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_rsa_rsaes_oaep_encrypt(rsa, Random::generate, rng.context(), nullptr, 0, in.size(), in.data(), out);
#else
    return mbedtls_rsa_rsaes_oaep_encrypt(rsa, Random::generate, rng.context(), MBEDTLS_RSA_PUBLIC, nullptr, 0,
                                          in.size(), in.data(), out);
#endif
}

int oaep_decrypt(mbedtls_rsa_context* rsa, Random& rng, Bytes in, std::size_t* olen, unsigned char* out,
                 std::size_t out_max) {
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_rsa_rsaes_oaep_decrypt(rsa, Random::generate, rng.context(), nullptr, 0, olen, in.data(), out,
                                          out_max);
#else
    return mbedtls_rsa_rsaes_oaep_decrypt(rsa, Random::generate, rng.context(), MBEDTLS_RSA_PRIVATE, nullptr, 0, olen,
                                          in.data(), out, out_max);
#endif
}

int parse_private_key(PkKey& key, const std::string& pem, Random& rng) {
    const auto* p = reinterpret_cast<const unsigned char*>(pem.data());
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_key(key.get(), p, pem.size(), nullptr, 0, Random::generate, rng.context());
#else
    (void)rng;
    return mbedtls_pk_parse_key(key.get(), p, pem.size(), nullptr, 0);
#endif
}

}  // namespace

Sha1Digest sha1(std::initializer_list<Bytes> parts) { return digest<20>(MBEDTLS_MD_SHA1, parts); }
Sha256Digest sha256(std::initializer_list<Bytes> parts) { return digest<32>(MBEDTLS_MD_SHA256, parts); }
Sha512Digest sha512(std::initializer_list<Bytes> parts) { return digest<64>(MBEDTLS_MD_SHA512, parts); }

void zeroize(void* p, std::size_t n) noexcept { mbedtls_platform_zeroize(p, n); }

Status rsa_oaep_sha1_encrypt(std::string_view public_key_pem, Bytes plaintext, std::vector<std::uint8_t>& out) {
    PkKey key;
    const std::string pem = nul_terminated(public_key_pem);
    int rc = mbedtls_pk_parse_public_key(key.get(), reinterpret_cast<const unsigned char*>(pem.data()), pem.size());
    if (rc != 0) return crypto_error("Server public key is not a valid PEM public key", rc);
    if (mbedtls_pk_get_type(key.get()) != MBEDTLS_PK_RSA) {
        return Status::client(cr::auth_plugin_err, "Server public key is not an RSA key");
    }
    mbedtls_rsa_context* rsa = mbedtls_pk_rsa(*key.get());
    rc = set_oaep_sha1(rsa);
    if (rc != 0) return crypto_error("Cannot select RSA-OAEP padding", rc);
    const std::size_t key_len = mbedtls_rsa_get_len(rsa);
    // OAEP with SHA-1 spends 2 * 20 + 2 bytes of the modulus on padding.
    if (key_len < 2 * 20 + 2 || plaintext.size() > key_len - 2 * 20 - 2) {
        return Status::client(cr::auth_plugin_err, "Password is too long for the server's RSA key");
    }
    Random rng;
    if (rng.status() != 0) return crypto_error("Cannot seed the random generator", rng.status());
    out.assign(key_len, 0);
    rc = oaep_encrypt(rsa, rng, plaintext, out.data());
    if (rc != 0) {
        out.clear();
        return crypto_error("RSA encryption failed", rc);
    }
    return {};
}

Status generate_rsa_key_pair(unsigned bits, std::string& public_pem, std::string& private_pem) {
    Random rng;
    if (rng.status() != 0) return crypto_error("Cannot seed the random generator", rng.status());
    PkKey key;
    int rc = mbedtls_pk_setup(key.get(), mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
    if (rc == 0) rc = mbedtls_rsa_gen_key(mbedtls_pk_rsa(*key.get()), Random::generate, rng.context(), bits, 65537);
    if (rc != 0) return crypto_error("RSA key generation failed", rc);
    std::vector<unsigned char> buf(16000);
    rc = mbedtls_pk_write_pubkey_pem(key.get(), buf.data(), buf.size());
    if (rc != 0) return crypto_error("Cannot write the public key", rc);
    public_pem.assign(reinterpret_cast<const char*>(buf.data()));
    rc = mbedtls_pk_write_key_pem(key.get(), buf.data(), buf.size());
    if (rc != 0) return crypto_error("Cannot write the private key", rc);
    private_pem.assign(reinterpret_cast<const char*>(buf.data()));
    zeroize(buf.data(), buf.size());
    return {};
}

Status rsa_oaep_sha1_decrypt(std::string_view private_key_pem, Bytes ciphertext, std::vector<std::uint8_t>& out) {
    Random rng;
    if (rng.status() != 0) return crypto_error("Cannot seed the random generator", rng.status());
    PkKey key;
    int rc = parse_private_key(key, nul_terminated(private_key_pem), rng);
    if (rc != 0) return crypto_error("Cannot parse the private key", rc);
    if (mbedtls_pk_get_type(key.get()) != MBEDTLS_PK_RSA) return Status::client(cr::auth_plugin_err, "Not an RSA key");
    mbedtls_rsa_context* rsa = mbedtls_pk_rsa(*key.get());
    rc = set_oaep_sha1(rsa);
    if (rc != 0) return crypto_error("Cannot select RSA-OAEP padding", rc);
    if (ciphertext.size() != mbedtls_rsa_get_len(rsa)) {
        return Status::client(cr::auth_plugin_err, "Ciphertext length does not match the key");
    }
    out.assign(ciphertext.size(), 0);
    std::size_t olen = 0;
    rc = oaep_decrypt(rsa, rng, ciphertext, &olen, out.data(), out.size());
    if (rc != 0) {
        out.clear();
        return crypto_error("RSA decryption failed", rc);
    }
    out.resize(olen);
    return {};
}

}  // namespace uvmysql::detail::crypto
