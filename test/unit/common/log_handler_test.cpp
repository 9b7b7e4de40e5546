// SPDX-License-Identifier: MIT
// set_log_handler(): the host program's callback replaces the stderr sink, filtered by level.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "common/logger.hpp"
#include "uvmysql/log.hpp"

namespace uvmysql {
namespace {

using Lines = std::vector<std::pair<LogLevel, std::string>>;

class LogHandler : public ::testing::Test {
protected:
    void TearDown() override { set_log_handler(LogLevel::info, nullptr); }
    void capture(LogLevel level) {
        set_log_handler(level, [this](LogLevel l, std::string_view text) { lines_.emplace_back(l, std::string(text)); });
    }
    Lines lines_;
};

TEST_F(LogHandler, ReceivesLinesAtAndAboveItsLevel) {
    capture(LogLevel::warn);
    detail::logger()->info("statement {}", 1);
    detail::logger()->warn("Warning {}: {}", 1292, "Truncated");
    detail::logger()->error("dropped");
    EXPECT_EQ(lines_, (Lines{{LogLevel::warn, "Warning 1292: Truncated"}, {LogLevel::error, "dropped"}}));
}

TEST_F(LogHandler, ReplacingTheHandlerStopsTheOldOne) {
    capture(LogLevel::trace);
    detail::logger()->debug("first");
    Lines other;
    set_log_handler(LogLevel::trace, [&other](LogLevel l, std::string_view text) { other.emplace_back(l, std::string(text)); });
    detail::logger()->debug("second");
    EXPECT_EQ(lines_, (Lines{{LogLevel::debug, "first"}}));
    EXPECT_EQ(other, (Lines{{LogLevel::debug, "second"}}));
}

TEST_F(LogHandler, AnEmptyHandlerRestoresTheDefaultLogger) {
    capture(LogLevel::trace);
    set_log_handler(LogLevel::error, nullptr);
    auto logger = detail::logger();
    EXPECT_EQ(logger->name(), "uvmysql");
    EXPECT_EQ(logger->level(), spdlog::level::err);
    logger->error("to stderr, not to the handler");
    EXPECT_TRUE(lines_.empty());
}

}  // namespace
}  // namespace uvmysql
