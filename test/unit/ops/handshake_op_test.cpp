// SPDX-License-Identifier: MIT
// HandshakeOp driven by scripted bytes: login, auth switch to each plugin, AuthMoreData fast and
// full authentication, the TLS upgrade, the fatal errors, and a failure at every I/O step.
#include "connection/handshake_op.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "server_messages.hpp"

namespace uvmysql::test {
namespace {

using detail::HandshakeOp;
using detail::SessionState;
namespace cap = detail::cap;
using Check = std::function<void(const ByteVec&)>;

bool contains(const ByteVec& haystack, const ByteVec& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

/// A frame with sequence id `seq` whose payload holds each of `parts`.
Check frame_with(std::uint8_t seq, std::vector<ByteVec> parts) {
    return [seq, parts](const ByteVec& out) {
        ASSERT_GE(out.size(), 4u);
        EXPECT_EQ(out[3], seq);
        EXPECT_EQ(out.size() - 4, std::size_t(out[0] | out[1] << 8 | out[2] << 16)) << "one frame";
        for (const ByteVec& p : parts) EXPECT_TRUE(contains(out, p)) << "missing " << p.size() << " bytes";
    };
}

/// The login (HandshakeResponse41) as sequence id `seq`, with the user and plugin named.
Check login(std::uint8_t seq, const ByteVec& auth_response, std::string_view plugin = "mysql_native_password") {
    return frame_with(seq, {concat({bytes_of("uvmysql_user"), hex("00")}), auth_response,
                            concat({bytes_of(plugin), hex("00")}), bytes_of("_client_name")});
}

struct Session {
    ConnectOptions opt;
    SessionState s{opt};
    explicit Session(bool secure = false) {
        opt.user = "uvmysql_user";
        opt.password = "secret";
        opt.charset = "utf8mb4";
        s = SessionState(opt);
        s.secure_channel = secure;
    }
};

TEST(HandshakeOp, NativePasswordLogin) {
    Session ss;
    HandshakeOp op;
    const SessionState after = OpScript(ss.s)
                                   .expect_read(frame(0, msg::greeting()))
                                   .expect_write(login(1, msg::native_scramble))
                                   .expect_read(frame(2, msg::ok(0, 0, 0x0002)))
                                   .check(op);
    EXPECT_EQ(after.server_version, "10.11.19-MariaDB-0+deb12u1");   // without the 5.5.5- prefix
    EXPECT_TRUE(after.is_mariadb);
    EXPECT_EQ(after.thread_id, 7u);
    EXPECT_EQ(after.status, 0x0002);
    EXPECT_TRUE(after.capabilities & cap::protocol_41);
    EXPECT_TRUE(after.capabilities & cap::deprecate_eof);
    EXPECT_FALSE(after.capabilities & cap::ssl);
}

/// The greeting with capability `flag` set or cleared (in the lower or upper 16 bits).
ByteVec greeting_with(std::uint32_t flag, bool on) {
    ByteVec g = msg::greeting();
    const std::size_t version_end = std::size_t(std::find(g.begin() + 1, g.end(), 0) - g.begin());
    const std::size_t lower = version_end + 1 + 4 + 8 + 1;   // conn id, nonce part 1, filler
    const std::size_t upper = lower + 2 + 1 + 2;              // charset, status
    const std::size_t at = flag <= 0xFFFF ? lower : upper;
    const std::uint16_t bits = static_cast<std::uint16_t>(flag <= 0xFFFF ? flag : flag >> 16);
    auto set = [&](std::size_t i, std::uint8_t b) { g[i] = on ? (g[i] | b) : (g[i] & ~b); };
    set(at, static_cast<std::uint8_t>(bits & 0xFF));
    set(at + 1, static_cast<std::uint8_t>(bits >> 8));
    return g;
}

std::uint32_t login_caps(const ByteVec& frame) {
    return frame[4] | frame[5] << 8 | frame[6] << 16 | std::uint32_t(frame[7]) << 24;
}

TEST(HandshakeOp, CompressNegotiatedStartsChannelAtOk) {
    Session ss;
    ss.opt.compress = true;
    HandshakeOp op;
    const SessionState after = OpScript(ss.s)
                                   .expect_read(frame(0, msg::greeting()))
                                   .expect_write([](const ByteVec& out) {
                                       EXPECT_TRUE(login_caps(out) & cap::compress);
                                       EXPECT_FALSE(login_caps(out) & cap::zstd_compression_algorithm);
                                   })
                                   .expect_read(frame(2, msg::ok()))
                                   .check(op);
    EXPECT_TRUE(after.capabilities & cap::compress);
    EXPECT_TRUE(after.compression.active());
    EXPECT_EQ(after.compression.algorithm(), detail::CompressionAlgorithm::zlib);
}

TEST(HandshakeOp, CompressNotOfferedStaysUncompressed) {
    Session ss;
    ss.opt.compress = true;
    HandshakeOp op;
    const SessionState after =
        OpScript(ss.s)
            .expect_read(frame(0, greeting_with(cap::compress, false)))
            .expect_write([](const ByteVec& out) { EXPECT_FALSE(login_caps(out) & cap::compress); })
            .expect_read(frame(2, msg::ok()))
            .check(op);
    EXPECT_FALSE(after.capabilities & cap::compress);
    EXPECT_FALSE(after.compression.active());
}

TEST(HandshakeOp, NoCompressionWithoutTheOption) {
    Session ss;
    HandshakeOp op;
    const SessionState after =
        OpScript(ss.s)
            .expect_read(frame(0, msg::greeting()))
            .expect_write([](const ByteVec& out) { EXPECT_FALSE(login_caps(out) & cap::compress); })
            .expect_read(frame(2, msg::ok()))
            .check(op);
    EXPECT_FALSE(after.compression.active());
}

TEST(HandshakeOp, ZstdSendsLevelLast) {
    Session ss;
    ss.opt.compression_algorithms = "zstd,zlib";
    ss.opt.zstd_compression_level = 9;
    HandshakeOp op;
    const SessionState after =
        OpScript(ss.s)
            .expect_read(frame(0, greeting_with(cap::zstd_compression_algorithm, true)))
            .expect_write([](const ByteVec& out) {
                EXPECT_TRUE(login_caps(out) & cap::zstd_compression_algorithm);
                EXPECT_FALSE(login_caps(out) & cap::compress);
                EXPECT_EQ(out.back(), 9);
            })
            .expect_read(frame(2, msg::ok()))
            .check(op);
    EXPECT_TRUE(after.compression.active());
    EXPECT_EQ(after.compression.algorithm(), detail::CompressionAlgorithm::zstd);
}

TEST(HandshakeOp, OnlyZstdAgainstMariaDbFails) {
    Session ss;
    ss.opt.compression_algorithms = "zstd";
    HandshakeOp op;
    OpScript(ss.s).expect_read(frame(0, msg::greeting())).check_fails(op, detail::cr::server_handshake_err);
}

TEST(HandshakeOp, AccessDeniedIsFatal) {
    Session ss;
    HandshakeOp op;
    OpScript(ss.s)
        .expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, msg::native_scramble))
        .expect_read(frame(2, msg::err(1045, "28000", "Access denied for user 'uvmysql_user'")))
        .check_fails(op, 1045);
}

TEST(HandshakeOp, ErrorInsteadOfGreetingIsFatal) {
    Session ss;
    HandshakeOp op;
    OpScript(ss.s).expect_read(frame(0, msg::err(1040, "08004", "Too many connections"))).check_fails(op, 1040);
}

/// A greeting, the login, then an AuthSwitchRequest to `plugin`, answered by `response`.
OpScript switch_script(const SessionState& s, std::string_view plugin, Check response) {
    // client_ed25519 signs a 32-byte nonce; the others take the 20 bytes of the greeting.
    const ByteVec nonce = plugin == "client_ed25519" ? concat({msg::nonce, msg::nonce}) : msg::nonce;
    OpScript script(s);
    script.expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, msg::native_scramble))
        .expect_read(frame(2, msg::auth_switch(plugin, ByteVec(nonce.begin(), nonce.begin() + (nonce.size() > 20 ? 32 : 20)))))
        .expect_write(std::move(response));
    return script;
}

