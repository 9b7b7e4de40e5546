// SPDX-License-Identifier: MIT
// my.cnf parsing (groups, quotes, comments, !include) and how its options fill ConnectOptions.
#include "connection/option_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace uvmysql::test {
namespace {

using detail::apply_option_file;
using detail::ClientKind;
using detail::OptionGroups;
using detail::parse_option_text;
using detail::Status;

OptionGroups parse(std::string_view text) {
    OptionGroups groups;
    const Status st = parse_option_text(text, "/nonexistent/my.cnf", groups);
    EXPECT_TRUE(st.ok()) << st.message;
    return groups;
}

Status parse_error(std::string_view text) {
    OptionGroups groups;
    const Status st = parse_option_text(text, "my.cnf", groups);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::programming) << st.message;
    return st;
}

/// A fresh folder for option files, removed after the test.
class OptionFileTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::path(testing::TempDir()) /
               ("uvmysql-optfile-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string& name, std::string_view text) {
        const auto path = dir_ / name;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }

    std::filesystem::path dir_;
};

TEST(ParseOptionText, GroupsAndKeys) {
    const auto g = parse("[client]\nuser=bob\nport = 3307\n\n[mysql]\nuser=alice\n[client]\nhost=db1\n");
    ASSERT_EQ(g.size(), 2u);
    EXPECT_EQ(g.at("client").at("user"), "bob");
    EXPECT_EQ(g.at("client").at("port"), "3307");
    EXPECT_EQ(g.at("client").at("host"), "db1");   // a group may be reopened
    EXPECT_EQ(g.at("mysql").at("user"), "alice");
}

TEST(ParseOptionText, UnderscoresAndDashesAreTheSameKey) {
    const auto g = parse("[client]\ndefault_character_set=latin1\nssl_ca=/ca.pem\n");
    EXPECT_EQ(g.at("client").at("default-character-set"), "latin1");
    EXPECT_EQ(g.at("client").at("ssl-ca"), "/ca.pem");
}

TEST(ParseOptionText, LaterValuesWin) {
    EXPECT_EQ(parse("[client]\nuser=a\nuser=b\n").at("client").at("user"), "b");
}

TEST(ParseOptionText, Quotes) {
    const auto g = parse(
        "[client]\n"
        "password=\"two words # not a comment\"\n"
        "user='single'\n"
        "host=\"a\\\"b\"\n"
        "socket=\"tab\\there\\nline\"\n"
        "database=\"\"\n");
    const auto& c = g.at("client");
    EXPECT_EQ(c.at("password"), "two words # not a comment");
    EXPECT_EQ(c.at("user"), "single");
    EXPECT_EQ(c.at("host"), "a\"b");
    EXPECT_EQ(c.at("socket"), "tab\there\nline");
    EXPECT_EQ(c.at("database"), "");
}

TEST(ParseOptionText, Comments) {
    const auto g = parse(
        "# a comment\n"
        "; another\n"
        "[client]\n"
        "  # indented comment\n"
        "host=localhost # trailing comment\n"
        "user=\"quoted\"  # trailing comment\n"
        "password=\"p\" ; also a comment\n");
    const auto& c = g.at("client");
    EXPECT_EQ(c.size(), 3u);
    EXPECT_EQ(c.at("host"), "localhost");
    EXPECT_EQ(c.at("user"), "quoted");
    EXPECT_EQ(c.at("password"), "p");
}

TEST(ParseOptionText, SpacesCrlfAndBareOptions) {
    const auto g = parse("\r\n  [ client ]  \r\n  user =  bob  \r\nskip-ssl\r\n");
    const auto& c = g.at("client");
    EXPECT_EQ(c.at("user"), "bob");
    ASSERT_TRUE(c.count("skip-ssl"));
    EXPECT_EQ(c.at("skip-ssl"), "");
}

TEST(ParseOptionText, EmptyTextHasNoGroups) {
    EXPECT_TRUE(parse("").empty());
    EXPECT_TRUE(parse("\n\n# only comments\n").empty());
}

TEST(ParseOptionText, OptionOutsideAGroupIsAnError) {
    const Status st = parse_error("# header\nuser=bob\n[client]\n");
    EXPECT_NE(st.message.find("line 2"), std::string::npos) << st.message;
    EXPECT_NE(st.message.find("my.cnf"), std::string::npos) << st.message;
}

