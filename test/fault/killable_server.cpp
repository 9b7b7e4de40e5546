// SPDX-License-Identifier: MIT
#include "killable_server.hpp"

#include "freeze_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace uvmysql::test {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

/// Applies each `NAME=value` of server.sh's `export A=1 B=2` line to this process.
void apply_exports(const std::string& line) {
    std::istringstream in(line);
    std::string word;
    while (in >> word) {
        const auto eq = word.find('=');
        if (word == "export" || eq == std::string::npos) continue;
        ::setenv(word.substr(0, eq).c_str(), word.substr(eq + 1).c_str(), 1);
    }
}

}  // namespace

KillableServer& KillableServer::instance() {
    static KillableServer server;
    return server;
}

bool KillableServer::run_server_sh(const std::string& command, std::string* out) {
    const std::string root = env_or("UVMYSQL_SOURCE_ROOT", ".");
    const std::string cmd = "UVMYSQL_TEST_PORT=" + std::to_string(port_) + " UVMYSQL_SERVER_DIR='" + dir_ + "' '" +
                            root + "/test/mariadb/server.sh' " + command;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return false;
    char buf[4096];
    std::string text;
    while (std::fgets(buf, sizeof buf, p) != nullptr) text += buf;
    const int rc = ::pclose(p);
    if (out != nullptr) *out = text;
    return rc == 0;
}

bool KillableServer::start() {
    const int test_port = std::atoi(env_or("UVMYSQL_TEST_PORT", "3307").c_str());
    port_ = std::atoi(env_or("UVMYSQL_FAULT_PORT", std::to_string(test_port + 1000)).c_str());
    dir_ = "/tmp/uvmysql-mariadb-" + std::to_string(::getuid()) + "-" + std::to_string(port_);
    std::string exports;
    if (!run_server_sh("start", &exports)) {
        std::fprintf(stderr, "fault suite: test/mariadb/server.sh start on port %d failed\n", port_);
        return false;
    }
    apply_exports(exports);
    pid_ = pid_of(exports);
    return pid_ > 0;
}

pid_t KillableServer::pid_of(const std::string& exports) const {
    static const std::string key = "UVMYSQL_SERVER_PID=";
    if (const auto at = exports.find(key); at != std::string::npos) {
        const pid_t pid = std::atoi(exports.c_str() + at + key.size());
        if (pid > 0) return pid;
    }
    return read_pid();
}

void KillableServer::stop() {
    thaw();
    if (running()) run_server_sh("stop", nullptr);
}

pid_t KillableServer::read_pid() const {
    std::ifstream in(dir_ + "/mysqld.pid");
    pid_t pid = 0;
    in >> pid;
    return pid;
}

bool KillableServer::running() const { return pid_ > 0 && !killed_ && !frozen_ && ::kill(pid_, 0) == 0; }

void KillableServer::kill() {
    if (pid_ <= 0 || killed_) return;
    ::kill(pid_, SIGKILL);
    // It is not our child: wait for init to reap it (a few milliseconds).
    for (int i = 0; i < 500 && ::kill(pid_, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    killed_ = true;
    frozen_ = false;
}

bool KillableServer::freeze() {
    if (pid_ <= 0 || killed_) return false;
    frozen_ = ::kill(pid_, 0) == 0;
    return freeze_process(pid_);
}

void KillableServer::thaw() {
    if (frozen_ && pid_ > 0) ::kill(pid_, SIGCONT);
    frozen_ = false;
}

bool KillableServer::restart() {
    if (!killed_) return true;
    std::string exports;
    if (!run_server_sh("start", &exports)) return false;
    pid_ = pid_of(exports);
    killed_ = false;
    return pid_ > 0;
}

void KillableServer::heal() {
    thaw();
    if (killed_) restart();
}

}  // namespace uvmysql::test
