// SPDX-License-Identifier: MIT
// Command phase: command codes and the payloads of the text-protocol utility commands.
#include "protocol/commands.hpp"

#include "protocol/packet_writer.hpp"

namespace uvmysql::detail {

namespace {
void command_byte(std::vector<std::uint8_t>& out, Command c) { out.push_back(static_cast<std::uint8_t>(c)); }
}  // namespace

void serialize_com_query(std::vector<std::uint8_t>& out, std::string_view sql) {
    command_byte(out, Command::query);
    PacketWriter(out).bytes(sql);
}

void serialize_com_init_db(std::vector<std::uint8_t>& out, std::string_view schema) {
    command_byte(out, Command::init_db);
    PacketWriter(out).bytes(schema);
}

void serialize_com_ping(std::vector<std::uint8_t>& out) { command_byte(out, Command::ping); }

void serialize_com_quit(std::vector<std::uint8_t>& out) { command_byte(out, Command::quit); }

void serialize_com_reset_connection(std::vector<std::uint8_t>& out) { command_byte(out, Command::reset_connection); }

void serialize_com_set_option(std::vector<std::uint8_t>& out, std::uint16_t option) {
    command_byte(out, Command::set_option);
    PacketWriter(out).int2(option);
}

void serialize_com_statistics(std::vector<std::uint8_t>& out) { command_byte(out, Command::statistics); }

}  // namespace uvmysql::detail
