// SPDX-License-Identifier: MIT
// The built uvmysql-query against the private MariaDB: exact values, errors, streaming, option files.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <uvmysql/uvmysql.hpp>
#include <uvmysql/version.hpp>

#include "json_reader.hpp"
#include "run_until.hpp"
#include "sanitizers.hpp"
#include "test_env.hpp"
#include "tool_process.hpp"

namespace query_tool::test {
namespace {

using uvmysql::test::test_server;

/// Flags that reach the private server as root over TCP, on test_pymysql.
std::vector<std::string> server_flags() {
    const auto& s = test_server();
    return {"--host", s.host, "--port", std::to_string(s.port), "--user", s.user, "--password=" + s.password,
            "--database", s.db};
}

std::vector<std::string> with_server(std::vector<std::string> args) {
    auto all = server_flags();
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

/// The one error object a failed run printed (stderr must hold exactly one line).
Json error_of(const ToolRun& run) {
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    return parse_json(run.err);
}

std::int64_t errno_of(const Json& error) {
    return std::stoll(std::get<Json::Number>(error.at("errno").value).text);
}

/// A loop and a connection of the library itself, to compare the tool's output with.
class QueryToolTest : public testing::Test {
protected:
    std::vector<uvmysql::ResultSet> library_query(std::string sql) {
        const auto& s = test_server();
        uvmysql::ConnectOptions opt;
        opt.host = s.host;
        opt.port = s.port;
        opt.user = s.user;
        opt.password = s.password;
        opt.db = s.db;
        opt.client_flag = uvmysql::client_flag::multi_statements;
        opt.autocommit = true;
        auto conn = uvmysql::test::run_until(loop_.get(), uvmysql::connect(loop_.get(), opt), std::chrono::seconds(15));
        auto sets = uvmysql::test::run_until(loop_.get(), conn.query(std::move(sql)), std::chrono::seconds(30));
        conn.close();
        return sets;
    }

    uvmysql::test::TestLoop loop_;
};

// Every column type the server has, at its extremes; time_zone is fixed so TIMESTAMP reads the same.
constexpr const char* all_types_setup = R"(
SET SESSION sql_mode = '', time_zone = '+00:00';
DROP TABLE IF EXISTS query_tool_types;
CREATE TABLE query_tool_types (
  id INT PRIMARY KEY, i8 TINYINT, u8 TINYINT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED,
  dec65 DECIMAL(65,30), f FLOAT, d DOUBLE, dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL,
  tm TIME(6), yr YEAR, b BIT(64), bl BLOB, vb VARBINARY(16), txt TEXT, j JSON, e ENUM('a','b'),
  s SET('x','y'), n INT);
INSERT INTO query_tool_types VALUES
 (1, -128, 0, -9223372036854775808, 0, -99999999999999999999999999999999999.999999999999999999999999999999,
  -3.40282e38, -1.7976931348623157e308, '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01',
  '-838:59:59', 1901, b'0', '', X'', '', '[]', 'a', '', NULL),
 (2, 127, 255, 9223372036854775807, 18446744073709551615,
  99999999999999999999999999999999999.999999999999999999999999999999, 3.40282e38, 1.7976931348623157e308,
  '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.999999', 2155,
  b'1111111111111111111111111111111111111111111111111111111111111111', X'00FF80C0AF5C27225A0A0D1A',
  X'00FF', 'quote'' dq" bs\\ nl\n tab\t nul\0 ctl\Z é € 😀', '{"a": [1, 2.5, "x\\"y"], "b": null}', 'b',
  'x,y', NULL),
 (3, 0, 1, 9007199254740992, 9007199254740991, 0.000000000000000000000000000001, 0.1, 0.1,
  '2024-02-29', '2024-02-29 12:34:56.000001', '2024-02-29 12:34:56.5', '-00:00:00.000001', 0, b'101',
  X'FF', X'41', 'plain', '"text"', NULL, 'y', NULL),
 (4, NULL, NULL, -9007199254740991, NULL, -1.500000000000000000000000000000, -0.5, -2.5e-300, '0000-00-00',
  '0000-00-00 00:00:00', NULL, '100:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL);
)";
constexpr const char* all_types_select = "SET time_zone = '+00:00'; SELECT * FROM query_tool_types ORDER BY id";

/// Decodes each output line and compares it, kind and value, with the library's own rows.
void expect_same_rows(const std::vector<std::string>& lines, const std::vector<uvmysql::Row>& rows) {
    ASSERT_EQ(lines.size(), rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto values = row_values_from_json(parse_json(lines[r]));
        ASSERT_EQ(values.size(), rows[r].size()) << lines[r];
        for (std::size_t c = 0; c < values.size(); ++c) {
            const uvmysql::Value& want = rows[r][c];
            const std::string where = "row " + std::to_string(r + 1) + " column " + rows[r].columns()[c].name;
            // Plain JSON integers do not say whether the column was UNSIGNED: those read back as int64.
            const bool plain_unsigned = want.kind() == uvmysql::Kind::uint64 &&
                                        *want.get_if<std::uint64_t>() <= (std::uint64_t{1} << 53) - 1;
            EXPECT_EQ(values[c].kind(), plain_unsigned ? uvmysql::Kind::int64 : want.kind()) << where << ": " << lines[r];
            EXPECT_EQ(values[c], want) << where << ": " << lines[r];
            if (const auto* d = want.get_if<double>()) {
                EXPECT_EQ(std::signbit(*values[c].get_if<double>()), std::signbit(*d)) << where;
            }
        }
    }
}

TEST_F(QueryToolTest, EveryColumnTypeRoundTripsExactly) {
    (void)library_query(all_types_setup);
    const auto sets = library_query(all_types_select);
    ASSERT_EQ(sets.size(), 2u);
    const auto& rows = sets[1].rows;

    // Every kind a result can hold is present, so nothing below is vacuous.
    std::set<uvmysql::Kind> kinds;
    for (const auto& row : rows) {
        for (const auto& v : row) kinds.insert(v.kind());
    }
    for (auto k : {uvmysql::Kind::null, uvmysql::Kind::int64, uvmysql::Kind::uint64, uvmysql::Kind::float64,
                   uvmysql::Kind::text, uvmysql::Kind::bytes, uvmysql::Kind::decimal, uvmysql::Kind::date,
                   uvmysql::Kind::datetime, uvmysql::Kind::time}) {
        EXPECT_TRUE(kinds.count(k)) << uvmysql::kind_name(k);
    }

    const ToolRun plain = run_tool(with_server({"-e", all_types_select}));
    ASSERT_EQ(plain.exit_status, 0) << plain.err;
    EXPECT_EQ(plain.err, "");
    expect_same_rows(plain.lines(), rows);

    const ToolRun dict = run_tool(with_server({"--dict", "-e", all_types_select}));
    ASSERT_EQ(dict.exit_status, 0) << dict.err;
    expect_same_rows(dict.lines(), rows);
    const Json first = parse_json(dict.lines().at(0));
    ASSERT_EQ(first.object().size(), rows[0].size());
    for (std::size_t c = 0; c < rows[0].size(); ++c) EXPECT_EQ(first.object()[c].first, rows[0].columns()[c].name);

    // Streaming prints the same bytes.
    const ToolRun stream = run_tool(with_server({"--stream", "-e", all_types_select}));
    ASSERT_EQ(stream.exit_status, 0) << stream.err;
    EXPECT_EQ(stream.out, plain.out);
    const ToolRun stream_dict = run_tool(with_server({"--stream", "--dict", "-e", all_types_select}));
    EXPECT_EQ(stream_dict.out, dict.out);
}

TEST_F(QueryToolTest, ExtremesAreWrittenAsDocumented) {
    (void)library_query(all_types_setup);
    const ToolRun run = run_tool(with_server({"--dict", "-e", all_types_select}));
    ASSERT_EQ(run.exit_status, 0) << run.err;
    const auto lines = run.lines();
    ASSERT_EQ(lines.size(), 5u);
    const auto has = [&](std::size_t row, const std::string& fragment) {
        EXPECT_NE(lines[row - 1].find(fragment), std::string::npos) << fragment << "\nnot in: " << lines[row - 1];
    };
    has(1, R"("i64":{"int64":"-9223372036854775808"})");
    has(1, R"("dec65":{"decimal":"-99999999999999999999999999999999999.999999999999999999999999999999"})");
    has(1, R"("d":-1.7976931348623157e+308)");
    has(1, R"("dtm":{"datetime":"1000-01-01 00:00:00"})");
    has(1, R"("ts":{"datetime":"1970-01-01 00:00:01"})");
    has(1, R"("tm":{"time":"-838:59:59"})");
    has(1, R"("b":{"bytes":"AAAAAAAAAAA="})");
    has(1, R"("bl":{"bytes":""})");
    has(1, R"("j":"[]")");
    has(1, R"("n":null)");
    has(2, R"("u64":{"uint64":"18446744073709551615"})");
    has(2, R"("i64":{"int64":"9223372036854775807"})");
    has(2, R"("dtm":{"datetime":"9999-12-31 23:59:59.999999"})");
    has(2, R"("tm":{"time":"838:59:59.999999"})");
    has(2, R"("b":{"bytes":"//////////8="})");
    has(2, R"("bl":{"bytes":"AP+AwK9cJyJaCg0a"})");
    has(2, R"("txt":"quote' dq\" bs\\ nl\n tab\t nul\u0000 ctl\u001a é € 😀")");
    has(2, R"("j":"{\"a\": [1, 2.5, \"x\\\"y\"], \"b\": null}")");
    has(2, R"("s":"x,y")");
    has(3, R"("i64":{"int64":"9007199254740992"})");
    has(3, R"("u64":9007199254740991)");
    has(3, R"("dec65":{"decimal":"0.000000000000000000000000000001"})");
    has(3, R"("f":0.1,"d":0.1)");
    has(3, R"("dtm":{"datetime":"2024-02-29 12:34:56.000001"})");
    has(3, R"("ts":{"datetime":"2024-02-29 12:34:56.500000"})");
    has(3, R"("tm":{"time":"-00:00:00.000001"})");
    has(3, R"("yr":0)");
    has(4, R"("i64":-9007199254740991)");
    has(4, R"("f":-0.5)");
    has(4, R"("dt":"0000-00-00")");   // zero dates are text, as the library returns them
    has(4, R"("dtm":"0000-00-00 00:00:00.000000")");
    has(4, R"("tm":{"time":"100:00:00"})");
    EXPECT_EQ(lines[4], R"({"id":5,"i8":null,"u8":null,"i64":null,"u64":null,"dec65":null,"f":null,"d":null,)"
                        R"("dt":null,"dtm":null,"ts":null,"tm":null,"yr":null,"b":null,"bl":null,"vb":null,)"
                        R"("txt":null,"j":null,"e":null,"s":null,"n":null})");
}

TEST_F(QueryToolTest, TextThatIsNotUtf8KeepsItsBytes) {
    // With character_set_results = NULL the server sends latin1 text unconverted: 'café' is 63 61 66 e9.
    const char* sql = "SET character_set_results = NULL; SELECT CONVERT(_utf8mb4'café' USING latin1) AS t";
    const ToolRun run = run_tool(with_server({"-e", sql}));
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[{\"text\":\"Y2Fm6Q==\"}]\n");
    const auto sets = library_query(sql);
    expect_same_rows(run.lines(), sets.at(1).rows);
}

TEST_F(QueryToolTest, SeveralStatementsAndArgumentsRunInOrder) {
    const ToolRun run = run_tool(with_server(
        {"-e", "SELECT 1 AS a; DO 0; SELECT 'x' AS b UNION ALL SELECT 'y';", "SELECT 2, NULL", "-e", "  \n "}));
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[1]\n[\"x\"]\n[\"y\"]\n[2,null]\n");
    EXPECT_EQ(run.err, "");
}

TEST_F(QueryToolTest, SqlFromStdin) {
    ToolInput input;
    input.stdin_text = "SELECT 1 AS one;\nSELECT 'two' AS two,\n  2.5e0 AS d;\n";
    const ToolRun run = run_tool(with_server({"--dict"}), input);
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "{\"one\":1}\n{\"two\":\"two\",\"d\":2.5}\n");
}

TEST_F(QueryToolTest, DictKeysFollowDictCursor) {
    const ToolRun run = run_tool(with_server({"--dict", "-e", "SELECT 1 AS a, 2 AS a, 'q\"' AS `k\"ey`"}));
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "{\"a\":1,\".a\":2,\"k\\\"ey\":\"q\\\"\"}\n");
}

TEST_F(QueryToolTest, StatementsCommit) {
    const ToolRun run = run_tool(with_server({"-e", "DROP TABLE IF EXISTS query_tool_commit;"
                                                    "CREATE TABLE query_tool_commit (x INT);"
                                                    "INSERT INTO query_tool_commit VALUES (7)"}));
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "");
    const auto sets = library_query("SELECT x FROM query_tool_commit");
    ASSERT_EQ(sets.at(0).rows.size(), 1u);
    EXPECT_EQ(sets[0].rows[0][0], uvmysql::Value(7));
}

TEST_F(QueryToolTest, WarningsNeverReachStdout) {
    // The buffered cursor logs statement warnings through the library's logger, on stderr.
    const ToolRun run = run_tool(with_server({"-e", "SELECT 1/0 AS q"}));
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[null]\n");
    EXPECT_NE(run.err.find("Division by 0"), std::string::npos) << run.err;
}

TEST_F(QueryToolTest, SyntaxErrorIsJsonOnStderr) {
    const ToolRun run = run_tool(with_server({"-e", "SELEC 1", "-e", "SELECT 2"}));
    EXPECT_EQ(run.exit_status, 1);
    EXPECT_EQ(run.out, "");   // the second SQL text never ran
    const Json error = error_of(run);
    EXPECT_EQ(errno_of(error), 1064);
    EXPECT_EQ(error.at("sqlstate").string(), "42000");
    EXPECT_EQ(error.at("class").string(), "ProgrammingError");
    EXPECT_NE(error.at("message").string().find("SQL syntax"), std::string::npos);
}

TEST_F(QueryToolTest, StatementPastItsTimeoutIsAJsonError) {
    const auto start = std::chrono::steady_clock::now();
    const ToolRun run = run_tool(with_server({"--timeout=200", "-e", "SELECT SLEEP(10)"}));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    EXPECT_EQ(run.exit_status, 1);
    const Json error = error_of(run);
    EXPECT_EQ(errno_of(error), 1969);
    EXPECT_EQ(error.at("sqlstate").string(), "70100");
    EXPECT_EQ(error.at("class").string(), "OperationalError");
    EXPECT_NE(error.at("message").string().find("query_timeout of 200 ms"), std::string::npos);
}

TEST_F(QueryToolTest, RowsBeforeALaterStatementsErrorArePrinted) {
    for (const char* mode : {"--dict", "--stream"}) {
        const ToolRun run = run_tool(with_server({mode, "-e", "SELECT 1 AS a; SELECT * FROM query_tool_no_such_table"}));
        EXPECT_EQ(run.exit_status, 1) << mode;
        EXPECT_EQ(run.out, std::string(mode) == "--dict" ? "{\"a\":1}\n" : "[1]\n");
        const Json error = error_of(run);
        EXPECT_EQ(errno_of(error), 1146);
        EXPECT_EQ(error.at("sqlstate").string(), "42S02");
        EXPECT_EQ(error.at("class").string(), "ProgrammingError");
    }
}

TEST_F(QueryToolTest, BadPasswordIsAConnectError) {
    const auto& s = test_server();
    const ToolRun run = run_tool({"-h", s.host, "-P", std::to_string(s.port), "-u", "uvmysql_native", "-pwrong", "-e",
                                  "SELECT 1"});
    EXPECT_EQ(run.exit_status, 3);
    EXPECT_EQ(run.out, "");
    const Json error = error_of(run);
    EXPECT_EQ(errno_of(error), 1045);
    EXPECT_EQ(error.at("sqlstate").string(), "28000");
    EXPECT_EQ(error.at("class").string(), "OperationalError");
    EXPECT_NE(error.at("message").string().find("uvmysql_native"), std::string::npos);
}

/// A TCP port on 127.0.0.1 with a listening socket that never accepts (`listening`) or, once
/// closed, with nothing behind it.
class LocalPort {
public:
    explicit LocalPort(bool listening) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len), 0);
        EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
        port_ = ntohs(addr.sin_port);
        if (listening) {
            EXPECT_EQ(::listen(fd_, 4), 0);
        } else {
            ::close(std::exchange(fd_, -1));
        }
    }
    LocalPort(const LocalPort&) = delete;
    LocalPort& operator=(const LocalPort&) = delete;
    ~LocalPort() {
        if (fd_ >= 0) ::close(fd_);
    }
    [[nodiscard]] std::string port() const { return std::to_string(port_); }

private:
    int fd_ = -1;
    int port_ = 0;
};

TEST_F(QueryToolTest, UnreachableServerIsAConnectError) {
    const LocalPort closed(false);
    const ToolRun refused = run_tool({"-h", "127.0.0.1", "-P", closed.port(), "-u", "root", "-e", "SELECT 1"});
    EXPECT_EQ(refused.exit_status, 3);
    Json error = error_of(refused);
    EXPECT_EQ(errno_of(error), 2003);
    EXPECT_EQ(error.at("class").string(), "OperationalError");

    const ToolRun no_socket = run_tool({"-S", "/nonexistent/uvmysql.sock", "-u", "root", "-e", "SELECT 1"});
    EXPECT_EQ(no_socket.exit_status, 3);
    error = error_of(no_socket);
    EXPECT_EQ(errno_of(error), 2002);
    EXPECT_EQ(error.at("class").string(), "OperationalError");
}

TEST_F(QueryToolTest, SilentServerTimesOut) {
    const LocalPort silent(true);   // accepts the TCP handshake, never sends a greeting
    ToolInput input;
    input.timeout = std::chrono::seconds(30);   // the tool gives up after 1 s; this only guards a hang
    const ToolRun run =
        run_tool({"-h", "127.0.0.1", "-P", silent.port(), "--connect-timeout=1", "-e", "SELECT 1"}, input);
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.exit_status, 3);
    const Json error = error_of(run);
    EXPECT_EQ(error.at("class").string(), "OperationalError");   // PEP 249's class of a TimeoutError
    EXPECT_EQ(errno_of(error), 2013);   // CR_SERVER_LOST, "... while connecting (timed out ...)"
    EXPECT_EQ(error.at("sqlstate").string(), "HYT00");
}

