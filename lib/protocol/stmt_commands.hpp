// SPDX-License-Identifier: MIT
// Prepared-statement commands without parameters: PREPARE, SEND_LONG_DATA, RESET, CLOSE, FETCH.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// The statement id MariaDB (10.2+) reads as "the statement prepared just before in this
/// pipeline": COM_STMT_PREPARE and COM_STMT_EXECUTE sent together in one round trip.
inline constexpr std::uint32_t last_prepared_statement = 0xFFFFFFFF;

/// COM_STMT_PREPARE: 0x16 + the statement, with `?` placeholders. Response: ERR, or
/// COM_STMT_PREPARE_OK and its definitions (see stmt_prepare_response.hpp).
void serialize_com_stmt_prepare(std::vector<std::uint8_t>& out, std::string_view sql);

/// COM_STMT_SEND_LONG_DATA: 0x18, int<4> statement id, int<2> parameter index (0-based), the
/// chunk. The server appends the chunk to the parameter's value until the next execute or
/// reset. No response, not even an error (that comes with the execute).
void serialize_com_stmt_send_long_data(std::vector<std::uint8_t>& out, std::uint32_t statement_id,
                                       std::uint16_t param_index, Bytes chunk);

/// COM_STMT_RESET: 0x1A + int<4> statement id: drops long data and an open cursor.
/// Response: OK or ERR.
void serialize_com_stmt_reset(std::vector<std::uint8_t>& out, std::uint32_t statement_id);

/// COM_STMT_CLOSE: 0x19 + int<4> statement id. No response.
void serialize_com_stmt_close(std::vector<std::uint8_t>& out, std::uint32_t statement_id);

/// COM_STMT_FETCH: 0x1C, int<4> statement id, int<4> number of rows, for a statement executed
/// with a cursor. Response: up to `rows` binary rows then an EOF/OK whose status has
/// SERVER_STATUS_CURSOR_EXISTS, plus SERVER_STATUS_LAST_ROW_SENT after the last row; or ERR.
void serialize_com_stmt_fetch(std::vector<std::uint8_t>& out, std::uint32_t statement_id, std::uint32_t rows);

}  // namespace uvmysql::detail
