// SPDX-License-Identifier: MIT
// my.cnf parsing: groups, key=value, quotes, comments, !include / !includedir.
#include "connection/option_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connection/host_list.hpp"

namespace uvmysql::detail {

namespace {

constexpr int max_include_depth = 10;
/// Option files are a few hundred bytes; anything this big is a mistake (or /dev/zero).
constexpr std::size_t max_option_file_size = 1024 * 1024;

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

std::string normalise_key(std::string_view key) {
    std::string out(key);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

Status syntax_error(const std::string& file, int line, std::string_view what) {
    return Status::client(cr::unknown_error,
                          "option file " + file + " line " + std::to_string(line) + ": " + std::string(what),
                          ClientKind::programming);
}

// A value may be quoted ('...' or "..."), with backslash escapes inside double quotes as the
// mysql client tools accept them; unquoted values end at an inline " #" comment.
bool unquote(std::string_view raw, std::string& out) {
    out.clear();
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
        const char q = raw.front();
        std::size_t i = 1;
        for (; i < raw.size() && raw[i] != q; ++i) {
            char c = raw[i];
            if (c == '\\' && i + 1 < raw.size()) {
                c = raw[++i];
                switch (c) {
                    case 'n': c = '\n'; break;
                    case 't': c = '\t'; break;
                    case 'r': c = '\r'; break;
                    case 'b': c = '\b'; break;
                    case 's': c = ' '; break;
                    default: break;
                }
            }
            out.push_back(c);
        }
        if (i >= raw.size()) return false;  // unterminated quote
        const auto rest = trim(raw.substr(i + 1));
        return rest.empty() || rest.front() == '#' || rest.front() == ';';
    }
    const auto hash = raw.find(" #");
    out = std::string(trim(raw.substr(0, hash)));
    return true;
}

}  // namespace

Status read_option_file(const std::string& path, OptionGroups& out, int depth) {
    auto unreadable = [&](const std::string& why) {
        return Status::client(cr::unknown_error, "cannot read option file '" + path + "': " + why,
                              ClientKind::operational);
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat on the open descriptor
    // then tells what it really is (no window between a check and the open).
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return unreadable(std::strerror(errno));
    struct stat info {};
    std::string text;
    std::string error;
    if (::fstat(fd, &info) != 0) {
        error = std::strerror(errno);
    } else if (!S_ISREG(info.st_mode)) {
        error = "not a regular file";
    } else if (info.st_size > static_cast<off_t>(max_option_file_size)) {
        error = "larger than " + std::to_string(max_option_file_size) + " bytes";
    } else {
        // Read to the end, but never past the cap: the file may grow while it is read.
        char buffer[8192];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                error = std::strerror(errno);
                break;
            }
            if (n == 0) break;
            text.append(buffer, static_cast<std::size_t>(n));
            if (text.size() > max_option_file_size) {
                error = "larger than " + std::to_string(max_option_file_size) + " bytes";
                break;
            }
        }
    }
    ::close(fd);
    if (!error.empty()) return unreadable(error);
    return parse_option_text(text, path, out, depth);
}

Status parse_option_text(std::string_view text, const std::string& file_name, OptionGroups& out, int depth) {
    if (depth > max_include_depth) return syntax_error(file_name, 0, "!include nested too deeply");
    const auto base_dir = std::filesystem::path(file_name).parent_path();
    std::string group;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto eol = std::min(text.find('\n', pos), text.size());
        const auto line = trim(text.substr(pos, eol - pos));
        pos = eol + 1;
        ++line_no;
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '!') {
            const auto space = line.find_first_of(" \t");
            const auto directive = line.substr(0, space);
            if (space == std::string_view::npos) return syntax_error(file_name, line_no, "directive without a path");
            auto target = std::filesystem::path(std::string(trim(line.substr(space))));
            if (target.is_relative()) target = base_dir / target;
            if (directive == "!include") {
                if (auto st = read_option_file(target.string(), out, depth + 1); !st.ok()) return st;
            } else if (directive == "!includedir") {
                std::error_code ec;
                std::vector<std::filesystem::path> files;
                for (const auto& entry : std::filesystem::directory_iterator(target, ec)) {
                    const auto ext = entry.path().extension();
                    if (ext == ".cnf" || ext == ".ini") files.push_back(entry.path());
                }
                std::sort(files.begin(), files.end());
                for (const auto& f : files) {
                    if (auto st = read_option_file(f.string(), out, depth + 1); !st.ok()) return st;
                }
            } else {
                return syntax_error(file_name, line_no, "unknown directive " + std::string(directive));
            }
            continue;
        }
        if (line.front() == '[') {
            if (line.back() != ']' || line.size() < 3) return syntax_error(file_name, line_no, "malformed group header");
            group = std::string(trim(line.substr(1, line.size() - 2)));
            continue;
        }
        if (group.empty()) return syntax_error(file_name, line_no, "option outside of any [group]");
        const auto eq = line.find('=');
        const auto key = normalise_key(trim(line.substr(0, eq)));
        if (key.empty()) return syntax_error(file_name, line_no, "option without a name");
        std::string value;
        if (eq != std::string_view::npos && !unquote(trim(line.substr(eq + 1)), value)) {
            return syntax_error(file_name, line_no, "unterminated quoted value");
        }
        out[group][key] = std::move(value);
    }
    return {};
}

