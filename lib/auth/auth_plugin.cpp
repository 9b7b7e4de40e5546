// SPDX-License-Identifier: MIT
// AuthPlugin: the client side of one authentication method, as a state machine over bytes.
#include "auth/auth_plugin.hpp"

#include <string>

#include "auth/ed25519.hpp"
#include "auth/mbedtls_compat.hpp"
#include "auth/scramble.hpp"

namespace uvmysql::detail {

namespace {

Status plugin_error(std::string msg) { return Status::client(cr::auth_plugin_err, std::move(msg)); }

Status unexpected_data(std::string_view plugin) {
    return Status::malformed("unexpected AuthMoreData for " + std::string(plugin));
}

/// The copies of the context that a plugin keeps; the password is wiped on destruction.
struct Secrets {
    std::string password;
    std::vector<std::uint8_t> plugin_data;
    std::string public_key_pem;
    bool secure_channel = false;
    bool allow_cleartext_without_tls = false;
    bool allow_public_key_request = true;

    void assign(const AuthContext& ctx) {
        wipe();
        password.assign(ctx.password);
        plugin_data.assign(ctx.nonce.begin(), ctx.nonce.end());
        public_key_pem.assign(ctx.server_public_key_pem);
        secure_channel = ctx.secure_channel;
        allow_cleartext_without_tls = ctx.allow_cleartext_without_tls;
        allow_public_key_request = ctx.allow_public_key_request;
    }
    void wipe() noexcept {
        if (!password.empty()) crypto::zeroize(password.data(), password.size());
        password.clear();
    }
    ~Secrets() { wipe(); }

    [[nodiscard]] Bytes nonce() const noexcept { return scramble_nonce(plugin_data); }
    AuthAction encrypted_password(std::string_view pem) const {
        std::vector<std::uint8_t> out;
        Status st = rsa_encrypted_password(password, nonce(), pem, out);
        if (!st.ok()) return AuthAction::fail(std::move(st));
        return AuthAction::send(std::move(out));
    }
};

AuthAction require_nonce(const Secrets& s, std::string_view plugin) {
    return AuthAction::fail(Status::malformed(std::string(plugin) + " needs a 20-byte scramble, got " +
                                              std::to_string(s.plugin_data.size()) + " bytes"));
}

class NativePassword final : public AuthPlugin {
public:
    std::string_view name() const noexcept override { return "mysql_native_password"; }
    AuthAction start(const AuthContext& ctx) override {
        s_.assign(ctx);
        if (s_.password.empty()) return AuthAction::send({});
        if (s_.nonce().empty()) return require_nonce(s_, name());
        return AuthAction::send(native_password_scramble(s_.password, s_.nonce()));
    }
    AuthAction on_more_data(Bytes) override { return AuthAction::fail(unexpected_data(name())); }

private:
    Secrets s_;
};

/// Flow: send the SHA-256 scramble; the server answers AuthMoreData 0x03 (its cache knows the
/// account: OK follows) or 0x04 (full authentication): then the password goes in clear over a
/// secure channel, else RSA-encrypted with the configured key, else the client asks for the
/// key with 0x02 and encrypts once the PEM arrives as AuthMoreData.
class CachingSha2Password final : public AuthPlugin {
public:
    std::string_view name() const noexcept override { return "caching_sha2_password"; }
    AuthAction start(const AuthContext& ctx) override {
        s_.assign(ctx);
        state_ = State::sent_scramble;
        if (s_.password.empty()) return AuthAction::send({});
        if (s_.nonce().empty()) return require_nonce(s_, name());
        return AuthAction::send(caching_sha2_scramble(s_.password, s_.nonce()));
    }
    AuthAction on_more_data(Bytes data) override {
        switch (state_) {
            case State::sent_scramble:
                if (data.size() == 1 && data[0] == fast_auth_success) {
                    state_ = State::done;
                    return AuthAction::read();
                }
                if (data.size() == 1 && data[0] == perform_full_authentication) return full_authentication();
                break;
            case State::requested_key:
                state_ = State::done;
                return s_.encrypted_password(as_string_view(data));
            case State::idle:
            case State::done: break;
        }
        return AuthAction::fail(unexpected_data(name()));
    }

private:
    static constexpr std::uint8_t request_public_key = 0x02;
    static constexpr std::uint8_t fast_auth_success = 0x03;
    static constexpr std::uint8_t perform_full_authentication = 0x04;
    enum class State { idle, sent_scramble, requested_key, done };

