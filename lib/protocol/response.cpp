// SPDX-License-Identifier: MIT
// Generic response packets (OK, ERR, EOF), their classification, and the auth/infile requests.
#include "protocol/response.hpp"

#include "protocol/capabilities.hpp"
#include "protocol/frame_reader.hpp"
#include "protocol/packet_reader.hpp"

namespace uvmysql::detail {

namespace {
// An EOF_Packet is 5 bytes (1 with pre-4.1 servers); anything from 9 bytes up starting with
// 0xFE is a lenenc_int with an 8-byte value.
constexpr std::size_t eof_packet_limit = 9;
// Smallest OK_Packet with PROTOCOL_41: header, two 1-byte lenenc ints, status, warnings.
constexpr std::size_t min_ok_packet = 7;
}  // namespace

ResponseKind classify_command_response(Bytes payload) noexcept {
    if (payload.empty()) return ResponseKind::malformed;
    switch (payload[0]) {
        case header::ok: return ResponseKind::ok;
        case header::err: return ResponseKind::err;
        case header::local_infile: return ResponseKind::local_infile;
        default: return ResponseKind::result_set;
    }
}

ResponseKind classify_row_response(Bytes payload, std::uint64_t capabilities) noexcept {
    if (payload.empty()) return ResponseKind::malformed;
    switch (payload[0]) {
        case header::err: return ResponseKind::err;
        case header::eof:
            if (payload.size() < eof_packet_limit) return ResponseKind::eof;
            if ((capabilities & cap::deprecate_eof) && payload.size() < max_frame_payload) return ResponseKind::eof;
            return ResponseKind::row;
        default: return ResponseKind::row;
    }
}

ResponseKind classify_auth_response(Bytes payload) noexcept {
    if (payload.empty()) return ResponseKind::malformed;
    switch (payload[0]) {
        case header::ok: return ResponseKind::ok;
        case header::err: return ResponseKind::err;
        case header::auth_switch: return ResponseKind::auth_switch;
        case header::auth_more_data: return ResponseKind::auth_more_data;
        default: return ResponseKind::malformed;
    }
}

Status parse_ok_packet(Bytes payload, std::uint64_t capabilities, OkPacket& out) {
    PacketReader r(payload);
    out = OkPacket{};
    const std::uint8_t h = r.int1();
    if (h != header::ok && h != header::eof) r.fail();
    out.affected_rows = r.lenenc_int();
    out.last_insert_id = r.lenenc_int();
    if (capabilities & cap::protocol_41) {
        out.status_flags = r.int2();
        out.warnings = r.int2();
    } else if (capabilities & cap::transactions) {
        out.status_flags = r.int2();
    }
    if (!r.ok()) return Status::malformed("truncated OK packet");
    if (capabilities & cap::session_track) {
        // Servers leave out an empty info string (and then everything after it).
        if (r.remaining() > 0) out.info = as_string_view(r.lenenc_str());
        if ((out.status_flags & status::session_state_changed) && r.remaining() > 0) {
            out.session_state = r.lenenc_str();
        }
        if (!r.ok()) return Status::malformed("bad session tracking data in OK packet");
    } else {
        out.info = as_string_view(r.rest());
    }
    return {};
}

Status parse_eof_packet(Bytes payload, std::uint64_t capabilities, EofPacket& out) {
    PacketReader r(payload);
    out = EofPacket{};
    if (r.int1() != header::eof || payload.size() >= eof_packet_limit) r.fail();
    if (capabilities & cap::protocol_41) {
        out.warnings = r.int2();
        out.status_flags = r.int2();
    }
    if (!r.ok()) return Status::malformed("bad EOF packet");
    return {};
}

Status parse_end_of_rows(Bytes payload, std::uint64_t capabilities, OkPacket& out) {
    if ((capabilities & cap::deprecate_eof) && payload.size() >= min_ok_packet) {
        return parse_ok_packet(payload, capabilities, out);
    }
    EofPacket eof;
    Status st = parse_eof_packet(payload, capabilities, eof);
    out = OkPacket{};
    out.warnings = eof.warnings;
    out.status_flags = eof.status_flags;
    return st;
}

Status parse_err_packet(Bytes payload, std::uint64_t /*capabilities*/) {
    PacketReader r(payload);
    const std::uint8_t h = r.int1();
    const std::uint16_t code = r.int2();
    if (!r.ok() || h != header::err) return Status::malformed("bad ERR packet");
    std::string sqlstate;
    // The '#' marker is checked rather than CLIENT_PROTOCOL_41: errors sent before the
    // capabilities are agreed (too many connections, blocked host) carry no SQLSTATE.
    if (r.remaining() >= 6 && r.peek() == '#') {
        r.skip(1);
        sqlstate.assign(as_string_view(r.bytes(5)));
    }
    std::string message(as_string_view(r.rest()));
    // No server error has number 0: such a packet is a protocol violation, never a success.
    if (code == 0) return Status::malformed("ERR packet with error number 0" + (message.empty() ? "" : ": " + message));
    return Status::server(code, std::move(sqlstate), std::move(message));
}

Status parse_column_count(Bytes payload, std::uint64_t& count) {
    PacketReader r(payload);
    count = r.lenenc_int();
    if (!r.done() || count == 0 || count > max_column_count) return Status::malformed("bad column count");
    return {};
}

Status parse_auth_switch_request(Bytes payload, AuthSwitchRequest& out) {
    PacketReader r(payload);
    out = AuthSwitchRequest{};
    if (r.int1() != header::auth_switch) return Status::malformed("bad AuthSwitchRequest");
    if (r.remaining() == 0) {
        out.plugin_name = "mysql_old_password";
        return {};
    }
    const Bytes rest = r.rest();
    std::size_t nul = 0;
    while (nul < rest.size() && rest[nul] != 0) ++nul;
    out.plugin_name = as_string_view(rest.first(nul));
    if (nul < rest.size()) out.plugin_data = rest.subspan(nul + 1);
    if (out.plugin_name.empty()) return Status::malformed("AuthSwitchRequest without plugin name");
    return {};
}

Status parse_auth_more_data(Bytes payload, Bytes& data) {
    if (payload.empty() || payload[0] != header::auth_more_data) return Status::malformed("bad AuthMoreData");
    data = payload.subspan(1);
    return {};
}

Status parse_local_infile_request(Bytes payload, std::string_view& filename) {
    if (payload.empty() || payload[0] != header::local_infile) return Status::malformed("bad LOCAL INFILE request");
    filename = as_string_view(payload.subspan(1));
    return {};
}

Status parse_session_state(Bytes session_state, std::vector<SessionStateChange>& out) {
    PacketReader r(session_state);
    while (r.ok() && r.remaining() > 0) {
        SessionStateChange c;
        c.type = r.int1();
        c.data = r.lenenc_str();
        if (r.ok()) out.push_back(c);
    }
    if (!r.ok()) return Status::malformed("bad session state data");
    return {};
}

Status parse_session_system_variable(Bytes data, std::string_view& name, std::string_view& value) {
    PacketReader r(data);
    name = as_string_view(r.lenenc_str());
    value = as_string_view(r.lenenc_str());
    if (!r.done()) return Status::malformed("bad session system variable");
    return {};
}

Status parse_session_schema(Bytes data, std::string_view& schema) {
    PacketReader r(data);
    schema = as_string_view(r.lenenc_str());
    if (!r.done()) return Status::malformed("bad session schema");
    return {};
}

}  // namespace uvmysql::detail
