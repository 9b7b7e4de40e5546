// SPDX-License-Identifier: MIT
// Tests of the connection-phase messages: HandshakeV10, SSLRequest, HandshakeResponse41.
#include <gtest/gtest.h>

#include "hex.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/handshake.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;

// Captured from MariaDB 10.11 (Debian 12): no CLIENT_MYSQL bit, extended caps 0x1d.
const ByteVec mariadb_greeting = hex(
    "0a 352e352e352d31302e31312e31392d4d617269614442 2d302b64656231327531 00"
    "07000000 50652b46602f6533 00 feff 2d 0200 ff81 15 000000000000 1d000000"
    "6d4e7d4d465761624925 7a5a 00 6d7973716c5f6e61746976655f70617373776f7264 00");

// A MySQL 8.0 greeting: CLIENT_MYSQL/long_password set, 10 zero reserved bytes.
const ByteVec mysql_greeting = hex(
    "0a 382e302e3336 00 2a000000 0102030405060708 00 ffff ff 0200 ffdf 15 00000000000000000000"
    "090a0b0c0d0e0f1011121314 00 63616368696e675f736861325f70617373776f7264 00");

TEST(HandshakeV10, ParsesMariaDbGreeting) {
    for_each_split(mariadb_greeting, [](Bytes payload) {
        HandshakeV10 hs;
        ASSERT_TRUE(parse_handshake_v10(payload, hs).ok());
        EXPECT_EQ(hs.protocol_version, 10);
        EXPECT_EQ(hs.server_version, "10.11.19-MariaDB-0+deb12u1");
        EXPECT_TRUE(hs.is_mariadb);
        EXPECT_EQ(hs.connection_id, 7u);
        EXPECT_EQ(hs.auth_plugin_data, hex("50652b46602f6533 6d4e7d4d4657616249257a5a"));
        EXPECT_EQ(hs.capabilities, 0x0000001d81fffffeull);
        EXPECT_FALSE(hs.capabilities & cap::client_mysql);
        EXPECT_TRUE(hs.capabilities & mariadb_cap::progress);
        EXPECT_TRUE(hs.capabilities & mariadb_cap::stmt_bulk_operations);
        EXPECT_TRUE(hs.capabilities & cap::plugin_auth);
        EXPECT_TRUE(hs.capabilities & cap::ssl);
        EXPECT_EQ(hs.charset, 45);
        EXPECT_EQ(hs.status_flags, status::autocommit);
        EXPECT_EQ(hs.auth_plugin_name, "mysql_native_password");
    });
}

TEST(HandshakeV10, ParsesMySqlGreeting) {
    for_each_split(mysql_greeting, [](Bytes payload) {
        HandshakeV10 hs;
        ASSERT_TRUE(parse_handshake_v10(payload, hs).ok());
        EXPECT_EQ(hs.server_version, "8.0.36");
        EXPECT_FALSE(hs.is_mariadb);
        EXPECT_EQ(hs.connection_id, 42u);
        EXPECT_EQ(hs.auth_plugin_data, hex("0102030405060708 090a0b0c0d0e0f1011121314"));
        EXPECT_EQ(hs.capabilities, 0xdfffffffull);  // reserved bytes not read as MariaDB caps
        EXPECT_EQ(hs.charset, 255);
        EXPECT_EQ(hs.auth_plugin_name, "caching_sha2_password");
    });
}

TEST(HandshakeV10, KeepsVersionPrefixOfNonMariaDb) {
    ByteVec g = mysql_greeting;
    const ByteVec version = bytes_of("5.5.5-8.0.36");
    g.erase(g.begin() + 1, g.begin() + 7);
    g.insert(g.begin() + 1, version.begin(), version.end());
    HandshakeV10 hs;
    ASSERT_TRUE(parse_handshake_v10(g, hs).ok());
    EXPECT_EQ(hs.server_version, "5.5.5-8.0.36");
}

TEST(HandshakeV10, EveryTruncationBeforePluginNameFails) {
    // The plugin name may lack its NUL (old 5.5 servers), so cut only before it.
    const std::size_t name_start = mysql_greeting.size() - 22;
    const ByteVec head(mysql_greeting.begin(), mysql_greeting.begin() + name_start);
    expect_every_truncation_fails(head, [](Bytes p) {
        HandshakeV10 hs;
        return parse_handshake_v10(p, hs);
    });
}

TEST(HandshakeV10, PluginNameWithoutNulIsAccepted) {
    ByteVec g = mysql_greeting;
    g.pop_back();
    HandshakeV10 hs;
    ASSERT_TRUE(parse_handshake_v10(g, hs).ok());
    EXPECT_EQ(hs.auth_plugin_name, "caching_sha2_password");
}

TEST(HandshakeV10, RejectsOtherProtocolVersions) {
    ByteVec g = mysql_greeting;
    g[0] = 9;
    HandshakeV10 hs;
    const Status st = parse_handshake_v10(g, hs);
    EXPECT_EQ(st.errno_code, cr::version_error);
}

