// SPDX-License-Identifier: MIT
// Fuzz target: one response payload through every classifier and parser of protocol/response.hpp
// (OK, ERR, EOF, column count, AuthSwitch, AuthMoreData, LOCAL INFILE, session state).
#include "fuzz_check.hpp"
#include "protocol/response.hpp"

using namespace uvmysql::detail;
using uvmysql::fuzz::inside;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const auto caps = in.ConsumeIntegral<std::uint64_t>();
    const auto bytes = in.ConsumeRemainingBytes<std::uint8_t>();
    const Bytes payload(bytes);
    const bool is_err = !payload.empty() && payload[0] == header::err;

    // A server error is never anything but an error, wherever it comes.
    const auto command = classify_command_response(payload);
    const auto row = classify_row_response(payload, caps);
    const auto auth = classify_auth_response(payload);
    if (is_err) {
        UVMYSQL_FUZZ_CHECK(command == ResponseKind::err);
        UVMYSQL_FUZZ_CHECK(row == ResponseKind::err);
        UVMYSQL_FUZZ_CHECK(auth == ResponseKind::err);
    }
    if (payload.empty()) UVMYSQL_FUZZ_CHECK(command == ResponseKind::malformed);
    const Status err = parse_err_packet(payload, caps);
    UVMYSQL_FUZZ_CHECK(!err.ok());
    if (err.from_server) {
        UVMYSQL_FUZZ_CHECK(is_err);
        UVMYSQL_FUZZ_CHECK(err.errno_code != 0);
        UVMYSQL_FUZZ_CHECK(err.sqlstate.size() == 5);
    }

    OkPacket ok;
    if (parse_ok_packet(payload, caps, ok).ok()) {
        UVMYSQL_FUZZ_CHECK(!is_err);
        UVMYSQL_FUZZ_CHECK(inside(ok.info, payload));
        UVMYSQL_FUZZ_CHECK(inside(ok.session_state, payload));
        std::vector<SessionStateChange> changes;
        if (parse_session_state(ok.session_state, changes).ok()) {
            for (const auto& c : changes) {
                UVMYSQL_FUZZ_CHECK(inside(c.data, ok.session_state));
                std::string_view name, value, schema;
                if (parse_session_system_variable(c.data, name, value).ok()) {
                    UVMYSQL_FUZZ_CHECK(inside(name, c.data) && inside(value, c.data));
                }
                if (parse_session_schema(c.data, schema).ok()) UVMYSQL_FUZZ_CHECK(inside(schema, c.data));
            }
        }
    }
    // The session-state parsers on raw bytes too (they see bytes the OK packet framed).
    std::vector<SessionStateChange> changes;
    if (parse_session_state(payload, changes).ok()) {
        std::size_t total = 0;
        for (const auto& c : changes) {
            UVMYSQL_FUZZ_CHECK(inside(c.data, payload));
            total += 1 + c.data.size();
        }
        UVMYSQL_FUZZ_CHECK(total <= payload.size());
    }
    EofPacket eof;
    if (parse_eof_packet(payload, caps, eof).ok()) UVMYSQL_FUZZ_CHECK(!is_err && payload.size() < 9);
    OkPacket end;
    if (parse_end_of_rows(payload, caps, end).ok()) {
        UVMYSQL_FUZZ_CHECK(!is_err);
        UVMYSQL_FUZZ_CHECK(inside(end.info, payload) && inside(end.session_state, payload));
    }
    std::uint64_t count = 0;
    if (parse_column_count(payload, count).ok()) {
        UVMYSQL_FUZZ_CHECK(!is_err);
        UVMYSQL_FUZZ_CHECK(count >= 1 && count <= max_column_count);
    }
    AuthSwitchRequest sw;
    if (parse_auth_switch_request(payload, sw).ok()) {
        UVMYSQL_FUZZ_CHECK(!is_err);
        UVMYSQL_FUZZ_CHECK(inside(sw.plugin_name, payload) || sw.plugin_name == "mysql_old_password");
        UVMYSQL_FUZZ_CHECK(inside(sw.plugin_data, payload));
    }
    Bytes more;
    if (parse_auth_more_data(payload, more).ok()) {
        UVMYSQL_FUZZ_CHECK(!is_err && inside(more, payload));
    }
    std::string_view filename;
    if (parse_local_infile_request(payload, filename).ok()) {
        UVMYSQL_FUZZ_CHECK(!is_err && inside(filename, payload));
    }
    return 0;
}
