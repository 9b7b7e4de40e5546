// SPDX-License-Identifier: MIT
// uvmysql-query's command line: flag spellings, folding into ConnectOptions, usage errors.
#include <gtest/gtest.h>

#include "command_line.hpp"

namespace query_tool::test {
namespace {

QueryCommand parse(std::vector<std::string_view> args) { return parse_command_line(args); }

TEST(CommandLine, LongShortAttachedAndSeparateValues) {
    const auto cmd = parse({"--host=db", "-P", "3310", "-uroot", "-p", "pw", "--database", "shop", "-S/tmp/s",
                            "-e", "SELECT 1", "SELECT 2", "--execute=SELECT 3"});
    EXPECT_EQ(cmd.connect.host, "db");
    EXPECT_EQ(cmd.connect.port, 3310);
    EXPECT_EQ(cmd.connect.user, "root");
    EXPECT_EQ(cmd.connect.password, "pw");
    EXPECT_EQ(cmd.connect.db, "shop");
    EXPECT_EQ(cmd.connect.unix_socket, "/tmp/s");
    EXPECT_EQ(cmd.sql, (std::vector<std::string>{"SELECT 1", "SELECT 2", "SELECT 3"}));
    EXPECT_FALSE(cmd.connect.ssl);
}

TEST(CommandLine, ToolDefaultsAreTheMysqlClients) {
    const auto cmd = parse({});
    EXPECT_TRUE(cmd.sql.empty());   // stdin
    EXPECT_EQ(cmd.connect.autocommit, true);
    EXPECT_NE(cmd.connect.client_flag & uvmysql::client_flag::multi_statements, 0u);
    EXPECT_FALSE(cmd.dict);
    EXPECT_FALSE(cmd.stream);
}

TEST(CommandLine, DoubleDashMakesTheRestSql) {
    const auto cmd = parse({"--dict", "--", "--stream", "-e"});
    EXPECT_TRUE(cmd.dict);
    EXPECT_FALSE(cmd.stream);
    EXPECT_EQ(cmd.sql, (std::vector<std::string>{"--stream", "-e"}));
}

TEST(CommandLine, TlsFlags) {
    EXPECT_TRUE(parse({"--tls"}).connect.ssl);
    EXPECT_TRUE(parse({"--ssl"}).connect.ssl);
    const auto cmd = parse({"--ca", "/ca.pem", "--ssl-cert=/c.pem", "--ssl-key", "/k.pem"});
    ASSERT_TRUE(cmd.connect.ssl);
    EXPECT_EQ(cmd.connect.ssl->ca, "/ca.pem");
    EXPECT_EQ(cmd.connect.ssl->cert, "/c.pem");
    EXPECT_EQ(cmd.connect.ssl->key, "/k.pem");
    EXPECT_TRUE(cmd.connect.ssl->verify_cert);
    EXPECT_EQ(parse({"--ssl-ca=/x"}).connect.ssl->ca, "/x");
}

TEST(CommandLine, DefaultsFileAndGroupSuffix) {
    const std::string self = std::string(std::getenv("UVMYSQL_SOURCE_ROOT")) + "/meson.build";   // any readable file
    const auto cmd = parse({"--defaults-file", self, "--defaults-group-suffix=_x"});
    EXPECT_EQ(cmd.connect.read_default_file, self);
    EXPECT_EQ(cmd.connect.read_default_group, "client_x");
    EXPECT_TRUE(parse({"--defaults-file=" + self}).connect.read_default_group.empty());
}

TEST(CommandLine, TimeoutInSeconds) {
    EXPECT_EQ(parse({"--connect-timeout=3"}).connect.connect_timeout, std::chrono::seconds(3));
}

TEST(CommandLine, CompressionFlags) {
    EXPECT_FALSE(parse({"-e", "SELECT 1"}).connect.compress);
    EXPECT_TRUE(parse({"-C"}).connect.compress);
    EXPECT_TRUE(parse({"--compress"}).connect.compress);
    const auto cmd = parse({"--compression-algorithms=zstd,zlib", "--zstd-compression-level", "9"});
    EXPECT_EQ(cmd.connect.compression_algorithms, "zstd,zlib");
    EXPECT_EQ(cmd.connect.zstd_compression_level, 9);
}

TEST(CommandLine, StatementTimeoutInMilliseconds) {
    EXPECT_EQ(parse({"--timeout=250"}).connect.query_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(parse({}).connect.query_timeout, std::chrono::milliseconds(0));
}

TEST(CommandLine, UsageErrorsSayWhatIsWrong) {
    const std::pair<std::vector<std::string_view>, std::string_view> cases[] = {
        {{"--nope"}, "unknown option --nope"},
        {{"-x"}, "unknown option -x"},
        {{"--host"}, "option --host needs a value"},
        {{"--dict=1"}, "option --dict takes no value"},
        {{"--port=0"}, "--port wants a number from 1 to 65535, not '0'"},
        {{"-P", "33a"}, "--port wants a number from 1 to 65535, not '33a'"},
        {{"--connect-timeout=-1"}, "--connect-timeout wants a number"},
        {{"--zstd-compression-level=23"}, "--zstd-compression-level wants a number from 1 to 22"},
        {{"--timeout=0"}, "--timeout wants a number from 1 to 86400000, not '0'"},
        {{"--defaults-group-suffix=_a"}, "--defaults-group-suffix needs --defaults-file"},
        {{"--defaults-file=/no/such/file.cnf"}, "cannot read --defaults-file '/no/such/file.cnf'"},
        {{"--defaults-file=/"}, "cannot read --defaults-file '/': not a readable regular file"},
        {{"-"}, "'-' is not an option"},
    };
    for (const auto& [args, message] : cases) {
        try {
            (void)parse(args);
            ADD_FAILURE() << "no error for " << args.front();
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
}

TEST(CommandLine, HelpNamesEveryFlag) {
    const std::string help = usage_text();
    for (const char* flag : {"--host", "--port", "--socket", "--user", "--password", "--database", "--defaults-file",
                             "--defaults-group-suffix", "--tls", "--ca", "--ssl-cert", "--ssl-key", "--dict",
                             "--stream", "--execute", "--connect-timeout", "--timeout", "--compress",
                             "--compression-algorithms", "--zstd-compression-level", "--help", "--version"}) {
        EXPECT_NE(help.find(flag), std::string::npos) << flag;
    }
    EXPECT_TRUE(parse({"-?"}).help);
    EXPECT_TRUE(parse({"--version"}).version);
}

}  // namespace
}  // namespace query_tool::test
