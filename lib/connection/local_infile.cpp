// SPDX-License-Identifier: MIT
#include "connection/local_infile.hpp"

#include <cctype>
#include <fstream>
#include <vector>

#include "protocol/capabilities.hpp"

namespace uvmysql::detail {

namespace {

constexpr std::size_t chunk_size = 1 << 20;

Status refuse(SessionState& s, std::string why) {
    s.send([](std::vector<std::uint8_t>&) {});   // empty packet: no (more) data
    return Status::client(cr::unknown_error, std::move(why), ClientKind::operational);
}

/// What the server makes of `\c` inside a string literal.
std::string unescape(char c) {
    switch (c) {
        case '0': return std::string(1, '\0');
        case 'b': return "\b";
        case 'n': return "\n";
        case 'r': return "\r";
        case 't': return "\t";
        case 'Z': return "\x1a";
        case '%': return "\\%";   // kept with their backslash (LIKE patterns)
        case '_': return "\\_";
        default: return std::string(1, c);
    }
}

}  // namespace

std::optional<std::string> local_infile_name(std::string_view sql, bool no_backslash_escapes) {
    // LOAD DATA [LOW_PRIORITY | CONCURRENT] LOCAL INFILE 'name' ...: the words in this order at
    // the start of the statement, so that text inside strings or a server-side INFILE never counts.
    std::size_t i = 0;
    auto next_word = [&]() {
        while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
        const std::size_t begin = i;
        while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) ++i;
        std::string word(sql.substr(begin, i - begin));
        for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return word;
    };
    if (next_word() != "LOAD" || next_word() != "DATA") return std::nullopt;
    std::string word = next_word();
    if (word == "LOW_PRIORITY" || word == "CONCURRENT") word = next_word();
    if (word != "LOCAL" || next_word() != "INFILE") return std::nullopt;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (i >= sql.size() || (sql[i] != '\'' && sql[i] != '"')) return std::nullopt;
    const char quote = sql[i++];
    std::string name;
    for (; i < sql.size(); ++i) {
        if (sql[i] == '\\' && !no_backslash_escapes && i + 1 < sql.size()) {
            name += unescape(sql[++i]);
        } else if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                name.push_back(quote);
                ++i;
            } else {
                return name;
            }
        } else {
            name.push_back(sql[i]);
        }
    }
    return std::nullopt;
}

Status send_local_infile(SessionState& s, std::string_view sql, std::string_view requested) {
    if (!s.options->local_infile) {
        return refuse(s, "LOAD DATA LOCAL INFILE is disabled (enable the local_infile option)");
    }
    const auto named = local_infile_name(sql, s.status & status::no_backslash_escapes);
    if (!named || *named != requested) {
        return refuse(s, "the server asked for local file '" + std::string(requested) +
                                "', which the statement did not name; refused");
    }
    std::ifstream in(*named, std::ios::binary);
    if (!in) return refuse(s, "cannot read local file '" + *named + "'");
    // Blocking reads on the loop thread: acceptable for the files LOAD DATA is used with on a
    // local disk; see docs/connection.md.
    std::vector<char> buf(chunk_size);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        s.send([&](std::vector<std::uint8_t>& out) { out.insert(out.end(), buf.data(), buf.data() + n); });
    }
    s.send([](std::vector<std::uint8_t>&) {});   // the empty packet ends the file
    return {};
}

}  // namespace uvmysql::detail
