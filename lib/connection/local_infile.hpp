// SPDX-License-Identifier: MIT
// LOAD DATA LOCAL INFILE: answers the server's file request, only for the file the statement named.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "connection/session_state.hpp"

namespace uvmysql::detail {

/// The file name a `LOAD DATA ... LOCAL INFILE 'name'` statement names, unquoted the way the
/// server reads string literals (backslash escapes unless `no_backslash_escapes`); nullopt
/// when `sql` is not such a statement.
[[nodiscard]] std::optional<std::string> local_infile_name(std::string_view sql, bool no_backslash_escapes = false);

/// Answers a LOCAL INFILE request for `requested` made during `sql`. Appends to `s.out` the file's contents
/// followed by the empty packet that ends them, or only the empty packet when the transfer is
/// refused: local_infile is off, or the server asked for a file the statement did not name (a
/// rogue server trying to read the client's files), or the file cannot be read. The returned
/// Status says why it was refused (ok when the file was sent).
Status send_local_infile(SessionState& s, std::string_view sql, std::string_view requested);

}  // namespace uvmysql::detail