TEST(ParseOptionText, UnterminatedQuoteIsAnError) {
    const Status st = parse_error("[client]\nuser=bob\npassword=\"secret\n");
    EXPECT_NE(st.message.find("line 3"), std::string::npos) << st.message;
    (void)parse_error("[client]\npassword='secret\n");
    (void)parse_error("[client]\npassword=\"secret\" trailing\n");
}

TEST(ParseOptionText, MalformedHeadersAndDirectives) {
    (void)parse_error("[client\nuser=a\n");
    (void)parse_error("[]\n");
    (void)parse_error("[client]\n=value\n");
    (void)parse_error("!include\n");
    (void)parse_error("!unknown /etc/x.cnf\n");
}

TEST_F(OptionFileTest, IncludeIsRelativeToTheFile) {
    write("extra.cnf", "[client]\nhost=included\n[other]\nkey=v\n");
    const std::string main = write("my.cnf", "[client]\nuser=main\n!include extra.cnf\n");
    OptionGroups g;
    ASSERT_TRUE(detail::read_option_file(main, g).ok());
    EXPECT_EQ(g.at("client").at("user"), "main");
    EXPECT_EQ(g.at("client").at("host"), "included");
    EXPECT_EQ(g.at("other").at("key"), "v");
}

TEST_F(OptionFileTest, IncludeDirReadsCnfFilesInOrder) {
    write("conf.d/20-b.cnf", "[client]\nuser=from-b\n");
    write("conf.d/10-a.cnf", "[client]\nuser=from-a\nhost=from-a\n");
    write("conf.d/30-ignored.txt", "[client]\nuser=ignored\n");
    const std::string main = write("my.cnf", "!includedir " + (dir_ / "conf.d").string() + "\n");
    OptionGroups g;
    ASSERT_TRUE(detail::read_option_file(main, g).ok());
    EXPECT_EQ(g.at("client").at("user"), "from-b");   // read after 10-a.cnf
    EXPECT_EQ(g.at("client").at("host"), "from-a");
}

TEST_F(OptionFileTest, MissingIncludeIsAnError) {
    const std::string main = write("my.cnf", "[client]\n!include missing.cnf\n");
    OptionGroups g;
    const Status st = detail::read_option_file(main, g);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message.find("missing.cnf"), std::string::npos) << st.message;
}

/// read_option_file() on `main`, which includes what must be refused: fails at once, naming why.
void expect_include_refused(const std::string& main, std::string_view why) {
    OptionGroups g;
    const Status st = detail::read_option_file(main, g);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::operational);
    EXPECT_NE(st.message.find(why), std::string::npos) << st.message;
}

TEST_F(OptionFileTest, IncludeOfADeviceIsRefusedWithoutReadingIt) {
    // /dev/zero never ends: reading it whole would grow without bound.
    expect_include_refused(write("my.cnf", "[client]\n!include /dev/zero\n"), "not a regular file");
}

TEST_F(OptionFileTest, IncludeOfAFifoIsRefusedWithoutBlocking) {
    // Nobody writes to the FIFO: opening it for reading must not wait for a writer.
    std::filesystem::create_directories(dir_ / "conf.d");
    const auto fifo = dir_ / "conf.d" / "pipe.cnf";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    expect_include_refused(write("my.cnf", "[client]\n!include " + fifo.string() + "\n"), "not a regular file");
    // The same FIFO met through !includedir.
    expect_include_refused(write("dir.cnf", "!includedir " + (dir_ / "conf.d").string() + "\n"), "not a regular file");
}

TEST_F(OptionFileTest, IncludeOfADirectoryOrAHugeFileIsRefused) {
    expect_include_refused(write("my.cnf", "[client]\n!include " + dir_.string() + "\n"), "not a regular file");
    write("huge.cnf", "[client]\n# " + std::string(2 * 1024 * 1024, 'x') + "\n");
    expect_include_refused(write("big.cnf", "[client]\n!include huge.cnf\n"), "larger than");
}

TEST_F(OptionFileTest, IncludeLoopStops) {
    const std::string main = write("loop.cnf", "[client]\nuser=x\n!include loop.cnf\n");
    OptionGroups g;
    const Status st = detail::read_option_file(main, g);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message.find("deep"), std::string::npos) << st.message;
}

