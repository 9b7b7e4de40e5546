// SPDX-License-Identifier: MIT
// Transport TLS upgrade against an mbedTLS server on the same loop: verification, identity, data, close.
#include <gtest/gtest.h>

#include <string>

#include "test_servers.hpp"
#include "transport/tls_session.hpp"

namespace transport_test {
namespace {

using namespace std::chrono_literals;
namespace cr = uvmysql::detail::cr;
using uvmysql::detail::TlsOptions;

class TlsTest : public LoopTest {
protected:
    static TlsOptions verified(std::string server_name = "localhost") {
        TlsOptions o;
        o.ca_file = cert_path("ca.crt");
        o.server_name = std::move(server_name);
        return o;
    }
    /// Connects `c` to 127.0.0.1:port and starts TLS as soon as the connection is up.
    static void connect_tls(Client& c, int port, const TlsOptions& opt, const char* host = "127.0.0.1") {
        c.when_connected = [&c, opt](const Status& st) {
            if (st.ok()) c.transport->start_tls(opt);
        };
        c.transport->connect_tcp(host, port, 5s);
    }
    bool handshake_done(const Client& c) {
        return run_until([&] { return !c.tls_ready.empty() || (!c.connected.empty() && !c.connected[0].ok()); });
    }
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(TlsTest, VerifiedHandshakeByNameThenEcho) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_tls_ready = [&](const Status& st) {
        if (st.ok()) c.write("hello over tls");
    };
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 14 || (!c.tls_ready.empty() && !c.tls_ready[0].ok()); }));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
    EXPECT_EQ(c.data, "hello over tls");
    EXPECT_TRUE(c.transport->is_tls());
    EXPECT_TRUE(c.transport->is_secure());
    EXPECT_EQ(c.transport->tls_version().rfind("TLSv1.", 0), 0U) << c.transport->tls_version();
    EXPECT_NE(c.transport->tls_version(), "TLSv1.1");
    EXPECT_FALSE(c.transport->tls_ciphersuite().empty());
    EXPECT_TRUE(c.errors.empty());
}

TEST_F(TlsTest, IpAddressIdentityIsCheckedAgainstIpSans) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified(""));  // identity: the connect host, 127.0.0.1
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
}

TEST_F(TlsTest, WrongCaFails2026) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt = verified();
    opt.ca_file = cert_path("wrong-ca.crt");
    connect_tls(c, port, opt);
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    EXPECT_EQ(c.tls_ready[0].message,
              "SSL connection error: certificate verification failed: The certificate is not correctly signed by "
              "the trusted CA");
    EXPECT_FALSE(c.transport->is_tls());
    run_for(20ms);
    EXPECT_TRUE(c.errors.empty()) << "a failed handshake reports through on_tls_ready only";
    ASSERT_EQ(server.conns().size(), 1U);
    EXPECT_NE(server.conns()[0]->handshake_error, 0) << "the server was told (alert or close)";
}

TEST_F(TlsTest, HostNameMismatchFails2026) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified("wrong.example"));
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    EXPECT_EQ(c.tls_ready[0].message,
              "SSL connection error: certificate verification failed: the certificate is not valid for "
              "'wrong.example'");
}

TEST_F(TlsTest, IpAddressMismatchFails2026) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified("127.0.0.2"));
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    EXPECT_EQ(c.tls_ready[0].message,
              "SSL connection error: certificate verification failed: the certificate is not valid for "
              "'127.0.0.2' (no such IP address in its subjectAltName)");
}

TEST_F(TlsTest, VerificationOffAcceptsAnyCertificate) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt;
    opt.ca_file = cert_path("wrong-ca.crt");
    opt.server_name = "wrong.example";
    opt.verify_cert = false;
    c.when_tls_ready = [&](const Status& st) {
        if (st.ok()) c.write("unverified");
    };
    connect_tls(c, port, opt);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 10 || (!c.tls_ready.empty() && !c.tls_ready[0].ok()); }));
    EXPECT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
    EXPECT_EQ(c.data, "unverified");
}

