// SPDX-License-Identifier: MIT
// Soak: 20,000 connect/query/close cycles and 200,000 queries on one connection, with the
// process's RSS sampled: after a warm-up it must stay flat (a leak of even a few hundred bytes
// per cycle would show). Under the sanitizers a fifth of the work runs, and LeakSanitizer
// checks at exit that nothing was left allocated; their allocator's quarantine makes RSS
// meaningless there, so the RSS bound is checked in the plain build.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "fault_test_support.hpp"

#include "sanitizers.hpp"

namespace uvmysql::test {
namespace {

#ifdef UVMYSQL_TEST_ASAN
constexpr bool sanitized = true;
constexpr int scale_down = 5;
#else
constexpr bool sanitized = false;
constexpr int scale_down = 1;
#endif

/// Resident set size of this process, in KiB.
long rss_kib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

Task<void> connect_query_close(uv_loop_t* loop, ConnectOptions opt, int cycles) {
    for (int i = 0; i < cycles; ++i) {
        Connection c = co_await connect(loop, opt);
        auto sets = co_await c.query("SELECT 1");
        if (sets.at(0).rows.at(0).at(0).as<std::int64_t>() != 1) throw std::logic_error("wrong row");
        c.close();
    }
}

Task<void> queries(Connection c, int n) {
    for (int i = 0; i < n; ++i) {
        auto sets = co_await c.query("SELECT " + std::to_string(i));
        if (sets.at(0).rows.at(0).at(0).as<std::int64_t>() != i) throw std::logic_error("wrong row");
    }
}

using SoakTest = FaultTest;

/// Runs `phase(n)` once as a warm-up of a tenth, then for the rest, and reports the RSS growth
/// of the second part.
template <class Phase>
long rss_growth_kib(const char* name, int total, Phase phase) {
    phase(total / 10);
    const long before = rss_kib();
    const auto start = Clock::now();
    phase(total - total / 10);
    const long after = rss_kib();
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("soak %s: %d more in %.1f s, RSS %ld -> %ld KiB\n", name, total - total / 10, s, before, after);
    return after - before;
}

TEST_F(SoakTest, ConnectQueryCloseCycles) {
    ConnectOptions opt = server_options();
    const long growth = rss_growth_kib("connect/query/close cycles", 20'000 / scale_down, [&](int n) {
        wait(spawn(connect_query_close(loop(), opt, n)), 600s);
    });
    if (!sanitized) {
        EXPECT_LT(growth, 2048) << "RSS grew by " << growth << " KiB";
    }
}

TEST_F(SoakTest, QueriesOnOneConnection) {
    Connection c = open(server_options());
    const long growth = rss_growth_kib("queries on one connection", 200'000 / scale_down, [&](int n) {
        wait(spawn(queries(c, n)), 600s);
    });
    if (!sanitized) {
        EXPECT_LT(growth, 1024) << "RSS grew by " << growth << " KiB";
    }
}

}  // namespace
}  // namespace uvmysql::test
