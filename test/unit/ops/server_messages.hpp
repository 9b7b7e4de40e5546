// SPDX-License-Identifier: MIT
// Payloads a server sends (greeting, OK, ERR, EOF, column definitions, rows, auth requests), for op scripts.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "hex.hpp"
#include "op_script.hpp"
#include "protocol/capabilities.hpp"

namespace uvmysql::test::msg {

/// The nonce of `greeting()`, and the scramble mysql_native_password makes of it for "secret".
inline const ByteVec nonce = hex("50652b46602f6533 6d4e7d4d4657616249257a5a");
inline const ByteVec native_scramble = hex("5c2841f31215917b464e6389a5397969c8f3db35");

/// A MariaDB 10.11 HandshakeV10 (captured): connection id 7, autocommit, every capability but
/// CLIENT_MYSQL, plugin mysql_native_password, the nonce above.
inline ByteVec greeting() {
    return hex(
        "0a 352e352e352d31302e31312e31392d4d617269614442 2d302b64656231327531 00"
        "07000000 50652b46602f6533 00 feff 2d 0200 ff81 15 000000000000 1d000000"
        "6d4e7d4d465761624925 7a5a 00 6d7973716c5f6e61746976655f70617373776f7264 00");
}

/// OK_Packet (no info, no session tracking).
inline ByteVec ok(std::uint8_t affected = 0, std::uint8_t insert_id = 0,
                  std::uint16_t status = detail::status::autocommit, std::uint16_t warnings = 0) {
    return ByteVec{0x00, affected, insert_id, static_cast<std::uint8_t>(status & 0xff),
                   static_cast<std::uint8_t>(status >> 8), static_cast<std::uint8_t>(warnings & 0xff),
                   static_cast<std::uint8_t>(warnings >> 8)};
}

/// EOF_Packet (without DEPRECATE_EOF).
inline ByteVec eof(std::uint16_t status = detail::status::autocommit, std::uint16_t warnings = 0) {
    return ByteVec{0xfe, static_cast<std::uint8_t>(warnings & 0xff), static_cast<std::uint8_t>(warnings >> 8),
                   static_cast<std::uint8_t>(status & 0xff), static_cast<std::uint8_t>(status >> 8)};
}

/// The OK_Packet with a 0xFE header that ends rows under DEPRECATE_EOF.
inline ByteVec end_ok(std::uint16_t status = detail::status::autocommit, std::uint16_t warnings = 0) {
    ByteVec p = ok(0, 0, status, warnings);
    p[0] = 0xfe;
    return p;
}

/// ERR_Packet with SQLSTATE.
inline ByteVec err(std::uint16_t code, std::string_view state, std::string_view text) {
    return concat({ByteVec{0xff, static_cast<std::uint8_t>(code & 0xff), static_cast<std::uint8_t>(code >> 8), '#'},
                   bytes_of(state), bytes_of(text)});
}

/// A ColumnDefinition41 of table test.t: a utf8mb4 VARCHAR.
inline ByteVec column(std::string_view name) {
    return concat({hex("03 646566  04 74657374  01 74  01 74"), ByteVec{static_cast<std::uint8_t>(name.size())},
                   bytes_of(name), ByteVec{static_cast<std::uint8_t>(name.size())}, bytes_of(name),
                   hex("0c 2d00 00010000 fd 0000 00 0000")});
}

/// A text row; std::nullopt is NULL.
inline ByteVec row(std::initializer_list<std::optional<std::string_view>> fields) {
    ByteVec p;
    for (const auto& f : fields) {
        if (!f) {
            p.push_back(0xfb);
            continue;
        }
        p.push_back(static_cast<std::uint8_t>(f->size()));
        p.insert(p.end(), f->begin(), f->end());
    }
    return p;
}

/// AuthSwitchRequest: 0xFE, plugin name, NUL, plugin data (sent with its trailing NUL).
inline ByteVec auth_switch(std::string_view plugin, const ByteVec& data) {
    return concat({hex("fe"), bytes_of(plugin), hex("00"), data, hex("00")});
}

/// AuthMoreData: 0x01 + data.
inline ByteVec more_data(const ByteVec& data) { return concat({hex("01"), data}); }

/// LOCAL INFILE request: 0xFB + file name.
inline ByteVec infile_request(std::string_view name) { return concat({hex("fb"), bytes_of(name)}); }

/// COM_QUERY as the client frames it (sequence id 0).
inline ByteVec com_query(std::string_view sql) { return frame(0, concat({hex("03"), bytes_of(sql)})); }

}  // namespace uvmysql::test::msg
