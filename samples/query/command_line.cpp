// SPDX-License-Identifier: MIT
// Flag table and parser for uvmysql-query: --name=value, --name value, -xVALUE, -x VALUE, "--".
#include "command_line.hpp"

#include <unistd.h>

#include <array>
#include <charconv>
#include <filesystem>
#include <optional>

namespace query_tool {

namespace {

/// What the flags set before they are folded into QueryCommand.
struct ParseState {
    QueryCommand cmd;
    bool tls = false;
    uvmysql::SslOptions ssl;
    std::string group_suffix;
    bool has_group_suffix = false;
};

struct Flag {
    std::string_view long_name;   // without the leading "--"
    char short_name;              // 0: no short form
    bool takes_value;
    void (*apply)(ParseState&, std::string_view value);
};

int parse_int(std::string_view flag, std::string_view text, int min, int max) {
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < min || n > max) {
        throw UsageError("--" + std::string(flag) + " wants a number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", not '" + std::string(text) + "'");
    }
    return n;
}

const std::array flags{
    Flag{"execute", 'e', true, [](ParseState& s, std::string_view v) { s.cmd.sql.emplace_back(v); }},
    Flag{"host", 'h', true, [](ParseState& s, std::string_view v) { s.cmd.connect.host = v; }},
    Flag{"port", 'P', true,
         [](ParseState& s, std::string_view v) { s.cmd.connect.port = parse_int("port", v, 1, 65535); }},
    Flag{"socket", 'S', true, [](ParseState& s, std::string_view v) { s.cmd.connect.unix_socket = v; }},
    Flag{"user", 'u', true, [](ParseState& s, std::string_view v) { s.cmd.connect.user = v; }},
    Flag{"password", 'p', true, [](ParseState& s, std::string_view v) { s.cmd.connect.password = v; }},
    Flag{"database", 'D', true, [](ParseState& s, std::string_view v) { s.cmd.connect.db = std::string(v); }},
    Flag{"connect-timeout", 0, true,
         [](ParseState& s, std::string_view v) {
             s.cmd.connect.connect_timeout = std::chrono::seconds(parse_int("connect-timeout", v, 1, 3600));
         }},
    Flag{"timeout", 0, true,
         [](ParseState& s, std::string_view v) {
             s.cmd.connect.query_timeout = std::chrono::milliseconds(parse_int("timeout", v, 1, 86'400'000));
         }},
    Flag{"defaults-file", 0, true,
         [](ParseState& s, std::string_view v) { s.cmd.connect.read_default_file = v; }},
    Flag{"defaults-group-suffix", 0, true,
         [](ParseState& s, std::string_view v) {
             s.group_suffix = v;
             s.has_group_suffix = true;
         }},
    Flag{"tls", 0, false, [](ParseState& s, std::string_view) { s.tls = true; }},
    Flag{"ssl", 0, false, [](ParseState& s, std::string_view) { s.tls = true; }},
    Flag{"ca", 0, true, [](ParseState& s, std::string_view v) { s.tls = true; s.ssl.ca = v; }},
    Flag{"ssl-ca", 0, true, [](ParseState& s, std::string_view v) { s.tls = true; s.ssl.ca = v; }},
    Flag{"ssl-cert", 0, true, [](ParseState& s, std::string_view v) { s.tls = true; s.ssl.cert = v; }},
    Flag{"ssl-key", 0, true, [](ParseState& s, std::string_view v) { s.tls = true; s.ssl.key = v; }},
    Flag{"compress", 'C', false, [](ParseState& s, std::string_view) { s.cmd.connect.compress = true; }},
    Flag{"compression-algorithms", 0, true,
         [](ParseState& s, std::string_view v) { s.cmd.connect.compression_algorithms = v; }},
    Flag{"zstd-compression-level", 0, true,
         [](ParseState& s, std::string_view v) {
             s.cmd.connect.zstd_compression_level = parse_int("zstd-compression-level", v, 1, 22);
         }},
    Flag{"dict", 0, false, [](ParseState& s, std::string_view) { s.cmd.dict = true; }},
    Flag{"stream", 0, false, [](ParseState& s, std::string_view) { s.cmd.stream = true; }},
    Flag{"help", '?', false, [](ParseState& s, std::string_view) { s.cmd.help = true; }},
    Flag{"version", 'V', false, [](ParseState& s, std::string_view) { s.cmd.version = true; }},
};

const Flag* find_long(std::string_view name) {
    for (const Flag& f : flags) {
        if (f.long_name == name) return &f;
    }
    return nullptr;
}

const Flag* find_short(char name) {
    for (const Flag& f : flags) {
        if (f.short_name == name) return &f;
    }
    return nullptr;
}

/// Folds the flags into connect options; checks what only the whole command line can tell.
QueryCommand finish(ParseState s) {
    QueryCommand& cmd = s.cmd;
    if (s.tls) cmd.connect.ssl = s.ssl;
    if (s.has_group_suffix) {
        if (cmd.connect.read_default_file.empty()) {
            throw UsageError("--defaults-group-suffix needs --defaults-file (no other option file is read)");
        }
        cmd.connect.read_default_group = "client" + s.group_suffix;
    }
    if (const std::string& file = cmd.connect.read_default_file; !file.empty()) {
        // Checked without opening it: a FIFO would block here (the library refuses non-regular files).
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec) || ::access(file.c_str(), R_OK) != 0) {
            throw UsageError("cannot read --defaults-file '" + file + "': not a readable regular file");
        }
    }
    // Several statements per SQL text, as `mysql -e "...; ..."` allows.
    cmd.connect.client_flag |= uvmysql::client_flag::multi_statements;
    // Every statement commits, as in the mysql client (uvmysql's own default is aiomysql's off).
    cmd.connect.autocommit = true;
    cmd.connect.program_name = "uvmysql-query";
    return std::move(cmd);
}

}  // namespace