TEST_F(OptionFileTest, FillsOnlyUnsetFields) {
    ConnectOptions opt;
    opt.read_default_file = write("my.cnf",
                                  "[client]\nuser=file-user\npassword=file-pw\nhost=file-host\nport=3399\n"
                                  "database=file-db\nsocket=/file.sock\ndefault-character-set=latin1\n"
                                  "init-command=SET @a=1\n");
    opt.user = "explicit-user";
    opt.port = 3306;
    opt.db = "explicit-db";
    ASSERT_TRUE(apply_option_file(opt).ok());
    EXPECT_EQ(opt.user, "explicit-user");
    EXPECT_EQ(opt.port, 3306);
    EXPECT_EQ(opt.db, "explicit-db");
    EXPECT_EQ(opt.password, "file-pw");
    EXPECT_EQ(opt.host, "file-host");
    EXPECT_EQ(opt.unix_socket, "/file.sock");
    EXPECT_EQ(opt.charset, "latin1");
    EXPECT_EQ(opt.init_command, "SET @a=1");
    EXPECT_FALSE(opt.ssl.has_value());
}

TEST_F(OptionFileTest, HostListAndPolicy) {
    ConnectOptions opt;
    opt.read_default_file = write("my.cnf", "[client]\nhost = db1:3306, db2 ,[fd00::5]:3307\nhost_policy = round-robin\n");
    ASSERT_TRUE(apply_option_file(opt).ok());
    EXPECT_EQ(opt.hosts, (std::vector<std::string>{"db1:3306", "db2", "[fd00::5]:3307"}));
    EXPECT_TRUE(opt.host.empty());
    EXPECT_EQ(opt.host_policy, HostPolicy::round_robin);

    ConnectOptions one;   // a single host stays `host`
    one.read_default_file = write("one.cnf", "[client]\nhost = db1\nhost-policy = least_connections\n");
    ASSERT_TRUE(apply_option_file(one).ok());
    EXPECT_EQ(one.host, "db1");
    EXPECT_TRUE(one.hosts.empty());
    EXPECT_EQ(one.host_policy, HostPolicy::least_connections);

    ConnectOptions coded;   // what the code set wins
    coded.hosts = {"x:1"};
    coded.host_policy = HostPolicy::random;
    coded.read_default_file = opt.read_default_file;
    ASSERT_TRUE(apply_option_file(coded).ok());
    EXPECT_EQ(coded.hosts, (std::vector<std::string>{"x:1"}));
    EXPECT_EQ(coded.host_policy, HostPolicy::random);

    for (const char* bad : {"[client]\nhost = db1,,db2\n", "[client]\nhost = db1,\n",
                            "[client]\nhost-policy = fastest\n"}) {
        ConnectOptions b;
        b.read_default_file = write("bad.cnf", bad);
        const Status st = apply_option_file(b);
        EXPECT_FALSE(st.ok()) << bad;
        EXPECT_EQ(st.client_kind, ClientKind::programming) << st.message;
        EXPECT_NE(st.message.find("bad.cnf"), std::string::npos) << st.message;
    }
}

TEST_F(OptionFileTest, ReadDefaultGroupOverridesClient) {
    ConnectOptions opt;
    opt.read_default_file = write("my.cnf", "[client]\nuser=c\nhost=h\n[app]\nuser=app\nport=4000\n[other]\nhost=no\n");
    opt.read_default_group = "app";
    ASSERT_TRUE(apply_option_file(opt).ok());
    EXPECT_EQ(opt.user, "app");
    EXPECT_EQ(opt.host, "h");
    EXPECT_EQ(opt.port, 4000);
}

TEST_F(OptionFileTest, BadPortIsAProgrammingError) {
    for (const char* bad : {"abc", "3306x", "0", "-1", "70000", ""}) {
        SCOPED_TRACE(bad);
        ConnectOptions opt;
        opt.read_default_file = write("my.cnf", std::string("[client]\nport=") + bad + "\n");
        const Status st = apply_option_file(opt);
        EXPECT_FALSE(st.ok());
        EXPECT_EQ(st.client_kind, ClientKind::programming);
        EXPECT_EQ(opt.port, 0);
    }
    ConnectOptions explicit_port;   // an explicit port means the file's is never read
    explicit_port.port = 3306;
    explicit_port.read_default_file = write("my.cnf", "[client]\nport=abc\n");
    EXPECT_TRUE(apply_option_file(explicit_port).ok());
}