TEST_F(QueryToolTest, UsageErrorsExitWithTwo) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--port=x", "-e", "SELECT 1"}, {"--bogus"}, {"-e"},
          {"--defaults-file=/nonexistent.cnf", "-e", "SELECT 1"}}) {
        const ToolRun run = run_tool(args);
        EXPECT_EQ(run.exit_status, 2) << args.front();
        EXPECT_EQ(run.out, "");
        const Json error = error_of(run);
        EXPECT_EQ(error.at("class").string(), "UsageError");
        EXPECT_EQ(errno_of(error), 0);
    }
    const ToolRun help = run_tool({"--help"});
    EXPECT_EQ(help.exit_status, 0);
    EXPECT_NE(help.out.find("Usage: uvmysql-query"), std::string::npos);
    const ToolRun version = run_tool({"--version"});
    EXPECT_EQ(version.exit_status, 0);
    EXPECT_EQ(version.out, "uvmysql-query " UVMYSQL_VERSION_STRING "\n");
}

/// A temporary option file, removed at the end of the test.
class OptionFile {
public:
    explicit OptionFile(const std::string& text) {
        char dir[] = "/tmp/uvmysql-query-test-XXXXXX";
        EXPECT_NE(::mkdtemp(dir), nullptr);
        dir_ = dir;
        path_ = dir_ + "/my.cnf";
        std::ofstream(path_) << text;
    }
    OptionFile(const OptionFile&) = delete;
    OptionFile& operator=(const OptionFile&) = delete;
    ~OptionFile() { std::filesystem::remove_all(dir_); }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string dir_;
    std::string path_;
};

