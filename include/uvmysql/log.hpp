// SPDX-License-Identifier: MIT
// set_log_handler(): where uvmysql's log lines go, for a host program that has its own logging.
#pragma once

#include <functional>
#include <string_view>

#include "uvmysql/export.hpp"

namespace uvmysql {

/// Severity of a log line, lowest first (spdlog's levels).
enum class LogLevel { trace, debug, info, warn, error, critical, off };

/// Receives one log line: its level and its text, without timestamp or logger name.
using LogHandler = std::function<void(LogLevel level, std::string_view message)>;

/// Sends uvmysql's log lines of `level` and above to `handler` instead of stderr. uvmysql logs
/// statements with ConnectOptions::echo (info), statement warnings (warn; notes at debug),
/// failed futures nobody handled (error), and pool events such as leak detection (warn).
///
/// By default the lines go to the spdlog logger named "uvmysql" (created on stderr at info
/// level unless the program registered its own). set_log_handler() replaces that logger with
/// one that calls `handler`; an empty `handler` restores a stderr logger at `level`.
/// `handler` is called on the thread that logs (a loop thread), one line at a time: keep it
/// short, and do not throw from it. Call before or between uses of uvmysql; any thread.
UVMYSQL_API void set_log_handler(LogLevel level, LogHandler handler);

}  // namespace uvmysql
