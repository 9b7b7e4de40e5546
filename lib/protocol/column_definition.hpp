// SPDX-License-Identifier: MIT
// ColumnDefinition41: one column's metadata in a result set.
#pragma once

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::detail {

/// Parses a ColumnDefinition41 into `out`, reusing its strings' capacity. The six lenenc
/// strings must be followed by the fixed-length block (lenenc 0x0C + 12 bytes); bytes after
/// it (COM_FIELD_LIST default values) are ignored. Field types the enum does not name are
/// kept as their raw code. Anything truncated is cr::malformed_packet.
Status parse_column_definition41(Bytes payload, ColumnInfo& out);

}  // namespace uvmysql::detail
