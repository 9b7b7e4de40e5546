// SPDX-License-Identifier: MIT
// The "uvmysql" spdlog logger as the async core uses it (unhandled failures of dropped futures).
#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace uvmysql::detail {

/// The spdlog logger named "uvmysql": the registered one if some part of the program registered
/// it, else one created on stderr at level `warn`, so unhandled failures show by default while
/// debug traces stay off.
[[nodiscard]] std::shared_ptr<spdlog::logger> async_logger();

/// Logs an exception that a failed future carried when it was dropped unconsumed.
void report_unhandled(const std::exception_ptr& error) noexcept;

}  // namespace uvmysql::detail
