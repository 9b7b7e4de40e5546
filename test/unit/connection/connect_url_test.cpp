// SPDX-License-Identifier: MIT
// ConnectOptions::from_url(): every part of a connection URL, and every malformed one refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "uvmysql/error.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql {
namespace {

using namespace std::chrono_literals;

TEST(ConnectUrl, OneHostWithEverything) {
    const ConnectOptions o = ConnectOptions::from_url(
        "mysql://app%40svc:p%3Ass%2Fw@db1.example:3307/shop%20db?charset=latin1&connect_timeout=2"
        "&read-timeout=500ms&autocommit=false&init_command=SET%20NAMES%20utf8mb4&compress=true"
        "&ssl_ca=%2Fetc%2Fca.pem&ssl_verify_identity=false&host_policy=random&prepared_statement_cache_size=0");
    EXPECT_EQ(o.user, "app@svc");
    EXPECT_EQ(o.password, "p:ss/w");
    EXPECT_EQ(o.host, "db1.example");
    EXPECT_EQ(o.port, 3307);
    EXPECT_TRUE(o.hosts.empty());
    EXPECT_EQ(o.db, std::optional<std::string>("shop db"));
    EXPECT_EQ(o.charset, "latin1");
    EXPECT_EQ(o.connect_timeout, 2s);
    EXPECT_EQ(o.read_timeout, 500ms);
    EXPECT_EQ(o.autocommit, std::optional<bool>(false));
    EXPECT_EQ(o.init_command, std::optional<std::string>("SET NAMES utf8mb4"));
    EXPECT_TRUE(o.compress);
    ASSERT_TRUE(o.ssl.has_value());
    EXPECT_EQ(o.ssl->ca, "/etc/ca.pem");
    EXPECT_FALSE(o.ssl->verify_identity);
    EXPECT_TRUE(o.ssl->verify_cert);
    EXPECT_EQ(o.host_policy, HostPolicy::random);
    EXPECT_EQ(o.prepared_statement_cache_size, 0u);
}

TEST(ConnectUrl, SeveralHostsFillHosts) {
    const ConnectOptions o =
        ConnectOptions::from_url("mariadb://root@db1:3306,db2,[fd00::5]:3307/app?host-policy=least-connections");
    EXPECT_EQ(o.hosts, (std::vector<std::string>{"db1:3306", "db2", "[fd00::5]:3307"}));
    EXPECT_TRUE(o.host.empty());
    EXPECT_EQ(o.user, "root");
    EXPECT_TRUE(o.password.empty());
    EXPECT_EQ(o.host_policy, HostPolicy::least_connections);
}

TEST(ConnectUrl, MinimalFormsKeepTheDefaults) {
    const ConnectOptions defaults;
    const ConnectOptions bare = ConnectOptions::from_url("MySQL://db");
    EXPECT_EQ(bare.host, "db");
    EXPECT_EQ(bare.port, 3306);
    EXPECT_FALSE(bare.db.has_value());
    EXPECT_EQ(bare.connect_timeout, defaults.connect_timeout);
    EXPECT_FALSE(bare.ssl.has_value());
    const ConnectOptions socket = ConnectOptions::from_url("mysql:///app?unix_socket=%2Frun%2Fmysqld.sock&ssl=true");
    EXPECT_TRUE(socket.host.empty());
    EXPECT_EQ(socket.unix_socket, "/run/mysqld.sock");
    EXPECT_EQ(socket.db, std::optional<std::string>("app"));
    EXPECT_TRUE(socket.ssl.has_value());
}

TEST(ConnectUrl, MalformedUrlsAreProgrammingErrorsNamingTheProblem) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"db1:3306", "mysql://"},
        {"postgres://db", "unknown scheme"},
        {"mysql://db:70000", "outside 1..65535"},
        {"mysql://db:x", "not a number"},
        {"mysql://db1,,db2", "no host"},
        {"mysql://db/a/b", "contains '/'"},
        {"mysql://u%zz@db", "percent-escape in the user"},
        {"mysql://db?conect_timeout=2", "unknown option 'conect_timeout'"},
        {"mysql://db?compress=maybe", "compress wants true or false"},
        {"mysql://db?connect_timeout=-1", "connect_timeout wants an integer"},
        {"mysql://db?host_policy=fastest", "host_policy wants"},
        {"mysql://db?charset", "has no value"},
        {"mysql://db1,db2?unix_socket=%2Ftmp%2Fs", "cannot go with unix_socket"},
    };
    for (const auto& [url, why] : bad) {
        try {
            (void)ConnectOptions::from_url(url);
            ADD_FAILURE() << url << " was accepted";
        } catch (const ProgrammingError& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << url << ": " << e.what();
            EXPECT_NE(std::string(e.what()).find("connection URL"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace uvmysql
