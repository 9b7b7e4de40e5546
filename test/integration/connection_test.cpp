// SPDX-License-Identifier: MIT
// Connection against the private MariaDB: links, login errors, session options, ping/reconnect.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "integration_support.hpp"
#include "uvmysql/version.hpp"

namespace uvmysql::test {
namespace {

class ConnectionLinkTest : public ServerTest, public testing::WithParamInterface<Link> {};

TEST_P(ConnectionLinkTest, ConnectsAndQueries) {
    Connection c = open(server_options(GetParam()));
    EXPECT_FALSE(c.closed());
    EXPECT_TRUE(c.is_mariadb());
    EXPECT_NE(c.server_version().find("MariaDB"), std::string::npos);
    EXPECT_GT(c.thread_id(), 0u);
    EXPECT_EQ(c.is_tls(), is_tls_link(GetParam()));
    EXPECT_EQ(scalar(c, "SELECT 1 + 1").as<std::int64_t>(), 2);
    EXPECT_EQ(scalar(c, "SELECT DATABASE()").as<std::string>(), test_server().db);
    EXPECT_EQ(scalar(c, "SELECT CONNECTION_ID()").as<std::uint64_t>(), c.thread_id());
    c.close();
    EXPECT_TRUE(c.closed());
}

TEST_P(ConnectionLinkTest, ServerSeesTheLink) {
    Connection c = open(server_options(GetParam()));
    const std::string cipher = scalar(c, "SHOW SESSION STATUS LIKE 'Ssl_cipher'").to_string();
    auto sets = wait(c.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'"));
    ASSERT_EQ(sets.at(0).rows.size(), 1u);
    const std::string value = sets[0].rows[0].at(1).as<std::string>();
    EXPECT_EQ(!value.empty(), is_tls_link(GetParam())) << value;
}

TEST_P(ConnectionLinkTest, LargeResultAndLargeStatement) {
    Connection c = open(server_options(GetParam()));
    // A 17 MiB statement crosses the 16 MiB frame boundary both ways.
    const std::size_t n = 17u * 1024 * 1024;
    auto sets = wait(c.query("SELECT LENGTH('" + std::string(n, 'x') + "'), REPEAT('y', " + std::to_string(n) + ")"),
                     std::chrono::seconds(60));
    ASSERT_EQ(sets.at(0).rows.size(), 1u);
    EXPECT_EQ(sets[0].rows[0].at(0).as<std::int64_t>(), static_cast<std::int64_t>(n));
    EXPECT_EQ(sets[0].rows[0].at(1).as<std::string>(), std::string(n, 'y'));
}

INSTANTIATE_TEST_SUITE_P(Links, ConnectionLinkTest,
                         testing::Values(Link::tcp, Link::unix_socket, Link::tls, Link::compressed, Link::compressed_tls),
                         link_name);

class ConnectionTest : public ServerTest {};

TEST_F(ConnectionTest, WrongPasswordIsAccessDenied) {
    ConnectOptions opt = server_options();
    opt.user = std::string(native_account.user);
    opt.password = "not-the-password";
    try {
        (void)run_until(loop(), connect(loop(), opt));
        FAIL() << "connected with a wrong password";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 1045);
        EXPECT_EQ(e.sqlstate(), "28000");
        EXPECT_NE(e.message().find("Access denied"), std::string::npos);
    }
}

TEST_F(ConnectionTest, NativePasswordAccountLogsIn) {
    ConnectOptions opt = server_options();
    opt.user = std::string(native_account.user);
    opt.password = std::string(native_account.password);
    Connection c = open(opt);
    EXPECT_EQ(scalar(c, "SELECT CURRENT_USER()").as<std::string>(), "uvmysql_native@%");
}

TEST_F(ConnectionTest, Ed25519AccountLogsIn) {
    if (!test_server().has_ed25519) {
        // The plugin is part of Debian's mariadb-server; without it the server script says so.
        EXPECT_FALSE(test_server().has_ed25519);
        return;
    }
    ConnectOptions opt = server_options();
    opt.user = std::string(ed25519_account.user);
    opt.password = std::string(ed25519_account.password);
    Connection c = open(opt);
    EXPECT_EQ(scalar(c, "SELECT CURRENT_USER()").as<std::string>(), "uvmysql_ed25519@%");
}

TEST_F(ConnectionTest, UnknownDatabaseIsAnError) {
    ConnectOptions opt = server_options();
    opt.db = "no_such_database_here";
    try {
        (void)run_until(loop(), connect(loop(), opt));
        FAIL() << "connected to a missing database";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 1049);
        EXPECT_EQ(e.sqlstate(), "42000");
    }
}

TEST_F(ConnectionTest, RefusedPortIsError2003) {
    ConnectOptions opt = server_options();
    opt.port = 1;
    try {
        (void)run_until(loop(), connect(loop(), opt));
        FAIL() << "connected to port 1";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2003);
    }
}