TEST(HandshakeOp, AuthSwitchToEachPlugin) {
    const ByteVec secret_nul = concat({bytes_of("secret"), hex("00")});
    const ByteVec sha2_scramble = hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4");
    struct Case {
        std::string_view plugin;
        Check response;
    };
    const std::vector<Case> cases{
        {"mysql_native_password", frame_with(3, {msg::native_scramble})},
        {"caching_sha2_password", frame_with(3, {sha2_scramble})},
        {"sha256_password", frame_with(3, {secret_nul})},        // a secure channel: in clear
        {"mysql_clear_password", frame_with(3, {secret_nul})},
        {"client_ed25519", [](const ByteVec& out) { EXPECT_EQ(out.size(), 4u + 64u) << "a signature"; }},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.plugin));
        Session ss(/*secure=*/true);
        HandshakeOp op;
        OpScript script = switch_script(ss.s, c.plugin, c.response);
        script.expect_read(frame(4, msg::ok())).check(op);
        script.check_network_errors([] { return std::make_unique<HandshakeOp>(); });
    }
}

TEST(HandshakeOp, AuthSwitchToAnUnknownPluginIsFatal) {
    Session ss;
    HandshakeOp op;
    OpScript(ss.s)
        .expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, msg::native_scramble))
        .expect_read(frame(2, msg::auth_switch("dialog", msg::nonce)))
        .check_fails(op, detail::cr::auth_plugin_cannot_load);
}

