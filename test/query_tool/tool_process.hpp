// SPDX-License-Identifier: MIT
// Runs the built uvmysql-query as a child process: arguments, stdin, stdout, stderr, exit, peak RSS.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace query_tool::test {

/// How one run of the tool ended.
struct ToolRun {
    int exit_status = -1;        ///< the exit status, or -1 when killed by a signal
    int signal = 0;              ///< the signal that ended it, else 0
    bool timed_out = false;      ///< killed after the deadline
    std::string out;             ///< stdout (empty when a line sink took it)
    std::string err;             ///< stderr
    long peak_rss_kib = 0;       ///< the child's maximum resident set size (getrusage ru_maxrss)

    /// stdout split at '\n' (the last, newline-terminated line gives no empty entry).
    [[nodiscard]] std::vector<std::string> lines() const;
};

/// Options for run_tool().
struct ToolInput {
    std::string stdin_text;                               ///< written to the child's stdin, then closed
    std::vector<std::string> extra_env;                   ///< NAME=value entries added to (or replacing in) the environment
    std::function<void(std::string_view line)> on_line;   ///< when set, gets stdout line by line instead of `out`
    std::chrono::seconds timeout{120};                    ///< the child is killed after this
};

/// The path of the uvmysql-query binary under test (UVMYSQL_QUERY_BIN, set by meson).
[[nodiscard]] const std::string& tool_path();

/// Runs uvmysql-query with `args` and waits for it.
ToolRun run_tool(const std::vector<std::string>& args, const ToolInput& input = {});

}  // namespace query_tool::test
