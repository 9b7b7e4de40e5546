// SPDX-License-Identifier: MIT
// ConnectOptions::from_url(): `mysql://user:password@host:port,host2/db?option=value` into
// ConnectOptions, every part checked (a typo is an error, never an ignored option).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/status_error.hpp"
#include "connection/host_list.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql {
namespace {

[[noreturn]] void refuse(const std::string& why) {
    throw ProgrammingError(0, "HY000", "connection URL: " + why);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// RFC 3986 percent-decoding ("%40" is '@'); `+` stays `+`.
std::string decode(std::string_view s, const char* part) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        const int hi = i + 2 < s.size() ? hex_digit(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) refuse(std::string("bad percent-escape in the ") + part);
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

bool to_bool(const std::string& key, const std::string& v) {
    if (v == "1" || v == "true" || v == "on" || v == "yes") return true;
    if (v == "0" || v == "false" || v == "off" || v == "no") return false;
    refuse("option " + key + " wants true or false, not '" + v + "'");
}

template <class Int>
Int to_int(const std::string& key, const std::string& v, Int min) {
    Int n{};
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || end != v.data() + v.size() || v.empty() || n < min) {
        refuse("option " + key + " wants an integer >= " + std::to_string(min) + ", not '" + v + "'");
    }
    return n;
}

/// "500ms", "2s" or a number of seconds (aiomysql's unit for its timeouts).
std::chrono::milliseconds to_duration(const std::string& key, const std::string& v) {
    if (v.ends_with("ms")) return std::chrono::milliseconds(to_int<long long>(key, v.substr(0, v.size() - 2), 0));
    const std::string secs = v.ends_with('s') ? v.substr(0, v.size() - 1) : v;
    return std::chrono::seconds(to_int<long long>(key, secs, 0));
}

HostPolicy to_policy(const std::string& key, const std::string& v) {
    if (const std::optional<HostPolicy> policy = detail::parse_host_policy(v)) return *policy;
    refuse("option " + key + " wants sequential, round-robin, random or least-connections, not '" + v + "'");
}

using Setter = std::function<void(ConnectOptions&, const std::string& key, const std::string& value)>;

SslOptions& ssl_of(ConnectOptions& o) {
    if (!o.ssl) o.ssl = SslOptions{};
    return *o.ssl;
}

/// The options a URL may set, by their ConnectOptions name.
const std::map<std::string, Setter, std::less<>>& setters() {
    using K = const std::string&;
    static const std::map<std::string, Setter, std::less<>> table = {
        {"charset", [](ConnectOptions& o, K, K v) { o.charset = v; }},
        {"unix_socket", [](ConnectOptions& o, K, K v) { o.unix_socket = v; }},
        {"host_policy", [](ConnectOptions& o, K k, K v) { o.host_policy = to_policy(k, v); }},
        {"host_backoff", [](ConnectOptions& o, K k, K v) { o.host_backoff = to_duration(k, v); }},
        {"connect_timeout", [](ConnectOptions& o, K k, K v) { o.connect_timeout = to_duration(k, v); }},
        {"read_timeout", [](ConnectOptions& o, K k, K v) { o.read_timeout = to_duration(k, v); }},
        {"write_timeout", [](ConnectOptions& o, K k, K v) { o.write_timeout = to_duration(k, v); }},
        {"query_timeout", [](ConnectOptions& o, K k, K v) { o.query_timeout = to_duration(k, v); }},
        {"autocommit", [](ConnectOptions& o, K k, K v) { o.autocommit = to_bool(k, v); }},
        {"init_command", [](ConnectOptions& o, K, K v) { o.init_command = v; }},
        {"sql_mode", [](ConnectOptions& o, K, K v) { o.sql_mode = v; }},
        {"use_unicode", [](ConnectOptions& o, K k, K v) { o.use_unicode = to_bool(k, v); }},
        {"compress", [](ConnectOptions& o, K k, K v) { o.compress = to_bool(k, v); }},
        {"compression_algorithms", [](ConnectOptions& o, K, K v) { o.compression_algorithms = v; }},
        {"local_infile", [](ConnectOptions& o, K k, K v) { o.local_infile = to_bool(k, v); }},
        {"pipeline", [](ConnectOptions& o, K k, K v) { o.pipeline = to_bool(k, v); }},
        {"program_name", [](ConnectOptions& o, K, K v) { o.program_name = v; }},
        {"max_allowed_packet", [](ConnectOptions& o, K k, K v) { o.max_allowed_packet = to_int<std::uint32_t>(k, v, 1024); }},
        {"prepared_statement_cache_size",
         [](ConnectOptions& o, K k, K v) { o.prepared_statement_cache_size = to_int<std::size_t>(k, v, 0); }},
        {"ssl", [](ConnectOptions& o, K k, K v) {
             if (to_bool(k, v)) ssl_of(o);
             else o.ssl.reset();
         }},
        {"ssl_ca", [](ConnectOptions& o, K, K v) { ssl_of(o).ca = v; }},
        {"ssl_cert", [](ConnectOptions& o, K, K v) { ssl_of(o).cert = v; }},
        {"ssl_key", [](ConnectOptions& o, K, K v) { ssl_of(o).key = v; }},
        {"ssl_verify_cert", [](ConnectOptions& o, K k, K v) { ssl_of(o).verify_cert = to_bool(k, v); }},
        {"ssl_verify_identity", [](ConnectOptions& o, K k, K v) { ssl_of(o).verify_identity = to_bool(k, v); }},
    };
    return table;
}

void apply_query(std::string_view query, ConnectOptions& opt) {
    while (!query.empty()) {
        const std::size_t amp = std::min(query.find('&'), query.size());
        const std::string_view pair = query.substr(0, amp);
        query = amp < query.size() ? query.substr(amp + 1) : std::string_view{};
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos) refuse("option '" + decode(pair, "options") + "' has no value");
        std::string key = decode(pair.substr(0, eq), "options");
        std::replace(key.begin(), key.end(), '-', '_');
        const auto it = setters().find(key);
        if (it == setters().end()) refuse("unknown option '" + key + "'");
        it->second(opt, key, decode(pair.substr(eq + 1), "options"));
    }
}