namespace {

Status bad_value(const ConnectOptions& opt, const std::string& key, const std::string& value) {
    return Status::client(cr::unknown_error, "option file " + opt.read_default_file + ": invalid " + key + " '" + value + "'",
                          ClientKind::programming);
}

/// `host`: one host, or several separated by commas (ConnectOptions::hosts, each "host",
/// "host:port" or "[v6addr]:port"); `host-policy`: how connect() orders them. Only when the
/// code set neither `host` nor `hosts` (nor `host_policy`).
Status apply_hosts(const std::map<std::string, std::string>& merged, ConnectOptions& opt) {
    const auto host = merged.find("host");
    if (host != merged.end() && opt.host.empty() && opt.hosts.empty()) {
        const std::string& v = host->second;
        if (v.find(',') == std::string::npos) {
            opt.host = v;
        } else {
            std::vector<std::string> entries = split_host_list(v);
            if (std::find(entries.begin(), entries.end(), "") != entries.end()) {
                return bad_value(opt, "host list (an empty entry)", v);
            }
            opt.hosts = std::move(entries);
        }
    }
    const auto policy = merged.find("host-policy");
    if (policy != merged.end() && opt.host_policy == HostPolicy::sequential) {
        const std::optional<HostPolicy> parsed = parse_host_policy(policy->second);
        if (!parsed) return bad_value(opt, "host-policy", policy->second);
        opt.host_policy = *parsed;
    }
    return {};
}

// A boolean option: bare (no value) or 1/on/true in any case means on, as in the mysql client.
bool is_on(std::string_view v) {
    const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::string word(v);
    std::transform(word.begin(), word.end(), word.begin(), lower);
    return word.empty() || word == "1" || word == "on" || word == "true";
}

}  // namespace

Status apply_option_file(ConnectOptions& opt) {
    if (opt.read_default_file.empty()) return {};
    OptionGroups groups;
    if (auto st = read_option_file(opt.read_default_file, groups); !st.ok()) return st;

    std::map<std::string, std::string> merged;
    for (const std::string& name : {std::string("client"), opt.read_default_group}) {
        if (name.empty()) continue;
        if (auto it = groups.find(name); it != groups.end()) {
            for (const auto& [k, v] : it->second) merged[k] = v;
        }
    }
    auto fill = [&](const char* key, std::string& field) {
        if (auto it = merged.find(key); it != merged.end() && field.empty()) field = it->second;
    };
    fill("user", opt.user);
    fill("password", opt.password);
    if (auto st = apply_hosts(merged, opt); !st.ok()) return st;
    fill("socket", opt.unix_socket);
    fill("default-character-set", opt.charset);
    if (auto it = merged.find("database"); it != merged.end() && !opt.db) opt.db = it->second;
    if (auto it = merged.find("init-command"); it != merged.end() && !opt.init_command) opt.init_command = it->second;
    if (auto it = merged.find("port"); it != merged.end() && opt.port == 0) {
        int port = 0;
        const auto& v = it->second;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
        if (ec != std::errc{} || end != v.data() + v.size() || port <= 0 || port > 65535) {
            return bad_value(opt, "port", v);
        }
        opt.port = port;
    }
    if (auto it = merged.find("compress"); it != merged.end() && !opt.compress) opt.compress = is_on(it->second);
    fill("compression-algorithms", opt.compression_algorithms);
    if (auto it = merged.find("zstd-compression-level"); it != merged.end() && opt.zstd_compression_level == 3) {
        int level = 0;
        const auto& v = it->second;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), level);
        if (ec != std::errc{} || end != v.data() + v.size() || level < 1 || level > 22) {
            return bad_value(opt, "zstd-compression-level", v);
        }
        opt.zstd_compression_level = level;
    }
    // As the mysql client: a certificate file, `ssl` or `ssl-verify-server-cert` switches TLS on.
    const auto verify = merged.find("ssl-verify-server-cert");
    const auto ssl_key = merged.find("ssl");
    const bool wants_ssl = merged.count("ssl-ca") || merged.count("ssl-cert") || merged.count("ssl-key") ||
                           (ssl_key != merged.end() && is_on(ssl_key->second)) ||
                           (verify != merged.end() && is_on(verify->second));
    if (wants_ssl && !opt.ssl) {
        SslOptions ssl;
        fill("ssl-ca", ssl.ca);
        fill("ssl-cert", ssl.cert);
        fill("ssl-key", ssl.key);
        if (verify != merged.end()) ssl.verify_identity = is_on(verify->second);
        opt.ssl = ssl;
    }
    return {};
}

}  // namespace uvmysql::detail
