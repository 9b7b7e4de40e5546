// SPDX-License-Identifier: MIT
// Reads MySQL option files (my.cnf) into ConnectOptions, as PyMySQL's read_default_file does.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql::detail {

/// One option file, parsed: group name -> (option name -> value). Option names are normalised
/// with '_' replaced by '-' so `default_character_set` and `default-character-set` match.
using OptionGroups = std::map<std::string, std::map<std::string, std::string>>;

/// Parses option file text. `!include FILE` and `!includedir DIR` are followed (relative to
/// `base_dir`) up to a small depth. Syntax errors give a ProgrammingError-class Status naming
/// the file and line.
Status parse_option_text(std::string_view text, const std::string& file_name, OptionGroups& out, int depth = 0);

/// Reads `path` and parses it. A missing or unreadable file, one that is not a regular file
/// (a FIFO, a device such as /dev/zero, a directory) or one larger than 1 MiB is an
/// OperationalError-class Status; nothing blocks and nothing grows without bound.
Status read_option_file(const std::string& path, OptionGroups& out, int depth = 0);

/// Applies `[client]` then `[<read_default_group>]` of opt.read_default_file to the fields of
/// `opt` that the caller left empty (PyMySQL: explicit arguments win). Keys: user, password,
/// host, database, socket, port, default-character-set, ssl-ca, ssl-cert, ssl-key,
/// ssl-verify-server-cert, init-command.
Status apply_option_file(ConnectOptions& opt);

}  // namespace uvmysql::detail