TEST_F(QueryToolTest, DefaultsFileGroupsAsTheMysqlClientReadsThem) {
    const auto& s = test_server();
    const OptionFile file("# read by uvmysql-query\n"
                          "[client]\n"
                          "host = " + s.host + "\nport = " + std::to_string(s.port) + "\n"
                          "user = uvmysql_nodb\npassword = \"not the password\"\n"
                          "[client_native]\nuser = uvmysql_native\npassword = native-pw\ndatabase = test_pymysql\n"
                          "[client_sock]\nsocket = " + s.socket + "\nuser = uvmysql_native\npassword = native-pw\n"
                          "[client_tls]\nuser = uvmysql_ssl\npassword = ssl-pw\nssl-ca = " + s.ca + "\n"
                          "ssl-verify-server-cert\n"
                          "[client_x509]\nuser = uvmysql_x509\npassword = x509-pw\nssl-ca = " + s.ca + "\n"
                          "ssl-cert = " + s.client_cert + "\nssl-key = " + s.client_key + "\n"
                          "[client_verify]\nuser = uvmysql_ssl\npassword = ssl-pw\nssl-verify-server-cert\n"
                          "[mysql]\nuser = ignored\n");
    const std::string who = "SELECT CURRENT_USER() AS user, DATABASE() AS db";

    // [client] alone: its user and password are used (and are wrong).
    ToolRun run = run_tool({"--defaults-file", file.path(), "-e", who});
    EXPECT_EQ(run.exit_status, 3);
    EXPECT_NE(error_of(run).at("message").string().find("uvmysql_nodb"), std::string::npos) << run.err;

    // [client_native] over [client]: host and port still come from [client].
    run = run_tool({"--defaults-file=" + file.path(), "--defaults-group-suffix=_native", "--dict", "-e", who});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "{\"user\":\"uvmysql_native@%\",\"db\":\"test_pymysql\"}\n");

    // A flag wins over the file.
    run = run_tool({"--defaults-file", file.path(), "--defaults-group-suffix", "_native", "-D", "test_pymysql2",
                    "-e", who});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[\"uvmysql_native@%\",\"test_pymysql2\"]\n");

    // socket = ...: the unix socket, which the server reports as host "localhost".
    const std::string host_sql = "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()";
    run = run_tool({"--defaults-file", file.path(), "--defaults-group-suffix", "_sock", "-e", host_sql});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[\"localhost\"]\n");

    // ssl-ca = ...: TLS, required by the account.
    const std::string cipher_sql = "SELECT VARIABLE_VALUE <> '' FROM information_schema.SESSION_STATUS "
                                   "WHERE VARIABLE_NAME = 'Ssl_cipher'";
    run = run_tool({"--defaults-file", file.path(), "--defaults-group-suffix", "_tls", "-e", cipher_sql});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[1]\n");

    // ssl-cert and ssl-key: the client certificate a REQUIRE X509 account needs.
    run = run_tool({"--defaults-file", file.path(), "--defaults-group-suffix", "_x509", "-e", "SELECT CURRENT_USER()"});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[\"uvmysql_x509@%\"]\n");

    // ssl-verify-server-cert alone: TLS verified against the system's CAs, which did not sign the
    // test server's certificate.
    run = run_tool({"--defaults-file", file.path(), "--defaults-group-suffix", "_verify", "-e", "SELECT 1"});
    EXPECT_EQ(run.exit_status, 3);
    EXPECT_EQ(errno_of(error_of(run)), 2026) << run.err;
}