TEST_F(TlsTest, IdentityCheckOffAcceptsOtherNames) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt = verified("wrong.example");
    opt.verify_identity = false;
    connect_tls(c, port, opt);
    ASSERT_TRUE(handshake_done(c));
    EXPECT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
}

TEST_F(TlsTest, MissingCaFileFails2026) {
    StreamServer server(loop());
    server.on_data = [](ServerConn&, std::string_view) {};
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt = verified();
    opt.ca_file = "/nonexistent/ca.pem";
    connect_tls(c, port, opt);
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    EXPECT_TRUE(contains(c.tls_ready[0].message, "SSL connection error: cannot load CA file '/nonexistent/ca.pem': "))
        << c.tls_ready[0].message;
}

TEST_F(TlsTest, HalfAClientCertificateFails2026) {
    StreamServer server(loop());
    server.on_data = [](ServerConn&, std::string_view) {};
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt = verified();
    opt.cert_file = cert_path("client.crt");
    connect_tls(c, port, opt);
    ASSERT_TRUE(handshake_done(c));
    EXPECT_EQ(c.tls_ready[0].message, "SSL connection error: a client certificate needs both cert_file and key_file");
}

TEST_F(TlsTest, DefaultCaStoreDoesNotTrustTheTestCa) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt;  // verify_cert with no ca_file: the system bundle
    opt.server_name = "localhost";
    connect_tls(c, port, opt);
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error) << c.tls_ready[0].message;
}

TEST_F(TlsTest, ClientCertificateIsPresented) {
    TlsServer::Options so;
    so.client_ca = cert_path("ca.crt");
    TlsServer server(loop(), so);
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt = verified();
    opt.cert_file = cert_path("client.crt");
    opt.key_file = cert_path("client.key");
    c.when_tls_ready = [&](const Status& st) {
        if (st.ok()) c.write("mutual");
    };
    connect_tls(c, port, opt);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= 6 || (!c.tls_ready.empty() && !c.tls_ready[0].ok()); }));
    EXPECT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
    EXPECT_EQ(c.data, "mutual");
}

TEST_F(TlsTest, ServerRequiringACertificateRejectsNone) {
    TlsServer::Options so;
    so.client_ca = cert_path("ca.crt");
    TlsServer server(loop(), so);
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified());
    ASSERT_TRUE(handshake_done(c));
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    run_for(20ms);
    EXPECT_TRUE(c.errors.empty());
}

TEST_F(TlsTest, LargeDataBothWays) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    const std::string big = pattern(8 * 1024 * 1024, 3);
    Client c(loop());
    c.when_tls_ready = [&](const Status& st) {
        if (st.ok()) c.transport->write(bytes_of(big));
    };
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return c.data.size() >= big.size() || !c.errors.empty(); }, 60s));
    EXPECT_TRUE(c.data == big);
    EXPECT_TRUE(c.errors.empty());
    EXPECT_GT(c.transport->stats().bytes_read, big.size()) << "ciphertext is counted";
}

TEST_F(TlsTest, ManySmallWritesBecomeFewRecords) {
    TlsServer server(loop(), {});
    server.on_plain = [](TlsServer::Conn&, std::string_view) {};
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    std::string expected;
    Client c(loop());
    c.when_tls_ready = [&](const Status&) {
        for (int i = 0; i < 1000; ++i) {
            expected += std::to_string(i) + ";";
            c.write(std::to_string(i) + ";");
        }
    };
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] {
        return !expected.empty() && !server.conns().empty() && server.conns()[0]->plain.size() >= expected.size();
    }));
    EXPECT_EQ(server.conns()[0]->plain, expected);
    // Plaintext is encrypted at flush time: one record (~3.9 KB + ~29 bytes overhead), not 1000.
    const auto sent = c.transport->stats().bytes_written;
    EXPECT_LT(sent, expected.size() + 2000) << "bytes written including the handshake: " << sent;
}

