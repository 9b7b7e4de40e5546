// SPDX-License-Identifier: MIT
// Where the private test MariaDB is: the UVMYSQL_TEST_* variables of test/mariadb/server.sh.
//
// test/run.sh starts the server and exports these variables; without them the defaults below
// point at the default instance of `test/mariadb/server.sh start` (port 3307, folder
// /tmp/uvmysql-mariadb-<uid>-3307), so a test binary can also be run by hand.
//
// A missing or unreachable server is a test FAILURE whose message names
// test/mariadb/server.sh (see server_missing_message()), never a GTEST_SKIP: a skipped
// integration suite must not look like a passing one.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

#include <unistd.h>

namespace uvmysql::test {

/// Settings of the private MariaDB, as exported by `test/mariadb/server.sh env`.
struct TestServer {
    std::string host;         ///< UVMYSQL_TEST_HOST (127.0.0.1)
    std::string socket;       ///< UVMYSQL_TEST_SOCKET (<dir>/mysqld.sock)
    std::string user;         ///< UVMYSQL_TEST_USER (root, empty mysql_native_password)
    std::string password;     ///< UVMYSQL_TEST_PASSWORD (empty)
    std::string db;           ///< UVMYSQL_TEST_DB (test_pymysql)
    std::string ca;           ///< UVMYSQL_TEST_CA: the CA that signed the server certificate
    std::string client_cert;  ///< UVMYSQL_TEST_CLIENT_CERT: client certificate (uvmysql_x509)
    std::string client_key;   ///< UVMYSQL_TEST_CLIENT_KEY
    std::string wrong_ca;     ///< UVMYSQL_TEST_WRONG_CA: a CA that signed nothing the server has
    std::string dir;          ///< UVMYSQL_SERVER_DIR: the instance's folder
    int port = 3307;          ///< UVMYSQL_TEST_PORT
    bool has_ed25519 = false; ///< UVMYSQL_TEST_ED25519: the ed25519 plugin and its user exist
    bool has_ipv6 = false;    ///< UVMYSQL_TEST_IPV6: the server also listens on [::1]
};

/// The fixed accounts server.sh creates (ALL on test_pymysql.* and test_pymysql2.*, except nodb).
struct TestAccount {
    std::string_view user;
    std::string_view password;
};
inline constexpr TestAccount native_account{"uvmysql_native", "native-pw"};  ///< mysql_native_password
inline constexpr TestAccount ssl_account{"uvmysql_ssl", "ssl-pw"};           ///< REQUIRE SSL
inline constexpr TestAccount x509_account{"uvmysql_x509", "x509-pw"};        ///< REQUIRE X509
inline constexpr TestAccount ed25519_account{"uvmysql_ed25519", "ed-pw"};    ///< only if has_ed25519
inline constexpr TestAccount nodb_account{"uvmysql_nodb", "nodb-pw"};        ///< no grants at all
inline constexpr std::string_view second_db = "test_pymysql2";
inline constexpr std::string_view bench_db = "bench";

namespace detail {

inline std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::string(v) : std::move(fallback);
}

inline TestServer load_test_server() {
    TestServer s;
    s.port = std::atoi(env_or("UVMYSQL_TEST_PORT", "3307").c_str());
    if (s.port <= 0) s.port = 3307;
    s.dir = env_or("UVMYSQL_SERVER_DIR", "/tmp/uvmysql-mariadb-" + std::to_string(::getuid()) + "-" +
                                             std::to_string(s.port));
    const std::string certs = s.dir + "/certs/";
    s.host = env_or("UVMYSQL_TEST_HOST", "127.0.0.1");
    s.socket = env_or("UVMYSQL_TEST_SOCKET", s.dir + "/mysqld.sock");
    s.user = env_or("UVMYSQL_TEST_USER", "root");
    s.password = env_or("UVMYSQL_TEST_PASSWORD", "");
    s.db = env_or("UVMYSQL_TEST_DB", "test_pymysql");
    s.ca = env_or("UVMYSQL_TEST_CA", certs + "ca.pem");
    s.client_cert = env_or("UVMYSQL_TEST_CLIENT_CERT", certs + "client-cert.pem");
    s.client_key = env_or("UVMYSQL_TEST_CLIENT_KEY", certs + "client-key.pem");
    s.wrong_ca = env_or("UVMYSQL_TEST_WRONG_CA", certs + "wrong-ca.pem");
    // Without the variable, trust what the last `server.sh start` recorded in the folder.
    std::string ed = env_or("UVMYSQL_TEST_ED25519", "");
    if (ed.empty()) {
        std::ifstream marker(s.dir + "/ed25519");
        std::getline(marker, ed);
    }
    s.has_ed25519 = ed == "1";
    // server.sh listens on [::1] too whenever the loopback has it.
    std::string v6 = env_or("UVMYSQL_TEST_IPV6", "");
    if (v6.empty()) {
        std::ifstream inet6("/proc/net/if_inet6");
        for (std::string line; std::getline(inet6, line);)
            if (line.rfind("00000000000000000000000000000001 ", 0) == 0) v6 = "1";
    }
    s.has_ipv6 = v6 == "1";
    return s;
}

}  // namespace detail

/// The test server's settings, read once from the environment.
inline const TestServer& test_server() {
    static const TestServer server = detail::load_test_server();
    return server;
}

/// The message for a failed connection to the test server, e.g.
/// `FAIL() << server_missing_message(e.what());`
inline std::string server_missing_message(std::string_view why) {
    const TestServer& s = test_server();
    return "cannot reach the test MariaDB at " + s.host + ":" + std::to_string(s.port) + " (socket " +
           s.socket + "): " + std::string(why) +
           "\nStart it with: eval \"$(" + (s.port == 3307 ? "" : "UVMYSQL_TEST_PORT=" + std::to_string(s.port) + " ") +
           "test/mariadb/server.sh start)\" (test/run.sh does this for you)";
}

}  // namespace uvmysql::test
