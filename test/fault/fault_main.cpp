// SPDX-License-Identifier: MIT
// The fault suite's main: its own MariaDB is started before the tests and stopped after them.
#include <gtest/gtest.h>

#include <cstdio>

#include "killable_server.hpp"

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    if (testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
    auto& server = uvmysql::test::KillableServer::instance();
    if (!server.start()) {
        std::fprintf(stderr, "fault suite: its private MariaDB did not start; no test ran\n");
        return 1;
    }
    const int rc = RUN_ALL_TESTS();
    server.stop();
    return rc;
}