TEST_F(ConnectionTest, RequireSslAccountNeedsTls) {
    ConnectOptions opt = server_options();
    opt.user = std::string(ssl_account.user);
    opt.password = std::string(ssl_account.password);
    EXPECT_THROW((void)run_until(loop(), connect(loop(), opt)), OperationalError);
    opt.ssl = tls_options(test_server().ca);
    Connection c = open(opt);
    EXPECT_TRUE(c.is_tls());
    EXPECT_EQ(scalar(c, "SELECT CURRENT_USER()").as<std::string>(), "uvmysql_ssl@%");
}

TEST_F(ConnectionTest, ClientCertificateAccount) {
    ConnectOptions opt = server_options();
    opt.user = std::string(x509_account.user);
    opt.password = std::string(x509_account.password);
    opt.ssl = tls_options(test_server().ca);
    opt.ssl->cert = test_server().client_cert;
    opt.ssl->key = test_server().client_key;
    Connection c = open(opt);
    EXPECT_EQ(scalar(c, "SELECT CURRENT_USER()").as<std::string>(), "uvmysql_x509@%");
}

TEST_F(ConnectionTest, WrongCaFailsVerification) {
    ConnectOptions opt = server_options();
    opt.ssl = tls_options(test_server().wrong_ca);
    try {
        (void)run_until(loop(), connect(loop(), opt));
        FAIL() << "TLS verified against the wrong CA";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2026);
    }
    opt.ssl->verify_cert = false;   // encrypt without verifying
    Connection c = open(opt);
    EXPECT_TRUE(c.is_tls());
}

TEST_F(ConnectionTest, HostNameMismatchFailsVerification) {
    ConnectOptions opt = server_options();
    opt.ssl = tls_options(test_server().ca);
    opt.ssl->server_name = "not-the-server.example";
    EXPECT_THROW((void)run_until(loop(), connect(loop(), opt)), OperationalError);
    opt.ssl->verify_identity = false;
    Connection c = open(opt);
    EXPECT_TRUE(c.is_tls());
}

TEST_F(ConnectionTest, InitCommandAndSqlMode) {
    ConnectOptions opt = server_options();
    opt.init_command = "SET @uvmysql_init = 42";
    opt.sql_mode = "NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES";
    Connection c = open(opt);
    EXPECT_EQ(scalar(c, "SELECT @uvmysql_init").as<std::int64_t>(), 42);
    const std::string mode = scalar(c, "SELECT @@SESSION.sql_mode").as<std::string>();
    EXPECT_NE(mode.find("NO_BACKSLASH_ESCAPES"), std::string::npos) << mode;
    EXPECT_NE(mode.find("STRICT_ALL_TABLES"), std::string::npos) << mode;
    EXPECT_TRUE(c.no_backslash_escapes());
    EXPECT_EQ(c.literal(Value("a'b\\c")), "'a''b\\c'");
}

TEST_F(ConnectionTest, FailingInitCommandFailsConnect) {
    ConnectOptions opt = server_options();
    opt.init_command = "THIS IS NOT SQL";
    EXPECT_THROW((void)run_until(loop(), connect(loop(), opt)), ProgrammingError);
}

TEST_F(ConnectionTest, CharsetOption) {
    ConnectOptions opt = server_options();
    opt.charset = "latin1";
    Connection c = open(opt);
    EXPECT_EQ(c.charset(), "latin1");
    EXPECT_EQ(scalar(c, "SELECT @@character_set_client").as<std::string>(), "latin1");
    opt.charset = "gbk";   // multibyte sets whose characters can hold '\' are refused
    EXPECT_THROW((void)run_until(loop(), connect(loop(), opt)), ProgrammingError);
}

TEST_F(ConnectionTest, DefaultCharsetIsUtf8mb4) {
    Connection c = open(server_options());
    EXPECT_EQ(c.charset(), "utf8mb4");
    EXPECT_EQ(c.encoding(), "utf8");
    EXPECT_EQ(scalar(c, "SELECT @@character_set_connection").as<std::string>(), "utf8mb4");
    EXPECT_EQ(scalar(c, "SELECT '\xF0\x9F\x98\x80'").as<std::string>(), "\xF0\x9F\x98\x80");
}