    AuthAction full_authentication() {
        state_ = State::done;
        if (s_.secure_channel) return AuthAction::send(cleartext_password(s_.password));
        if (!s_.public_key_pem.empty()) return s_.encrypted_password(s_.public_key_pem);
        if (!s_.allow_public_key_request) {
            return AuthAction::fail(plugin_error(
                "caching_sha2_password: full authentication needs TLS, a unix socket, a configured "
                "server public key, or permission to request the key from the server"));
        }
        state_ = State::requested_key;
        return AuthAction::send({request_public_key});
    }

    Secrets s_;
    State state_ = State::idle;
};

/// Flow: the first response is the password in clear over a secure channel, else RSA-encrypted
/// with the configured key, else the request 0x01 for the key (then the PEM arrives as
/// AuthMoreData and the encrypted password follows). An empty password is a single NUL.
class Sha256Password final : public AuthPlugin {
public:
    std::string_view name() const noexcept override { return "sha256_password"; }
    AuthAction start(const AuthContext& ctx) override {
        s_.assign(ctx);
        requested_key_ = false;
        if (s_.secure_channel || s_.password.empty()) return AuthAction::send(cleartext_password(s_.password));
        if (!s_.public_key_pem.empty()) return s_.encrypted_password(s_.public_key_pem);
        if (!s_.allow_public_key_request) {
            return AuthAction::fail(plugin_error(
                "sha256_password needs TLS, a unix socket, a configured server public key, or "
                "permission to request the key from the server"));
        }
        requested_key_ = true;
        return AuthAction::send({request_public_key});
    }
    AuthAction on_more_data(Bytes data) override {
        if (!requested_key_) return AuthAction::fail(unexpected_data(name()));
        requested_key_ = false;
        return s_.encrypted_password(as_string_view(data));
    }

private:
    static constexpr std::uint8_t request_public_key = 0x01;
    Secrets s_;
    bool requested_key_ = false;
};

class ClearPassword final : public AuthPlugin {
public:
    std::string_view name() const noexcept override { return "mysql_clear_password"; }
    AuthAction start(const AuthContext& ctx) override {
        if (!ctx.secure_channel && !ctx.allow_cleartext_without_tls) {
            return AuthAction::fail(plugin_error(
                "mysql_clear_password would send the password unencrypted: use TLS or a unix socket, "
                "or allow cleartext passwords explicitly"));
        }
        return AuthAction::send(cleartext_password(ctx.password));
    }
    AuthAction on_more_data(Bytes) override { return AuthAction::fail(unexpected_data(name())); }
};

/// MariaDB's ed25519 plugin: the response is the Ed25519 signature of the server's 32-byte
/// nonce, with the key derived from the password (see ed25519.hpp).
class Ed25519Password final : public AuthPlugin {
public:
    std::string_view name() const noexcept override { return "client_ed25519"; }
    AuthAction start(const AuthContext& ctx) override {
        Bytes nonce = ctx.nonce;
        if (nonce.size() == ed25519_nonce_length + 1 && nonce.back() == 0) nonce = nonce.first(ed25519_nonce_length);
        if (nonce.size() != ed25519_nonce_length) {
            return AuthAction::fail(Status::malformed("client_ed25519 needs a 32-byte nonce, got " +
                                                      std::to_string(nonce.size()) + " bytes"));
        }
        const auto sig = ed25519_password_sign(ctx.password, nonce);
        return AuthAction::send(std::vector<std::uint8_t>(sig.begin(), sig.end()));
    }
    AuthAction on_more_data(Bytes) override { return AuthAction::fail(unexpected_data(name())); }
};

}  // namespace

std::unique_ptr<AuthPlugin> make_auth_plugin(std::string_view name) {
    if (name == "mysql_native_password") return std::make_unique<NativePassword>();
    if (name == "caching_sha2_password") return std::make_unique<CachingSha2Password>();
    if (name == "sha256_password") return std::make_unique<Sha256Password>();
    if (name == "mysql_clear_password") return std::make_unique<ClearPassword>();
    if (name == "client_ed25519") return std::make_unique<Ed25519Password>();
    return nullptr;
}

}  // namespace uvmysql::detail
