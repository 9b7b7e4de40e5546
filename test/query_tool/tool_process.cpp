// SPDX-License-Identifier: MIT
// fork/exec with three pipes driven by poll(), so a large stdout never blocks the child.
#include "tool_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace query_tool::test {

namespace {

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        check(::pipe2(fds, O_CLOEXEC) == 0, "pipe2");
        read = fds[0];
        write = fds[1];
    }
};

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

/// Hands complete lines of `buffer` to `on_line`, keeping the unfinished rest.
void drain_lines(std::string& buffer, const std::function<void(std::string_view)>& on_line) {
    std::size_t start = 0;
    for (std::size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
        on_line(std::string_view(buffer).substr(start, nl - start));
    }
    buffer.erase(0, start);
}

}  // namespace

std::vector<std::string> ToolRun::lines() const {
    std::vector<std::string> result;
    std::size_t start = 0;
    for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
        result.push_back(out.substr(start, nl - start));
    }
    if (start < out.size()) result.push_back(out.substr(start));
    return result;
}

const std::string& tool_path() {
    static const std::string path = [] {
        const char* p = std::getenv("UVMYSQL_QUERY_BIN");
        if (p == nullptr || *p == '\0') throw std::runtime_error("UVMYSQL_QUERY_BIN is not set (meson sets it)");
        return std::string(p);
    }();
    return path;
}

ToolRun run_tool(const std::vector<std::string>& args, const ToolInput& input) {
    // getenv() takes the first NAME=, so an extra entry replaces the inherited one.
    const auto overridden = [&](std::string_view entry) {
        for (const auto& extra : input.extra_env) {
            const auto eq = extra.find('=');
            if (entry.substr(0, eq + 1) == std::string_view(extra).substr(0, eq + 1)) return true;
        }
        return false;
    };
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
        if (!overridden(*e)) env_strings.emplace_back(*e);
    }
    for (const auto& extra : input.extra_env) env_strings.push_back(extra);
    std::vector<char*> env;
    for (auto& s : env_strings) env.push_back(s.data());
    env.push_back(nullptr);
    std::vector<std::string> argv_strings{tool_path()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    Pipe in, out, err;
    const pid_t pid = ::fork();
    check(pid >= 0, "fork");
    if (pid == 0) {
        ::dup2(in.read, STDIN_FILENO);
        ::dup2(out.write, STDOUT_FILENO);
        ::dup2(err.write, STDERR_FILENO);
        ::execve(argv[0], argv.data(), env.data());
        ::_exit(127);
    }
    close_fd(in.read);
    close_fd(out.write);
    close_fd(err.write);
    ::signal(SIGPIPE, SIG_IGN);   // the child may exit without reading all of stdin

    ToolRun run;
    std::size_t written = 0;
    std::string out_buffer;
    if (input.stdin_text.empty()) close_fd(in.write);
    const auto deadline = std::chrono::steady_clock::now() + input.timeout;
    while (out.read >= 0 || err.read >= 0) {
        pollfd fds[3] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}, {in.write, POLLOUT, 0}};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            run.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        const int ready = ::poll(fds, 3, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        check(ready >= 0, "poll");
        char buf[1 << 16];
        if (fds[0].revents != 0) {
            const ssize_t n = ::read(out.read, buf, sizeof buf);
            if (n <= 0) {
                close_fd(out.read);
            } else if (input.on_line) {
                out_buffer.append(buf, static_cast<std::size_t>(n));
                drain_lines(out_buffer, input.on_line);
            } else {
                run.out.append(buf, static_cast<std::size_t>(n));
            }
        }
        if (fds[1].revents != 0) {
            const ssize_t n = ::read(err.read, buf, sizeof buf);
            if (n <= 0) {
                close_fd(err.read);
            } else {
                run.err.append(buf, static_cast<std::size_t>(n));
            }
        }
        if (fds[2].revents != 0) {
            const ssize_t n = ::write(in.write, input.stdin_text.data() + written, input.stdin_text.size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n <= 0 || written == input.stdin_text.size()) close_fd(in.write);
        }
    }
    close_fd(in.write);
    close_fd(out.read);
    close_fd(err.read);
    if (input.on_line && !out_buffer.empty()) input.on_line(out_buffer);

    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) run.exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
    run.peak_rss_kib = usage.ru_maxrss;
    return run;
}

}  // namespace query_tool::test
