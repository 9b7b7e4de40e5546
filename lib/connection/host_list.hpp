// SPDX-License-Identifier: MIT
// ConnectOptions::hosts: parsing the entries, and the health each host has shown, which orders
// the candidates of the next connect().
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql::detail {

/// One entry of ConnectOptions::hosts.
struct HostAddress {
    std::string host;
    int port = 3306;
    /// "host:port" ("[::1]:3306" for an IPv6 address): the key of its health and its name in errors.
    [[nodiscard]] std::string name() const;
    bool operator==(const HostAddress&) const = default;
};

/// Parses "host", "host:port", "[v6]:port" or a bare IPv6 address; entries without a port get
/// `default_port`. An empty host or a port outside 1..65535 is a ProgrammingError.
[[nodiscard]] Status parse_host_entry(std::string_view entry, int default_port, HostAddress& out);
/// The entries of a comma-separated list ("db1:3306, db2"), each without surrounding spaces;
/// an empty entry stays empty (parse_host_entry refuses it).
[[nodiscard]] std::vector<std::string> split_host_list(std::string_view list);
/// "sequential", "round-robin", "random" or "least-connections" (`_` for `-` too), or nullopt.
[[nodiscard]] std::optional<HostPolicy> parse_host_policy(std::string_view name);
/// Every entry of `entries`, or the first error.
[[nodiscard]] Status parse_host_list(const std::vector<std::string>& entries, int default_port,
                                     std::vector<HostAddress>& out);

/// What connect() learnt of each host, shared by every connection of the process (any loop):
/// consecutive failures with their back-off, and the connections open to it now.
class HostHealth {
public:
    using Clock = std::chrono::steady_clock;

    static HostHealth& instance();

    /// The order in which to try `hosts`: those not backing off, arranged by `policy`, then
    /// those backing off, soonest retry first (tried only when the others failed).
    /// With `probe`, a host that failed stays among the latter even once its back-off is over,
    /// until a probe answers for it: such hosts that nobody probes yet are added to `*probe`
    /// (when other hosts are there to serve this call) for the caller to probe off its path,
    /// then report with probe_done().
    [[nodiscard]] std::vector<HostAddress> order(std::vector<HostAddress> hosts, HostPolicy policy, Clock::time_point now,
                                                 std::vector<HostAddress>* probe = nullptr);
    /// A probe of `host` (from order()) opened a session (its failures are forgotten) or
    /// failed (it backs off again, as failed() does).
    void probe_done(const HostAddress& host, bool answered, std::chrono::milliseconds base, Clock::time_point now);
    /// A connect to `host` failed: it backs off for `base` doubled per consecutive failure,
    /// at most 64 times `base`.
    void failed(const HostAddress& host, std::chrono::milliseconds base, Clock::time_point now);
    /// A session to `host` opened (its failures are forgotten) or closed.
    void opened(const HostAddress& host);
    void closed(const HostAddress& host);

    /// Open sessions to `host` (least_connections' measure) and whether it backs off at `now`.
    [[nodiscard]] std::size_t live(const HostAddress& host);
    [[nodiscard]] bool backing_off(const HostAddress& host, Clock::time_point now);
    /// Forgets everything (tests).
    void reset();

private:
    struct Entry {
        int failures = 0;
        Clock::time_point retry_after{};
        std::size_t live = 0;
        bool probing = false;   // a probe from order() is on its way
    };

    std::mutex mutex_;
    std::unordered_map<std::string, Entry> hosts_;
    std::size_t next_round_ = 0;   // round_robin's rotation
    std::minstd_rand rng_{std::random_device{}()};
};

}  // namespace uvmysql::detail
