// SPDX-License-Identifier: MIT
// set_log_handler() receives uvmysql's log lines (statement warnings); show_warnings = false
// drops the SHOW WARNINGS round trip and its log line.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

class LoggingTest : public ServerTest {
protected:
    void SetUp() override {
        set_log_handler(LogLevel::debug, [this](LogLevel level, std::string_view text) {
            lines_.emplace_back(level, std::string(text));
        });
    }
    void TearDown() override {
        set_log_handler(LogLevel::info, nullptr);   // back to the default stderr logger
        ServerTest::TearDown();
    }
    /// How many SHOW WARNINGS this session has run (the server's own count).
    std::int64_t show_warnings_count(Connection& c) {
        auto rows = wait(c.query("SHOW SESSION STATUS LIKE %s", "Com_show_warnings"));
        return std::stoll(rows.at(0).at(1).as<std::string>());   // SHOW STATUS values are text
    }
    std::vector<std::pair<LogLevel, std::string>> lines_;
};

constexpr const char* warning_sql = "SELECT CAST('abc' AS SIGNED)";   // Warning 1292
constexpr const char* warning_line = "Warning 1292: Truncated incorrect INTEGER value: 'abc'";

TEST_F(LoggingTest, HandlerReceivesStatementWarnings) {
    Connection c = open(server_options());
    auto cur = c.cursor();
    wait(cur.execute(warning_sql));
    const std::vector<std::pair<LogLevel, std::string>> expected{{LogLevel::warn, warning_line}};
    EXPECT_EQ(lines_, expected);
    EXPECT_EQ(cur.warnings().size(), 1u);
    EXPECT_EQ(show_warnings_count(c), 1);
}

TEST_F(LoggingTest, HandlerLevelFiltersLines) {
    set_log_handler(LogLevel::error, [this](LogLevel level, std::string_view text) {
        lines_.emplace_back(level, std::string(text));
    });
    Connection c = open(server_options());
    wait(c.cursor().execute(warning_sql));
    EXPECT_TRUE(lines_.empty());
}

TEST_F(LoggingTest, ShowWarningsOffSendsNoShowWarnings) {
    ConnectOptions opt = server_options();
    opt.show_warnings = false;
    Connection c = open(opt);
    auto cur = c.cursor();
    wait(cur.execute(warning_sql));
    ResultSet rs = wait(c.execute(warning_sql));
    EXPECT_EQ(rs.warning_count, 1u);   // still reported by the server's EOF/OK packet
    EXPECT_TRUE(cur.warnings().empty());
    EXPECT_TRUE(lines_.empty());
    EXPECT_EQ(show_warnings_count(c), 0);
}

TEST_F(LoggingTest, EchoLinesReachTheHandler) {
    ConnectOptions opt = server_options();
    opt.echo = true;
    Connection c = open(opt);
    wait(c.query("SELECT %s", 12));
    bool seen = false;
    for (const auto& [level, text] : lines_) seen = seen || (level == LogLevel::info && text == "SELECT 12");
    EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace uvmysql::test
