// SPDX-License-Identifier: MIT
#include "common/logger.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace uvmysql::detail {

std::shared_ptr<spdlog::logger> logger() {
    if (auto existing = spdlog::get(logger_name)) return existing;
    try {
        return spdlog::stderr_color_mt(logger_name);
    } catch (const spdlog::spdlog_ex&) {
        return spdlog::get(logger_name);   // registered meanwhile by another thread
    }
}

}  // namespace uvmysql::detail