TEST(HandshakeV10, ErrInsteadOfGreetingIsServerError) {
    // ER_HOST_NOT_PRIVILEGED before any capability exchange: no SQLSTATE marker.
    const ByteVec err = concat({hex("ff 6a04"), bytes_of("Host 'x' is not allowed to connect")});
    HandshakeV10 hs;
    const Status st = parse_handshake_v10(err, hs);
    EXPECT_TRUE(st.from_server);
    EXPECT_EQ(st.errno_code, 1130);
    EXPECT_EQ(st.sqlstate, "HY000");
    EXPECT_EQ(st.message, "Host 'x' is not allowed to connect");
}

TEST(HandshakeV10, ShortPart2IsMalformed) {
    // auth-plugin-data length 0xff asks for 247 bytes of part 2 that are not there.
    ByteVec g = mysql_greeting;
    g[1 + 7 + 4 + 8 + 1 + 2 + 1 + 2 + 2] = 0xff;
    HandshakeV10 hs;
    EXPECT_EQ(parse_handshake_v10(g, hs).errno_code, cr::malformed_packet);
}

TEST(HandshakeResponse41, SerializesAllFields) {
    const ConnectAttr attrs[] = {{"_client_name", "uvmysql"}, {"_pid", "12"}};
    HandshakeResponse41 msg;
    msg.capabilities = cap::long_password | cap::protocol_41 | cap::secure_connection | cap::plugin_auth |
                       cap::connect_with_db | cap::connect_attrs | cap::plugin_auth_lenenc_client_data;
    msg.max_packet_size = 0x01000000;
    msg.collation = 45;
    msg.user = "root";
    const ByteVec auth = hex("0102030405");
    msg.auth_response = auth;
    msg.database = "test";
    msg.auth_plugin_name = "mysql_native_password";
    msg.connect_attrs = attrs;
    ByteVec out;
    ASSERT_TRUE(serialize_handshake_response41(out, msg).ok());
    const ByteVec expected = concat({
        hex("09 82 38 00  00000001  2d"), ByteVec(23, 0),
        bytes_of("root"), hex("00"),
        hex("05 0102030405"),
        bytes_of("test"), hex("00"),
        bytes_of("mysql_native_password"), hex("00"),
        hex("1d 0c"), bytes_of("_client_name"), hex("07"), bytes_of("uvmysql"),
        hex("04"), bytes_of("_pid"), hex("02"), bytes_of("12"),
    });
    EXPECT_EQ(out, expected);
}

TEST(HandshakeResponse41, OptionalFieldsFollowCapabilities) {
    HandshakeResponse41 msg;
    msg.capabilities = cap::protocol_41 | cap::secure_connection;
    msg.user = "u";
    msg.database = "ignored";
    msg.auth_plugin_name = "ignored";
    const ByteVec auth = hex("aabb");
    msg.auth_response = auth;
    ByteVec out;
    ASSERT_TRUE(serialize_handshake_response41(out, msg).ok());
    EXPECT_EQ(out, concat({hex("00820000 00000001 2d"), ByteVec(23, 0), hex("75 00  02 aabb")}));
}

TEST(HandshakeResponse41, MariaDbExtendedCapsGoInFiller) {
    HandshakeResponse41 msg;
    msg.capabilities = cap::protocol_41 | cap::secure_connection | cap::plugin_auth_lenenc_client_data |
                       mariadb_cap::stmt_bulk_operations | mariadb_cap::progress;
    msg.user = "u";
    ByteVec out;
    ASSERT_TRUE(serialize_handshake_response41(out, msg).ok());
    ASSERT_GE(out.size(), 32u);
    EXPECT_EQ(ByteVec(out.begin() + 28, out.begin() + 32), hex("05000000"));
    EXPECT_EQ(ByteVec(out.begin() + 9, out.begin() + 28), ByteVec(19, 0));
}

TEST(HandshakeResponse41, RejectsUnencodableFields) {
    HandshakeResponse41 msg;
    msg.capabilities = cap::protocol_41 | cap::secure_connection;
    msg.user = std::string_view("a\0b", 3);
    ByteVec out;
    EXPECT_EQ(serialize_handshake_response41(out, msg).client_kind, ClientKind::programming);

    msg.user = "u";
    const ByteVec long_auth(256, 1);
    msg.auth_response = long_auth;
    EXPECT_FALSE(serialize_handshake_response41(out, msg).ok());
    msg.capabilities |= cap::plugin_auth_lenenc_client_data;
    out.clear();
    EXPECT_TRUE(serialize_handshake_response41(out, msg).ok());
    EXPECT_EQ(ByteVec(out.begin() + 34, out.begin() + 37), hex("fc 0001"));
}

TEST(SslRequest, IsTheFirst32BytesOfTheResponse) {
    ByteVec out;
    serialize_ssl_request(out, cap::protocol_41 | cap::ssl | cap::secure_connection, 0x01000000, 45);
    EXPECT_EQ(out, concat({hex("00 8a 00 00  00000001  2d"), ByteVec(23, 0)}));
}

}  // namespace
}  // namespace uvmysql::test
