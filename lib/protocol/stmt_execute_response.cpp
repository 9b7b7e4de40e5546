// SPDX-License-Identifier: MIT
// The result set header that answers COM_STMT_EXECUTE, with MariaDB's metadata-cache flag.
#include "protocol/stmt_execute_response.hpp"

#include "protocol/capabilities.hpp"
#include "protocol/packet_reader.hpp"

namespace uvmysql::detail {

namespace {
constexpr std::uint64_t max_columns = 0xFFFF;
}  // namespace

Status parse_execute_result_header(Bytes payload, std::uint64_t capabilities, ExecuteResultHeader& out) {
    PacketReader r(payload);
    out.column_count = r.lenenc_int();
    out.metadata_follows = true;
    if (capabilities & mariadb_cap::cache_metadata) {
        const std::uint8_t flag = r.int1();
        if (flag > 1) r.fail();
        out.metadata_follows = flag == 1;
    }
    if (!r.done() || out.column_count == 0 || out.column_count > max_columns) {
        return Status::malformed("bad result set header");
    }
    return {};
}

}  // namespace uvmysql::detail
