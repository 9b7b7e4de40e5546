// SPDX-License-Identifier: MIT
// The fault suite's own MariaDB: a private instance (its own port, folder and socket, started
// with test/mariadb/server.sh) that the tests may SIGKILL, freeze with SIGSTOP and restart.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace uvmysql::test {

/// The instance is reached through the UVMYSQL_TEST_* variables that start() exports, so the
/// integration helpers (server_options(), ServerTest) point at it. Its port is
/// UVMYSQL_FAULT_PORT, or UVMYSQL_TEST_PORT + 1000 (4307 by default): never the integration
/// suite's server. Every signal goes to the pid this instance wrote, never to another process.
/// kill(), freeze() and restart() may be called from a helper thread while the test's loop runs.
class KillableServer {
public:
    static KillableServer& instance();

    /// Starts the instance (or checks it runs) and exports its settings; false with a message
    /// on stderr when it cannot.
    bool start();
    /// Stops it (SIGTERM through server.sh), thawing it first.
    void stop();
    /// SIGKILL, then waits until the process is gone (its sockets are reset by the kernel).
    void kill();
    /// SIGSTOP, then waits until every thread of the server is stopped (a signal is delivered
    /// asynchronously: a thread still running could answer one more request). False if the
    /// server is not running or did not stop within two seconds.
    [[nodiscard]] bool freeze();
    /// SIGCONT.
    void thaw();
    /// After kill(): starts it again (InnoDB recovers); true once it accepts connections.
    bool restart();
    /// True while the pid in the instance's pid file is alive and not frozen by us.
    [[nodiscard]] bool running() const;
    /// Brings the instance back to running (thawed, restarted) for the next test.
    void heal();

private:
    KillableServer() = default;
    [[nodiscard]] pid_t read_pid() const;
    /// The pid server.sh printed (UVMYSQL_SERVER_PID=), else the pid file's.
    [[nodiscard]] pid_t pid_of(const std::string& exports) const;
    bool run_server_sh(const std::string& command, std::string* out);

    std::string dir_;
    int port_ = 0;
    pid_t pid_ = 0;
    bool frozen_ = false;
    bool killed_ = false;
};

}  // namespace uvmysql::test
