// SPDX-License-Identifier: MIT
// The "uvmysql" spdlog logger that echo, warnings and dropped failures go to.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <memory>
#include <string>

namespace uvmysql::detail {

inline constexpr const char* logger_name = "uvmysql";

/// The "uvmysql" logger: the one the application registered under that name, or else a
/// stderr logger created on first use. Its level is the application's to set (info by default).
std::shared_ptr<spdlog::logger> logger();

/// What an exception says, for a log line (its what(), or a placeholder for one that is not a
/// std::exception).
std::string describe_exception(const std::exception_ptr& error);

}  // namespace uvmysql::detail
