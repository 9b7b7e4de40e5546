// SPDX-License-Identifier: MIT
// set_log_handler(): a "uvmysql" spdlog logger whose only sink calls the host program's handler.
#include "uvmysql/log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "common/logger.hpp"

namespace uvmysql {

namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace: return spdlog::level::trace;
        case LogLevel::debug: return spdlog::level::debug;
        case LogLevel::info: return spdlog::level::info;
        case LogLevel::warn: return spdlog::level::warn;
        case LogLevel::error: return spdlog::level::err;
        case LogLevel::critical: return spdlog::level::critical;
        case LogLevel::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

LogLevel from_spdlog(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace: return LogLevel::trace;
        case spdlog::level::debug: return LogLevel::debug;
        case spdlog::level::info: return LogLevel::info;
        case spdlog::level::warn: return LogLevel::warn;
        case spdlog::level::err: return LogLevel::error;
        case spdlog::level::critical: return LogLevel::critical;
        default: return LogLevel::off;
    }
}

/// Hands each line to the handler; the mutex keeps lines from several loop threads apart.
class HandlerSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit HandlerSink(LogHandler handler) : handler_(std::move(handler)) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        handler_(from_spdlog(msg.level), std::string_view(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}

private:
    LogHandler handler_;
};

}  // namespace

void set_log_handler(LogLevel level, LogHandler handler) {
    std::shared_ptr<spdlog::logger> replacement;
    if (handler) {
        replacement = std::make_shared<spdlog::logger>(detail::logger_name,
                                                       std::make_shared<HandlerSink>(std::move(handler)));
    } else {
        replacement = std::make_shared<spdlog::logger>(detail::logger_name,
                                                       std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    }
    replacement->set_level(to_spdlog(level));
    // spdlog has no atomic replace: another thread's first log line may register the default
    // logger between drop() and register_logger(); then drop that one too.
    for (;;) {
        spdlog::drop(detail::logger_name);
        try {
            spdlog::register_logger(replacement);
            return;
        } catch (const spdlog::spdlog_ex&) {
        }
    }
}

}  // namespace uvmysql
