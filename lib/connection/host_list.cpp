// SPDX-License-Identifier: MIT
#include "connection/host_list.hpp"

#include <algorithm>
#include <charconv>

namespace uvmysql::detail {
namespace {

Status bad_entry(std::string_view entry, const char* why) {
    return Status::client(cr::unknown_error, "invalid entry '" + std::string(entry) + "' in ConnectOptions::hosts: " + why,
                          ClientKind::programming);
}

}  // namespace

std::string HostAddress::name() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Status parse_host_entry(std::string_view entry, int default_port, HostAddress& out) {
    std::string_view host = entry;
    std::string_view port;
    if (entry.starts_with('[')) {   // [v6]:port
        const auto close = entry.find(']');
        if (close == std::string_view::npos) return bad_entry(entry, "no closing ']'");
        host = entry.substr(1, close - 1);
        const auto rest = entry.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return bad_entry(entry, "expected ':' after ']'");
            port = rest.substr(1);
            if (port.empty()) return bad_entry(entry, "empty port");
        }
    } else if (const auto colon = entry.find(':'); colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
        host = entry.substr(0, colon);   // one colon: host:port (more: a bare IPv6 address)
        port = entry.substr(colon + 1);
        if (port.empty()) return bad_entry(entry, "empty port");
    }
    if (host.empty()) return bad_entry(entry, "no host");
    int p = default_port;
    if (!port.empty()) {
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || end != port.data() + port.size()) return bad_entry(entry, "the port is not a number");
    }
    if (p < 1 || p > 65535) return bad_entry(entry, "the port is outside 1..65535");
    out = HostAddress{std::string(host), p};
    return {};
}

std::vector<std::string> split_host_list(std::string_view list) {
    std::vector<std::string> entries;
    for (std::size_t start = 0; start <= list.size();) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string_view entry = list.substr(start, comma - start);
        while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
        while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
        entries.emplace_back(entry);
        start = comma + 1;
    }
    return entries;
}

std::optional<HostPolicy> parse_host_policy(std::string_view name) {
    std::string wanted(name);
    std::replace(wanted.begin(), wanted.end(), '_', '-');
    if (wanted == "sequential") return HostPolicy::sequential;
    if (wanted == "round-robin") return HostPolicy::round_robin;
    if (wanted == "random") return HostPolicy::random;
    if (wanted == "least-connections") return HostPolicy::least_connections;
    return std::nullopt;
}

Status parse_host_list(const std::vector<std::string>& entries, int default_port, std::vector<HostAddress>& out) {
    out.clear();
    out.reserve(entries.size());
    for (const auto& e : entries) {
        HostAddress a;
        if (auto st = parse_host_entry(e, default_port, a); !st.ok()) return st;
        out.push_back(std::move(a));
    }
    return {};
}

HostHealth& HostHealth::instance() {
    static HostHealth health;
    return health;
}

std::vector<HostAddress> HostHealth::order(std::vector<HostAddress> hosts, HostPolicy policy, Clock::time_point now,
                                           std::vector<HostAddress>* probe) {
    std::lock_guard lock(mutex_);
    const auto entry = [this](const HostAddress& h) -> const Entry* {
        const auto it = hosts_.find(h.name());
        return it == hosts_.end() ? nullptr : &it->second;
    };
    const auto retry_after = [&](const HostAddress& h) {
        const Entry* e = entry(h);
        return e == nullptr ? Clock::time_point{} : e->retry_after;
    };
    // With a prober, a host that failed waits for a probe's answer; without, for its back-off.
    const auto serving = [&](const HostAddress& h) {
        const Entry* e = entry(h);
        return e == nullptr || (probe != nullptr ? e->failures == 0 : e->retry_after <= now);
    };
    // Hosts backing off go last, soonest retry first; the others keep their order for now.
    const auto cooling = std::stable_partition(hosts.begin(), hosts.end(), serving);
    std::stable_sort(cooling, hosts.end(),
                     [&](const HostAddress& a, const HostAddress& b) { return retry_after(a) < retry_after(b); });
    const auto healthy = static_cast<std::size_t>(cooling - hosts.begin());
    if (probe != nullptr && healthy > 0) {
        for (auto it = cooling; it != hosts.end(); ++it) {
            Entry& e = hosts_[it->name()];
            if (e.retry_after <= now && !e.probing) {
                e.probing = true;
                probe->push_back(*it);
            }
        }
    }
    if (healthy > 1) {
        switch (policy) {
            case HostPolicy::sequential: break;
            case HostPolicy::round_robin:
                std::rotate(hosts.begin(), hosts.begin() + static_cast<std::ptrdiff_t>(next_round_++ % healthy), cooling);
                break;
            case HostPolicy::random: std::shuffle(hosts.begin(), cooling, rng_); break;
            case HostPolicy::least_connections:
                std::stable_sort(hosts.begin(), cooling, [this](const HostAddress& a, const HostAddress& b) {
                    const auto live = [this](const HostAddress& h) {
                        const auto it = hosts_.find(h.name());
                        return it == hosts_.end() ? std::size_t{0} : it->second.live;
                    };
                    return live(a) < live(b);
                });
                break;
        }
    }
    return hosts;
}

void HostHealth::failed(const HostAddress& host, std::chrono::milliseconds base, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Entry& e = hosts_[host.name()];
    e.failures = std::min(e.failures + 1, 7);
    e.retry_after = now + base * (1 << (e.failures - 1));
}

void HostHealth::probe_done(const HostAddress& host, bool answered, std::chrono::milliseconds base,
                            Clock::time_point now) {
    if (!answered) failed(host, base, now);
    std::lock_guard lock(mutex_);
    Entry& e = hosts_[host.name()];
    e.probing = false;
    if (answered) {
        e.failures = 0;
        e.retry_after = {};
    }
}

void HostHealth::opened(const HostAddress& host) {
    std::lock_guard lock(mutex_);
    Entry& e = hosts_[host.name()];
    e.failures = 0;
    e.retry_after = {};
    ++e.live;
}

void HostHealth::closed(const HostAddress& host) {
    std::lock_guard lock(mutex_);
    Entry& e = hosts_[host.name()];
    if (e.live > 0) --e.live;
}

std::size_t HostHealth::live(const HostAddress& host) {
    std::lock_guard lock(mutex_);
    const auto it = hosts_.find(host.name());
    return it == hosts_.end() ? 0 : it->second.live;
}

bool HostHealth::backing_off(const HostAddress& host, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = hosts_.find(host.name());
    return it != hosts_.end() && it->second.retry_after > now;
}

void HostHealth::reset() {
    std::lock_guard lock(mutex_);
    hosts_.clear();
    next_round_ = 0;
}

}  // namespace uvmysql::detail