QueryCommand parse_command_line(const std::vector<std::string_view>& args) {
    ParseState state;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--") {
            for (++i; i < args.size(); ++i) state.cmd.sql.emplace_back(args[i]);
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            if (arg == "-") throw UsageError("'-' is not an option: give no SQL argument to read stdin");
            state.cmd.sql.emplace_back(arg);
            continue;
        }
        const Flag* flag = nullptr;
        std::optional<std::string_view> value;
        std::string shown;   // the flag as the user wrote it, for messages
        if (arg[1] == '-') {
            const auto eq = arg.find('=');
            const auto name = arg.substr(2, eq == std::string_view::npos ? std::string_view::npos : eq - 2);
            shown = "--" + std::string(name);
            flag = find_long(name);
            if (eq != std::string_view::npos) value = arg.substr(eq + 1);
        } else {
            shown = std::string(arg.substr(0, 2));
            flag = find_short(arg[1]);
            if (arg.size() > 2) value = arg.substr(2);
        }
        if (flag == nullptr) throw UsageError("unknown option " + shown + " (see --help)");
        if (!flag->takes_value && value) throw UsageError("option " + shown + " takes no value");
        if (flag->takes_value && !value) {
            if (i + 1 >= args.size()) throw UsageError("option " + shown + " needs a value");
            value = args[++i];
        }
        flag->apply(state, value.value_or(std::string_view()));
    }
    return finish(std::move(state));
}

std::string usage_text() {
    return R"(Usage: uvmysql-query [OPTIONS] [SQL ...]
Runs SQL on a MySQL/MariaDB server and prints each result row as one line of JSON.
SQL comes from -e and positional arguments (each one query, which may hold several
statements separated by ';'), or from stdin when there are none. See docs/query-tool.md.

Connection:
  -h, --host=HOST            server host (default localhost)
  -P, --port=PORT            TCP port (default 3306)
  -S, --socket=PATH          unix socket (used instead of TCP when given)
  -u, --user=USER            user (default: the login name)
  -p, --password=PASSWORD    password (there is no prompt)
  -D, --database=DB          initial database
      --connect-timeout=S    seconds for connect and login (default 10)
      --timeout=MS           time limit of each statement: past it the statement is
                             killed (KILL QUERY) and reported as error 1969
      --defaults-file=FILE   read [client] of this option file (flags win over it)
      --defaults-group-suffix=SUF
                             also read [client<SUF>] of that file
TLS (any of these makes TLS required):
      --tls, --ssl           require TLS, verify the server against the system CAs
      --ca, --ssl-ca=FILE    verify the server against this CA file (PEM)
      --ssl-cert=FILE        client certificate (PEM)
      --ssl-key=FILE         its private key (PEM)
Compression (after the login; a server without it gives a plain session):
  -C, --compress             the compressed protocol (zlib)
      --compression-algorithms=LIST
                             zlib, zstd, uncompressed: comma-separated, preferred first
      --zstd-compression-level=N
                             1 to 22 (default 3)
Output:
      --dict                 rows as JSON objects keyed by column name (default: arrays)
      --stream               read rows from the server as they are printed (flat memory)
  -e, --execute=SQL          SQL to run (repeatable)
  -?, --help                 this text
  -V, --version              the version

Exit status: 0 success, 1 a statement failed, 2 usage error, 3 could not connect.
Errors are one JSON object on stderr: {"errno":..,"sqlstate":..,"class":..,"message":..}.
)";
}

}  // namespace query_tool
