// SPDX-License-Identifier: MIT
// Reporting of failures nobody handled (dropped or detached failed futures, escaped callbacks).
#pragma once

#include <exception>

namespace uvmysql::detail {

/// Logs, at error level through the "uvmysql" logger (common/logger.hpp), an exception that a
/// failed future still held when it was dropped unconsumed. Never throws.
void report_unhandled(const std::exception_ptr& error) noexcept;

}  // namespace uvmysql::detail