void apply_hosts(std::string_view list, ConnectOptions& opt) {
    if (list.empty()) return;   // localhost (or unix_socket)
    std::vector<std::string> entries = detail::split_host_list(list);
    for (std::string& entry : entries) entry = decode(entry, "host list");
    std::vector<detail::HostAddress> addresses;
    if (auto st = detail::parse_host_list(entries, 3306, addresses); !st.ok()) refuse(st.message);
    if (entries.size() == 1) {
        opt.host = addresses.front().host;
        opt.port = addresses.front().port;
    } else {
        opt.hosts = std::move(entries);
    }
}

}  // namespace

ConnectOptions ConnectOptions::from_url(std::string_view url) {
    std::string_view rest = url;
    std::size_t scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos) refuse("expected mysql:// or mariadb://");
    std::string scheme(rest.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    if (scheme != "mysql" && scheme != "mariadb") refuse("unknown scheme '" + scheme + "' (mysql or mariadb)");
    rest.remove_prefix(scheme_end + 3);

    ConnectOptions opt;
    const std::size_t query_at = std::min(rest.find('?'), rest.size());
    const std::string_view query = query_at < rest.size() ? rest.substr(query_at + 1) : std::string_view{};
    rest = rest.substr(0, query_at);
    const std::size_t path_at = std::min(rest.find('/'), rest.size());
    std::string_view authority = rest.substr(0, path_at);
    if (path_at < rest.size()) {
        const std::string db = decode(rest.substr(path_at + 1), "database");
        if (db.find('/') != std::string::npos) refuse("the database name contains '/'");
        if (!db.empty()) opt.db = db;
    }
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        const std::size_t colon = userinfo.find(':');
        opt.user = decode(userinfo.substr(0, colon), "user");
        if (colon != std::string_view::npos) opt.password = decode(userinfo.substr(colon + 1), "password");
        authority.remove_prefix(at + 1);
    }
    apply_hosts(authority, opt);
    apply_query(query, opt);
    if (!opt.hosts.empty() && !opt.unix_socket.empty()) refuse("several hosts cannot go with unix_socket");
    return opt;
}

}  // namespace uvmysql
