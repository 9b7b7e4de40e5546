// SPDX-License-Identifier: MIT
// Tests of the generic responses (OK, ERR, EOF), classification and auth/infile requests.
#include <gtest/gtest.h>

#include "hex.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/response.hpp"
#include "split.hpp"

namespace uvmysql::test {
namespace {

using namespace detail;

constexpr std::uint64_t caps41 = cap::protocol_41 | cap::transactions;
constexpr std::uint64_t caps_track = caps41 | cap::session_track | cap::deprecate_eof;

TEST(OkPacket, ParsesMinimalOk) {
    for_each_split(hex("00 01 00 0200 0000"), [](Bytes p) {
        OkPacket ok;
        ASSERT_TRUE(parse_ok_packet(p, caps41, ok).ok());
        EXPECT_EQ(ok.affected_rows, 1u);
        EXPECT_EQ(ok.last_insert_id, 0u);
        EXPECT_EQ(ok.status_flags, status::autocommit);
        EXPECT_EQ(ok.warnings, 0);
        EXPECT_EQ(ok.info, "");
    });
}

TEST(OkPacket, ParsesInfoAsRestOfPacket) {
    const ByteVec p = concat({hex("00 fc e803 fd 010203 0202 0100"), bytes_of("Rows matched: 1000  Changed: 3")});
    for_each_split(p, [](Bytes payload) {
        OkPacket ok;
        ASSERT_TRUE(parse_ok_packet(payload, caps41, ok).ok());
        EXPECT_EQ(ok.affected_rows, 1000u);
        EXPECT_EQ(ok.last_insert_id, 0x030201u);
        EXPECT_EQ(ok.status_flags, status::autocommit | status::no_backslash_escapes);
        EXPECT_EQ(ok.warnings, 1);
        EXPECT_EQ(ok.info, "Rows matched: 1000  Changed: 3");
    });
}

TEST(OkPacket, EveryTruncationOfTheFixedPartFails) {
    expect_every_truncation_fails(hex("00 01 02 0200 0000"), [](Bytes p) {
        OkPacket ok;
        return parse_ok_packet(p, caps41, ok);
    });
}

TEST(OkPacket, SessionTrackWithoutInfo) {
    // Servers with CLIENT_SESSION_TRACK omit an empty info string entirely.
    OkPacket ok;
    ASSERT_TRUE(parse_ok_packet(hex("00 00 00 0200 0000"), caps_track, ok).ok());
    EXPECT_EQ(ok.info, "");
    EXPECT_TRUE(ok.session_state.empty());
}

TEST(OkPacket, RecordsSessionStateChanges) {
    // USE test: info "", session state = schema "test" + system variable autocommit=ON.
    const ByteVec p = concat({hex("00 00 00 0240 0000 00"), hex("17"), hex("01 05 04 74657374"),
                              hex("00 0e 0a 6175746f636f6d6d6974 02 4f4e")});
    for_each_split(p, [](Bytes payload) {
        OkPacket ok;
        ASSERT_TRUE(parse_ok_packet(payload, caps_track, ok).ok());
        EXPECT_EQ(ok.status_flags, status::autocommit | status::session_state_changed);
        ASSERT_EQ(ok.session_state.size(), 0x17u);
        std::vector<SessionStateChange> changes;
        ASSERT_TRUE(parse_session_state(ok.session_state, changes).ok());
        ASSERT_EQ(changes.size(), 2u);
        EXPECT_EQ(changes[0].type, session_track::schema);
        std::string_view schema;
        ASSERT_TRUE(parse_session_schema(changes[0].data, schema).ok());
        EXPECT_EQ(schema, "test");
        EXPECT_EQ(changes[1].type, session_track::system_variables);
        std::string_view name, value;
        ASSERT_TRUE(parse_session_system_variable(changes[1].data, name, value).ok());
        EXPECT_EQ(name, "autocommit");
        EXPECT_EQ(value, "ON");
    });
}

TEST(OkPacket, BadSessionStateIsMalformed) {
    OkPacket ok;
    EXPECT_EQ(parse_ok_packet(hex("00 00 00 0240 0000 00 09 0105"), caps_track, ok).errno_code,
              cr::malformed_packet);
    std::vector<SessionStateChange> changes;
    EXPECT_FALSE(parse_session_state(hex("01 05 04 7465"), changes).ok());
}

TEST(OkPacket, AcceptsFeHeader) {
    OkPacket ok;
    ASSERT_TRUE(parse_ok_packet(hex("fe 00 00 0a00 0300"), caps_track, ok).ok());
    EXPECT_EQ(ok.warnings, 3);
    EXPECT_TRUE(ok.status_flags & status::more_results_exists);
    EXPECT_FALSE(parse_ok_packet(hex("ff 00 00 0200 0000"), caps41, ok).ok());
}

TEST(ErrPacket, ParsesErrnoSqlstateAndMessage) {
    const ByteVec p = concat({hex("ff 7a04 23 3432533032"), bytes_of("Table 'test.nope' doesn't exist")});
    for_each_split(p, [](Bytes payload) {
        const Status st = parse_err_packet(payload, caps41);
        EXPECT_TRUE(st.from_server);
        EXPECT_EQ(st.errno_code, 1146);
        EXPECT_EQ(st.sqlstate, "42S02");
        EXPECT_EQ(st.message, "Table 'test.nope' doesn't exist");
    });
}

TEST(ErrPacket, WithoutSqlstateMarker) {
    const Status st = parse_err_packet(concat({hex("ff 1004"), bytes_of("Too many connections")}), caps41);
    EXPECT_EQ(st.errno_code, 1040);
    EXPECT_EQ(st.sqlstate, "HY000");
    EXPECT_EQ(st.message, "Too many connections");
}

TEST(ErrPacket, ErrnoZeroIsMalformedNeverOk) {
    for (const char* bad : {"ff 0000", "ff 0000 23 4859303030", "ff 0000 23 4859303030 6f6f7073"}) {
        const Status st = parse_err_packet(hex(bad), caps41);
        EXPECT_FALSE(st.ok()) << bad;
        EXPECT_FALSE(st.from_server) << bad;
        EXPECT_EQ(st.errno_code, cr::malformed_packet) << bad;
    }
}

TEST(StatusOk, OnlyTheDefaultIsOk) {
    EXPECT_TRUE(Status{}.ok());
    EXPECT_FALSE(Status::server(0, "", "").ok());   // errno 0 and no text: still an error
    EXPECT_FALSE(Status::client(0, "", ClientKind::interface).ok());
    Status copied = Status::server(0, "", "");
    Status assigned;
    assigned = copied;
    EXPECT_FALSE(assigned.ok());
}

TEST(ErrPacket, TruncatedIsMalformed) {
    for (const char* bad : {"", "ff", "ff 10", "00 1004"}) {
        const Status st = parse_err_packet(hex(bad), caps41);
        EXPECT_FALSE(st.from_server) << bad;
        EXPECT_EQ(st.errno_code, cr::malformed_packet) << bad;
    }
    // A '#' with fewer than 5 SQLSTATE characters is message text, not a marker.
    const Status st = parse_err_packet(hex("ff 1004 23 3432"), caps41);
    EXPECT_EQ(st.sqlstate, "HY000");
    EXPECT_EQ(st.message, "#42");
}

TEST(EofPacket, ParsesWarningsAndStatus) {
    for_each_split(hex("fe 0100 0a00"), [](Bytes p) {
        EofPacket eof;
        ASSERT_TRUE(parse_eof_packet(p, caps41, eof).ok());
        EXPECT_EQ(eof.warnings, 1);
        EXPECT_EQ(eof.status_flags, status::autocommit | status::more_results_exists);
    });
    EofPacket eof;
    EXPECT_FALSE(parse_eof_packet(hex("fe 0100 22"), caps41, eof).ok());
    EXPECT_FALSE(parse_eof_packet(hex("fe 0000 0000 00000000"), caps41, eof).ok());
}

TEST(EndOfRows, HandlesEofAndOkForms) {
    OkPacket ok;
    ASSERT_TRUE(parse_end_of_rows(hex("fe 0200 0200"), caps41, ok).ok());
    EXPECT_EQ(ok.warnings, 2);
    EXPECT_EQ(ok.status_flags, status::autocommit);
    ASSERT_TRUE(parse_end_of_rows(hex("fe 0200 0200"), caps_track, ok).ok());
    EXPECT_EQ(ok.warnings, 2);
    ASSERT_TRUE(parse_end_of_rows(hex("fe 00 00 0a00 0400"), caps_track, ok).ok());
    EXPECT_EQ(ok.status_flags, status::autocommit | status::more_results_exists);
    EXPECT_EQ(ok.warnings, 4);
}

TEST(Classify, CommandResponse) {
    EXPECT_EQ(classify_command_response(hex("00 00 00 0200 0000")), ResponseKind::ok);
    EXPECT_EQ(classify_command_response(hex("ff 1004")), ResponseKind::err);
    EXPECT_EQ(classify_command_response(hex("fb 2f746d70")), ResponseKind::local_infile);
    EXPECT_EQ(classify_command_response(hex("03")), ResponseKind::result_set);
    EXPECT_EQ(classify_command_response({}), ResponseKind::malformed);
}

TEST(Classify, RowResponse) {
    EXPECT_EQ(classify_row_response(hex("fe 0000 0200"), caps41), ResponseKind::eof);
    EXPECT_EQ(classify_row_response(hex("fe 00 00 0200 0000"), caps_track), ResponseKind::eof);
    EXPECT_EQ(classify_row_response(hex("fe 00 00 0200 0000 0000"), caps_track), ResponseKind::eof);
    // Without DEPRECATE_EOF a 9-byte packet starting with 0xFE is a row (8-byte lenenc length).
    EXPECT_EQ(classify_row_response(hex("fe 00 00 0200 0000 0000"), caps41), ResponseKind::row);
    EXPECT_EQ(classify_row_response(hex("ff 1004"), caps41), ResponseKind::err);
    EXPECT_EQ(classify_row_response(hex("00"), caps41), ResponseKind::row);
    EXPECT_EQ(classify_row_response(hex("fb"), caps41), ResponseKind::row);
    EXPECT_EQ(classify_row_response({}, caps41), ResponseKind::malformed);
    // A joined message of 16 MiB starting with 0xFE is a row even with DEPRECATE_EOF.
    ByteVec big(max_frame_payload + 9, 0x41);
    big[0] = 0xFE;
    EXPECT_EQ(classify_row_response(big, caps_track), ResponseKind::row);
}

TEST(Classify, AuthResponse) {
    EXPECT_EQ(classify_auth_response(hex("00 00 00 0200 0000")), ResponseKind::ok);
    EXPECT_EQ(classify_auth_response(hex("ff 1504")), ResponseKind::err);
    EXPECT_EQ(classify_auth_response(hex("fe 61 00")), ResponseKind::auth_switch);
    EXPECT_EQ(classify_auth_response(hex("01 03")), ResponseKind::auth_more_data);
    EXPECT_EQ(classify_auth_response(hex("02")), ResponseKind::malformed);
    EXPECT_EQ(classify_auth_response({}), ResponseKind::malformed);
}

TEST(ColumnCount, ParsesAndBoundsTheCount) {
    std::uint64_t n = 0;
    ASSERT_TRUE(parse_column_count(hex("03"), n).ok());
    EXPECT_EQ(n, 3u);
    ASSERT_TRUE(parse_column_count(hex("fc 0001"), n).ok());
    EXPECT_EQ(n, 256u);
    for (const char* bad : {"", "00", "fb", "ff", "03 00", "fc 01", "fd 000001", "fe 0000000001000000"})
        EXPECT_EQ(parse_column_count(hex(bad), n).errno_code, cr::malformed_packet) << bad;
}

TEST(AuthSwitchRequest, ParsesPluginNameAndData) {
    const ByteVec p = concat({hex("fe"), bytes_of("mysql_native_password"), hex("00"),
                              hex("0102030405060708090a0b0c0d0e0f1011121314 00")});
    for_each_split(p, [](Bytes payload) {
        AuthSwitchRequest req;
        ASSERT_TRUE(parse_auth_switch_request(payload, req).ok());
        EXPECT_EQ(req.plugin_name, "mysql_native_password");
        EXPECT_EQ(ByteVec(req.plugin_data.begin(), req.plugin_data.end()),
                  hex("0102030405060708090a0b0c0d0e0f1011121314 00"));
    });
}

TEST(AuthSwitchRequest, OldFormAndBadForms) {
    AuthSwitchRequest req;
    ASSERT_TRUE(parse_auth_switch_request(hex("fe"), req).ok());
    EXPECT_EQ(req.plugin_name, "mysql_old_password");
    const ByteVec dialog = concat({hex("fe"), bytes_of("dialog")});  // views point into it
    ASSERT_TRUE(parse_auth_switch_request(dialog, req).ok());
    EXPECT_EQ(req.plugin_name, "dialog");
    EXPECT_TRUE(req.plugin_data.empty());
    EXPECT_FALSE(parse_auth_switch_request(hex("fe 00 0102"), req).ok());
    EXPECT_FALSE(parse_auth_switch_request(hex("01 61 00"), req).ok());
    EXPECT_FALSE(parse_auth_switch_request({}, req).ok());
}

TEST(AuthMoreData, ReturnsTheData) {
    Bytes data;
    const ByteVec p = hex("01 04");
    ASSERT_TRUE(parse_auth_more_data(p, data).ok());
    EXPECT_EQ(ByteVec(data.begin(), data.end()), hex("04"));
    EXPECT_FALSE(parse_auth_more_data(hex("02 04"), data).ok());
    EXPECT_FALSE(parse_auth_more_data({}, data).ok());
}

TEST(LocalInfileRequest, ReturnsTheFileName) {
    for_each_split(concat({hex("fb"), bytes_of("/tmp/data.csv")}), [](Bytes p) {
        std::string_view name;
        ASSERT_TRUE(parse_local_infile_request(p, name).ok());
        EXPECT_EQ(name, "/tmp/data.csv");
    });
    std::string_view name;
    EXPECT_FALSE(parse_local_infile_request(hex("00 61"), name).ok());
    EXPECT_FALSE(parse_local_infile_request({}, name).ok());
}

}  // namespace
}  // namespace uvmysql::test