TEST_F(OptionFileTest, CompressOptions) {
    for (const char* line : {"compress", "compress=1", "compress=ON", "compress=true"}) {
        SCOPED_TRACE(line);
        ConnectOptions opt;
        opt.read_default_file = write("my.cnf", std::string("[client]\n") + line + "\n");
        ASSERT_TRUE(apply_option_file(opt).ok());
        EXPECT_TRUE(opt.compress);
    }
    ConnectOptions off;
    off.read_default_file = write("my.cnf", "[client]\ncompress=0\n");
    ASSERT_TRUE(apply_option_file(off).ok());
    EXPECT_FALSE(off.compress);

    ConnectOptions algos;
    algos.read_default_file = write("my.cnf", "[client]\ncompression_algorithms=zstd,zlib\nzstd-compression-level=7\n");
    ASSERT_TRUE(apply_option_file(algos).ok());
    EXPECT_EQ(algos.compression_algorithms, "zstd,zlib");
    EXPECT_EQ(algos.zstd_compression_level, 7);

    ConnectOptions bad;
    bad.read_default_file = write("my.cnf", "[client]\nzstd-compression-level=23\n");
    EXPECT_EQ(apply_option_file(bad).client_kind, ClientKind::programming);
}

TEST_F(OptionFileTest, SslCaCreatesSslOptions) {
    ConnectOptions opt;
    opt.read_default_file =
        write("my.cnf", "[client]\nssl-ca=/ca.pem\nssl_cert=/cert.pem\nssl-key=/key.pem\nssl-verify-server-cert=0\n");
    ASSERT_TRUE(apply_option_file(opt).ok());
    ASSERT_TRUE(opt.ssl.has_value());
    EXPECT_EQ(opt.ssl->ca, "/ca.pem");
    EXPECT_EQ(opt.ssl->cert, "/cert.pem");
    EXPECT_EQ(opt.ssl->key, "/key.pem");
    EXPECT_FALSE(opt.ssl->verify_identity);
    EXPECT_TRUE(opt.ssl->verify_cert);

    ConnectOptions only_ca;
    only_ca.read_default_file = write("ca.cnf", "[client]\nssl-ca=/ca.pem\n");
    ASSERT_TRUE(apply_option_file(only_ca).ok());
    ASSERT_TRUE(only_ca.ssl.has_value());
    EXPECT_EQ(only_ca.ssl->ca, "/ca.pem");
    EXPECT_TRUE(only_ca.ssl->verify_identity);
}

TEST_F(OptionFileTest, SslOrVerifyServerCertAloneSwitchesTlsOn) {
    ConnectOptions verify;
    verify.read_default_file = write("verify.cnf", "[client]\nssl-verify-server-cert\n");
    ASSERT_TRUE(apply_option_file(verify).ok());
    ASSERT_TRUE(verify.ssl.has_value());
    EXPECT_TRUE(verify.ssl->ca.empty());   // the system bundle
    EXPECT_TRUE(verify.ssl->verify_cert);
    EXPECT_TRUE(verify.ssl->verify_identity);

    ConnectOptions bare;
    bare.read_default_file = write("ssl.cnf", "[client]\nssl=TRUE\nssl-verify-server-cert=Off\n");
    ASSERT_TRUE(apply_option_file(bare).ok());
    ASSERT_TRUE(bare.ssl.has_value());
    EXPECT_FALSE(bare.ssl->verify_identity);

    ConnectOptions off;
    off.read_default_file = write("off.cnf", "[client]\nssl=0\nssl-verify-server-cert=0\n");
    ASSERT_TRUE(apply_option_file(off).ok());
    EXPECT_FALSE(off.ssl.has_value());
}

TEST_F(OptionFileTest, ExplicitSslOptionsWin) {
    ConnectOptions opt;
    opt.read_default_file = write("my.cnf", "[client]\nssl-ca=/file-ca.pem\n");
    SslOptions mine;
    mine.ca = "/my-ca.pem";
    opt.ssl = mine;
    ASSERT_TRUE(apply_option_file(opt).ok());
    EXPECT_EQ(opt.ssl->ca, "/my-ca.pem");
}

TEST_F(OptionFileTest, MissingFileIsOperationalAndNoFileIsNothing) {
    ConnectOptions opt;
    opt.read_default_file = (dir_ / "absent.cnf").string();
    const Status st = apply_option_file(opt);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::operational);

    ConnectOptions none;
    none.user = "u";
    EXPECT_TRUE(apply_option_file(none).ok());
    EXPECT_EQ(none.user, "u");
    EXPECT_EQ(none.port, 0);
}

TEST_F(OptionFileTest, SyntaxErrorInTheFileFailsApply) {
    ConnectOptions opt;
    opt.read_default_file = write("my.cnf", "[client]\npassword=\"open\n");
    const Status st = apply_option_file(opt);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::programming);
    EXPECT_EQ(opt.password, "");
}

}  // namespace
}  // namespace uvmysql::test
