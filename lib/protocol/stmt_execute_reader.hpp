// SPDX-License-Identifier: MIT
// The server's side of COM_STMT_EXECUTE, for the fake server and round-trip tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.hpp"
#include "protocol/binary_param.hpp"
#include "protocol/bytes.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// A COM_STMT_EXECUTE as the server reads it.
struct StmtExecuteCommand {
    std::uint32_t statement_id = 0;
    std::uint8_t flags = 0;
    std::uint32_t iteration_count = 0;
    bool new_params_bound = false;
    /// The parameter types: read from the command when bound, else kept from the caller (the
    /// previous execute's, as a server remembers them).
    std::vector<ParamType> types;
    /// The parameters: LONGLONG/LONG/INT24/SHORT/TINY/YEAR as int64 (uint64 with the unsigned
    /// flag), FLOAT/DOUBLE as double, NEWDECIMAL/DECIMAL as Decimal, the BLOB types as bytes,
    /// the other strings as text, DATE/DATETIME/TIMESTAMP/TIME as Date/DateTime/Time, NULL.
    std::vector<Value> params;
};

/// Parses COM_STMT_EXECUTE for a statement of `param_count` placeholders. A wrong command
/// byte, a truncated or overlong payload, an unknown type, a temporal length the protocol does
/// not define, an invalid DECIMAL text, or unbound types that `out.types` cannot supply is
/// cr::malformed_packet. Parameters sent with COM_STMT_SEND_LONG_DATA are not supported here.
Status parse_com_stmt_execute(Bytes payload, std::size_t param_count, StmtExecuteCommand& out);

}  // namespace uvmysql::detail
