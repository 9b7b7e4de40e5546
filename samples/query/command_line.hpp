// SPDX-License-Identifier: MIT
// uvmysql-query's command line: flags in the mysql client's spelling, turned into ConnectOptions.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <uvmysql/options.hpp>

namespace query_tool {

/// A command line that cannot be run (unknown flag, missing or bad value); what() says why.
class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// What the command line asks for.
struct QueryCommand {
    /// Connection settings from the flags, with the option file (read_default_file/group) left
    /// for connect() to apply: flags win over the file, as with the mysql client.
    uvmysql::ConnectOptions connect;
    /// SQL texts from -e/--execute and positional arguments, in order; each is sent as one
    /// COM_QUERY and may hold several statements. Empty: read the SQL from stdin.
    std::vector<std::string> sql;
    bool dict = false;      ///< --dict: rows as JSON objects (DictCursor)
    bool stream = false;    ///< --stream: rows read as they are printed (SSCursor)
    bool help = false;      ///< --help: print usage_text() and do nothing else
    bool version = false;   ///< --version
};

/// Parses argv[1..]. Throws UsageError for anything it cannot run.
[[nodiscard]] QueryCommand parse_command_line(const std::vector<std::string_view>& args);

/// The --help text.
[[nodiscard]] std::string usage_text();

}  // namespace query_tool