TEST_F(TlsTest, ClearBytesGoFirstAndWritesDuringTheHandshakeAfterIt) {
    TlsServer::Options so;
    so.clear_prefix = 9;
    TlsServer server(loop(), so);
    server.on_plain = [](TlsServer::Conn&, std::string_view) {};
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_connected = [&](const Status& st) {
        ASSERT_TRUE(st.ok());
        c.write("in clear;");  // the SSLRequest packet, in the same turn as start_tls()
        c.transport->start_tls(verified());
        c.write("encrypted");  // sent once the handshake is done
        EXPECT_FALSE(c.transport->is_tls());
    };
    c.transport->connect_tcp("127.0.0.1", port, 5s);
    ASSERT_TRUE(run_until([&] {
        return (!server.conns().empty() && server.conns()[0]->plain.size() >= 9) ||
               (!c.tls_ready.empty() && !c.tls_ready[0].ok());
    }));
    ASSERT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
    EXPECT_EQ(server.conns()[0]->clear, "in clear;");
    EXPECT_EQ(server.conns()[0]->plain, "encrypted");
}

TEST_F(TlsTest, PeerCloseNotifyReportsOnErrorOnce) {
    TlsServer server(loop(), {});
    server.on_ready = [](TlsServer::Conn& conn) {
        conn.send("goodbye");
        conn.close_notify_and_end();
    };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return !c.errors.empty() || (!c.tls_ready.empty() && !c.tls_ready[0].ok()); }));
    run_for(20ms);
    EXPECT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
    EXPECT_EQ(c.data, "goodbye");
    ASSERT_EQ(c.errors.size(), 1U);
    EXPECT_EQ(c.errors[0].errno_code, cr::server_lost);
    EXPECT_EQ(c.errors[0].message, "Lost connection to MySQL server (TLS connection closed by server)");
}

TEST_F(TlsTest, CloseNotifyReadWhilePausedIsReportedAfterResume) {
    TlsServer server(loop(), {});
    server.on_ready = [](TlsServer::Conn& conn) {
        conn.send("goodbye");
        conn.close_notify_and_end();
    };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_read = [&](std::span<const std::uint8_t>) { c.transport->pause_reading(); };
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return c.reads > 0; }));
    run_for(30ms);
    EXPECT_TRUE(c.errors.empty()) << "nothing is reported while paused";
    c.transport->resume_reading();
    EXPECT_TRUE(c.errors.empty());
    ASSERT_TRUE(run_until([&] { return !c.errors.empty(); }));
    EXPECT_EQ(c.data, "goodbye");
    EXPECT_EQ(c.errors[0].message, "Lost connection to MySQL server (TLS connection closed by server)");
}

TEST_F(TlsTest, CorruptRecordReportsOnError) {
    TlsServer server(loop(), {});
    server.on_ready = [](TlsServer::Conn& conn) {
        // An application-data record header followed by bytes that fail authentication.
        conn.stream().write(std::string("\x17\x03\x03\x00\x40", 5) + std::string(64, '\x5a'));
    };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return !c.errors.empty() || (!c.tls_ready.empty() && !c.tls_ready[0].ok()); }));
    run_for(10ms);
    ASSERT_TRUE(c.tls_ready[0].ok()) << c.tls_ready[0].message;
    ASSERT_EQ(c.errors.size(), 1U);
    EXPECT_EQ(c.errors[0].errno_code, cr::server_lost);
    EXPECT_EQ(c.errors[0].message.rfind("Lost connection to MySQL server (TLS error: ", 0), 0U) << c.errors[0].message;
    EXPECT_TRUE(c.data.empty());
}

TEST_F(TlsTest, UnreadableClientKeyFails2026) {
    StreamServer server(loop());
    server.on_data = [](ServerConn&, std::string_view) {};
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    TlsOptions opt = verified();
    opt.cert_file = cert_path("client.crt");
    opt.key_file = cert_path("client.crt");  // not a key
    connect_tls(c, port, opt);
    ASSERT_TRUE(handshake_done(c));
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    EXPECT_TRUE(contains(c.tls_ready[0].message, "cannot load client key '")) << c.tls_ready[0].message;
}

