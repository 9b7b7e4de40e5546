// SPDX-License-Identifier: MIT
// ConnectOptions::hosts: entry parsing, and the order HostHealth gives each policy, with back-off.
#include "connection/host_list.hpp"

#include <gtest/gtest.h>

#include <set>

namespace uvmysql::detail {
namespace {

using namespace std::chrono_literals;
using Clock = HostHealth::Clock;

HostAddress parsed(std::string_view entry) {
    HostAddress a;
    const Status st = parse_host_entry(entry, 3306, a);
    EXPECT_TRUE(st.ok()) << entry << ": " << st.message;
    return a;
}

std::string error_of(std::string_view entry) {
    HostAddress a;
    const Status st = parse_host_entry(entry, 3306, a);
    EXPECT_FALSE(st.ok()) << entry;
    EXPECT_EQ(st.client_kind, ClientKind::programming);
    return st.message;
}

TEST(HostList, ParsesEveryForm) {
    EXPECT_EQ(parsed("db1"), (HostAddress{"db1", 3306}));
    EXPECT_EQ(parsed("db1:3307"), (HostAddress{"db1", 3307}));
    EXPECT_EQ(parsed("10.0.0.5:13306"), (HostAddress{"10.0.0.5", 13306}));
    EXPECT_EQ(parsed("[::1]:3310"), (HostAddress{"::1", 3310}));
    EXPECT_EQ(parsed("[fe80::1]"), (HostAddress{"fe80::1", 3306}));
    EXPECT_EQ(parsed("::1"), (HostAddress{"::1", 3306}));   // a bare IPv6 address has no port
    EXPECT_EQ(parsed("[::1]:3310").name(), "[::1]:3310");
    EXPECT_EQ(parsed("db1").name(), "db1:3306");
}

TEST(HostList, RefusesBadEntries) {
    EXPECT_NE(error_of("").find("no host"), std::string::npos);
    EXPECT_NE(error_of(":3306").find("no host"), std::string::npos);
    EXPECT_NE(error_of("db1:").find("empty port"), std::string::npos);
    EXPECT_NE(error_of("db1:abc").find("not a number"), std::string::npos);
    EXPECT_NE(error_of("db1:3306x").find("not a number"), std::string::npos);
    EXPECT_NE(error_of("db1:0").find("outside"), std::string::npos);
    EXPECT_NE(error_of("db1:65536").find("outside"), std::string::npos);
    EXPECT_NE(error_of("[::1").find("']'"), std::string::npos);
    EXPECT_NE(error_of("[::1]x").find("':'"), std::string::npos);
}

class HostHealthTest : public testing::Test {
protected:
    void SetUp() override { health().reset(); }
    void TearDown() override { health().reset(); }
    static HostHealth& health() { return HostHealth::instance(); }
    const std::vector<HostAddress> hosts{{"a", 1}, {"b", 2}, {"c", 3}};
    static std::string names(const std::vector<HostAddress>& order) {
        std::string s;
        for (const auto& h : order) s += h.host;
        return s;
    }
    Clock::time_point now = Clock::now();
};

TEST_F(HostHealthTest, SequentialKeepsTheGivenOrder) {
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now)), "abc");
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now)), "abc");
}

TEST_F(HostHealthTest, RoundRobinStartsOneFurtherEachTime) {
    EXPECT_EQ(names(health().order(hosts, HostPolicy::round_robin, now)), "abc");
    EXPECT_EQ(names(health().order(hosts, HostPolicy::round_robin, now)), "bca");
    EXPECT_EQ(names(health().order(hosts, HostPolicy::round_robin, now)), "cab");
    EXPECT_EQ(names(health().order(hosts, HostPolicy::round_robin, now)), "abc");
}

TEST_F(HostHealthTest, RandomIsAPermutationAndVaries) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        std::string n = names(health().order(hosts, HostPolicy::random, now));
        std::string sorted = n;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(sorted, "abc");
        seen.insert(n);
    }
    EXPECT_GT(seen.size(), 3u);   // six orders exist; 200 draws see more than three
}

TEST_F(HostHealthTest, LeastConnectionsPrefersTheLeastLoaded) {
    health().opened(hosts[0]);
    health().opened(hosts[0]);
    health().opened(hosts[1]);
    EXPECT_EQ(names(health().order(hosts, HostPolicy::least_connections, now)), "cba");
    health().closed(hosts[0]);
    health().closed(hosts[0]);
    EXPECT_EQ(health().live(hosts[0]), 0u);
    EXPECT_EQ(names(health().order(hosts, HostPolicy::least_connections, now)), "acb");
    health().closed(hosts[0]);   // never below zero
    EXPECT_EQ(health().live(hosts[0]), 0u);
}

TEST_F(HostHealthTest, FailedHostsGoLastWithADoublingBackOff) {
    health().failed(hosts[0], 100ms, now);
    EXPECT_TRUE(health().backing_off(hosts[0], now + 99ms));
    EXPECT_FALSE(health().backing_off(hosts[0], now + 100ms));
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now)), "bca");
    health().failed(hosts[0], 100ms, now);   // second failure in a row: 200 ms
    EXPECT_TRUE(health().backing_off(hosts[0], now + 199ms));
    health().failed(hosts[1], 100ms, now);   // b retries sooner than a: b before a
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now)), "cba");
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now + 1s)), "abc");   // all retried
    for (int i = 0; i < 20; ++i) health().failed(hosts[2], 100ms, now);
    EXPECT_TRUE(health().backing_off(hosts[2], now + 6399ms));   // capped at 64 times
    EXPECT_FALSE(health().backing_off(hosts[2], now + 6400ms));
    health().opened(hosts[2]);   // a success forgets the failures
    EXPECT_FALSE(health().backing_off(hosts[2], now));
}

TEST_F(HostHealthTest, WithAProberAFailedHostWaitsForItsProbeNotForItsBackOff) {
    health().failed(hosts[0], 100ms, now);
    std::vector<HostAddress> probe;
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now, &probe)), "bca");   // backing off
    EXPECT_TRUE(probe.empty());
    // Back-off over: still last, handed out for one probe, and only once while it runs.
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now + 200ms, &probe)), "bca");
    EXPECT_EQ(names(probe), "a");
    probe.clear();
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now + 300ms, &probe)), "bca");
    EXPECT_TRUE(probe.empty());
    // Still down: it backs off again, doubled (200 ms), then is probed again.
    health().probe_done(hosts[0], false, 100ms, now + 300ms);
    EXPECT_TRUE(health().backing_off(hosts[0], now + 499ms));
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now + 500ms, &probe)), "bca");
    EXPECT_EQ(names(probe), "a");
    probe.clear();
    // It answered: it serves again, in its place.
    health().probe_done(hosts[0], true, 100ms, now + 500ms);
    EXPECT_EQ(names(health().order(hosts, HostPolicy::sequential, now + 500ms, &probe)), "abc");
    EXPECT_TRUE(probe.empty());
}

TEST_F(HostHealthTest, NoProbeAsideWhenNoOtherHostServes) {
    for (const HostAddress& h : hosts) health().failed(h, 100ms, now);
    std::vector<HostAddress> probe;
    // Every host failed: the call itself tries them, soonest back-off first; nothing is probed aside.
    EXPECT_EQ(health().order(hosts, HostPolicy::sequential, now + 1s, &probe).size(), 3u);
    EXPECT_TRUE(probe.empty());
}

}  // namespace
}  // namespace uvmysql::detail
