// SPDX-License-Identifier: MIT
// Prepared-statement commands without parameters: PREPARE, SEND_LONG_DATA, RESET, CLOSE, FETCH.
#include "protocol/stmt_commands.hpp"

#include "protocol/commands.hpp"
#include "protocol/packet_writer.hpp"

namespace uvmysql::detail {

namespace {
PacketWriter begin(std::vector<std::uint8_t>& out, Command c, std::uint32_t statement_id) {
    PacketWriter w(out);
    w.int1(static_cast<std::uint8_t>(c));
    w.int4(statement_id);
    return w;
}
}  // namespace

void serialize_com_stmt_prepare(std::vector<std::uint8_t>& out, std::string_view sql) {
    PacketWriter w(out);
    w.int1(static_cast<std::uint8_t>(Command::stmt_prepare));
    w.bytes(sql);
}

void serialize_com_stmt_send_long_data(std::vector<std::uint8_t>& out, std::uint32_t statement_id,
                                       std::uint16_t param_index, Bytes chunk) {
    PacketWriter w = begin(out, Command::stmt_send_long_data, statement_id);
    w.int2(param_index);
    w.bytes(chunk);
}

void serialize_com_stmt_reset(std::vector<std::uint8_t>& out, std::uint32_t statement_id) {
    begin(out, Command::stmt_reset, statement_id);
}

void serialize_com_stmt_close(std::vector<std::uint8_t>& out, std::uint32_t statement_id) {
    begin(out, Command::stmt_close, statement_id);
}

void serialize_com_stmt_fetch(std::vector<std::uint8_t>& out, std::uint32_t statement_id, std::uint32_t rows) {
    begin(out, Command::stmt_fetch, statement_id).int4(rows);
}

}  // namespace uvmysql::detail
