// SPDX-License-Identifier: MIT
// Fuzz target: the prepared-statement responses. The COM_STMT_PREPARE response (PREPARE_OK,
// parameter and column definitions, EOFs) as a fuzzed message sequence, and the result set header
// of COM_STMT_EXECUTE with and without MariaDB's metadata caching.
#include "fuzz_check.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/response.hpp"
#include "protocol/stmt_execute_response.hpp"
#include "protocol/stmt_prepare_response.hpp"

using namespace uvmysql::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::uint64_t caps = cap::protocol_41 | (in.ConsumeBool() ? cap::deprecate_eof : 0) |
                               (in.ConsumeBool() ? mariadb_cap::cache_metadata : 0);
    const auto messages = uvmysql::fuzz::take_messages(in, 40);
    if (messages.empty()) return 0;

    // The first message is also a COM_STMT_EXECUTE result set header.
    const Bytes first(messages[0]);
    ExecuteResultHeader exec_header;
    if (parse_execute_result_header(first, caps, exec_header).ok()) {
        UVMYSQL_FUZZ_CHECK(exec_header.column_count >= 1 && exec_header.column_count <= max_column_count);
        if (!(caps & mariadb_cap::cache_metadata)) {
            std::uint64_t count = 0;
            UVMYSQL_FUZZ_CHECK(parse_column_count(first, count).ok() && count == exec_header.column_count);
            UVMYSQL_FUZZ_CHECK(exec_header.metadata_follows);
        }
    }

    StmtPrepareReader reader(caps);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const Bytes payload(messages[i]);
        const Status st = reader.on_message(payload);
        if (i == 0 && !payload.empty() && payload[0] == header::err) {
            // An ERR in place of PREPARE_OK is the statement's error, never a prepared statement.
            UVMYSQL_FUZZ_CHECK(!st.ok());
        }
        if (!st.ok()) return 0;
        if (reader.done()) {
            UVMYSQL_FUZZ_CHECK(reader.params().size() == reader.prepare_ok().param_count);
            UVMYSQL_FUZZ_CHECK(reader.columns().size() == reader.prepare_ok().column_count);
            return 0;
        }
    }
    return 0;
}
