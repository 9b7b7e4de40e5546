// SPDX-License-Identifier: MIT
// The fault scenarios' fixture: a ServerTest on the suite's own MariaDB, healed after each test.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include "integration_support.hpp"
#include "killable_server.hpp"

namespace uvmysql::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class FaultTest : public PoolServerTest {
protected:
    KillableServer& server() { return KillableServer::instance(); }

    /// Runs `fn` on a helper thread after `delay`, while the test's loop runs (joined by the
    /// fixture): how a test kills or freezes the server under an operation in flight.
    void after(std::chrono::milliseconds delay, std::function<void()> fn) {
        helpers_.emplace_back([delay, fn = std::move(fn)] {
            std::this_thread::sleep_for(delay);
            fn();
        });
    }
    void join_helpers() {
        for (auto& t : helpers_) t.join();
        helpers_.clear();
    }
    void TearDown() override {
        join_helpers();
        server().heal();
        PoolServerTest::TearDown();
    }

    std::vector<std::thread> helpers_;
};

/// True for the errnos of a connection that failed or was lost (CR_* 2002, 2003, 2006, 2013).
inline bool is_connection_errno(int e) { return e == 2002 || e == 2003 || e == 2006 || e == 2013; }

}  // namespace uvmysql::test
