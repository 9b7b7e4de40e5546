// SPDX-License-Identifier: MIT
// Generic response packets (OK, ERR, EOF), their classification, and the auth/infile requests.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// First byte of the generic response packets.
namespace header {
inline constexpr std::uint8_t ok = 0x00;
inline constexpr std::uint8_t auth_more_data = 0x01;
inline constexpr std::uint8_t local_infile = 0xFB;
inline constexpr std::uint8_t eof = 0xFE;
inline constexpr std::uint8_t auth_switch = 0xFE;
inline constexpr std::uint8_t err = 0xFF;
}  // namespace header

/// What a response payload is. Which kinds are possible depends on where in a command it
/// arrives, hence one classifier per context.
enum class ResponseKind {
    ok,              // OK_Packet
    err,             // ERR_Packet
    eof,             // end of rows / of column definitions: EOF_Packet, or OK_Packet with 0xFE header
    local_infile,    // LOCAL INFILE request (0xFB + file name)
    result_set,      // result set header: the column count
    row,             // a text-protocol row
    auth_switch,     // AuthSwitchRequest
    auth_more_data,  // AuthMoreData
    malformed,       // cannot be any of them (e.g. empty)
};

/// Classifies the first response to a command (COM_QUERY, COM_PING, ...): ok, err,
/// local_infile or result_set (anything else: a column count, checked by parse_column_count).
[[nodiscard]] ResponseKind classify_command_response(Bytes payload) noexcept;

/// Classifies a packet where a row or the end of the rows may come (also where the EOF after
/// the column definitions comes without DEPRECATE_EOF): row, eof or err. A payload starting
/// with 0xFE is the terminator when it is shorter than 9 bytes or, with DEPRECATE_EOF, shorter
/// than 0xFFFFFF bytes (a row starting with 0xFE would hold a field of 16 MiB or more).
[[nodiscard]] ResponseKind classify_row_response(Bytes payload, std::uint64_t capabilities) noexcept;

/// Classifies a packet of the authentication exchange: ok, err, auth_switch or auth_more_data.
[[nodiscard]] ResponseKind classify_auth_response(Bytes payload) noexcept;

/// An OK_Packet. Views point into the payload and live as long as it does.
struct OkPacket {
    std::uint64_t affected_rows = 0;
    std::uint64_t last_insert_id = 0;
    std::uint16_t status_flags = 0;
    std::uint16_t warnings = 0;
    /// Human-readable info ("Rows matched: 1  Changed: 1  Warnings: 0").
    std::string_view info;
    /// Raw session-state-change data (CLIENT_SESSION_TRACK + SERVER_SESSION_STATE_CHANGED),
    /// empty otherwise; see parse_session_state().
    Bytes session_state;
};

/// Parses an OK_Packet with a 0x00 or 0xFE header.
Status parse_ok_packet(Bytes payload, std::uint64_t capabilities, OkPacket& out);

/// An EOF_Packet (deprecated by CLIENT_DEPRECATE_EOF).
struct EofPacket {
    std::uint16_t warnings = 0;
    std::uint16_t status_flags = 0;
};

/// Parses an EOF_Packet (0xFE, shorter than 9 bytes).
Status parse_eof_packet(Bytes payload, std::uint64_t capabilities, EofPacket& out);

/// Parses whatever ends a list of rows, given ResponseKind::eof: an EOF_Packet, or with
/// DEPRECATE_EOF an OK_Packet with a 0xFE header. EOF fields fill warnings and status_flags.
Status parse_end_of_rows(Bytes payload, std::uint64_t capabilities, OkPacket& out);

/// Parses an ERR_Packet into the error it carries (Status::server with errno, SQLSTATE,
/// message; SQLSTATE "HY000" when the server sent no '#' marker, as before authentication).
/// A packet too short to hold an errno, or with errno 0, gives cr::malformed_packet instead.
/// Never returns ok.
[[nodiscard]] Status parse_err_packet(Bytes payload, std::uint64_t capabilities);

/// Largest column count accepted in a result set header (MySQL and MariaDB allow 4096
/// columns per table; a select list stays far below this).
inline constexpr std::uint64_t max_column_count = 0xFFFF;

/// Parses a result set header: one lenenc_int column count, 1..max_column_count, and nothing
/// else (the metadata-follows byte of optional metadata / MariaDB metadata caching is not
/// negotiated by this client).
Status parse_column_count(Bytes payload, std::uint64_t& count);

/// An AuthSwitchRequest. Views point into the payload.
struct AuthSwitchRequest {
    std::string_view plugin_name;
    /// Plugin data as sent: for the scramble-based plugins, the 20-byte nonce plus a NUL.
    Bytes plugin_data;
};

/// Parses an AuthSwitchRequest (0xFE + plugin name NUL + data). The pre-4.1 form (a lone
/// 0xFE byte) names "mysql_old_password", which make_auth_plugin() does not offer.
Status parse_auth_switch_request(Bytes payload, AuthSwitchRequest& out);

/// Parses AuthMoreData (0x01 + data); `data` views the payload.
Status parse_auth_more_data(Bytes payload, Bytes& data);

/// Parses a LOCAL INFILE request (0xFB + file name); `filename` views the payload.
Status parse_local_infile_request(Bytes payload, std::string_view& filename);

/// Session state change types (enum_session_state_type).
namespace session_track {
inline constexpr std::uint8_t system_variables = 0;
inline constexpr std::uint8_t schema = 1;
inline constexpr std::uint8_t state_change = 2;
inline constexpr std::uint8_t gtids = 3;
inline constexpr std::uint8_t transaction_characteristics = 4;
inline constexpr std::uint8_t transaction_state = 5;
}  // namespace session_track

/// One entry of OkPacket::session_state. `data` views the payload.
struct SessionStateChange {
    std::uint8_t type = 0;
    Bytes data;
};

/// Splits OkPacket::session_state into its entries (type + lenenc data), appended to `out`.
Status parse_session_state(Bytes session_state, std::vector<SessionStateChange>& out);

/// Reads a system_variables entry's data: lenenc name + lenenc value.
Status parse_session_system_variable(Bytes data, std::string_view& name, std::string_view& value);

/// Reads a schema entry's data: lenenc schema name.
Status parse_session_schema(Bytes data, std::string_view& schema);

}  // namespace uvmysql::detail