TEST_F(TlsTest, PeerDropDuringHandshakeFails2026) {
    StreamServer server(loop());
    server.on_data = [](ServerConn& sc, std::string_view) { sc.close(); };  // reads the ClientHello, hangs up
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified());
    ASSERT_TRUE(handshake_done(c));
    run_for(20ms);
    ASSERT_EQ(c.tls_ready.size(), 1U);
    EXPECT_EQ(c.tls_ready[0].errno_code, cr::ssl_connection_error);
    EXPECT_TRUE(contains(c.tls_ready[0].message, "during the TLS handshake")) << c.tls_ready[0].message;
    EXPECT_TRUE(c.errors.empty());
}

TEST_F(TlsTest, PauseAndResumeKeepEverythingInOrder) {
    const std::string payload = pattern(300 * 1024, 9);
    TlsServer server(loop(), {});
    server.on_ready = [&](TlsServer::Conn& conn) { conn.send(payload); };
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_read = [&](std::span<const std::uint8_t>) {
        if (c.reads == 1) c.transport->pause_reading();
    };
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return c.reads > 0; }));
    run_for(50ms);
    EXPECT_EQ(c.reads, 1);
    EXPECT_LE(c.data.size(), 16U * 1024);
    c.transport->resume_reading();
    EXPECT_EQ(c.reads, 1);
    ASSERT_TRUE(run_until([&] { return c.data.size() >= payload.size(); }));
    EXPECT_TRUE(c.data == payload);
}

TEST_F(TlsTest, CloseSendsCloseNotify) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_tls_ready = [&](const Status&) {
        c.write("last");
        c.transport->close();
    };
    connect_tls(c, port, verified());
    ASSERT_TRUE(run_until([&] { return !server.conns().empty() && server.conns()[0]->peer_closed; }));
    EXPECT_EQ(server.conns()[0]->plain, "last");
}

TEST_F(TlsTest, DestroyInsideOnTlsReady) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    c.when_tls_ready = [&](const Status&) { c.transport.reset(); };
    connect_tls(c, port, verified());
    ASSERT_TRUE(handshake_done(c));
    run_for(20ms);
    EXPECT_EQ(c.tls_ready.size(), 1U);
}

TEST_F(TlsTest, StartTlsTwiceIsReportedAsMisuse) {
    TlsServer server(loop(), {});
    const int port = server.listen_tcp("127.0.0.1");
    ASSERT_GT(port, 0);
    Client c(loop());
    connect_tls(c, port, verified());
    ASSERT_TRUE(handshake_done(c));
    c.transport->start_tls(verified());
    ASSERT_TRUE(run_until([&] { return c.tls_ready.size() == 2; }));
    EXPECT_EQ(c.tls_ready[1].client_kind, uvmysql::detail::ClientKind::interface);
    EXPECT_TRUE(c.transport->is_tls());
}

TEST(TlsIdentity, FindsIpAddressesInSubjectAltName) {
    uvmysql::detail::CertChain crt;
    ASSERT_TRUE(crt.load(cert_path("server.crt"), "test certificate").ok());
    std::uint8_t ip[16];
    ASSERT_EQ(uvmysql::detail::parse_ip_literal("127.0.0.1", ip), 4U);
    EXPECT_TRUE(uvmysql::detail::certificate_has_ip(*crt.get(), {ip, 4}));
    ASSERT_EQ(uvmysql::detail::parse_ip_literal("::1", ip), 16U);
    EXPECT_TRUE(uvmysql::detail::certificate_has_ip(*crt.get(), {ip, 16}));
    ASSERT_EQ(uvmysql::detail::parse_ip_literal("127.0.0.2", ip), 4U);
    EXPECT_FALSE(uvmysql::detail::certificate_has_ip(*crt.get(), {ip, 4}));
    EXPECT_EQ(uvmysql::detail::parse_ip_literal("localhost", ip), 0U);
    EXPECT_EQ(uvmysql::detail::parse_ip_literal("127.1", ip), 0U);
}

}  // namespace
}  // namespace transport_test