TEST(HandshakeOp, CachingSha2FastAuth) {
    Session ss;
    ss.opt.auth_plugin = "caching_sha2_password";
    HandshakeOp op;
    const ByteVec sha2_scramble = hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4");
    OpScript script(ss.s);
    script.expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, sha2_scramble, "caching_sha2_password"))
        .expect_read(concat({frame(2, msg::more_data(hex("03"))), frame(3, msg::ok())}));   // fast auth: no write
    script.check(op);
    script.check_network_errors([] { return std::make_unique<HandshakeOp>(); });
}

TEST(HandshakeOp, CachingSha2FullAuthOverASecureChannelSendsThePassword) {
    Session ss(/*secure=*/true);
    ss.opt.auth_plugin = "caching_sha2_password";
    HandshakeOp op;
    const ByteVec sha2_scramble = hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4");
    OpScript script(ss.s);
    script.expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, sha2_scramble, "caching_sha2_password"))
        .expect_read(frame(2, msg::more_data(hex("04"))))
        .expect_write(frame(3, concat({bytes_of("secret"), hex("00")})))
        .expect_read(frame(4, msg::ok()));
    script.check(op);
    script.check_network_errors([] { return std::make_unique<HandshakeOp>(); });
}

TEST(HandshakeOp, CachingSha2FullAuthOverAnInsecureChannelAsksForTheKey) {
    Session ss(/*secure=*/false);
    ss.opt.auth_plugin = "caching_sha2_password";
    HandshakeOp op;
    const ByteVec sha2_scramble = hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4");
    OpScript(ss.s)
        .expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, sha2_scramble, "caching_sha2_password"))
        .expect_read(frame(2, msg::more_data(hex("04"))))
        .expect_write(frame(3, hex("02")))                          // request the server's RSA key
        .expect_read(frame(4, msg::more_data(bytes_of("not a key"))))
        .check_fails(op, detail::cr::auth_plugin_err);
}

TEST(HandshakeOp, TlsUpgradeThenLoginOverIt) {
    Session ss;
    ss.opt.ssl = SslOptions{};
    ss.opt.auth_plugin = "caching_sha2_password";
    const ByteVec sha2_scramble = hex("2f321fcbf3a8e1dbd5c4c5083fa1fcb44de444544212f4a91ee51ecf4ba765f4");
    HandshakeOp op;
    OpScript script(ss.s);
    script.expect_read(frame(0, msg::greeting()))
        .expect_tls([](const ByteVec& out) {   // SSLRequest: caps, max packet, collation, filler
            ASSERT_EQ(out.size(), 4u + 32u);
            EXPECT_EQ(out[3], 1);
            EXPECT_TRUE(out[5] & (cap::ssl >> 8));
            EXPECT_EQ(out[12], 45) << "utf8mb4_general_ci";
        })
        .expect_write(login(2, sha2_scramble, "caching_sha2_password"))
        .expect_read(frame(3, msg::more_data(hex("04"))))
        .expect_write(frame(4, concat({bytes_of("secret"), hex("00")})))   // TLS: the password in clear
        .expect_read(frame(5, msg::ok()));
    const SessionState after = script.check(op);
    EXPECT_TRUE(after.capabilities & cap::ssl);
    script.check_network_errors([] { return std::make_unique<HandshakeOp>(); });
}

TEST(HandshakeOp, TlsRequestedButNotOfferedIsFatal) {
    Session ss;
    ss.opt.ssl = SslOptions{};
    ByteVec greeting = msg::greeting();
    // The lower capability flags follow the version, id, 8 nonce bytes and a filler byte.
    const std::size_t flags = 1 + std::string_view("5.5.5-10.11.19-MariaDB-0+deb12u1").size() + 1 + 4 + 8 + 1;
    greeting[flags + 1] &= static_cast<std::uint8_t>(~(cap::ssl >> 8));
    HandshakeOp op;
    OpScript(ss.s).expect_read(frame(0, greeting)).check_fails(op, detail::cr::ssl_connection_error);
}

TEST(HandshakeOp, UnexpectedPacketDuringAuthIsFatal) {
    Session ss;
    HandshakeOp op;
    OpScript(ss.s)
        .expect_read(frame(0, msg::greeting()))
        .expect_write(login(1, msg::native_scramble))
        .expect_read(frame(2, hex("05 01")))
        .check_fails(op, detail::cr::malformed_packet);
}

TEST(HandshakeOp, EveryIoStepFailing) {
    Session ss;
    const std::size_t steps = OpScript(ss.s)
                                  .expect_read(frame(0, msg::greeting()))
                                  .expect_write(login(1, msg::native_scramble))
                                  .expect_read(frame(2, msg::ok()))
                                  .check_network_errors([] { return std::make_unique<HandshakeOp>(); });
    EXPECT_EQ(steps, 3u);
}

}  // namespace
}  // namespace uvmysql::test
