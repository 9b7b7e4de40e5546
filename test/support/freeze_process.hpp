// SPDX-License-Identifier: MIT
// freeze_process(): SIGSTOP a process and wait until every one of its threads has stopped.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>

namespace uvmysql::test {

/// True when every thread of `pid` is in the stopped state (/proc/PID/task/*/stat).
inline bool all_threads_stopped(pid_t pid) {
    std::error_code ec;
    bool any = false;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');   // the state follows the command name in parentheses
        if (close == std::string::npos || close + 2 >= line.size()) return false;
        const char state = line[close + 2];
        if (state != 'T' && state != 't') return false;
        any = true;
    }
    return any && !ec;
}

/// Sends SIGSTOP to `pid` and waits (up to 2 s) until all its threads are stopped: the signal
/// is delivered asynchronously, and a thread still running may answer one more query.
inline bool freeze_process(pid_t pid) {
    if (pid <= 0 || ::kill(pid, SIGSTOP) != 0) return false;
    for (int i = 0; i < 200; ++i) {
        if (all_threads_stopped(pid)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace uvmysql::test