TEST_F(QueryToolTest, BrokenDefaultsFileIsAnError) {
    const OptionFile file("user = outside any group\n");
    const ToolRun run = run_tool({"--defaults-file", file.path(), "-e", "SELECT 1"});
    EXPECT_EQ(run.exit_status, 3);
    const Json error = error_of(run);
    EXPECT_EQ(error.at("class").string(), "ProgrammingError");
    EXPECT_NE(error.at("message").string().find("line 1"), std::string::npos) << run.err;
}

TEST_F(QueryToolTest, TlsAndUnixSocketFlags) {
    const auto& s = test_server();
    const std::string cipher_sql = "SELECT VARIABLE_VALUE <> '' FROM information_schema.SESSION_STATUS "
                                   "WHERE VARIABLE_NAME = 'Ssl_cipher'";
    const std::vector<std::string> tls_user{"-h", s.host, "-P", std::to_string(s.port), "-u", "uvmysql_ssl",
                                            "-p", "ssl-pw", "-e", cipher_sql};
    auto args = tls_user;
    args.insert(args.end(), {"--ca", s.ca});
    ToolRun run = run_tool(args);
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[1]\n");

    run = run_tool({"-h", s.host, "-P", std::to_string(s.port), "-u", "uvmysql_x509", "-p", "x509-pw", "--ca", s.ca,
                    "--ssl-cert", s.client_cert, "--ssl-key", s.client_key, "-e", "SELECT CURRENT_USER()"});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[\"uvmysql_x509@%\"]\n");

    args = tls_user;
    args.insert(args.end(), {"--ssl-ca=" + s.wrong_ca});
    run = run_tool(args);
    EXPECT_EQ(run.exit_status, 3);
    EXPECT_EQ(errno_of(error_of(run)), 2026);

    run = run_tool({"-S", s.socket, "-u", s.user, "-e", "SELECT HOST FROM information_schema.PROCESSLIST "
                                                         "WHERE ID = CONNECTION_ID()"});
    ASSERT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.out, "[\"localhost\"]\n");
}

