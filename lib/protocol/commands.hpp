// SPDX-License-Identifier: MIT
// Command phase: command codes and the payloads of the text-protocol utility commands.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace uvmysql::detail {

/// First byte of a command payload (enum_server_command).
enum class Command : std::uint8_t {
    sleep = 0x00,
    quit = 0x01,
    init_db = 0x02,
    query = 0x03,
    field_list = 0x04,
    statistics = 0x09,
    process_kill = 0x0C,
    ping = 0x0E,
    change_user = 0x11,
    stmt_prepare = 0x16,
    stmt_execute = 0x17,
    stmt_send_long_data = 0x18,
    stmt_close = 0x19,
    stmt_reset = 0x1A,
    set_option = 0x1B,
    stmt_fetch = 0x1C,
    reset_connection = 0x1F,
};

/// Options of COM_SET_OPTION.
namespace set_option {
inline constexpr std::uint16_t multi_statements_on = 0;
inline constexpr std::uint16_t multi_statements_off = 1;
}  // namespace set_option

/// COM_QUERY: 0x03 + the statement (CLIENT_QUERY_ATTRIBUTES is not negotiated, so no
/// parameter block). Response: OK, ERR, LOCAL INFILE request or a result set.
void serialize_com_query(std::vector<std::uint8_t>& out, std::string_view sql);
/// COM_INIT_DB: 0x02 + schema name. Response: OK or ERR.
void serialize_com_init_db(std::vector<std::uint8_t>& out, std::string_view schema);
/// COM_PING. Response: OK.
void serialize_com_ping(std::vector<std::uint8_t>& out);
/// COM_QUIT. The server closes the connection (or answers ERR).
void serialize_com_quit(std::vector<std::uint8_t>& out);
/// COM_RESET_CONNECTION (MySQL 5.7.3+, MariaDB 10.2.4+). Response: OK or ERR.
void serialize_com_reset_connection(std::vector<std::uint8_t>& out);
/// COM_SET_OPTION + int<2> option. Response: EOF (OK with DEPRECATE_EOF) or ERR.
void serialize_com_set_option(std::vector<std::uint8_t>& out, std::uint16_t option);
/// COM_STATISTICS. Response: a string<EOF> (no header byte).
void serialize_com_statistics(std::vector<std::uint8_t>& out);

}  // namespace uvmysql::detail
