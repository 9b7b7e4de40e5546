// SPDX-License-Identifier: MIT
// Connection settings for the samples: the private test server's, from the environment.
#pragma once

#include <cstdlib>
#include <string>

#include <uvmysql/options.hpp>

namespace samples {

/// Reads UVMYSQL_TEST_HOST/PORT/USER/PASSWORD (as printed by test/mariadb/server.sh env).
inline uvmysql::ConnectOptions options_from_env(std::string db = "mysql") {
    auto env = [](const char* name, const char* fallback) {
        const char* v = std::getenv(name);
        return std::string(v && *v ? v : fallback);
    };
    uvmysql::ConnectOptions opt;
    opt.host = env("UVMYSQL_TEST_HOST", "127.0.0.1");
    opt.port = std::stoi(env("UVMYSQL_TEST_PORT", "3307"));
    opt.user = env("UVMYSQL_TEST_USER", "root");
    opt.password = env("UVMYSQL_TEST_PASSWORD", "");
    opt.db = std::move(db);
    return opt;
}

}  // namespace samples