/// Peak RSS of the tool printing `rows` rows, streamed or buffered, every line checked.
long peak_rss_kib(std::int64_t rows, bool stream) {
    ToolInput input;
    std::int64_t seen = 0;
    input.on_line = [&seen](std::string_view line) {
        ++seen;
        if (seen == 1) {
            EXPECT_EQ(line, R"([1,"c4ca4238a0b923820dcc509a6f75849b"])");
        }
        if (line.rfind("[" + std::to_string(seen) + ",\"", 0) != 0) {
            ADD_FAILURE() << "line " << seen << ": " << line;
            seen = -1'000'000'000;   // one failure, not a million
        }
    };
#ifdef UVMYSQL_TEST_ASAN
    // ASan keeps freed blocks in a 256 MB quarantine by default, which would look like growth;
    // this run measures memory, the other tests keep the quarantine.
    const char* asan = std::getenv("ASAN_OPTIONS");
    input.extra_env.push_back(std::string("ASAN_OPTIONS=") + (asan ? asan : "") + ":quarantine_size_mb=0");
#endif
    const std::string sql = "SELECT seq, MD5(seq) FROM seq_1_to_" + std::to_string(rows);
    auto args = with_server({"-e", sql});
    if (stream) args.push_back("--stream");
    const ToolRun run = run_tool(args, input);
    EXPECT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(seen, rows);
    return run.peak_rss_kib;
}

TEST_F(QueryToolTest, StreamingAMillionRowsKeepsMemoryFlat) {
    const long baseline = peak_rss_kib(1'000, true);
    const long streamed = peak_rss_kib(1'000'000, true);
    const long buffered_tenth = peak_rss_kib(100'000, false);   // for scale
    std::printf("peak RSS: --stream 1,000 rows %ld KiB, 1,000,000 rows %ld KiB; buffered 100,000 rows %ld KiB\n",
                baseline, streamed, buffered_tenth);
    EXPECT_LT(streamed - baseline, 16 * 1024);
    // Streaming a million rows needs less than half of what buffering a tenth of them needs.
    EXPECT_LT(2 * (streamed - baseline), buffered_tenth - baseline);
}

}  // namespace
}  // namespace query_tool::test