TEST_F(ConnectionTest, AutocommitOffByDefaultAndSwitchable) {
    Connection c = open(server_options());
    EXPECT_FALSE(c.get_autocommit());
    EXPECT_EQ(scalar(c, "SELECT @@autocommit").as<std::int64_t>(), 0);
    wait(c.autocommit(true));
    EXPECT_TRUE(c.get_autocommit());
    EXPECT_EQ(scalar(c, "SELECT @@autocommit").as<std::int64_t>(), 1);

    ConnectOptions opt = server_options();
    opt.autocommit = std::nullopt;   // server default (ON)
    Connection d = open(opt);
    EXPECT_TRUE(d.get_autocommit());
}

TEST_F(ConnectionTest, TransactionsTrackServerStatus) {
    Connection c = open(server_options());
    wait(c.query("CREATE TEMPORARY TABLE t_tx (id INT) ENGINE=InnoDB"));
    wait(c.begin());
    wait(c.query("INSERT INTO t_tx VALUES (1)"));
    EXPECT_TRUE(c.in_transaction());
    EXPECT_EQ(c.affected_rows(), 1u);
    wait(c.rollback());
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_tx").as<std::int64_t>(), 0);
    wait(c.begin());
    wait(c.query("INSERT INTO t_tx VALUES (2)"));
    wait(c.commit());
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_tx").as<std::int64_t>(), 1);
}

TEST_F(ConnectionTest, SelectDbChangesDatabase) {
    Connection c = open(server_options());
    wait(c.select_db(std::string(second_db)));
    EXPECT_EQ(c.db().value_or(""), second_db);
    EXPECT_EQ(scalar(c, "SELECT DATABASE()").as<std::string>(), second_db);
    EXPECT_THROW(wait(c.select_db("no_such_db_at_all")), OperationalError);
    EXPECT_FALSE(c.closed());   // a server error leaves the session usable
}

TEST_F(ConnectionTest, ServerErrorsMapToClasses) {
    Connection c = open(server_options());
    EXPECT_THROW(wait(c.query("SELEKT 1")), ProgrammingError);
    EXPECT_THROW(wait(c.query("SELECT * FROM no_such_table")), ProgrammingError);
    wait(c.query("CREATE TEMPORARY TABLE t_dup (id INT PRIMARY KEY)"));
    wait(c.query("INSERT INTO t_dup VALUES (1)"));
    try {
        wait(c.query("INSERT INTO t_dup VALUES (1)"));
        FAIL() << "duplicate key accepted";
    } catch (const IntegrityError& e) {
        EXPECT_EQ(e.errno_code(), 1062);
        EXPECT_EQ(e.sqlstate(), "23000");
    }
    EXPECT_EQ(scalar(c, "SELECT 7").as<std::int64_t>(), 7);
}

