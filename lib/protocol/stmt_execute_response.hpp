// SPDX-License-Identifier: MIT
// The result set header that answers COM_STMT_EXECUTE, with MariaDB's metadata-cache flag.
#pragma once

#include <cstdint>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// A result set header: the column count and whether the column definitions follow.
struct ExecuteResultHeader {
    std::uint64_t column_count = 0;
    /// False only under MARIADB_CLIENT_CACHE_METADATA when the server skips the definitions
    /// because they did not change since PREPARE (or the last execute): the client reuses its own.
    bool metadata_follows = true;
};

/// Parses the first packet of a result set (after classify_command_response said result_set):
/// lenenc column count (1..65535), then, when `capabilities` has mariadb_cap::cache_metadata,
/// int<1> metadata-follows. Anything else, or bytes after them, is cr::malformed_packet.
/// Without that capability it accepts exactly what parse_column_count accepts.
Status parse_execute_result_header(Bytes payload, std::uint64_t capabilities, ExecuteResultHeader& out);

}  // namespace uvmysql::detail
