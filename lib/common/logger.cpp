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

std::string describe_exception(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception (not derived from std::exception)";
    }
}

}  // namespace uvmysql::detail