TEST_F(ConnectionTest, CommandsQueueInOrder) {
    Connection c = open(server_options());
    std::vector<Future<std::vector<ResultSet>>> futures;
    for (int i = 0; i < 50; ++i) futures.push_back(c.query("SELECT " + std::to_string(i)));
    auto all = wait(when_all(std::move(futures)));
    ASSERT_EQ(all.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(all[i].at(0).rows.at(0).at(0).as<std::int64_t>(), i);
}

TEST_F(ConnectionTest, PingAndReconnectAfterKill) {
    Connection victim = open(server_options());
    Connection killer = open(server_options());
    const auto old_id = victim.thread_id();
    wait(victim.ping(false));
    wait(killer.query("KILL " + std::to_string(old_id)));
    // KILL returns before the victim's socket is closed: wait until the server has done it.
    wait(killer.query("SELECT SLEEP(0.2)"));
    EXPECT_THROW(wait(victim.ping(false)), OperationalError);
    EXPECT_TRUE(victim.closed());
    wait(victim.ping(true));
    EXPECT_FALSE(victim.closed());
    EXPECT_NE(victim.thread_id(), old_id);
    EXPECT_EQ(scalar(victim, "SELECT 3").as<std::int64_t>(), 3);
}

TEST_F(ConnectionTest, EnsureClosedSendsQuit) {
    Connection c = open(server_options());
    wait(c.ensure_closed());
    EXPECT_TRUE(c.closed());
    EXPECT_THROW(wait(c.query("SELECT 1")), InterfaceError);
}

TEST_F(ConnectionTest, ShowWarnings) {
    Connection c = open(server_options());
    wait(c.query("SELECT CAST('abc' AS SIGNED)"));
    auto warnings = wait(c.show_warnings());
    ASSERT_FALSE(warnings.empty());
    EXPECT_EQ(warnings[0].at(0).as<std::string>(), "Warning");
    EXPECT_EQ(warnings[0].at(1).as<std::int64_t>(), 1292);
}

TEST_F(ConnectionTest, ResetConnectionClearsSession) {
    Connection c = open(server_options());
    wait(c.query("SET @x = 5"));
    wait(c.reset_connection());
    EXPECT_TRUE(scalar(c, "SELECT @x").is_null());
}

TEST_F(ConnectionTest, ResetConnectionRestoresWhatConnectSetUp) {
    ConnectOptions opt = server_options();
    opt.charset = "latin1";
    opt.sql_mode = "ANSI_QUOTES";
    opt.init_command = "SET @from_init = 7";
    opt.autocommit = true;
    Connection c = open(opt);
    wait(c.set_charset("utf8mb4"));
    wait(c.query("SET sql_mode = ''"));
    wait(c.query("SET @from_init = 8, @other = 1"));
    wait(c.autocommit(false));
    ASSERT_EQ(c.charset(), "utf8mb4");

    wait(c.reset_connection());
    EXPECT_EQ(c.charset(), "latin1");
    EXPECT_EQ(scalar(c, "SELECT @@character_set_client").as<std::string>(), "latin1");
    EXPECT_EQ(scalar(c, "SELECT @@character_set_results").as<std::string>(), "latin1");
    EXPECT_NE(scalar(c, "SELECT @@sql_mode").as<std::string>().find("ANSI_QUOTES"), std::string::npos);
    EXPECT_EQ(scalar(c, "SELECT @from_init").as<std::int64_t>(), 7);
    EXPECT_TRUE(scalar(c, "SELECT @other").is_null());
    EXPECT_TRUE(c.get_autocommit());
    EXPECT_EQ(scalar(c, "SELECT @@autocommit").as<std::int64_t>(), 1);
}

TEST_F(ConnectionTest, ConnectionAttributes) {
    ConnectOptions opt = server_options();
    opt.program_name = "uvmysql-tests";
    opt.connect_attrs = {{"team", "db"}};
    Connection c = open(opt);
    auto sets = wait(c.query("SELECT ATTR_NAME, ATTR_VALUE FROM performance_schema.session_connect_attrs "
                             "WHERE PROCESSLIST_ID = CONNECTION_ID() ORDER BY ATTR_NAME"));
    std::map<std::string, std::string> attrs;
    for (const Row& r : sets.at(0).rows) attrs[r.at(0).as<std::string>()] = r.at(1).as<std::string>();
    ASSERT_FALSE(attrs.empty()) << "test/mariadb/server.sh starts MariaDB with performance_schema on";
    EXPECT_EQ(attrs["_client_name"], "uvmysql");
    EXPECT_EQ(attrs["_client_version"], UVMYSQL_VERSION_STRING);   // uvmysql/version.hpp
    EXPECT_EQ(attrs["program_name"], "uvmysql-tests");
    EXPECT_EQ(attrs["team"], "db");
    EXPECT_FALSE(attrs["_pid"].empty());
}

TEST_F(ConnectionTest, OptionFileFillsUnsetOptions) {
    const std::string path = testing::TempDir() + "uvmysql-my.cnf";
    {
        std::ofstream f(path);
        f << "[client]\nuser=" << test_server().user << "\npassword=\"" << test_server().password
          << "\"\nport=" << test_server().port << "\nhost=" << test_server().host
          << "\n\n[uvmysql]\ndatabase=" << second_db << "\n";
    }
    ConnectOptions opt;
    opt.read_default_file = path;
    opt.read_default_group = "uvmysql";
    Connection c = open(opt);
    EXPECT_EQ(scalar(c, "SELECT DATABASE()").as<std::string>(), second_db);
    std::remove(path.c_str());

    ConnectOptions missing;
    missing.read_default_file = path;   // gone now
    EXPECT_THROW((void)run_until(loop(), connect(loop(), missing)), OperationalError);
}

TEST_F(ConnectionTest, EscapingHelpers) {
    Connection c = open(server_options());
    EXPECT_EQ(c.escape_string("it's"), "it\\'s");
    EXPECT_EQ(c.literal(Value(nullptr)), "NULL");
    EXPECT_EQ(c.escape(Value(42)), "42");
    EXPECT_THROW((void)c.literal(Value(std::numeric_limits<double>::quiet_NaN())), ProgrammingError);
    const std::string hostile = std::string("'; DROP TABLE x; -- \\ \0 \x1a \xF0\x9F\x98\x80", 26);
    EXPECT_EQ(scalar(c, "SELECT " + c.literal(Value(hostile))).as<std::string>(), hostile);
}

}  // namespace
}  // namespace uvmysql::test
